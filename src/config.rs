//! Client configuration: one vocabulary of options, three ways in (Rust calls, option
//! names and values from the C ABI and its bindings, `NAMEAUTH_*` environment variables),
//! and one check that turns what a [`ClientBuilder`](crate::ClientBuilder) was given into
//! the checked `Settings` a client is made of. Nothing here does I/O: the transport reads
//! `ca_file` when it is built. Below the client and the transport, above the URL rules
//! and the input checks (docs/architecture.md).
//!
//! | option | variable | CLI flag | meaning |
//! |---|---|---|---|
//! | `endpoint` | `NAMEAUTH_ENDPOINT` | `--endpoint` | full URL (default the real WeChat Pay one) |
//! | `timeout_ms` | `NAMEAUTH_TIMEOUT_MS` | `--timeout-ms` | whole call, retries included (10000) |
//! | `connect_timeout_ms` | `NAMEAUTH_CONNECT_TIMEOUT_MS` | `--connect-timeout-ms` | connection and TLS handshake (3000) |
//! | `sign_case` | `NAMEAUTH_SIGN_CASE` | `--sign-case` | `lower` or `upper` |
//! | `retries` | `NAMEAUTH_RETRIES` | `--retries` | 0 to 10 (2) |
//! | `proxy` | `NAMEAUTH_PROXY` | `--proxy` | `http://[user:password@]host:port` |
//! | `ca_file` | `NAMEAUTH_CA_FILE` | `--ca-file` | PEM file of extra root certificates |
//! | `id_rules` | `NAMEAUTH_ID_RULES` | `--id-rules` | `true` or `false` |
//! | `allow_http` | `NAMEAUTH_ALLOW_HTTP` | `--allow-http` | `true` or `false` |
//! | `fallback_endpoint` | `NAMEAUTH_FALLBACK_ENDPOINT` | `--fallback-endpoint` | used only when the endpoint cannot be reached at all (unset) |
//! | `idle_timeout_ms` | `NAMEAUTH_IDLE_TIMEOUT_MS` | `--idle-timeout-ms` | how long an unused keep-alive connection is kept, 1 to 600000 (7000) |

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use zeroize::Zeroizing;

use crate::error::{Error, Rule};
use crate::protocol::{SignCase, DEFAULT_ENDPOINT};
use crate::url::redact_url;

/// Default connect timeout (docs/SPEC.md §6).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// Default whole-call timeout (docs/SPEC.md §6), retries and backoff included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest timeout a client accepts (24 hours), for both timeouts.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 3600);
/// Default number of retries after the first attempt, only where the request cannot have
/// been processed.
pub const DEFAULT_RETRIES: u32 = 2;
/// Most retries a client may be configured with.
pub const MAX_RETRIES: u32 = 10;
/// Default time an unused keep-alive connection is kept before it is closed. WeChat Pay
/// closes a connection idle for about 8 s (its own Java SDK keeps them 7 s for that
/// reason); a connection the client keeps longer than the server may be closed by the
/// server while a request is on its way, a failure that cannot be retried (the request
/// may have arrived). So the client lets go first.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(7);
/// Longest idle timeout a client accepts (10 minutes; servers close idle connections far
/// sooner).
pub const MAX_IDLE_TIMEOUT: Duration = Duration::from_secs(600);

/// One configuration option, with its spellings in every way in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionSpec {
    /// The option's name (`"timeout_ms"`), as option strings and bindings write it.
    pub name: &'static str,
    /// The environment variable (`"NAMEAUTH_TIMEOUT_MS"`).
    pub var: &'static str,
    /// The CLI flag (`"--timeout-ms"`).
    pub flag: &'static str,
}

macro_rules! options {
    ($($name:literal, $var:literal, $flag:literal;)*) => {
        /// Every option, in the order the table of docs/configuration.md lists them.
        pub const OPTIONS: &[OptionSpec] = &[$(OptionSpec { name: $name, var: $var, flag: $flag },)*];
        /// The option names [`Options::set`] knows.
        pub const OPTION_NAMES: &[&str] = &[$($name,)*];
    };
}

options! {
    "endpoint", "NAMEAUTH_ENDPOINT", "--endpoint";
    "timeout_ms", "NAMEAUTH_TIMEOUT_MS", "--timeout-ms";
    "connect_timeout_ms", "NAMEAUTH_CONNECT_TIMEOUT_MS", "--connect-timeout-ms";
    "sign_case", "NAMEAUTH_SIGN_CASE", "--sign-case";
    "retries", "NAMEAUTH_RETRIES", "--retries";
    "proxy", "NAMEAUTH_PROXY", "--proxy";
    "ca_file", "NAMEAUTH_CA_FILE", "--ca-file";
    "id_rules", "NAMEAUTH_ID_RULES", "--id-rules";
    "allow_http", "NAMEAUTH_ALLOW_HTTP", "--allow-http";
    "fallback_endpoint", "NAMEAUTH_FALLBACK_ENDPOINT", "--fallback-endpoint";
    "idle_timeout_ms", "NAMEAUTH_IDLE_TIMEOUT_MS", "--idle-timeout-ms";
}

impl OptionSpec {
    /// The option called `name`, if there is one.
    pub fn find(name: &str) -> Option<&'static OptionSpec> {
        OPTIONS.iter().find(|o| o.name == name)
    }
}

/// Every setting of a client except its credentials, unchecked. Values set by name are
/// parsed at once (an error names the option, never the value); limits are checked when
/// the client is built.
#[derive(Clone)]
pub struct Options {
    pub(crate) endpoint: Option<String>,
    pub(crate) fallback_endpoint: Option<String>,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) idle_timeout: Duration,
    pub(crate) sign_case: SignCase,
    pub(crate) retries: u32,
    pub(crate) proxy: Option<Zeroizing<String>>,
    pub(crate) ca_file: Option<PathBuf>,
    pub(crate) ca_pem: Option<Vec<u8>>,
    pub(crate) id_rules: bool,
    pub(crate) allow_http: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            endpoint: None,
            fallback_endpoint: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            sign_case: SignCase::Lower,
            retries: DEFAULT_RETRIES,
            proxy: None,
            ca_file: None,
            ca_pem: None,
            id_rules: true,
            allow_http: false,
        }
    }
}

impl Options {
    /// Every default.
    pub fn new() -> Self {
        Options::default()
    }

    /// Sets option `name` from its text form (see the module's table). An unknown name or
    /// a value that does not parse is an `invalid_config` error naming the option; the
    /// value itself is never repeated (it may be a proxy password).
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), Error> {
        match OptionSpec::find(name) {
            Some(spec) => self.set_as(spec, value, spec.name),
            None => Err(Error::config(
                "options",
                Rule::UnknownOption,
                format_args!(
                    "unknown option \"{}\" (known: {})",
                    // The caller's own option name, not a value; capped all the same.
                    name.chars().take(40).collect::<String>().escape_default(),
                    OPTION_NAMES.join(", ")
                ),
            )),
        }
    }

    /// Sets the option of `spec`; an error names `label` (the option, the variable or
    /// the flag the value came from).
    pub(crate) fn set_as(
        &mut self,
        spec: &OptionSpec,
        value: &str,
        label: &'static str,
    ) -> Result<(), Error> {
        match spec.name {
            // An empty endpoint is a mistake, never a request for the default: the default
            // is the real WeChat Pay, where personal data would go.
            "endpoint" => self.endpoint = Some(url(label, value, "the real WeChat Pay endpoint")?),
            "timeout_ms" => self.timeout = millis(label, value)?,
            "connect_timeout_ms" => self.connect_timeout = millis(label, value)?,
            "idle_timeout_ms" => {
                self.idle_timeout = value
                    .parse::<u64>()
                    .ok()
                    .map(Duration::from_millis)
                    .filter(|d| idle_limit(label, *d).is_ok())
                    .ok_or_else(|| idle_error(label))?
            }
            "sign_case" => {
                self.sign_case = SignCase::parse(value)
                    .ok_or_else(|| Error::config(label, Rule::BadValue, "must be lower or upper"))?
            }
            "retries" => {
                self.retries = value
                    .parse()
                    .ok()
                    .filter(|r| *r <= MAX_RETRIES)
                    .ok_or_else(|| retries_error(label))?
            }
            "proxy" => self.proxy = Some(Zeroizing::new(value.to_owned())),
            "ca_file" => self.ca_file = Some(PathBuf::from(value)),
            "fallback_endpoint" => self.fallback_endpoint = Some(url(label, value, "no fallback")?),
            "id_rules" => self.id_rules = boolean(label, value)?,
            "allow_http" => self.allow_http = boolean(label, value)?,
            other => unreachable!("option {other} is in OPTIONS but not handled"),
        }
        Ok(())
    }

    /// Options from a string of `name=value` entries separated by `;` or newlines (white
    /// space around names and values is ignored, as are empty entries). A name given twice
    /// is refused; errors quote no more of the string than an option name it knows.
    pub fn parse(options: &str) -> Result<Options, Error> {
        let mut o = Options::default();
        o.apply(options)?;
        Ok(o)
    }

    /// Applies an option string (as [`parse`](Self::parse) reads it) over these options.
    pub fn apply(&mut self, options: &str) -> Result<(), Error> {
        let mut seen: Vec<&'static str> = Vec::new();
        for (i, entry) in options.split([';', '\n']).enumerate() {
            let entry = entry.trim();
            if entry.is_empty() {
                continue;
            }
            let entry_no = i + 1;
            let Some((name, value)) = entry.split_once('=') else {
                return Err(Error::config(
                    "options",
                    Rule::BadValue,
                    format_args!("entry {entry_no} is not name=value"),
                ));
            };
            let Some(spec) = OptionSpec::find(name.trim()) else {
                return Err(Error::config(
                    "options",
                    Rule::UnknownOption,
                    format_args!(
                        "entry {entry_no} names an unknown option (known: {})",
                        OPTION_NAMES.join(", ")
                    ),
                ));
            };
            if seen.contains(&spec.name) {
                return Err(Error::config(
                    spec.name,
                    Rule::DuplicateOption,
                    format_args!("is given twice (entry {entry_no}); give each option once"),
                ));
            }
            seen.push(spec.name);
            self.set_as(spec, value.trim(), spec.name)?;
        }
        Ok(())
    }
}

/// The one check: credentials present and well-formed, every option within its
/// limits, the endpoint and proxy allowed. Yields the settings a client is made of
/// (`deferred` is the first problem met reading the environment, reported after the
/// credentials).
pub(crate) fn check(
    appid: Option<String>,
    src: Option<String>,
    key: Option<Zeroizing<String>>,
    deferred: Option<Error>,
    options: Options,
) -> Result<Settings, Error> {
    // A variable that could not be read (not UTF-8) comes first: a credential it held
    // is missing only because of it.
    if let Some(e) = deferred {
        return Err(e);
    }
    let appid = credential("appid", "NAMEAUTH_APPID", appid)?;
    let src = credential("src", "NAMEAUTH_SRC", src)?;
    let key = match key {
        None => return Err(missing("key", "NAMEAUTH_KEY")),
        Some(k) => k,
    };
    crate::validate::key(&key).map_err(Error::into_config)?;
    let o = options;
    timeout_limit("connect_timeout_ms", o.connect_timeout)?;
    timeout_limit("timeout_ms", o.timeout)?;
    idle_limit("idle_timeout_ms", o.idle_timeout)?;
    if o.retries > MAX_RETRIES {
        return Err(retries_error("retries"));
    }
    let endpoint = o.endpoint.as_deref().unwrap_or(DEFAULT_ENDPOINT);
    let proxy = o.proxy.as_deref().map(|p| p.as_str());
    crate::url::check_route("endpoint", endpoint, proxy, o.allow_http)?;
    if let Some(fallback) = &o.fallback_endpoint {
        crate::url::check_route("fallback_endpoint", fallback, proxy, o.allow_http)?;
    }
    Ok(Settings {
        credentials: Credentials { appid, src, key },
        options: o,
    })
}

/// What WeChat Pay issues a merchant. Checked: none is missing or malformed.
pub(crate) struct Credentials {
    pub(crate) appid: String,
    pub(crate) src: String,
    pub(crate) key: Zeroizing<String>,
}

/// A checked configuration: what a client is made of. The transport reads the endpoint
/// and the options (never the credentials).
pub(crate) struct Settings {
    pub(crate) credentials: Credentials,
    /// The options, every limit and route checked.
    pub(crate) options: Options,
}

impl Settings {
    /// The endpoint: the option's, or the real WeChat Pay one when it is unset.
    pub(crate) fn endpoint(&self) -> &str {
        self.options.endpoint.as_deref().unwrap_or(DEFAULT_ENDPOINT)
    }
}

fn timeout_limit(field: &'static str, v: Duration) -> Result<(), Error> {
    if v.is_zero() || v > MAX_TIMEOUT {
        return Err(Error::config(
            field,
            Rule::BadValue,
            "must be more than zero and at most 24 hours (86400000 ms)",
        ));
    }
    Ok(())
}

fn idle_limit(field: &'static str, v: Duration) -> Result<(), Error> {
    if v.is_zero() || v > MAX_IDLE_TIMEOUT {
        return Err(idle_error(field));
    }
    Ok(())
}

pub(crate) fn idle_error(label: &'static str) -> Error {
    Error::config(
        label,
        Rule::BadValue,
        "must be a whole number of milliseconds from 1 to 600000 (10 minutes)",
    )
}

fn retries_error(label: &'static str) -> Error {
    Error::config(
        label,
        Rule::BadValue,
        format_args!("must be a whole number from 0 to {MAX_RETRIES}"),
    )
}

pub(crate) fn missing(field: &'static str, var: &str) -> Error {
    Error::config(
        field,
        Rule::Missing,
        format_args!("not set (set {var} or pass it explicitly)"),
    )
}

fn credential(field: &'static str, var: &str, v: Option<String>) -> Result<String, Error> {
    let v = v.ok_or_else(|| missing(field, var))?;
    // Same words as the input rules, but it is configuration that is wrong.
    crate::validate::generic(field, &v).map_err(Error::into_config)?;
    Ok(v)
}

/// An endpoint URL option, refused when empty; `unset` says what leaving the option unset
/// gives.
fn url(label: &'static str, value: &str, unset: &str) -> Result<String, Error> {
    if value.is_empty() {
        return Err(Error::config(
            label,
            Rule::Empty,
            format_args!("must not be empty (leave it unset for {unset})"),
        ));
    }
    Ok(value.to_owned())
}

fn millis(label: &'static str, value: &str) -> Result<Duration, Error> {
    value
        .parse::<u64>()
        .ok()
        .map(Duration::from_millis)
        .filter(|d| timeout_limit(label, *d).is_ok())
        .ok_or_else(|| {
            Error::config(
                label,
                Rule::BadValue,
                "must be a whole number of milliseconds from 1 to 86400000",
            )
        })
}

fn boolean(label: &'static str, value: &str) -> Result<bool, Error> {
    match value {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(Error::config(
            label,
            Rule::BadValue,
            "must be true or false",
        )),
    }
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field(
                "endpoint",
                &redact_url(self.endpoint.as_deref().unwrap_or(DEFAULT_ENDPOINT)),
            )
            .field(
                "fallback_endpoint",
                &self.fallback_endpoint.as_deref().map(redact_url),
            )
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("idle_timeout", &self.idle_timeout)
            .field("sign_case", &self.sign_case)
            .field("retries", &self.retries)
            .field("proxy", &self.proxy.as_deref().map(|p| redact_url(p)))
            .field("ca_file", &self.ca_file)
            .field("id_rules", &self.id_rules)
            .field("allow_http", &self.allow_http)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn every_option_has_a_variable_and_a_flag_of_its_name() {
        for o in OPTIONS {
            assert_eq!(o.var, format!("NAMEAUTH_{}", o.name.to_uppercase()));
            assert_eq!(o.flag, format!("--{}", o.name.replace('_', "-")));
        }
    }

    #[test]
    fn empty_urls_and_bad_milliseconds_are_refused_with_their_words() {
        let refused = |name: &str, value: &str| Options::new().set(name, value).unwrap_err();
        for (name, value, rule, text) in [
            (
                "endpoint",
                "",
                Rule::Empty,
                "endpoint: must not be empty (leave it unset for the real WeChat Pay endpoint)",
            ),
            (
                "fallback_endpoint",
                "",
                Rule::Empty,
                "fallback_endpoint: must not be empty (leave it unset for no fallback)",
            ),
            (
                "timeout_ms",
                "x",
                Rule::BadValue,
                "timeout_ms: must be a whole number of milliseconds from 1 to 86400000",
            ),
            (
                "timeout_ms",
                "0",
                Rule::BadValue,
                "timeout_ms: must be a whole number of milliseconds from 1 to 86400000",
            ),
            (
                "connect_timeout_ms",
                "86400001",
                Rule::BadValue,
                "connect_timeout_ms: must be a whole number of milliseconds from 1 to 86400000",
            ),
        ] {
            let e = refused(name, value);
            assert_eq!(
                (e.kind(), e.rule()),
                (ErrorKind::InvalidConfig, Some(rule)),
                "{name}={value}"
            );
            assert_eq!(e.message(), text, "{name}={value}");
        }
        assert!(Options::new().set("timeout_ms", "86400000").is_ok());
    }
}
