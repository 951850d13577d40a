//! `nameauth verify` (the CONFORMANCE.md contract) and `nameauth sign`.

use std::collections::HashMap;
use std::ffi::OsString;
use std::process::ExitCode;

use nameauth::{
    Client, ClientBuilder, Error, OptionSpec, Params, Report, SignCase, Verdict, RESIDENT_ID_CARD,
};
use serde::Serialize;

/// The client settings every command that sends takes: credentials and one flag per
/// option. Every flag overrides the environment variable of the same meaning; flags and
/// variables are the option names of every front end.
#[derive(clap::Args, Debug)]
pub struct ClientArgs {
    /// App id [env: NAMEAUTH_APPID].
    #[arg(long)]
    pub appid: Option<String>,
    /// src [env: NAMEAUTH_SRC].
    #[arg(long)]
    pub src: Option<String>,
    /// Key [env: NAMEAUTH_KEY]; prefer the variable, since arguments show in `ps`.
    #[arg(long)]
    pub key: Option<String>,
    /// Endpoint URL [env: NAMEAUTH_ENDPOINT].
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// Whole-call timeout in milliseconds, retries included [env: NAMEAUTH_TIMEOUT_MS].
    #[arg(long, value_name = "MS")]
    pub timeout_ms: Option<String>,
    /// Connect timeout in milliseconds [env: NAMEAUTH_CONNECT_TIMEOUT_MS].
    #[arg(long, value_name = "MS")]
    pub connect_timeout_ms: Option<String>,
    /// Hex case of the signature, lower or upper [env: NAMEAUTH_SIGN_CASE].
    #[arg(long, value_name = "CASE")]
    pub sign_case: Option<String>,
    /// Retries where the request cannot have been processed, 0-10 [env: NAMEAUTH_RETRIES].
    #[arg(long, value_name = "N")]
    pub retries: Option<String>,
    /// HTTP proxy, http://[user:password@]host:port [env: NAMEAUTH_PROXY].
    #[arg(long, value_name = "URL")]
    pub proxy: Option<String>,
    /// PEM file of extra root certificates [env: NAMEAUTH_CA_FILE].
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<String>,
    /// Check resident ID numbers locally, true or false [env: NAMEAUTH_ID_RULES].
    #[arg(long, value_name = "BOOL")]
    pub id_rules: Option<String>,
    /// Allow plain http:// to any host, true or false [env: NAMEAUTH_ALLOW_HTTP].
    #[arg(long, value_name = "BOOL")]
    pub allow_http: Option<String>,
    /// Second endpoint, used only when the first cannot be reached at all
    /// [env: NAMEAUTH_FALLBACK_ENDPOINT].
    #[arg(long, value_name = "URL")]
    pub fallback_endpoint: Option<String>,
    /// How long an unused keep-alive connection is kept, in milliseconds (7000, under
    /// WeChat Pay's 8 s) [env: NAMEAUTH_IDLE_TIMEOUT_MS].
    #[arg(long, value_name = "MS")]
    pub idle_timeout_ms: Option<String>,
    /// Log each call (masked) and each retry or failover to standard error.
    #[arg(short, long)]
    pub verbose: bool,
}

/// Arguments of `nameauth verify`.
#[derive(clap::Args, Debug)]
#[command(after_help = concat!(
    "Environment: NAMEAUTH_APPID, NAMEAUTH_SRC, NAMEAUTH_KEY (required), and NAMEAUTH_ plus \
any option in capitals: NAMEAUTH_ENDPOINT (unset: the real WeChat Pay endpoint; empty is an \
error), NAMEAUTH_TIMEOUT_MS, NAMEAUTH_CONNECT_TIMEOUT_MS, NAMEAUTH_SIGN_CASE, \
NAMEAUTH_RETRIES, NAMEAUTH_PROXY, NAMEAUTH_CA_FILE, NAMEAUTH_ID_RULES, \
NAMEAUTH_ALLOW_HTTP, NAMEAUTH_FALLBACK_ENDPOINT, NAMEAUTH_IDLE_TIMEOUT_MS.\n",
    "Output: one JSON line. Exit status 0 when the server answered (any verdict, A-F or \
Other), 2 on any error."
))]
pub struct Args {
    /// The user's openid under the app id.
    pub openid: String,
    /// The user's real name (UTF-8).
    pub truename: String,
    /// The ID document number.
    pub creid: String,
    /// The document type; 1 (resident ID card) if omitted.
    pub cretype: Option<String>,
    #[command(flatten)]
    pub client: ClientArgs,
}

impl ClientArgs {
    /// The options given as flags, by option name.
    fn option_flags(&self) -> Vec<(&'static str, &str)> {
        [
            ("endpoint", &self.endpoint),
            ("timeout_ms", &self.timeout_ms),
            ("connect_timeout_ms", &self.connect_timeout_ms),
            ("sign_case", &self.sign_case),
            ("retries", &self.retries),
            ("proxy", &self.proxy),
            ("ca_file", &self.ca_file),
            ("id_rules", &self.id_rules),
            ("allow_http", &self.allow_http),
            ("fallback_endpoint", &self.fallback_endpoint),
            ("idle_timeout_ms", &self.idle_timeout_ms),
        ]
        .into_iter()
        .filter_map(|(name, v)| v.as_deref().map(|v| (name, v)))
        .collect()
    }

    /// The client: flags over variables, checked.
    pub fn build(&self) -> Result<Client, Error> {
        let flags = self.option_flags();
        // A variable whose flag is given is not read, so its problems do not count.
        let shadowed: Vec<&str> = flags
            .iter()
            .filter_map(|(name, _)| OptionSpec::find(name).map(|o| o.var))
            .collect();
        let credentials: HashMap<&str, &String> = [
            ("NAMEAUTH_APPID", self.appid.as_ref()),
            ("NAMEAUTH_SRC", self.src.as_ref()),
            ("NAMEAUTH_KEY", self.key.as_ref()),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
        let mut builder = ClientBuilder::from_lookup(|name| {
            if shadowed.contains(&name) {
                return None;
            }
            credentials
                .get(name)
                .map(OsString::from)
                .or_else(|| std::env::var_os(name))
        });
        for (name, value) in flags {
            // Errors name the flag the user typed.
            let flag = OptionSpec::find(name).map_or(name, |o| o.flag);
            builder = builder.option_from(name, value, flag)?;
        }
        builder.build()
    }
}

/// Writes the events of a call to standard error (`-v`): masked, one line each.
pub fn log_events(
    report: &Report,
    openid: &str,
    truename: &str,
    creid: &str,
    result: Result<&Verdict, &Error>,
) {
    use std::io::Write as _;
    let mut err = std::io::stderr().lock();
    for e in report.events(openid, truename, creid, result) {
        let _ = writeln!(err, "nameauth: {}: {}", e.level, e.message);
    }
}

#[derive(Serialize)]
struct VerdictLine<'a> {
    code: &'a str,
    reason: &'a str,
    error_code: i64,
    nameauth_status: &'a str,
    notmatch_param: &'a str,
    name_mask: &'a str,
}

#[derive(Serialize)]
struct ErrorLine<'a> {
    error: &'a str,
    message: &'a str,
}

/// The CONFORMANCE.md line for a verdict.
pub fn verdict_line(v: &Verdict) -> String {
    serde_json::to_string(&VerdictLine {
        code: v.code().as_str(),
        reason: v.reason().id(),
        error_code: v.error_code(),
        nameauth_status: v.nameauth_status(),
        notmatch_param: v.notmatch_param(),
        name_mask: v.name_mask(),
    })
    .unwrap_or_default()
}

/// Prints the CONFORMANCE.md line for an error.
pub fn print_error(kind: &str, message: &str) {
    let line = serde_json::to_string(&ErrorLine {
        error: kind,
        message,
    })
    .unwrap_or_default();
    outln!("{line}");
}

fn fail(e: &Error) -> ExitCode {
    print_error(e.kind().as_str(), e.message());
    ExitCode::from(2)
}

pub fn run(a: Args) -> ExitCode {
    let client = match a.client.build() {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let cretype = a.cretype.as_deref().unwrap_or(RESIDENT_ID_CARD);
    let (result, report) = client.verify_reported(&a.openid, &a.truename, &a.creid, cretype);
    if a.client.verbose {
        log_events(&report, &a.openid, &a.truename, &a.creid, result.as_ref());
    }
    match result {
        Ok(v) => {
            outln!("{}", verdict_line(&v));
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

/// Arguments of `nameauth sign`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "The key comes from --key or NAMEAUTH_KEY. Values are signed exactly \
as given (no x -> X normalisation). Exit status 0, or 2 on an error."
)]
pub struct SignArgs {
    /// App id.
    #[arg(long)]
    pub appid: String,
    /// openid.
    #[arg(long)]
    pub openid: String,
    /// src.
    #[arg(long)]
    pub src: String,
    /// Real name (UTF-8).
    #[arg(long)]
    pub truename: String,
    /// ID document number.
    #[arg(long)]
    pub creid: String,
    /// Document type.
    #[arg(long, default_value = "1")]
    pub cretype: String,
    /// Hex case of the signature, lower or upper (the option `sign_case`).
    #[arg(long, default_value = "lower")]
    pub sign_case: String,
    /// Key [env: NAMEAUTH_KEY]; prefer the variable, since arguments show in `ps`.
    #[arg(long)]
    pub key: Option<String>,
}

pub fn sign(a: SignArgs) -> ExitCode {
    let key = a.key.or_else(|| std::env::var("NAMEAUTH_KEY").ok());
    let Some(key) = key.filter(|k| !k.is_empty()) else {
        eprintln!("nameauth sign: key: not set (set NAMEAUTH_KEY or pass --key)");
        return ExitCode::from(2);
    };
    let params = Params {
        appid: &a.appid,
        openid: &a.openid,
        src: &a.src,
        truename: &a.truename,
        creid: &a.creid,
        cretype: &a.cretype,
    };
    let Some(case) = SignCase::parse(&a.sign_case) else {
        eprintln!("nameauth sign: --sign-case: expected lower or upper");
        return ExitCode::from(2);
    };
    match nameauth::sign_checked(&params, &key, case) {
        Ok(signature) => {
            outln!("{signature}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("nameauth sign: {e}");
            ExitCode::from(2)
        }
    }
}
