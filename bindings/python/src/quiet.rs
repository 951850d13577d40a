//! One core call behind the panic boundary, for every way the binding verifies.

use nameauth::{Error, Report, Verdict};

/// The message of a panic caught in a call (a bug).
const PANIC: &str = "internal: a panic was caught (a bug in nameauth; please report it)";

/// Runs one verify (`Client::verify_with`) with its report; a panic (a bug) is an
/// InternalError, silent on stderr, never a PanicException that `except Exception` would
/// miss.
pub(crate) fn quietly(
    verify: impl FnOnce() -> (Result<Verdict, Error>, Report),
) -> (Result<Verdict, Error>, Report) {
    nameauth::frontend::catch_quietly(verify)
        .unwrap_or_else(|| (Err(Error::internal(PANIC)), Report::default()))
}
