//! Call events (masked) to Python's standard `logging`, logger `nameauth`: INFO for each
//! call (its verdict or error), WARNING for a retry or a failover.
//! Nothing is formatted unless the logger takes the level.

use nameauth::report::Level;
use nameauth::{Error, Report, Verdict};
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

static LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn logger(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    LOGGER
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(
                py.import("logging")?
                    .call_method1("getLogger", ("nameauth",))?
                    .unbind(),
            )
        })
        .map(|l| l.bind(py))
}

fn python_level(level: Level) -> u8 {
    match level {
        Level::Error => 40,
        Level::Warn => 30,
        Level::Info => 20,
        Level::Debug | Level::Trace => 10,
    }
}

/// The inputs of one call, for its events.
pub(crate) struct Call<'a> {
    pub(crate) openid: &'a str,
    pub(crate) truename: &'a str,
    pub(crate) creid: &'a str,
}

/// Writes the events of one call to the `nameauth` logger, if it takes them.
///
/// A logger cannot take a verdict: an `Exception` raised by the logging machinery (a
/// `logging.Filter` or a handler's `emit` that raises) is reported through
/// `sys.unraisablehook`, as Python reports any error it cannot raise to a caller, and
/// the call's remaining events are skipped; the caller gets its verdict. Only a
/// `BaseException` that is no `Exception` (`KeyboardInterrupt`, `SystemExit`) comes back
/// as an error, as the `logging` module itself lets those through.
pub(crate) fn emit(
    py: Python<'_>,
    call: &Call<'_>,
    report: &Report,
    result: Result<&Verdict, &Error>,
) -> PyResult<()> {
    match write(py, call, report, result) {
        Err(e) if e.is_instance_of::<PyException>(py) => {
            let logger = LOGGER.get(py).map(|l| l.bind(py));
            e.write_unraisable(py, logger);
            Ok(())
        }
        other => other,
    }
}

fn write(
    py: Python<'_>,
    call: &Call<'_>,
    report: &Report,
    result: Result<&Verdict, &Error>,
) -> PyResult<()> {
    let logger = logger(py)?;
    // One call (isEnabledFor caches its answer per level) decides; nothing is formatted
    // for a logger that does not take the call's most severe event.
    let worst = python_level(report.level());
    if !logger.call_method1("isEnabledFor", (worst,))?.is_truthy()? {
        return Ok(());
    }
    for e in report.events(call.openid, call.truename, call.creid, result) {
        logger.call_method1("log", (python_level(e.level), e.message))?;
    }
    Ok(())
}
