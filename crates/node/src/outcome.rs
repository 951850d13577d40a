//! What crosses into JavaScript: verdicts, failures and the log lines of a call, as plain
//! objects (napi-rs names their fields in camel case).

use nameauth::frontend::{catch_quietly, ResultCode};
use nameauth::{Error, Rule, Verdict};
use napi_derive::napi;

/// A nameauth error, as `NameauthError`'s subclass of `kind` takes it.
#[napi(object)]
pub struct Failure {
    /// docs/CONFORMANCE.md's kind: `invalid_input`, `invalid_config`, `timeout`,
    /// `transport`, `protocol`, `internal` or `cancelled`.
    pub kind: String,
    /// One line of English naming the problem, never a secret.
    pub message: String,
    /// The input or option at fault, if one is.
    pub field: Option<String>,
    /// The rule it broke (`"empty"`, `"id_check_character"`, ...), if one.
    pub rule: Option<String>,
    /// The HTTP status of a non-2xx answer.
    pub http_status: Option<u32>,
    /// The C library's result number (`nameauth_result`).
    pub result_code: u32,
}

impl From<&Error> for Failure {
    fn from(e: &Error) -> Self {
        let code = ResultCode::of(e);
        Failure {
            kind: code.kind().to_owned(),
            message: e.message().to_owned(),
            field: e.field().map(str::to_owned),
            rule: e.rule().map(|r: Rule| r.as_str().to_owned()),
            http_status: e.http_status().map(u32::from),
            result_code: code.number(),
        }
    }
}

impl Failure {
    /// A panic caught at the boundary (a bug in nameauth).
    pub(crate) fn panic() -> Failure {
        Failure {
            kind: ResultCode::Panic.kind().to_owned(),
            message: "internal: a panic was caught at the Node boundary (a bug in nameauth; \
                      please report it)"
                .to_owned(),
            field: None,
            rule: None,
            http_status: None,
            result_code: ResultCode::Panic.number(),
        }
    }
}

/// Runs `body` with panics caught: its value, or the failure it returned or a panic's.
pub(crate) fn guarded<T>(body: impl FnOnce() -> Result<T, Error>) -> Result<T, Failure> {
    match catch_quietly(body) {
        Some(Ok(v)) => Ok(v),
        Some(Err(e)) => Err(Failure::from(&e)),
        None => Err(Failure::panic()),
    }
}

/// A verdict's fields, as `Verdict`'s constructor takes them.
#[napi(object)]
pub struct VerdictFields {
    /// `A` … `F` or `Other`.
    pub code: String,
    /// The reason id of docs/SPEC.md §5.
    pub reason: String,
    /// The verdict table's texts.
    pub message_zh: String,
    /// The verdict table's texts.
    pub message_en: String,
    /// The verdict table's texts.
    pub advice_zh: String,
    /// The verdict table's texts.
    pub advice_en: String,
    /// The server's error number.
    pub error_code: i64,
    /// The server's `nameauth_status` (`""` when absent).
    pub nameauth_status: String,
    /// The server's `notmatch_param`, normalised (`""` when absent).
    pub notmatch_param: String,
    /// The server's masked name (`""` when absent).
    pub name_mask: String,
    /// Whether the user is verified (code A).
    pub passed: bool,
    /// Whether the verdict points at the caller's configuration.
    pub is_config_problem: bool,
}

impl From<&Verdict> for VerdictFields {
    fn from(v: &Verdict) -> Self {
        VerdictFields {
            code: v.code().as_str().to_owned(),
            reason: v.reason().id().to_owned(),
            message_zh: v.message_zh().to_owned(),
            message_en: v.message_en().to_owned(),
            advice_zh: v.advice_zh().to_owned(),
            advice_en: v.advice_en().to_owned(),
            error_code: v.error_code(),
            nameauth_status: v.nameauth_status().to_owned(),
            notmatch_param: v.notmatch_param().to_owned(),
            name_mask: v.name_mask().to_owned(),
            passed: v.passed(),
            is_config_problem: v.is_config_problem(),
        }
    }
}

/// One masked log line of a call: level 2 (warn: a retry or a failover) or 3 (info: the
/// call's own line).
#[napi(object)]
pub struct LogLine {
    /// 1 error, 2 warn, 3 info (`frontend::level_number`).
    pub level: u32,
    /// The masked line.
    pub message: String,
}

/// What one verify ended with: a verdict or a failure, and the lines to log.
#[napi(object)]
pub struct Outcome {
    /// The verdict, when the server answered.
    pub verdict: Option<VerdictFields>,
    /// The failure, when it did not.
    pub error: Option<Failure>,
    /// The call's masked log lines at the level asked for (empty when none was).
    pub events: Vec<LogLine>,
}
