//! docs/SPEC.md §6: the only module that does I/O. One ureq agent (one keep-alive pool) per
//! process per transport setting, shared by the clients built with it and never across
//! `fork`, timeouts always set, bounded bodies, retries only where the request cannot
//! have been processed, and messages that never carry the URL (it holds the name and ID).
//!
//! By concern: this file is the attempt loop (retries, backoff, failover, deadlines);
//! errors.rs maps a failed attempt; pool.rs keeps the pools and handles `fork`; marker.rs
//! marks the first written byte (the cancellation point); resolver.rs caches names;
//! tcp.rs is the TCP layer, connect.rs opens its connections (Happy Eyeballs), and idle.rs
//! closes idle connections. The URL
//! rules are crate::url, below this module (docs/architecture.md).

use std::cell::Cell;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::time::{Duration, Instant};

use nameauth_pthread::PerProcess;
use ureq::config::Config;
use ureq::tls::{Certificate, RootCerts, TlsConfig};
use zeroize::Zeroizing;

use crate::cancel::{self, CallOptions};
use crate::config::Options;
use crate::error::{Error, ErrorKind, Rule, CANCELLED_MESSAGE};
use crate::report::{Level, Report};
use crate::response::MAX_BODY_BYTES;
use crate::stats::Counters;
use crate::url::{proxy_url, redact_url};
use marker::{CONNECTED, REQUEST_WRITTEN};
pub(crate) use pool::release_pools;
use pool::{
    new_agent, shared_agent, PoolKey, INPUT_BUFFER, MAX_IDLE, MAX_IDLE_PER_HOST, OUTPUT_BUFFER,
};

mod connect;
mod errors;
mod idle;
mod marker;
mod pool;
mod resolver;
mod tcp;

/// First backoff before a retry; doubled each time, with ±50 % jitter.
const BACKOFF_BASE: Duration = Duration::from_millis(100);

pub(crate) struct Transport {
    /// This process's agent (one keep-alive pool): a child after `fork` gets its own,
    /// never its parent's connections (docs/SPEC.md §6).
    agent: PerProcess<ureq::Agent>,
    /// What a fresh agent is made from.
    config: Config,
    /// Which process-wide pool this transport uses.
    key: PoolKey,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) retries: u32,
    /// `scheme://host:port/path` of the endpoint, for messages.
    label: String,
    /// Whether requests go through a proxy (a refused connection is then the proxy's).
    via_proxy: bool,
    fallback: Option<Fallback>,
    counters: Arc<Counters>,
}

/// One failed attempt, and whether another may follow.
struct Failure {
    error: Error,
    retryable: bool,
    /// No connection to the endpoint was ever made (refused, not established, host
    /// not found): the fallback endpoint may take the attempt.
    unreached: bool,
    /// The idle reaper had closed the pooled connection before any byte of this request
    /// reached its socket: nothing was sent.
    reaped: bool,
}

/// Where an attempt goes.
struct Target<'a> {
    url: &'a str,
    label: &'a str,
}

/// The fallback endpoint and its label.
struct Fallback {
    endpoint: String,
    label: String,
}

impl Fallback {
    /// The request `url` (the primary `endpoint`, a separator, the signed query) sent to
    /// the fallback instead. It holds the name and ID, so it is wiped when dropped.
    fn url_for(&self, url: &str, endpoint: &str) -> Zeroizing<String> {
        let query = &url[endpoint.len() + 1..];
        let mut out = Zeroizing::new(String::with_capacity(self.endpoint.len() + query.len() + 1));
        out.push_str(&self.endpoint);
        out.push(if self.endpoint.contains('?') {
            '&'
        } else {
            '?'
        });
        out.push_str(query);
        out
    }
}

impl Transport {
    /// Reads the extra roots and builds the agent for `endpoint`. The route (endpoint and
    /// proxy) was checked with the rest of the options.
    pub(crate) fn new(
        endpoint: &str,
        b: &Options,
        counters: Arc<Counters>,
    ) -> Result<Transport, Error> {
        let proxy = match &b.proxy {
            Some(p) => Some(ureq::Proxy::new(&proxy_url(p)).map_err(|_| {
                Error::config(
                    "proxy",
                    Rule::BadValue,
                    "is not a valid proxy URL (http://[user:password@]host:port)",
                )
            })?),
            None => None,
        };
        let mut extra = Vec::new();
        // The extra roots as given: part of what decides which pool a client shares.
        let mut pems = Vec::new();
        if let Some(path) = &b.ca_file {
            let pem = std::fs::read(path).map_err(|e| {
                Error::config(
                    "ca_file",
                    Rule::BadValue,
                    format_args!("cannot read {}: {e}", path.display()),
                )
            })?;
            extra.extend(parse_roots(&pem, "ca_file")?);
            pems.extend_from_slice(&pem);
        }
        if let Some(pem) = &b.ca_pem {
            extra.extend(parse_roots(pem, "ca_pem")?);
            pems.extend_from_slice(pem);
        }
        let mut tls = TlsConfig::builder();
        if !extra.is_empty() {
            // Mozilla's roots plus the caller's, not the caller's alone.
            let mut roots: Vec<Certificate<'static>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
                .iter()
                .map(|c| Certificate::from_der(c.as_ref()))
                .collect();
            roots.extend(extra);
            tls = tls.root_certs(RootCerts::Specific(Arc::new(roots)));
        }
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            // Never follow a redirect: the query holds personal data.
            .max_redirects(0)
            .proxy(proxy)
            .tls_config(tls.build())
            .timeout_connect(Some(b.connect_timeout))
            .timeout_global(Some(b.timeout))
            .max_idle_connections(MAX_IDLE)
            .max_idle_connections_per_host(MAX_IDLE_PER_HOST)
            .max_idle_age(b.idle_timeout)
            .input_buffer_size(INPUT_BUFFER)
            // One byte less than the buffer: ureq refuses a head only once the bytes it
            // holds exceed this, and a full buffer would otherwise read as a closed
            // connection ("no progress") instead of a head over the limit.
            .max_response_header_size(INPUT_BUFFER - 1)
            .output_buffer_size(OUTPUT_BUFFER)
            .user_agent(concat!("nameauth/", env!("CARGO_PKG_VERSION")))
            .accept("application/json, text/javascript")
            .build();
        let key = PoolKey {
            endpoint: endpoint.to_owned(),
            fallback: b.fallback_endpoint.clone(),
            proxy: b.proxy.clone(),
            roots: pems,
            connect_timeout: b.connect_timeout,
            timeout: b.timeout,
            idle_timeout: b.idle_timeout,
        };
        let agent = shared_agent(&key, || new_agent(config.clone(), b.idle_timeout));
        Ok(Transport {
            key,
            fallback: b.fallback_endpoint.as_ref().map(|f| Fallback {
                endpoint: f.clone(),
                label: redact_url(f),
            }),
            counters,
            agent: PerProcess::with(agent),
            config,
            timeout: b.timeout,
            connect_timeout: b.connect_timeout,
            retries: b.retries,
            label: redact_url(endpoint),
            via_proxy: b.proxy.is_some(),
        })
    }

    /// GETs `url` (which starts with the endpoint) and returns the body of a 2xx answer,
    /// at most 64 KiB. The whole call, retries, backoff and failover included, ends within
    /// the configured timeout, or `options`' deadline if that comes first. `report` gets
    /// the attempts and a note per retry and failover. A cancelled token stops the call
    /// before any attempt writes its request (src/cancel.rs has the design).
    pub(crate) fn get(
        &self,
        url: &str,
        options: &CallOptions,
        report: &mut Report,
    ) -> Result<Vec<u8>, Error> {
        let start = Instant::now();
        let configured = start + self.timeout;
        let (deadline, by_caller) = match options.deadline {
            Some(d) if d < configured => (d, true),
            _ => (configured, false),
        };
        // The caller's deadline, when it is the one reached, is named as such.
        let whole_call_timeout = || {
            if !by_caller {
                return self.whole_call_timeout();
            }
            Error::timeout(format!(
                "no complete answer from {} before the caller's deadline ({} ms after the \
                 call began, sooner than the {} ms timeout)",
                self.label,
                deadline.saturating_duration_since(start).as_millis(),
                self.timeout.as_millis()
            ))
        };
        // The caller's deadline named; and a timeout or transport failure of an attempt
        // that reached the server, which did not say it left the request alone (a 503 is
        // retried), says the request was sent.
        let caller_timeout = |mut f: Failure| {
            if by_caller && f.error == self.whole_call_timeout() {
                f.error = whole_call_timeout();
            }
            let kind = f.error.kind();
            let told = matches!(kind, ErrorKind::Timeout | ErrorKind::Transport);
            if told && written() && !f.reaped && !f.retryable {
                f.error = f.error.sent();
            }
            f
        };
        // Retries follow only failures the server did not process (SPEC §6).
        let cancelled = |attempt: u32| match attempt {
            0 => Error::cancelled(CANCELLED_MESSAGE),
            n => Error::cancelled(format!(
                "the call was cancelled before attempt {} was sent; the server processed none \
                 of the {n} before it, and nothing more was sent",
                n + 1
            )),
        };
        // An attempt that failed before writing a byte, its token cancelled meanwhile (a
        // wait no token watches, such as name resolution, or a cancel that came as a
        // connect timed out): nothing of it reached the server, so the call is cancelled.
        let stopped = || cancel::take_stopped() || (options.is_cancelled() && !written());
        refuse_if_the_http_stack_traces()?;
        let agent = self.agent();
        let _armed = cancel::arm(options);
        let primary = Target {
            url,
            label: &self.label,
        };
        let mut fallback_url = None;
        let mut attempt = 0;
        loop {
            if options.is_cancelled() {
                return Err(cancelled(attempt));
            }
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(whole_call_timeout());
            }
            // The agent's own timeouts fit a first attempt; a retry, or a call bound by
            // the caller's deadline, gets what is left.
            let budget = (attempt > 0 || by_caller).then_some(remaining);
            let mut failure = match self.attempt(&agent, &primary, budget, report) {
                // An answer after the deadline is no answer within the timeout.
                Ok(_) if Instant::now() > deadline => return Err(whole_call_timeout().sent()),
                Ok(body) => return Ok(body),
                Err(_) if stopped() => return Err(cancelled(attempt)),
                Err(f) => caller_timeout(f),
            };
            if let (true, Some(fb)) = (failure.unreached, &self.fallback) {
                // The endpoint was never reached, so nothing was sent: the fallback gets
                // this attempt's turn.
                let url = fallback_url.get_or_insert_with(|| fb.url_for(url, &self.key.endpoint));
                let remaining = deadline.saturating_duration_since(Instant::now());
                if remaining.is_zero() {
                    return Err(whole_call_timeout());
                }
                if options.is_cancelled() {
                    return Err(cancelled(attempt));
                }
                self.counters.failover();
                report.failovers += 1;
                report.note(
                    Level::Warn,
                    format!(
                        "failover: {} ({}); sending to {}",
                        self.label, failure.error, fb.label
                    ),
                );
                let target = Target {
                    url,
                    label: &fb.label,
                };
                failure = match self.attempt(&agent, &target, Some(remaining), report) {
                    Ok(_) if Instant::now() > deadline => return Err(whole_call_timeout().sent()),
                    Ok(body) => return Ok(body),
                    Err(_) if stopped() => return Err(cancelled(attempt)),
                    Err(f) => caller_timeout(f),
                };
            }
            if !failure.retryable || attempt >= self.retries {
                return Err(failure.error);
            }
            let pause = backoff(attempt);
            if Instant::now() + pause >= deadline {
                return Err(failure.error);
            }
            report.note(
                Level::Warn,
                format!(
                    "retry: attempt {} failed ({}); retrying in {} ms",
                    attempt + 1,
                    failure.error,
                    pause.as_millis()
                ),
            );
            if cancel::sleep_unless_cancelled(pause, options) {
                return Err(cancelled(attempt + 1));
            }
            self.counters.retry();
            attempt += 1;
        }
    }

    /// One request; `budget` overrides the agent's timeouts (a per-request config costs
    /// a copy of the agent's, so only retries pay for it).
    fn attempt(
        &self,
        agent: &ureq::Agent,
        target: &Target<'_>,
        budget: Option<Duration>,
        report: &mut Report,
    ) -> Result<Vec<u8>, Failure> {
        REQUEST_WRITTEN.with(|w| w.set(false));
        CONNECTED.with(|c| c.set(false));
        self.counters.request();
        report.attempts += 1;
        let result = self.send(agent, target, budget);
        if CONNECTED.with(Cell::get) {
            self.counters.connection();
        }
        result
    }

    fn send(
        &self,
        agent: &ureq::Agent,
        target: &Target<'_>,
        budget: Option<Duration>,
    ) -> Result<Vec<u8>, Failure> {
        let request = agent.get(target.url);
        let sent = match budget {
            None => request.call(),
            Some(left) => request
                .config()
                .timeout_global(Some(left))
                .timeout_connect(Some(self.connect_timeout.min(left)))
                .build()
                .call(),
        };
        let mut response = sent.map_err(|e| self.after_write(self.classify(e, target.label)))?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY_BYTES as u64)
            .read_to_vec();
        if !(200..300).contains(&status) {
            return Err(Failure {
                error: Error::from_http_status(status),
                // 503 says the request was not processed; after 502 or 504 it may have
                // been, and a second send would be a second check of a person.
                retryable: status == 503,
                unreached: false,
                reaped: false,
            });
        }
        body.map_err(|e| self.after_write(self.classify(e, target.label)))
    }

    /// Once a byte of the request was written the server may have run the check: no
    /// failure after that is retried (docs/SPEC.md §6), whatever its kind.
    fn after_write(&self, mut f: Failure) -> Failure {
        // A connection the reaper closed before any byte of this request reached it
        // (idle.rs, tcp.rs) sent nothing, whatever the marker says: TLS may hold the
        // request's bytes until the next read.
        if written() && !f.reaped {
            f.retryable = false;
            f.unreached = false;
        }
        f
    }

    fn whole_call_timeout(&self) -> Error {
        Error::timeout(format!(
            "no complete answer from {} within the {} ms timeout",
            self.label,
            self.timeout.as_millis()
        ))
    }
}

/// Whether the current attempt has written a byte of its request.
fn written() -> bool {
    REQUEST_WRITTEN.with(Cell::get)
}

/// ureq writes the request line, query included, to its log at Trace level (targets
/// `ureq::util` and `ureq_proto::util`): the name, the ID number and the sign. When a
/// logger would record that, nothing is sent (docs/SPEC.md §6: never in logs, the HTTP
/// stack's own included).
fn refuse_if_the_http_stack_traces() -> Result<(), Error> {
    let traced = log::log_enabled!(target: "ureq::util", log::Level::Trace)
        || log::log_enabled!(target: "ureq_proto::util", log::Level::Trace)
        || log::log_enabled!(target: "ureq::run", log::Level::Trace);
    if traced {
        return Err(Error::config(
            "logging",
            Rule::BadValue,
            "a logger records ureq at Trace level, which would write the request line (name, \
             ID number, sign) to the log; nothing was sent: set ureq and ureq_proto to Debug \
             or lower",
        ));
    }
    Ok(())
}

/// The certificates of a PEM file of extra roots. Each block's DER is parsed as a trust
/// anchor now, as rustls will when the first connection is made: ureq would skip a block
/// that does not parse without a word, and every call would then fail with an unknown
/// issuer, far from its cause.
fn parse_roots(pem: &[u8], field: &'static str) -> Result<Vec<Certificate<'static>>, Error> {
    let mut out = Vec::new();
    for item in ureq::tls::parse_pem(pem) {
        match item {
            Ok(ureq::tls::PemItem::Certificate(c)) => {
                let der = rustls::pki_types::CertificateDer::from(c.der());
                if rustls::RootCertStore::empty().add(der).is_err() {
                    return Err(Error::config(
                        field,
                        Rule::BadValue,
                        format_args!(
                            "certificate {} is not a valid X.509 certificate (its PEM block \
                             does not hold a DER certificate)",
                            out.len() + 1
                        ),
                    ));
                }
                out.push(c)
            }
            Ok(_) => {}
            Err(_) => return Err(Error::config(field, Rule::BadValue, "holds malformed PEM")),
        }
    }
    if out.is_empty() {
        return Err(Error::config(
            field,
            Rule::BadValue,
            "holds no PEM certificate",
        ));
    }
    Ok(out)
}

/// `BACKOFF_BASE * 2^attempt`, times a random factor in [0.5, 1.5).
fn backoff(attempt: u32) -> Duration {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(attempt);
    let unit = (h.finish() % 1000) as f64 / 1000.0;
    BACKOFF_BASE
        .saturating_mul(1 << attempt.min(10))
        .mul_f64(0.5 + unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter() {
        for attempt in 0..4 {
            let b = backoff(attempt);
            let base = BACKOFF_BASE * (1 << attempt);
            assert!(b >= base / 2 && b < base * 3 / 2, "{attempt}: {b:?}");
        }
    }

    #[test]
    fn roots_must_be_pem_certificates() {
        let e = parse_roots(b"not pem", "ca_file").unwrap_err();
        assert_eq!(e.to_string(), "ca_file: holds no PEM certificate");
    }
}
