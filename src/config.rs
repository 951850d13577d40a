//! Client configuration: one builder, three ways in (Rust calls, `name=value` option
//! strings for the C ABI and its bindings, `NAMEAUTH_*` environment variables), so every
//! front end parses and checks it the same way.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use zeroize::Zeroizing;

use crate::client::Client;
use crate::error::{Error, Rule};
use crate::request::DEFAULT_ENDPOINT;
use crate::sign::SignCase;

/// Default connect timeout (SPEC §6).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// Default whole-call timeout (SPEC §6), retries and backoff included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default number of retries after the first attempt, only where the request cannot have
/// been processed.
pub const DEFAULT_RETRIES: u32 = 2;
/// Most retries a client may be configured with.
pub const MAX_RETRIES: u32 = 10;

/// The option names [`ClientBuilder::option`] knows.
pub const OPTION_NAMES: &[&str] = &[
    "endpoint",
    "connect_timeout_ms",
    "timeout_ms",
    "sign_case",
    "retries",
    "proxy",
    "ca_file",
    "validate_id",
    "allow_http",
];

/// Builds a [`Client`]. Nothing is checked until [`build`](ClientBuilder::build), which
/// reports the first problem as an `invalid_config` error naming the field.
///
/// ```no_run
/// let client = nameauth::ClientBuilder::new("wx1234567890abcdef", "src", "key")
///     .timeout(std::time::Duration::from_secs(5))
///     .build()?;
/// # Ok::<(), nameauth::Error>(())
/// ```
#[derive(Clone)]
pub struct ClientBuilder {
    pub(crate) appid: Option<String>,
    pub(crate) src: Option<String>,
    pub(crate) key: Option<Zeroizing<String>>,
    pub(crate) endpoint: String,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) sign_case: SignCase,
    pub(crate) retries: u32,
    pub(crate) proxy: Option<Zeroizing<String>>,
    pub(crate) ca_file: Option<PathBuf>,
    pub(crate) ca_pem: Option<Vec<u8>>,
    pub(crate) validate_id: bool,
    pub(crate) allow_http: bool,
    /// The first problem met while reading options or the environment, reported by
    /// `build` so that later settings (CLI flags over environment) can still apply.
    pub(crate) deferred: Option<Error>,
}

impl ClientBuilder {
    /// A builder with the three credentials WeChat Pay issues and every default.
    pub fn new(appid: impl Into<String>, src: impl Into<String>, key: impl Into<String>) -> Self {
        ClientBuilder {
            appid: Some(appid.into()),
            src: Some(src.into()),
            key: Some(Zeroizing::new(key.into())),
            ..ClientBuilder::empty()
        }
    }

    fn empty() -> Self {
        ClientBuilder {
            appid: None,
            src: None,
            key: None,
            endpoint: DEFAULT_ENDPOINT.to_owned(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            sign_case: SignCase::Lower,
            retries: DEFAULT_RETRIES,
            proxy: None,
            ca_file: None,
            ca_pem: None,
            validate_id: true,
            allow_http: false,
            deferred: None,
        }
    }

    /// A builder from the environment of `CONFORMANCE.md`: `NAMEAUTH_APPID`,
    /// `NAMEAUTH_SRC`, `NAMEAUTH_KEY`, `NAMEAUTH_ENDPOINT`, `NAMEAUTH_TIMEOUT_MS`,
    /// `NAMEAUTH_SIGN_CASE`, and `NAMEAUTH_CA_FILE` (extra root certificates, PEM).
    /// A missing credential is reported by `build`, after any explicit settings.
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var_os(name))
    }

    /// Like [`from_env`](Self::from_env) with another source of variables.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<std::ffi::OsString>) -> Self {
        let mut b = ClientBuilder::empty();
        let mut get = |name: &'static str| -> Option<String> {
            let v = lookup(name)?;
            match v.into_string() {
                Ok(s) => Some(s),
                Err(_) => {
                    b.defer(Error::config(name, Rule::BadValue, "is not valid UTF-8"));
                    None
                }
            }
        };
        let appid = get("NAMEAUTH_APPID");
        let src = get("NAMEAUTH_SRC");
        let key = get("NAMEAUTH_KEY").map(Zeroizing::new);
        // Optional settings: empty means unset, as shells write it.
        let optional: Vec<(&str, &'static str, Option<String>)> = [
            ("endpoint", "NAMEAUTH_ENDPOINT"),
            ("timeout_ms", "NAMEAUTH_TIMEOUT_MS"),
            ("sign_case", "NAMEAUTH_SIGN_CASE"),
            ("ca_file", "NAMEAUTH_CA_FILE"),
        ]
        .into_iter()
        .map(|(option, var)| (option, var, get(var).filter(|v| !v.is_empty())))
        .collect();
        b.appid = appid;
        b.src = src;
        b.key = key;
        for (option, var, value) in optional {
            if let Some(value) = value {
                // Errors name the variable the user set, not the option behind it.
                if let Err(e) = b.set_option_as(option, &value, var) {
                    b.defer(e);
                }
            }
        }
        b
    }

    fn defer(&mut self, e: Error) {
        self.deferred.get_or_insert(e);
    }

    /// Sets the app id.
    pub fn appid(mut self, v: impl Into<String>) -> Self {
        self.appid = Some(v.into());
        self
    }

    /// Sets `src`.
    pub fn src(mut self, v: impl Into<String>) -> Self {
        self.src = Some(v.into());
        self
    }

    /// Sets the key. It is wiped from memory when the builder and the client are dropped.
    pub fn key(mut self, v: impl Into<String>) -> Self {
        self.key = Some(Zeroizing::new(v.into()));
        self
    }

    /// The full URL of the nameautheasy endpoint (default: the real WeChat Pay one).
    /// Must be `https://`, or `http://` to a loopback address, or `http://` anywhere
    /// with [`danger_allow_insecure_http`](Self::danger_allow_insecure_http).
    pub fn endpoint(mut self, v: impl Into<String>) -> Self {
        self.endpoint = v.into();
        self
    }

    /// Longest wait for a connection, TLS handshake included (default 3 s).
    pub fn connect_timeout(mut self, v: Duration) -> Self {
        self.connect_timeout = v;
        self
    }

    /// Longest a whole `verify` may take, retries and backoff included (default 10 s).
    pub fn timeout(mut self, v: Duration) -> Self {
        self.timeout = v;
        self
    }

    /// Case of the signature's hex digits (default lower).
    pub fn sign_case(mut self, v: SignCase) -> Self {
        self.sign_case = v;
        self
    }

    /// Retries after the first attempt (default 2, at most 10). Only failures where the
    /// request cannot have been processed are retried: connection refused or not
    /// established in time, TLS handshake failure, HTTP 502/503/504.
    pub fn retries(mut self, v: u32) -> Self {
        self.retries = v;
        self
    }

    /// An HTTP(S) proxy, `http://[user:password@]host:port`. The environment's
    /// `HTTPS_PROXY` and friends are never used implicitly.
    pub fn proxy(mut self, v: impl Into<String>) -> Self {
        self.proxy = Some(Zeroizing::new(v.into()));
        self
    }

    /// A PEM file of extra root certificates, trusted besides Mozilla's roots.
    pub fn ca_file(mut self, v: impl Into<PathBuf>) -> Self {
        self.ca_file = Some(v.into());
        self
    }

    /// Extra root certificates as PEM text, trusted besides Mozilla's roots.
    pub fn ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_pem = Some(pem.into());
        self
    }

    /// Whether resident-ID numbers (`cretype=1`) are checked locally (default true). The
    /// generic checks on every field always run.
    pub fn validate_id(mut self, v: bool) -> Self {
        self.validate_id = v;
        self
    }

    /// Allows plain `http://` to any host. Names and ID numbers then cross the network in
    /// clear: only for test rigs you control.
    pub fn danger_allow_insecure_http(mut self, v: bool) -> Self {
        self.allow_http = v;
        self
    }

    /// Sets one option by name, as the C ABI's option string does: `endpoint`,
    /// `connect_timeout_ms`, `timeout_ms`, `sign_case` (`lower`|`upper`), `retries`,
    /// `proxy`, `ca_file`, `validate_id` (`true`|`false`), `allow_http` (`true`|`false`).
    pub fn option(mut self, name: &str, value: &str) -> Result<Self, Error> {
        self.set_option(name, value)?;
        Ok(self)
    }

    /// Applies `name=value` pairs separated by `;` or newlines; white space around names
    /// and values is ignored, as are empty entries.
    pub fn options(mut self, options: &str) -> Result<Self, Error> {
        for (i, entry) in options.split([';', '\n']).enumerate() {
            let entry = entry.trim();
            if entry.is_empty() {
                continue;
            }
            let Some((name, value)) = entry.split_once('=') else {
                return Err(Error::config(
                    "options",
                    Rule::BadValue,
                    format_args!("entry {} is not name=value", i + 1),
                ));
            };
            self.set_option(name.trim(), value.trim())?;
        }
        Ok(self)
    }

    fn set_option(&mut self, name: &str, value: &str) -> Result<(), Error> {
        self.set_option_as(name, value, option_label(name))
    }

    /// Sets option `name`; an error names `label` (the option, or the variable it came
    /// from).
    fn set_option_as(&mut self, name: &str, value: &str, label: &'static str) -> Result<(), Error> {
        match name {
            "endpoint" => self.endpoint = value.to_owned(),
            "connect_timeout_ms" => self.connect_timeout = millis(label, value)?,
            "timeout_ms" => self.timeout = millis(label, value)?,
            "sign_case" => {
                self.sign_case = SignCase::parse(value)
                    .ok_or_else(|| Error::config(label, Rule::BadValue, "must be lower or upper"))?
            }
            "retries" => {
                self.retries = value.parse().map_err(|_| {
                    Error::config(
                        label,
                        Rule::BadValue,
                        format_args!("must be a whole number from 0 to {MAX_RETRIES}"),
                    )
                })?
            }
            "proxy" => self.proxy = Some(Zeroizing::new(value.to_owned())),
            "ca_file" => self.ca_file = Some(PathBuf::from(value)),
            "validate_id" => self.validate_id = boolean(label, value)?,
            "allow_http" => self.allow_http = boolean(label, value)?,
            _ => {
                // The name is the caller's own text, not personal data; cap its length.
                let shown: String = name.chars().take(40).collect();
                return Err(Error::config(
                    "options",
                    Rule::UnknownOption,
                    format_args!(
                        "unknown option \"{}\" (known: {})",
                        shown.escape_default(),
                        OPTION_NAMES.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Checks everything and builds the client (reading `ca_file` if set).
    pub fn build(self) -> Result<Client, Error> {
        Client::from_builder(self)
    }

    /// The first configuration problem, if any, without building anything.
    pub(crate) fn check(&self) -> Result<(), Error> {
        credential("appid", "NAMEAUTH_APPID", self.appid.as_deref())?;
        credential("src", "NAMEAUTH_SRC", self.src.as_deref())?;
        let key = self.key.as_ref().map(|k| k.as_str());
        match key {
            None => return Err(missing("key", "NAMEAUTH_KEY")),
            Some("") => return Err(Error::config("key", Rule::Empty, "must not be empty")),
            // Not echoed, of course; a stray newline from a file is the usual cause.
            Some(k) if k.chars().any(char::is_control) => {
                return Err(Error::config(
                    "key",
                    Rule::ControlCharacter,
                    "contains a control character (a trailing newline from a file?)",
                ))
            }
            Some(_) => {}
        }
        if let Some(e) = &self.deferred {
            return Err(e.clone());
        }
        if self.connect_timeout.is_zero() {
            return Err(Error::config(
                "connect_timeout",
                Rule::BadValue,
                "must be more than zero",
            ));
        }
        if self.timeout.is_zero() {
            return Err(Error::config(
                "timeout",
                Rule::BadValue,
                "must be more than zero",
            ));
        }
        if self.retries > MAX_RETRIES {
            return Err(Error::config(
                "retries",
                Rule::BadValue,
                format_args!("must be at most {MAX_RETRIES}"),
            ));
        }
        Ok(())
    }
}

/// The option's own name, as a `'static` field for errors (unknown names are refused
/// before any field is named).
fn option_label(name: &str) -> &'static str {
    OPTION_NAMES
        .iter()
        .find(|n| **n == name)
        .copied()
        .unwrap_or("options")
}

fn missing(field: &'static str, var: &str) -> Error {
    Error::config(
        field,
        Rule::Missing,
        format_args!("not set (set {var} or pass it explicitly)"),
    )
}

fn credential(field: &'static str, var: &str, v: Option<&str>) -> Result<(), Error> {
    let v = v.ok_or_else(|| missing(field, var))?;
    // Same words as the input rules, but it is configuration that is wrong.
    crate::validate::generic(field, v).map_err(Error::into_config)
}

fn millis(field: &'static str, value: &str) -> Result<Duration, Error> {
    match value.parse::<u64>() {
        Ok(ms) if ms > 0 && ms <= 24 * 3600 * 1000 => Ok(Duration::from_millis(ms)),
        _ => Err(Error::config(
            field,
            Rule::BadValue,
            "must be a whole number of milliseconds from 1 to 86400000",
        )),
    }
}

fn boolean(field: &'static str, value: &str) -> Result<bool, Error> {
    match value {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(Error::config(
            field,
            Rule::BadValue,
            "must be true or false",
        )),
    }
}

/// `scheme://host:port/path` with any `user:password@` removed, for messages and `Debug`.
pub(crate) fn redact_url(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let (authority, path) = match rest.find(['/', '?', '#']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let path = path.split(['?', '#']).next().unwrap_or("");
    let sep = if scheme.is_empty() { "" } else { "://" };
    let creds = if authority.contains('@') { "***@" } else { "" };
    format!("{scheme}{sep}{creds}{host}{path}")
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("appid", &self.appid)
            .field("src", &self.src)
            .field("key", &self.key.as_ref().map(|_| "<redacted>"))
            .field("endpoint", &redact_url(&self.endpoint))
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("sign_case", &self.sign_case)
            .field("retries", &self.retries)
            .field("proxy", &self.proxy.as_ref().map(|p| redact_url(p)))
            .field("ca_file", &self.ca_file)
            .field("validate_id", &self.validate_id)
            .field("allow_http", &self.allow_http)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use std::collections::HashMap;
    use std::ffi::OsString;

    fn env(vars: &[(&str, &str)]) -> ClientBuilder {
        let map: HashMap<String, OsString> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        ClientBuilder::from_lookup(|k| map.get(k).cloned())
    }

    fn config_error(b: &ClientBuilder) -> String {
        let e = b.check().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
        e.to_string()
    }

    const CREDS: [(&str, &str); 3] = [
        ("NAMEAUTH_APPID", "wx1"),
        ("NAMEAUTH_SRC", "s"),
        ("NAMEAUTH_KEY", "secret-key"),
    ];

    #[test]
    fn missing_credentials_name_the_variable() {
        assert_eq!(
            config_error(&env(&[])),
            "appid: not set (set NAMEAUTH_APPID or pass it explicitly)"
        );
        assert_eq!(
            config_error(&env(&CREDS[..2])),
            "key: not set (set NAMEAUTH_KEY or pass it explicitly)"
        );
        assert_eq!(
            config_error(&env(&[CREDS[0], ("NAMEAUTH_SRC", ""), CREDS[2]])),
            "src: must not be empty"
        );
        assert!(env(&CREDS).check().is_ok());
    }

    #[test]
    fn environment_settings_are_read_and_checked() {
        let mut vars = CREDS.to_vec();
        vars.extend([
            ("NAMEAUTH_ENDPOINT", "http://127.0.0.1:9/x"),
            ("NAMEAUTH_TIMEOUT_MS", "250"),
            ("NAMEAUTH_SIGN_CASE", "upper"),
        ]);
        let b = env(&vars);
        assert_eq!(b.endpoint, "http://127.0.0.1:9/x");
        assert_eq!(b.timeout, Duration::from_millis(250));
        assert_eq!(b.sign_case, SignCase::Upper);

        let mut bad = CREDS.to_vec();
        bad.push(("NAMEAUTH_TIMEOUT_MS", "soon"));
        assert_eq!(
            config_error(&env(&bad)),
            "NAMEAUTH_TIMEOUT_MS: must be a whole number of milliseconds from 1 to 86400000"
        );
        let mut bad = CREDS.to_vec();
        bad.push(("NAMEAUTH_SIGN_CASE", "UPPER"));
        assert_eq!(
            config_error(&env(&bad)),
            "NAMEAUTH_SIGN_CASE: must be lower or upper"
        );
        // Empty optional variables are unset.
        let mut empty = CREDS.to_vec();
        empty.push(("NAMEAUTH_ENDPOINT", ""));
        assert_eq!(env(&empty).endpoint, DEFAULT_ENDPOINT);
    }

    #[test]
    fn option_strings() {
        let b = ClientBuilder::new("a", "s", "k")
            .options(
                " endpoint = https://example.test/x ;timeout_ms=1500\nconnect_timeout_ms=200;;\
                 sign_case=upper;retries=0;validate_id=false;allow_http=true;ca_file=/tmp/ca.pem",
            )
            .unwrap();
        assert_eq!(b.endpoint, "https://example.test/x");
        assert_eq!(b.timeout, Duration::from_millis(1500));
        assert_eq!(b.connect_timeout, Duration::from_millis(200));
        assert_eq!(b.sign_case, SignCase::Upper);
        assert_eq!(b.retries, 0);
        assert!(!b.validate_id && b.allow_http);
        assert_eq!(
            b.ca_file.as_deref(),
            Some(std::path::Path::new("/tmp/ca.pem"))
        );

        let e = ClientBuilder::new("a", "s", "k")
            .options("colour=blue")
            .unwrap_err();
        assert_eq!(e.rule(), Some(Rule::UnknownOption));
        assert!(e
            .to_string()
            .starts_with("options: unknown option \"colour\""));
        let e = ClientBuilder::new("a", "s", "k")
            .options("timeout_ms")
            .unwrap_err();
        assert_eq!(e.to_string(), "options: entry 1 is not name=value");
        for bad in [
            "timeout_ms=0",
            "timeout_ms=-1",
            "retries=x",
            "validate_id=maybe",
        ] {
            let e = ClientBuilder::new("a", "s", "k").options(bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidConfig, "{bad}");
        }
        let e = ClientBuilder::new("a", "s", "k")
            .retries(11)
            .check()
            .unwrap_err();
        assert_eq!(e.to_string(), "retries: must be at most 10");
    }

    #[test]
    fn keys_with_control_characters_are_refused_without_echo() {
        let e = ClientBuilder::new("a", "s", "secret\n")
            .check()
            .unwrap_err();
        assert_eq!(e.field(), Some("key"));
        assert!(!e.to_string().contains("secret"));
    }

    #[test]
    fn debug_shows_no_secret() {
        let b = ClientBuilder::new("wx1", "s", "very-secret-key")
            .proxy("http://user:pa55word@proxy.test:8080");
        let d = format!("{b:?}");
        assert!(!d.contains("very-secret-key"), "{d}");
        assert!(!d.contains("pa55word") && !d.contains("user:"), "{d}");
        assert!(d.contains("proxy.test:8080"), "{d}");
    }

    #[test]
    fn urls_lose_credentials_and_queries() {
        assert_eq!(
            redact_url("https://u:p@h.test:1/a/b?x=1#f"),
            "https://***@h.test:1/a/b"
        );
        assert_eq!(redact_url("http://h/x"), "http://h/x");
        assert_eq!(redact_url("h:8080"), "h:8080");
    }
}
