//! One core call behind the panic boundary, for every way the binding verifies.

use nameauth::{CallOptions, Client as CoreClient, Error, Report, Verdict};

/// The message of a panic caught in a call (a bug).
const PANIC: &str = "internal: a panic was caught (a bug in nameauth; please report it)";

/// One verify with its report; a panic (a bug) is an InternalError, silent on stderr,
/// never a PanicException that `except Exception` would miss.
pub(crate) fn verify_quietly(
    client: &CoreClient,
    openid: &str,
    truename: &str,
    creid: &str,
    cretype: &str,
    options: &CallOptions,
) -> (Result<Verdict, Error>, Report) {
    nameauth::frontend::catch_quietly(|| {
        client.verify_with(openid, truename, creid, cretype, options)
    })
    .unwrap_or_else(|| (Err(Error::internal(PANIC)), Report::default()))
}
