//! `nameauth._nameauth`: the Rust core for Python, called directly (not through the C
//! ABI). Arguments become owned Rust values first; then the GIL is released for the whole
//! validate-sign-send-parse of each call.

mod asynccall;
mod client;
mod error;
mod logs;
mod pool;
mod quiet;
mod sandbox;
mod verdict;

use nameauth::SignCase;
use pyo3::prelude::*;

use crate::error::{text, to_py_err};

/// The signature of a request (docs/SPEC.md §2): 32 hex digits, lower case unless
/// ``upper``. The arguments come in the order of every nameauth front end: ``appid,
/// openid, src, truename, creid, cretype, key``. Values are signed exactly as given (no
/// normalisation). Raises ``InvalidInput`` for an empty field or a control character,
/// ``ConfigError`` for an empty key or one with a control character (never shown).
#[pyfunction]
#[pyo3(signature = (appid, openid, src, truename, creid, cretype, key, *, upper=false))]
#[allow(clippy::too_many_arguments)]
fn sign(
    py: Python<'_>,
    appid: &Bound<'_, PyAny>,
    openid: &Bound<'_, PyAny>,
    src: &Bound<'_, PyAny>,
    truename: &Bound<'_, PyAny>,
    creid: &Bound<'_, PyAny>,
    cretype: &Bound<'_, PyAny>,
    key: &Bound<'_, PyAny>,
    upper: bool,
) -> PyResult<String> {
    let (appid, openid, src) = (
        text(py, "appid", appid, false)?,
        text(py, "openid", openid, false)?,
        text(py, "src", src, false)?,
    );
    let truename = zeroize::Zeroizing::new(text(py, "truename", truename, false)?);
    let creid = zeroize::Zeroizing::new(text(py, "creid", creid, false)?);
    let cretype = text(py, "cretype", cretype, false)?;
    let key = zeroize::Zeroizing::new(text(py, "key", key, true)?);
    let params = nameauth::Params {
        appid: &appid,
        openid: &openid,
        src: &src,
        truename: &truename,
        creid: &creid,
        cretype: &cretype,
    };
    let case = if upper {
        SignCase::Upper
    } else {
        SignCase::Lower
    };
    nameauth::sign_checked(&params, &key, case)
        .map(|s| s.as_str().to_owned())
        .map_err(|e| to_py_err(py, &e))
}

/// Checks a resident ID number (``cretype=1``) against every rule of docs/SPEC.md §3;
/// raises ``InvalidInput`` naming the rule (never repeating the number).
#[pyfunction]
fn validate_id(py: Python<'_>, creid: &Bound<'_, PyAny>) -> PyResult<()> {
    let creid = zeroize::Zeroizing::new(text(py, "creid", creid, false)?);
    nameauth::validate::resident_id(&creid).map_err(|e| to_py_err(py, &e))
}

/// Releases the keep-alive connection pools this process keeps for its clients: each
/// closes its idle connections once no client uses it (closed clients use none), and
/// clients built later start new pools. Never needed for correctness; for test suites
/// that start a sandbox per test, leak checkers, and programs done with nameauth.
#[pyfunction]
fn release_pools(py: Python<'_>) {
    py.detach(nameauth::release_pools);
}

#[pymodule]
fn _nameauth(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<client::Client>()?;
    m.add_class::<asynccall::Pending>()?;
    m.add_class::<verdict::Verdict>()?;
    m.add_class::<sandbox::Sandbox>()?;
    m.add_function(wrap_pyfunction!(sign, m)?)?;
    m.add_function(wrap_pyfunction!(validate_id, m)?)?;
    m.add_function(wrap_pyfunction!(release_pools, m)?)?;
    m.add_function(wrap_pyfunction!(pool::_shutdown, m)?)?;
    // Before the interpreter finalizes, the AsyncClient pool closes (see pool.rs).
    m.py()
        .import("atexit")?
        .call_method1("register", (m.getattr("_shutdown")?,))?;
    m.add("RESIDENT_ID_CARD", nameauth::RESIDENT_ID_CARD)?;
    m.add("__version__", nameauth::VERSION)?;
    Ok(())
}
