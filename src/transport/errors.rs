//! How a failed attempt reads: each ureq, I/O and TLS error mapped to ours, with whether
//! another attempt may follow and whether the endpoint was never reached (the fallback
//! may then take the attempt). Only variants known not to carry the URL are shown.

use std::io;

use super::pool::INPUT_BUFFER;
use super::{Failure, Transport};
use crate::error::{Error, Rule};
use crate::response::MAX_BODY_BYTES;
use crate::url::proxy_url;

impl Transport {
    /// Maps a ureq error to ours. Only variants known not to carry the URL are shown.
    pub(super) fn classify(&self, e: ureq::Error, label: &str) -> Failure {
        let fatal = |error| Failure {
            error,
            retryable: false,
            unreached: false,
            reaped: false,
        };
        let retry = |error| Failure {
            error,
            retryable: true,
            unreached: false,
            reaped: false,
        };
        // Never reached: no connection to the endpoint was made (through a proxy, the
        // endpoint's reachability is unknown).
        let unreached = |error, retryable| Failure {
            error,
            retryable,
            unreached: !self.via_proxy,
            reaped: false,
        };
        match e {
            ureq::Error::Timeout(ureq::Timeout::Connect) => unreached(
                Error::timeout(format!(
                    "could not connect to {label} within the {} ms connect timeout",
                    self.connect_timeout.as_millis()
                )),
                true,
            ),
            ureq::Error::Timeout(_) => fatal(self.whole_call_timeout()),
            ureq::Error::Io(io) => self.classify_io(&io, label),
            ureq::Error::HostNotFound => unreached(
                Error::transport(format!("host not found for {label}")),
                false,
            ),
            ureq::Error::ConnectionFailed if self.via_proxy => retry(Error::transport(
                "could not connect to the proxy".to_owned(),
            )),
            ureq::Error::ConnectionFailed => unreached(
                Error::transport(format!("could not connect to {label}")),
                true,
            ),
            ureq::Error::BodyExceedsLimit(_) => fatal(Error::protocol(format!(
                "response body exceeds the {} KiB limit",
                MAX_BODY_BYTES / 1024
            ))),
            ureq::Error::LargeResponseHeader(..) => fatal(Error::protocol(format!(
                "header too large: the response head from {label} is over the {} KiB limit",
                INPUT_BUFFER / 1024
            ))),
            ureq::Error::Protocol(_) => fatal(Error::transport(format!(
                "malformed HTTP answer from {label}"
            ))),
            ureq::Error::Tls(msg) => {
                retry(Error::transport(format!("TLS failure with {label}: {msg}")))
            }
            ureq::Error::Rustls(tls) => self.classify_tls(&tls, label),
            ureq::Error::ConnectProxyFailed(reason) => fatal(self.proxy_refused(&reason, label)),
            ureq::Error::InvalidProxyUrl => fatal(Error::transport(format!(
                "the proxy refused or failed to connect to {label}"
            ))),
            ureq::Error::BadUri(_) | ureq::Error::Http(_) => fatal(Error::config(
                "endpoint",
                Rule::BadValue,
                "is not a usable URL",
            )),
            _ => fatal(Error::transport(format!(
                "HTTP client error talking to {label}"
            ))),
        }
    }

    /// What a proxy's answer to CONNECT other than 200 means. ureq's reason reads
    /// `proxy server responded <status>/...`; only the status is used, never the proxy URL
    /// (it may hold a password).
    fn proxy_refused(&self, reason: &str, label: &str) -> Error {
        let status = reason
            .strip_prefix("proxy server responded ")
            .and_then(|r| r.get(..3))
            .and_then(|s| s.parse::<u16>().ok());
        let with_credentials = self.key.proxy.as_deref().is_some_and(|p| {
            ureq::Proxy::new(&proxy_url(p))
                .is_ok_and(|p| p.username().is_some() || p.password().is_some())
        });
        match status {
            Some(407) if with_credentials => Error::transport(
                "the proxy refused the user and password given in proxy (HTTP 407 Proxy \
                 Authentication Required); check them",
            ),
            Some(407) => Error::transport(
                "the proxy requires authentication (HTTP 407 Proxy Authentication Required); \
                 give a user and password in proxy (http://user:password@host:port)",
            ),
            Some(status) => Error::transport(format!(
                "the proxy answered HTTP {status} to the CONNECT for {label}"
            )),
            None => Error::transport(format!("the proxy refused or failed to connect to {label}")),
        }
    }

    fn classify_io(&self, io: &io::Error, label: &str) -> Failure {
        if let Some(tls) = io.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
            return self.classify_tls(tls, label);
        }
        if super::idle::is_reaped(io) {
            // Closed as idle before this request's first byte (idle.rs): nothing was sent.
            return Failure {
                error: Error::transport(format!(
                    "the pooled connection to {label} was closed as idle before the request"
                )),
                retryable: true,
                unreached: false,
                reaped: true,
            };
        }
        let (text, retryable) = match io.kind() {
            io::ErrorKind::ConnectionRefused if self.via_proxy => {
                ("connection refused by the proxy".to_owned(), true)
            }
            io::ErrorKind::ConnectionRefused => {
                return Failure {
                    error: Error::transport(format!("connection refused by {label}")),
                    retryable: true,
                    unreached: true,
                    reaped: false,
                }
            }
            io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted => {
                (format!("connection reset by {label}"), false)
            }
            io::ErrorKind::UnexpectedEof | io::ErrorKind::BrokenPipe => (
                format!("connection closed by {label} before a complete answer"),
                false,
            ),
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => {
                return Failure {
                    error: self.whole_call_timeout(),
                    retryable: false,
                    unreached: false,
                    reaped: false,
                }
            }
            _ => (format!("I/O error talking to {label}: {io}"), false),
        };
        Failure {
            error: Error::transport(text),
            retryable,
            unreached: false,
            reaped: false,
        }
    }

    fn classify_tls(&self, tls: &rustls::Error, label: &str) -> Failure {
        use rustls::{AlertDescription, PeerIncompatible};
        // The server speaks none of the versions rustls offers (TLS 1.2 and 1.3): it chose
        // an older one, or said so with a protocol_version alert. That never heals.
        let version = match tls {
            rustls::Error::PeerIncompatible(
                PeerIncompatible::ServerDoesNotSupportTls12Or13
                | PeerIncompatible::ServerTlsVersionIsDisabledByOurConfig
                | PeerIncompatible::SupportedVersionsExtensionRequired,
            ) => Some("the server does not speak TLS 1.2 or 1.3"),
            rustls::Error::AlertReceived(AlertDescription::ProtocolVersion) => {
                Some("the server refused TLS 1.2 and 1.3 (protocol_version alert)")
            }
            _ => None,
        };
        if let Some(what) = version {
            return Failure {
                unreached: false,
                reaped: false,
                error: Error::transport(format!(
                    "TLS failure with {label}: protocol version mismatch: {what}; nameauth \
                     needs TLS 1.2 or later (not retried)"
                )),
                retryable: false,
            };
        }
        Failure {
            unreached: false,
            reaped: false,
            error: Error::transport(format!("TLS failure with {label}: {tls}")),
            // A certificate that does not verify will not verify next time either.
            retryable: !matches!(
                tls,
                rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented
            ),
        }
    }
}
