//! [`ClientBuilder`]: the three credentials and the options of [`crate::config`], from
//! Rust calls, option strings or the environment; [`build`](ClientBuilder::build) runs
//! the one check ([`crate::config::check`]) and makes the [`Client`].

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use zeroize::Zeroizing;

use super::Client;
use crate::config::{self, OptionSpec, Options, Settings, OPTIONS};
use crate::error::{Error, Rule};
use crate::protocol::SignCase;

/// The typed setters: `fn name(v: Type) => field = value;` sets that field of the builder
/// to the value (the argument, converted as written) and returns the builder.
macro_rules! setters {
    ($(
        $(#[$doc:meta])*
        fn $name:ident($v:ident: $t:ty) => $($field:ident).+ = $value:expr;
    )*) => {$(
        $(#[$doc])*
        pub fn $name(mut self, $v: $t) -> Self {
            self.$($field).+ = $value;
            self
        }
    )*};
}

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
    appid: Option<String>,
    src: Option<String>,
    key: Option<Zeroizing<String>>,
    options: Options,
    /// The first problem met while reading the environment, reported by `build` so that
    /// later settings (CLI flags over variables) can still be applied first.
    deferred: Option<Error>,
}

impl ClientBuilder {
    /// A builder with the three credentials WeChat Pay issues and every default.
    pub fn new(appid: impl Into<String>, src: impl Into<String>, key: impl Into<String>) -> Self {
        ClientBuilder {
            appid: Some(appid.into()),
            src: Some(src.into()),
            key: Some(Zeroizing::new(key.into())),
            options: Options::default(),
            deferred: None,
        }
    }

    /// A builder from the environment: `NAMEAUTH_APPID`, `NAMEAUTH_SRC`, `NAMEAUTH_KEY`,
    /// and the variable of every option (see the module's table). An empty optional
    /// variable counts as unset, except `NAMEAUTH_ENDPOINT`, where it is an error. A
    /// missing credential is reported by `build`, after any explicit settings.
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var_os(name))
    }

    /// Like [`from_env`](Self::from_env) with another source of variables.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<std::ffi::OsString>) -> Self {
        let mut b = ClientBuilder {
            appid: None,
            src: None,
            key: None,
            options: Options::default(),
            deferred: None,
        };
        let mut get = |name: &'static str| -> Option<String> {
            match lookup(name)?.into_string() {
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
        let values: Vec<(&OptionSpec, Zeroizing<String>)> = OPTIONS
            .iter()
            .filter_map(|spec| Some((spec, Zeroizing::new(get(spec.var)?))))
            .filter(|(spec, v)| !v.is_empty() || spec.name == "endpoint")
            .collect();
        b.appid = appid;
        b.src = src;
        b.key = key;
        for (spec, value) in values {
            // Errors name the variable the user set, not the option behind it.
            if let Err(e) = b.options.set_as(spec, &value, spec.var) {
                b.defer(e);
            }
        }
        b
    }

    fn defer(&mut self, e: Error) {
        self.deferred.get_or_insert(e);
    }

    // The typed setters: each line is a `pub fn name(mut self, v: Type) -> Self` that sets
    // one field (`setters!`, at the top of this file).
    setters! {
        /// Sets the app id.
        fn appid(v: impl Into<String>) => appid = Some(v.into());
        /// Sets `src`.
        fn src(v: impl Into<String>) => src = Some(v.into());
        /// Sets the key. It is wiped from memory when the builder and the client are dropped.
        fn key(v: impl Into<String>) => key = Some(Zeroizing::new(v.into()));
        /// Replaces every option with `options` (the credentials stay).
        fn with_options(options: Options) => options = options;
        /// `endpoint`: the full URL of the nameautheasy endpoint (default: the real WeChat
        /// Pay one). Must be `https://`, or `http://` to a loopback address, or `http://`
        /// anywhere with [`allow_http`](Self::allow_http). A `?query` is kept (the signed
        /// query follows after `&`); a `#fragment` is refused, since the signed query would
        /// land in it and never be sent.
        fn endpoint(v: impl Into<String>) => options.endpoint = Some(v.into());
        /// `fallback_endpoint`: a second URL (for example WeChat Pay's backup domain,
        /// `https://api2.mch.weixin.qq.com/cgi-bin/nameauth/nameautheasy`), used only when
        /// the endpoint cannot be reached at all: connection refused or never established,
        /// or its host not found. Nothing was sent then, so the switch cannot send a check
        /// twice. The same route rules as `endpoint` apply. Unset by default.
        fn fallback_endpoint(v: impl Into<String>) => options.fallback_endpoint = Some(v.into());
        /// `connect_timeout_ms`: longest wait for a connection, TLS handshake included
        /// (default 3 s, at most 24 h).
        fn connect_timeout(v: Duration) => options.connect_timeout = v;
        /// `idle_timeout_ms`: how long an unused keep-alive connection is kept before it is
        /// closed (default 7 s, under WeChat Pay's 8 s; from 1 ms to 10 minutes). Keep it
        /// below the server's own idle timeout.
        fn idle_timeout(v: Duration) => options.idle_timeout = v;
        /// `timeout_ms`: longest a whole `verify` may take, retries and backoff included
        /// (default 10 s, at most 24 h).
        fn timeout(v: Duration) => options.timeout = v;
        /// `sign_case`: case of the signature's hex digits (default lower).
        fn sign_case(v: SignCase) => options.sign_case = v;
        /// `retries` after the first attempt (default 2, at most 10). Only failures where the
        /// request cannot have been processed are retried (docs/SPEC.md §6).
        fn retries(v: u32) => options.retries = v;
        /// `proxy`: an HTTP proxy, `http://[user:password@]host:port`. The environment's
        /// `HTTPS_PROXY` and friends are never used implicitly.
        fn proxy(v: impl Into<String>) => options.proxy = Some(Zeroizing::new(v.into()));
        /// `ca_file`: a PEM file of extra root certificates, trusted besides Mozilla's roots.
        fn ca_file(v: impl Into<PathBuf>) => options.ca_file = Some(v.into());
        /// Extra root certificates as PEM text, trusted besides Mozilla's roots.
        fn ca_pem(pem: impl Into<Vec<u8>>) => options.ca_pem = Some(pem.into());
        /// `id_rules`: whether resident-ID numbers (`cretype=1`) are checked locally
        /// (default true). The generic checks on every field always run.
        fn id_rules(v: bool) => options.id_rules = v;
        /// `allow_http`: allows plain `http://` to any host, directly or through a proxy.
        /// Names and ID numbers then cross the network in clear: only for test rigs you
        /// control.
        fn allow_http(v: bool) => options.allow_http = v;
    }

    /// Sets one option by name and text value, as [`Options::set`] does.
    pub fn option(mut self, name: &str, value: &str) -> Result<Self, Error> {
        self.options.set(name, value)?;
        Ok(self)
    }

    /// Sets one option by name; an error names `label` instead of the option (the CLI
    /// passes its flag, so the user reads the spelling they typed).
    pub fn option_from(
        mut self,
        name: &str,
        value: &str,
        label: &'static str,
    ) -> Result<Self, Error> {
        match OptionSpec::find(name) {
            Some(spec) => self.options.set_as(spec, value, label)?,
            None => self.options.set(name, value)?,
        }
        Ok(self)
    }

    /// Applies an option string (see [`Options::parse`]) over the current options: the
    /// options it names replace the current ones. Nothing is applied if an entry is bad.
    pub fn options(mut self, options: &str) -> Result<Self, Error> {
        let mut o = self.options.clone();
        o.apply(options)?;
        self.options = o;
        Ok(self)
    }

    /// Checks everything and builds the client (the transport reads `ca_file` if set).
    pub fn build(self) -> Result<Client, Error> {
        Client::from_settings(self.check()?)
    }

    /// The one check ([`crate::config::check`]).
    pub(crate) fn check(self) -> Result<Settings, Error> {
        config::check(self.appid, self.src, self.key, self.deferred, self.options)
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("appid", &self.appid)
            .field("src", &self.src)
            .field("key", &self.key.as_ref().map(|_| "<redacted>"))
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{DEFAULT_TIMEOUT, MAX_TIMEOUT};
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

    fn config_error(b: ClientBuilder) -> String {
        let e = b.check().err().expect("a configuration error");
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
        e.to_string()
    }

    const CREDS: [(&str, &str); 3] = [
        ("NAMEAUTH_APPID", "wx1"),
        ("NAMEAUTH_SRC", "s"),
        ("NAMEAUTH_KEY", "secret-key"),
    ];

    /// A credential whose variable is not UTF-8 is named as such, not as missing.
    #[test]
    fn a_credential_that_is_not_utf8_is_not_called_missing() {
        use std::os::unix::ffi::OsStringExt;
        for var in ["NAMEAUTH_APPID", "NAMEAUTH_KEY"] {
            let b = ClientBuilder::from_lookup(|name| match name {
                n if n == var => Some(OsString::from_vec(b"se\xffcret".to_vec())),
                n => CREDS.iter().find(|(k, _)| *k == n).map(|(_, v)| v.into()),
            });
            let e = config_error(b);
            assert_eq!(e, format!("{var}: is not valid UTF-8"));
        }
    }

    #[test]
    fn missing_credentials_name_the_variable() {
        assert_eq!(
            config_error(env(&[])),
            "appid: not set (set NAMEAUTH_APPID or pass it explicitly)"
        );
        assert_eq!(
            config_error(env(&CREDS[..2])),
            "key: not set (set NAMEAUTH_KEY or pass it explicitly)"
        );
        assert_eq!(
            config_error(env(&[CREDS[0], ("NAMEAUTH_SRC", ""), CREDS[2]])),
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
            ("NAMEAUTH_RETRIES", "0"),
            ("NAMEAUTH_ID_RULES", "false"),
        ]);
        let s = env(&vars).check().unwrap();
        assert_eq!(s.endpoint(), "http://127.0.0.1:9/x");
        assert_eq!(s.options.timeout, Duration::from_millis(250));
        assert_eq!(s.options.retries, 0);
        assert_eq!(s.options.sign_case, SignCase::Upper);
        assert!(!s.options.id_rules);

        for (var, value, message) in [
            (
                "NAMEAUTH_TIMEOUT_MS",
                "soon",
                "NAMEAUTH_TIMEOUT_MS: must be a whole number of milliseconds from 1 to 86400000",
            ),
            (
                "NAMEAUTH_SIGN_CASE",
                "UPPER",
                "NAMEAUTH_SIGN_CASE: must be lower or upper",
            ),
            (
                "NAMEAUTH_RETRIES",
                "11",
                "NAMEAUTH_RETRIES: must be a whole number from 0 to 10",
            ),
            (
                "NAMEAUTH_ENDPOINT",
                "",
                "NAMEAUTH_ENDPOINT: must not be empty (leave it unset for the real WeChat Pay endpoint)",
            ),
        ] {
            let mut bad = CREDS.to_vec();
            bad.push((var, value));
            assert_eq!(config_error(env(&bad)), message);
        }
        // Other empty optional variables are unset.
        let mut empty = CREDS.to_vec();
        empty.push(("NAMEAUTH_TIMEOUT_MS", ""));
        assert_eq!(
            env(&empty).check().unwrap().options.timeout,
            DEFAULT_TIMEOUT
        );
    }

    #[test]
    fn option_strings() {
        let s = ClientBuilder::new("a", "s", "k")
            .options(
                " endpoint = https://example.test/x ;timeout_ms=1500\nconnect_timeout_ms=200;;\
                 sign_case=upper;retries=0;id_rules=false;allow_http=true;ca_file=/tmp/ca.pem",
            )
            .unwrap()
            .check()
            .unwrap();
        let t = &s.options;
        assert_eq!(s.endpoint(), "https://example.test/x");
        assert_eq!(t.timeout, Duration::from_millis(1500));
        assert_eq!(t.connect_timeout, Duration::from_millis(200));
        assert_eq!(s.options.sign_case, SignCase::Upper);
        assert_eq!(t.retries, 0);
        assert!(!s.options.id_rules);
        assert_eq!(
            t.ca_file.as_deref(),
            Some(std::path::Path::new("/tmp/ca.pem"))
        );

        let e = ClientBuilder::new("a", "s", "k")
            .options("timeout_ms=5;colour=blue")
            .unwrap_err();
        assert_eq!(e.rule(), Some(Rule::UnknownOption));
        assert!(e
            .to_string()
            .starts_with("options: entry 2 names an unknown option (known: endpoint,"));
        let e = ClientBuilder::new("a", "s", "k")
            .options("timeout_ms")
            .unwrap_err();
        assert_eq!(e.to_string(), "options: entry 1 is not name=value");
        for bad in [
            "timeout_ms=0",
            "timeout_ms=-1",
            "timeout_ms=86400001",
            "retries=x",
            "retries=11",
            "id_rules=maybe",
        ] {
            let e = ClientBuilder::new("a", "s", "k").options(bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidConfig, "{bad}");
            assert_eq!(e.rule(), Some(Rule::BadValue), "{bad}");
        }
    }

    #[test]
    fn a_repeated_option_is_refused() {
        let e = ClientBuilder::new("a", "s", "k")
            .options("allow_http=false;allow_http=true")
            .unwrap_err();
        assert_eq!(e.rule(), Some(Rule::DuplicateOption));
        assert_eq!(e.field(), Some("allow_http"));
        assert_eq!(
            e.to_string(),
            "allow_http: is given twice (entry 2); give each option once"
        );
    }

    #[test]
    fn option_errors_never_quote_the_value() {
        // A proxy URL with a password, written where the name belongs.
        let e = ClientBuilder::new("a", "s", "k")
            .options("http://u:pa55;word@proxy.test:1")
            .unwrap_err();
        assert!(!e.to_string().contains("pa55"), "{e}");
        let e = ClientBuilder::new("a", "s", "k")
            .options("timeout_ms=pa55word")
            .unwrap_err();
        assert!(!e.to_string().contains("pa55"), "{e}");
    }

    #[test]
    fn limits_hold_for_rust_values_too() {
        for (b, field) in [
            (
                ClientBuilder::new("a", "s", "k").timeout(Duration::MAX),
                "timeout_ms",
            ),
            (
                ClientBuilder::new("a", "s", "k").connect_timeout(Duration::MAX),
                "connect_timeout_ms",
            ),
            (
                ClientBuilder::new("a", "s", "k").timeout(Duration::ZERO),
                "timeout_ms",
            ),
            (ClientBuilder::new("a", "s", "k").retries(11), "retries"),
            (
                ClientBuilder::new("a", "s", "k").retries(u32::MAX),
                "retries",
            ),
        ] {
            let e = b.build().unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidConfig);
            assert_eq!(e.field(), Some(field));
        }
        assert!(ClientBuilder::new("a", "s", "k")
            .timeout(MAX_TIMEOUT)
            .check()
            .is_ok());
    }

    #[test]
    fn keys_with_control_characters_are_refused_without_echo() {
        let e = ClientBuilder::new("a", "s", "secret\n")
            .check()
            .err()
            .unwrap();
        assert_eq!(e.field(), Some("key"));
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
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
}
