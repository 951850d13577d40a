//! Client configuration: one vocabulary of options, three ways in (Rust calls, option
//! names and values from the C ABI and its bindings, `NAMEAUTH_*` environment variables),
//! and one check that turns a [`ClientBuilder`] into the checked [`Settings`] a client is
//! made of. Nothing here does I/O: the transport reads `ca_file` when it is built.
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

use crate::client::Client;
use crate::error::{Error, Rule};
use crate::request::DEFAULT_ENDPOINT;
use crate::signing::SignCase;
use crate::transport::redact_url;

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
        /// Every option, in the order the README's configuration table lists them.
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
    endpoint: Option<String>,
    fallback_endpoint: Option<String>,
    connect_timeout: Duration,
    timeout: Duration,
    idle_timeout: Duration,
    sign_case: SignCase,
    retries: u32,
    proxy: Option<Zeroizing<String>>,
    ca_file: Option<PathBuf>,
    ca_pem: Option<Vec<u8>>,
    id_rules: bool,
    allow_http: bool,
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
            "endpoint" => {
                // An empty endpoint is a mistake, never a request for the default: the
                // default is the real WeChat Pay, where personal data would go.
                if value.is_empty() {
                    return Err(Error::config(
                        label,
                        Rule::Empty,
                        "must not be empty (leave it unset for the real WeChat Pay endpoint)",
                    ));
                }
                self.endpoint = Some(value.to_owned());
            }
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
            "fallback_endpoint" => {
                if value.is_empty() {
                    return Err(Error::config(
                        label,
                        Rule::Empty,
                        "must not be empty (leave it unset for no fallback)",
                    ));
                }
                self.fallback_endpoint = Some(value.to_owned());
            }
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

    /// Replaces every option with `options` (the credentials stay).
    pub fn with_options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// `endpoint`: the full URL of the nameautheasy endpoint (default: the real WeChat
    /// Pay one). Must be `https://`, or `http://` to a loopback address, or `http://`
    /// anywhere with [`allow_http`](Self::allow_http). A `?query` is kept (the signed
    /// query follows after `&`); a `#fragment` is refused, since the signed query would
    /// land in it and never be sent.
    pub fn endpoint(mut self, v: impl Into<String>) -> Self {
        self.options.endpoint = Some(v.into());
        self
    }

    /// `fallback_endpoint`: a second URL (for example WeChat Pay's backup domain,
    /// `https://api2.mch.weixin.qq.com/cgi-bin/nameauth/nameautheasy`), used only when
    /// the endpoint cannot be reached at all: connection refused or never established,
    /// or its host not found. Nothing was sent then, so the switch cannot send a check
    /// twice. The same route rules as `endpoint` apply. Unset by default.
    pub fn fallback_endpoint(mut self, v: impl Into<String>) -> Self {
        self.options.fallback_endpoint = Some(v.into());
        self
    }

    /// `connect_timeout_ms`: longest wait for a connection, TLS handshake included
    /// (default 3 s, at most 24 h).
    pub fn connect_timeout(mut self, v: Duration) -> Self {
        self.options.connect_timeout = v;
        self
    }

    /// `idle_timeout_ms`: how long an unused keep-alive connection is kept before it is
    /// closed (default 7 s, under WeChat Pay's 8 s; from 1 ms to 10 minutes). Keep it
    /// below the server's own idle timeout.
    pub fn idle_timeout(mut self, v: Duration) -> Self {
        self.options.idle_timeout = v;
        self
    }

    /// `timeout_ms`: longest a whole `verify` may take, retries and backoff included
    /// (default 10 s, at most 24 h).
    pub fn timeout(mut self, v: Duration) -> Self {
        self.options.timeout = v;
        self
    }

    /// `sign_case`: case of the signature's hex digits (default lower).
    pub fn sign_case(mut self, v: SignCase) -> Self {
        self.options.sign_case = v;
        self
    }

    /// `retries` after the first attempt (default 2, at most 10). Only failures where the
    /// request cannot have been processed are retried (docs/SPEC.md §6).
    pub fn retries(mut self, v: u32) -> Self {
        self.options.retries = v;
        self
    }

    /// `proxy`: an HTTP proxy, `http://[user:password@]host:port`. The environment's
    /// `HTTPS_PROXY` and friends are never used implicitly.
    pub fn proxy(mut self, v: impl Into<String>) -> Self {
        self.options.proxy = Some(Zeroizing::new(v.into()));
        self
    }

    /// `ca_file`: a PEM file of extra root certificates, trusted besides Mozilla's roots.
    pub fn ca_file(mut self, v: impl Into<PathBuf>) -> Self {
        self.options.ca_file = Some(v.into());
        self
    }

    /// Extra root certificates as PEM text, trusted besides Mozilla's roots.
    pub fn ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.options.ca_pem = Some(pem.into());
        self
    }

    /// `id_rules`: whether resident-ID numbers (`cretype=1`) are checked locally
    /// (default true). The generic checks on every field always run.
    pub fn id_rules(mut self, v: bool) -> Self {
        self.options.id_rules = v;
        self
    }

    /// `allow_http`: allows plain `http://` to any host, directly or through a proxy.
    /// Names and ID numbers then cross the network in clear: only for test rigs you
    /// control.
    pub fn allow_http(mut self, v: bool) -> Self {
        self.options.allow_http = v;
        self
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

    /// The one check: credentials present and well-formed, every option within its
    /// limits, the endpoint and proxy allowed. Yields the settings a client is made of.
    pub(crate) fn check(self) -> Result<Settings, Error> {
        let appid = credential("appid", "NAMEAUTH_APPID", self.appid)?;
        let src = credential("src", "NAMEAUTH_SRC", self.src)?;
        let key = match self.key {
            None => return Err(missing("key", "NAMEAUTH_KEY")),
            Some(k) => k,
        };
        check_key(&key).map_err(Error::into_config)?;
        if let Some(e) = self.deferred {
            return Err(e);
        }
        let o = self.options;
        timeout_limit("connect_timeout_ms", o.connect_timeout)?;
        timeout_limit("timeout_ms", o.timeout)?;
        idle_limit("idle_timeout_ms", o.idle_timeout)?;
        if o.retries > MAX_RETRIES {
            return Err(retries_error("retries"));
        }
        let endpoint = o.endpoint.unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned());
        crate::transport::check_route(
            "endpoint",
            &endpoint,
            o.proxy.as_deref().map(|p| p.as_str()),
            o.allow_http,
        )?;
        if let Some(fallback) = &o.fallback_endpoint {
            crate::transport::check_route(
                "fallback_endpoint",
                fallback,
                o.proxy.as_deref().map(|p| p.as_str()),
                o.allow_http,
            )?;
        }
        Ok(Settings {
            credentials: Credentials { appid, src, key },
            sign_case: o.sign_case,
            id_rules: o.id_rules,
            transport: TransportSettings {
                endpoint,
                fallback_endpoint: o.fallback_endpoint,
                connect_timeout: o.connect_timeout,
                timeout: o.timeout,
                idle_timeout: o.idle_timeout,
                retries: o.retries,
                proxy: o.proxy,
                ca_file: o.ca_file,
                ca_pem: o.ca_pem,
            },
        })
    }
}

/// What WeChat Pay issues a merchant. Checked: none is missing or malformed.
pub(crate) struct Credentials {
    pub(crate) appid: String,
    pub(crate) src: String,
    pub(crate) key: Zeroizing<String>,
}

/// A checked configuration: what a client is made of.
pub(crate) struct Settings {
    pub(crate) credentials: Credentials,
    pub(crate) sign_case: SignCase,
    pub(crate) id_rules: bool,
    pub(crate) transport: TransportSettings,
}

/// What the transport needs, and nothing more (no credentials).
pub(crate) struct TransportSettings {
    pub(crate) endpoint: String,
    pub(crate) fallback_endpoint: Option<String>,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) idle_timeout: Duration,
    pub(crate) retries: u32,
    pub(crate) proxy: Option<Zeroizing<String>>,
    pub(crate) ca_file: Option<PathBuf>,
    pub(crate) ca_pem: Option<Vec<u8>>,
}

/// The key's rules: non-empty, no control character (a stray newline from a file is the
/// usual cause). Never echoed.
pub(crate) fn check_key(key: &str) -> Result<(), Error> {
    if key.is_empty() {
        return Err(Error::input("key", Rule::Empty, "must not be empty"));
    }
    if key.chars().any(char::is_control) {
        return Err(Error::input(
            "key",
            Rule::ControlCharacter,
            "contains a control character (a trailing newline from a file?)",
        ));
    }
    Ok(())
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

fn idle_error(label: &'static str) -> Error {
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

fn missing(field: &'static str, var: &str) -> Error {
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

fn millis(label: &'static str, value: &str) -> Result<Duration, Error> {
    let d = value
        .parse::<u64>()
        .map(Duration::from_millis)
        .map_err(|_| {
            Error::config(
                label,
                Rule::BadValue,
                "must be a whole number of milliseconds from 1 to 86400000",
            )
        })?;
    timeout_limit(label, d).map(|()| d).map_err(|_| {
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
    fn every_option_has_a_variable_and_a_flag_of_its_name() {
        for o in OPTIONS {
            assert_eq!(o.var, format!("NAMEAUTH_{}", o.name.to_uppercase()));
            assert_eq!(o.flag, format!("--{}", o.name.replace('_', "-")));
        }
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
        assert_eq!(s.transport.endpoint, "http://127.0.0.1:9/x");
        assert_eq!(s.transport.timeout, Duration::from_millis(250));
        assert_eq!(s.transport.retries, 0);
        assert_eq!(s.sign_case, SignCase::Upper);
        assert!(!s.id_rules);

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
            env(&empty).check().unwrap().transport.timeout,
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
        let t = &s.transport;
        assert_eq!(t.endpoint, "https://example.test/x");
        assert_eq!(t.timeout, Duration::from_millis(1500));
        assert_eq!(t.connect_timeout, Duration::from_millis(200));
        assert_eq!(s.sign_case, SignCase::Upper);
        assert_eq!(t.retries, 0);
        assert!(!s.id_rules);
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
