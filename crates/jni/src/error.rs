//! Failures of a native method, thrown as the `NameAuthException` subclass of their kind.
//!
//! `NameAuthException.of(kind, resultCode, message, field, rule, httpStatus)` makes the
//! exception, so the Java side alone decides the class of each kind. The result code is the
//! C library's number, from the core's `frontend::ResultCode`. A panic is caught quietly (as at the C
//! boundary: the host's stderr is its log) and thrown as an `InternalException`.

use jni::objects::{JString, JThrowable};
use jni::{jni_sig, jni_str, Env, JValue};
use nameauth::frontend::{catch_quietly, ResultCode};
use nameauth::{Error, Rule};
use nameauth_jni_support::Failure;

/// Why a native method did not return normally.
pub(crate) enum Fail {
    /// A nameauth error, thrown as its `NameAuthException` subclass.
    Api {
        code: ResultCode,
        message: String,
        field: String,
        rule: &'static str,
        http_status: u16,
    },
    /// A JNI failure (an exception may already be pending, e.g. an OutOfMemoryError).
    Jni(jni::errors::Error),
    /// A panic, caught.
    Panic,
}

impl From<jni::errors::Error> for Fail {
    fn from(e: jni::errors::Error) -> Self {
        Fail::Jni(e)
    }
}

impl From<&Error> for Fail {
    fn from(e: &Error) -> Self {
        Fail::Api {
            code: ResultCode::of(e),
            message: e.message().to_owned(),
            field: e.field().unwrap_or("").to_owned(),
            rule: e.rule().map_or("", Rule::as_str),
            http_status: e.http_status().unwrap_or(0),
        }
    }
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Fail::from(&e)
    }
}

impl Failure for Fail {
    fn panic() -> Self {
        Fail::Panic
    }

    fn throw(self, env: &mut Env<'_>) -> jni::errors::Result<()> {
        match self {
            Fail::Api {
                code,
                message,
                field,
                rule,
                http_status,
            } => throw(env, code, &message, &field, rule, http_status),
            Fail::Jni(e) => throw(
                env,
                ResultCode::Internal,
                &format!("internal: JNI call failed: {e}"),
                "",
                "",
                0,
            ),
            Fail::Panic => throw(
                env,
                ResultCode::Panic,
                "internal: a panic was caught at the JNI boundary (a bug in nameauth; please \
                 report it)",
                "",
                "",
                0,
            ),
        }
    }

    /// Silent: Rust's panic hook would print to the host's stderr, message and all.
    fn catch<R>(body: impl FnOnce() -> R) -> Option<R> {
        catch_quietly(body)
    }
}

/// `field: is null`, as the C library names a NULL argument.
pub(crate) fn null(field: &str) -> Fail {
    Fail::Api {
        code: ResultCode::NullArgument,
        message: format!("{field}: is null"),
        field: field.to_owned(),
        rule: "null",
        http_status: 0,
    }
}

/// A string argument, or an input error naming `field` if it is null.
pub(crate) fn arg(env: &Env<'_>, s: &JString<'_>, field: &str) -> Result<String, Fail> {
    nameauth_jni_support::text(env, s)?.ok_or_else(|| null(field))
}

/// Throws `NameAuthException.of(kind, code, message, field, rule, httpStatus)`, the kind
/// the code's.
fn throw(
    env: &mut Env<'_>,
    code: ResultCode,
    message: &str,
    field: &str,
    rule: &str,
    http_status: u16,
) -> jni::errors::Result<()> {
    let kind = env.new_string(code.kind())?;
    let message = env.new_string(message)?;
    let field = env.new_string(field)?;
    let rule = env.new_string(rule)?;
    let made = env
        .call_static_method(
            jni_str!("org/nameauth/NameAuthException"),
            jni_str!("of"),
            jni_sig!(
                "(Ljava/lang/String;ILjava/lang/String;Ljava/lang/String;Ljava/lang/String;I)Lorg/nameauth/NameAuthException;"
            ),
            &[
                JValue::Object(&kind),
                JValue::Int(code.number() as i32),
                JValue::Object(&message),
                JValue::Object(&field),
                JValue::Object(&rule),
                JValue::Int(i32::from(http_status)),
            ],
        )?
        .l()?;
    let throwable = env.cast_local::<JThrowable>(made)?;
    env.throw(throwable)
}
