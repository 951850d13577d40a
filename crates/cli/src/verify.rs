//! `nameauth verify` (the CONFORMANCE.md contract) and `nameauth sign`.

use std::collections::HashMap;
use std::ffi::OsString;
use std::process::ExitCode;

use nameauth::{ClientBuilder, Error, Params, SignCase, Verdict};
use serde::Serialize;

/// Arguments of `nameauth verify`. Every flag overrides the environment variable of the
/// same meaning.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Environment: NAMEAUTH_ENDPOINT (unset: the real WeChat Pay endpoint), \
NAMEAUTH_APPID, NAMEAUTH_SRC, NAMEAUTH_KEY (required), NAMEAUTH_TIMEOUT_MS, \
NAMEAUTH_SIGN_CASE (lower|upper), NAMEAUTH_CA_FILE.\n\
Output: one JSON line. Exit status 0 when the server answered (any verdict, A-F or Other), \
2 on any error."
)]
pub struct Args {
    /// The user's openid under the app id.
    pub openid: String,
    /// The user's real name (UTF-8).
    pub truename: String,
    /// The ID document number.
    pub creid: String,
    /// The document type; 1 (resident ID card) if omitted.
    pub cretype: Option<String>,
    /// Endpoint URL [env: NAMEAUTH_ENDPOINT].
    #[arg(long)]
    pub endpoint: Option<String>,
    /// App id [env: NAMEAUTH_APPID].
    #[arg(long)]
    pub appid: Option<String>,
    /// src [env: NAMEAUTH_SRC].
    #[arg(long)]
    pub src: Option<String>,
    /// Key [env: NAMEAUTH_KEY]; prefer the variable, since arguments show in `ps`.
    #[arg(long)]
    pub key: Option<String>,
    /// Whole-call timeout in milliseconds [env: NAMEAUTH_TIMEOUT_MS].
    #[arg(long, value_name = "MS")]
    pub timeout_ms: Option<String>,
    /// Hex case of the signature, lower or upper [env: NAMEAUTH_SIGN_CASE].
    #[arg(long, value_name = "CASE")]
    pub sign_case: Option<String>,
    /// PEM file of extra root certificates [env: NAMEAUTH_CA_FILE].
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<String>,
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
    println!("{line}");
}

fn fail(e: &Error) -> ExitCode {
    print_error(e.kind().as_str(), e.message());
    ExitCode::from(2)
}

pub fn run(a: Args) -> ExitCode {
    // Flags stand in for the variables of the same meaning, so both go through the one
    // parser every front end uses.
    let flags: HashMap<&str, String> = [
        ("NAMEAUTH_ENDPOINT", a.endpoint),
        ("NAMEAUTH_APPID", a.appid),
        ("NAMEAUTH_SRC", a.src),
        ("NAMEAUTH_KEY", a.key),
        ("NAMEAUTH_TIMEOUT_MS", a.timeout_ms),
        ("NAMEAUTH_SIGN_CASE", a.sign_case),
        ("NAMEAUTH_CA_FILE", a.ca_file),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect();
    let builder = ClientBuilder::from_lookup(|name| {
        flags
            .get(name)
            .map(OsString::from)
            .or_else(|| std::env::var_os(name))
    });
    let client = match builder.build() {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let cretype = a.cretype.as_deref().unwrap_or("1");
    match client.verify_with_cretype(&a.openid, &a.truename, &a.creid, cretype) {
        Ok(v) => {
            println!("{}", verdict_line(&v));
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
    /// Upper-case hex digits.
    #[arg(long)]
    pub upper: bool,
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
    let case = if a.upper {
        SignCase::Upper
    } else {
        SignCase::Lower
    };
    match nameauth::sign_checked(&params, &key, case) {
        Ok(signature) => {
            println!("{signature}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("nameauth sign: {e}");
            ExitCode::from(2)
        }
    }
}
