//! The module's functions: `sign`, `validate_id`, `release_pools`.

use nameauth::frontend::{self, SIGN_ARGS};
use pyo3::prelude::*;
use zeroize::Zeroizing;

use crate::args::{opt_text, text};
use crate::error::to_py_err;

/// The signature of a request (docs/SPEC.md §2): 32 hex digits, in ``sign_case``
/// (``"lower"``, the default, or ``"upper"``). The arguments come in the order of every
/// nameauth front end: ``appid, openid, src, truename, creid, cretype, key``. Values are
/// signed exactly as given (no normalisation). Raises ``InvalidInputError`` for an empty
/// field, a control character or another ``sign_case``, ``InvalidConfigError`` for an
/// empty key or one with a control character (never shown).
#[pyfunction]
#[pyo3(
    signature = (appid, openid, src, truename, creid, cretype, key, *, sign_case=None),
    text_signature = "(appid, openid, src, truename, creid, cretype, key, *, sign_case='lower')"
)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn sign(
    py: Python<'_>,
    appid: &Bound<'_, PyAny>,
    openid: &Bound<'_, PyAny>,
    src: &Bound<'_, PyAny>,
    truename: &Bound<'_, PyAny>,
    creid: &Bound<'_, PyAny>,
    cretype: &Bound<'_, PyAny>,
    key: &Bound<'_, PyAny>,
    sign_case: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    // In the order of `SIGN_ARGS`; a bad key is a configuration error. Every value is
    // wiped when dropped (the name, the ID number and the key among them).
    let given = [appid, openid, src, truename, creid, cretype, key];
    let mut args = Vec::with_capacity(SIGN_ARGS.len());
    for (field, value) in SIGN_ARGS.into_iter().zip(given) {
        args.push(Some(Zeroizing::new(text(
            py,
            field,
            value,
            field == "key",
        )?)));
    }
    args.push(opt_text(py, "sign_case", sign_case, false)?.map(Zeroizing::new));
    frontend::sign_args(std::array::from_fn(|i| {
        args[i].as_deref().map(String::as_str)
    }))
    .map(|s| s.as_str().to_owned())
    .map_err(|e| to_py_err(py, &e))
}

/// Checks a resident ID number (``cretype=1``) against every rule of docs/SPEC.md §3;
/// raises ``InvalidInputError`` naming the rule (never repeating the number).
#[pyfunction]
pub(crate) fn validate_id(py: Python<'_>, creid: &Bound<'_, PyAny>) -> PyResult<()> {
    let creid = Zeroizing::new(text(py, "creid", creid, false)?);
    nameauth::validate::resident_id(&creid).map_err(|e| to_py_err(py, &e))
}

/// Releases the keep-alive connection pools this process keeps for its clients: each
/// closes its idle connections once no client uses it (closed clients use none), and
/// clients built later start new pools. Never needed for correctness; for test suites
/// that start a sandbox per test, leak checkers, and programs done with nameauth.
#[pyfunction]
pub(crate) fn release_pools(py: Python<'_>) {
    crate::exit::detached(py, nameauth::release_pools);
}
