//! `nameauth._nameauth`: the Rust core for Python, called directly (not through the C
//! ABI). Arguments become owned Rust values first; then the GIL is released for the whole
//! validate-sign-send-parse of each call.

/// Python arguments as owned Rust text, each error naming its argument.
mod args;
/// One `AsyncClient` call: queued, cancellable, its outcome handed to the event loop.
mod asynccall;
/// The `Client` class.
mod client;
/// Core errors as the exceptions of `nameauth/exceptions.py`.
mod error;
/// Leaving Python at interpreter exit: the exit hook and the gate to Python.
mod exit;
/// The module's functions: `sign`, `validate_id`, `release_pools`.
mod functions;
/// The items of `verify_many`.
mod items;
/// Call events to Python's `logging`.
mod logs;
/// `verify_many`: many calls on Rust threads, answers in input order.
mod many;
/// The options of `Client(...)` as a core `ClientBuilder`.
mod options;
/// The threads `AsyncClient` runs calls on.
mod pool;
/// One core call behind the panic boundary.
mod quiet;
/// The sandbox server, for users' own tests.
mod sandbox;
/// `Client.stats()` as a dict.
mod stats;
/// The `Verdict` class.
mod verdict;

use pyo3::prelude::*;

#[pymodule]
fn _nameauth(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<client::Client>()?;
    m.add_class::<asynccall::Pending>()?;
    m.add_class::<verdict::Verdict>()?;
    m.add_class::<sandbox::Sandbox>()?;
    m.add_function(wrap_pyfunction!(functions::sign, m)?)?;
    m.add_function(wrap_pyfunction!(functions::validate_id, m)?)?;
    m.add_function(wrap_pyfunction!(functions::release_pools, m)?)?;
    m.add_function(wrap_pyfunction!(exit::_shutdown, m)?)?;
    // Before the interpreter finalizes, the AsyncClient pool closes (see exit.rs).
    m.py()
        .import("atexit")?
        .call_method1("register", (m.getattr("_shutdown")?,))?;
    m.add("RESIDENT_ID_CARD", nameauth::RESIDENT_ID_CARD)?;
    m.add("__version__", nameauth::VERSION)?;
    Ok(())
}
