//! The client: validate, normalise, sign, send, map. Built once, shared by every thread.

use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use zeroize::Zeroizing;

mod builder;

pub use builder::ClientBuilder;

use crate::cancel::CallOptions;
use crate::config::{Credentials, Settings};
use crate::error::{Error, ErrorKind, CANCELLED_MESSAGE};
use crate::protocol::{Params, SignCase, RESIDENT_ID_CARD};
use crate::report::Report;
use crate::request::{build_url, normalise_creid};
use crate::stats::{Counters, Stats};
use crate::transport::Transport;
use crate::url::redact_url;
use crate::validate;
use crate::verdict::Verdict;

/// A configured WeChat Pay real-name client.
///
/// `Send + Sync` and cheap to clone: build one per merchant account and share it. Its
/// connections live in the process's keep-alive pool for its transport settings, which
/// every client built with the same settings shares. The key is wiped from memory when the last clone is
/// dropped, and `Debug` never shows it.
///
/// ```no_run
/// let client = nameauth::Client::builder("wx1234567890abcdef", "src", "key").build()?;
/// let verdict = client.verify("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "张三", "110101199003074477")?;
/// println!("{} {}", verdict.code(), verdict.message_en());
/// # Ok::<(), nameauth::Error>(())
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    credentials: Credentials,
    endpoint: String,
    sign_case: SignCase,
    id_rules: bool,
    /// The proxy with any password removed, for `Debug`.
    proxy: Option<String>,
    fallback: Option<String>,
    transport: Transport,
    counters: Arc<Counters>,
}

impl Client {
    /// A builder with the three credentials WeChat Pay issues.
    pub fn builder(
        appid: impl Into<String>,
        src: impl Into<String>,
        key: impl Into<String>,
    ) -> ClientBuilder {
        ClientBuilder::new(appid, src, key)
    }

    /// A client from the `NAMEAUTH_*` environment of `CONFORMANCE.md`.
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env().build()
    }

    /// A client of checked settings: the transport gets the endpoint and the options,
    /// never the credentials.
    pub(crate) fn from_settings(s: Settings) -> Result<Client, Error> {
        let counters = Arc::new(Counters::default());
        let endpoint = s.endpoint().to_owned();
        let transport = Transport::new(&endpoint, &s.options, counters.clone())?;
        Ok(Client {
            inner: Arc::new(Inner {
                counters,
                fallback: s.options.fallback_endpoint.as_deref().map(redact_url),
                credentials: s.credentials,
                proxy: s.options.proxy.as_deref().map(|p| redact_url(p)),
                endpoint,
                sign_case: s.options.sign_case,
                id_rules: s.options.id_rules,
                transport,
            }),
        })
    }

    /// Verifies a user with a resident ID card (`cretype=1`).
    pub fn verify(&self, openid: &str, truename: &str, creid: &str) -> Result<Verdict, Error> {
        self.verify_with_cretype(openid, truename, creid, RESIDENT_ID_CARD)
    }

    /// Verifies a user with any document type.
    ///
    /// Checks every rule of docs/SPEC.md §3 first (an `invalid_input` error, and nothing sent, if
    /// one fails), upper-cases a trailing `x` of a resident ID, signs, sends and maps the
    /// answer. Every answer of the server is a [`Verdict`], `Other` included; failing to
    /// get one is an [`Error`].
    pub fn verify_with_cretype(
        &self,
        openid: &str,
        truename: &str,
        creid: &str,
        cretype: &str,
    ) -> Result<Verdict, Error> {
        self.verify_reported(openid, truename, creid, cretype).0
    }

    /// [`verify_with_cretype`](Self::verify_with_cretype), with a [`Report`] of what the
    /// call did (attempts, failovers, duration, retry notes) for the caller's own logs:
    /// [`Report::events`] gives them as masked lines. The same events also go to the
    /// `log` crate under the target `nameauth`, and every call counts in
    /// [`stats`](Self::stats).
    pub fn verify_reported(
        &self,
        openid: &str,
        truename: &str,
        creid: &str,
        cretype: &str,
    ) -> (Result<Verdict, Error>, Report) {
        self.verify_with(openid, truename, creid, cretype, &CallOptions::default())
    }

    /// [`verify_reported`](Self::verify_reported), with the caller's [`CallOptions`]: a
    /// [`CancelToken`](crate::CancelToken) that stops the call while its request is not
    /// written yet (a [`Cancelled`](crate::ErrorKind::Cancelled) error, nothing sent; see
    /// [`cancel`](crate::cancel) for where the check is), and a deadline that bounds the
    /// whole call together with the configured timeout, whichever comes first.
    pub fn verify_with(
        &self,
        openid: &str,
        truename: &str,
        creid: &str,
        cretype: &str,
        options: &CallOptions,
    ) -> (Result<Verdict, Error>, Report) {
        let inner = &*self.inner;
        let start = Instant::now();
        let mut report = Report::default();
        inner.counters.call();
        let result = if options.is_cancelled() {
            // Cancelled before it began: not even validated.
            Err(Error::cancelled(CANCELLED_MESSAGE))
        } else {
            self.request_url(openid, truename, creid, cretype)
                .and_then(|url| {
                    let body = inner.transport.get(&url, options, &mut report);
                    if !matches!(&body, Err(e) if e.kind() == ErrorKind::Cancelled) {
                        // A call stopped at the cancellation point sent nothing.
                        inner.counters.latency(start.elapsed());
                    }
                    body
                })
                .and_then(|body| Verdict::from_body(&body))
        };
        report.duration = start.elapsed();
        match &result {
            Ok(v) => inner.counters.verdict(v.code()),
            Err(e) => inner.counters.error(e.kind()),
        }
        report.log(openid, truename, creid, result.as_ref());
        (result, report)
    }

    /// What this client (and its clones) did since it was built: calls, requests,
    /// retries, connections opened, failovers, verdicts per code, errors per kind and the
    /// latency percentiles of the calls that sent a request.
    pub fn stats(&self) -> Stats {
        self.inner.counters.snapshot()
    }

    /// Validates, normalises and signs: the URL that would be sent. It holds the name and
    /// the ID number, so it is wiped when dropped.
    fn request_url(
        &self,
        openid: &str,
        truename: &str,
        creid: &str,
        cretype: &str,
    ) -> Result<Zeroizing<String>, Error> {
        let inner = &*self.inner;
        validate::user(openid, truename, creid, cretype, inner.id_rules)?;
        let creid = normalise_creid(creid, cretype);
        let params = Params {
            appid: &inner.credentials.appid,
            openid,
            src: &inner.credentials.src,
            truename,
            creid: &creid,
            cretype,
        };
        Ok(Zeroizing::new(build_url(
            &inner.endpoint,
            &params,
            &inner.credentials.key,
            inner.sign_case,
        )))
    }

    /// Checks one user's inputs as `verify` would, without sending anything.
    pub fn validate(
        &self,
        openid: &str,
        truename: &str,
        creid: &str,
        cretype: &str,
    ) -> Result<(), Error> {
        validate::user(openid, truename, creid, cretype, self.inner.id_rules)
    }

    /// The app id this client sends.
    pub fn appid(&self) -> &str {
        &self.inner.credentials.appid
    }

    /// The endpoint this client sends to (credentials in it, if any, removed).
    pub fn endpoint(&self) -> String {
        redact_url(&self.inner.endpoint)
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &*self.inner;
        f.debug_struct("Client")
            .field("appid", &i.credentials.appid)
            .field("src", &i.credentials.src)
            .field("key", &"<redacted>")
            .field("endpoint", &redact_url(&i.endpoint))
            .field("fallback_endpoint", &i.fallback)
            .field("connect_timeout", &i.transport.connect_timeout)
            .field("timeout", &i.transport.timeout)
            .field("sign_case", &i.sign_case)
            .field("retries", &i.transport.retries)
            .field("proxy", &i.proxy)
            .field("id_rules", &i.id_rules)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn client_is_send_and_sync() {
        assert_send_sync::<Client>();
    }

    #[test]
    fn debug_shows_no_key() {
        let c = Client::builder("wx1", "s", "super-secret-key-123")
            .endpoint("http://127.0.0.1:1/x")
            .build()
            .unwrap();
        let d = format!("{c:?}");
        assert!(!d.contains("super-secret-key-123"), "{d}");
        assert!(d.contains("wx1") && d.contains("<redacted>"), "{d}");
    }

    #[test]
    fn the_url_is_signed_over_the_normalised_id() {
        let c = Client::builder("wx2421b1c4370ec43b", "s", "key")
            .endpoint("http://127.0.0.1:1/x")
            .build()
            .unwrap();
        let url = c
            .request_url("o1", "李四", "11010519491231002x", "1")
            .unwrap();
        let upper = Params {
            appid: "wx2421b1c4370ec43b",
            openid: "o1",
            src: "s",
            truename: "李四",
            creid: "11010519491231002X",
            cretype: "1",
        };
        let sig = crate::signing::sign(&upper, "key", SignCase::Lower);
        assert!(
            url.contains("&creid=11010519491231002X&"),
            "{}",
            url.as_str()
        );
        assert!(url.contains(&format!("&sign={sig}&")));
    }
}
