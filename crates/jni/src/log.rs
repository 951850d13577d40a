//! A call's masked events handed to `org.nameauth.NameAuthLog.emit`, which passes them to
//! SLF4J or java.util.logging.

use jni::{jni_sig, jni_str, Env, JValue};
use nameauth::frontend::capture_lines;
use nameauth::{Error, Report, Verdict};

use crate::error::Fail;

/// Hands the call's events at or above `level` to `NameAuthLog.emit`, one line each:
/// `"<level digit> <message>"`.
pub(crate) fn emit(
    env: &mut Env<'_>,
    report: &Report,
    level: u32,
    openid: &str,
    truename: &str,
    creid: &str,
    result: Result<&Verdict, &Error>,
) -> Result<(), Fail> {
    let events = report.events(openid, truename, creid, result);
    let lines = capture_lines(&events, level);
    if lines.is_empty() {
        return Ok(());
    }
    let lines = env.new_string(lines)?;
    env.call_static_method(
        jni_str!("org/nameauth/NameAuthLog"),
        jni_str!("emit"),
        jni_sig!("(Ljava/lang/String;)V"),
        &[JValue::Object(&lines)],
    )?;
    Ok(())
}
