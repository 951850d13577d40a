//! Core errors as the Python exceptions of `nameauth/exceptions.py`, where multiple
//! inheritance (`InvalidInputError(NameAuthError, ValueError)`, ...) is plain Python.

use nameauth::{Error, ErrorKind};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;

static EXCEPTIONS: [PyOnceLock<Py<PyType>>; 7] = [
    PyOnceLock::new(),
    PyOnceLock::new(),
    PyOnceLock::new(),
    PyOnceLock::new(),
    PyOnceLock::new(),
    PyOnceLock::new(),
    PyOnceLock::new(),
];

fn exception_class(kind: ErrorKind) -> (usize, &'static str) {
    match kind {
        ErrorKind::InvalidInput => (0, "InvalidInputError"),
        ErrorKind::InvalidConfig => (1, "InvalidConfigError"),
        ErrorKind::Timeout => (2, "TimeoutError"),
        ErrorKind::Transport => (3, "TransportError"),
        ErrorKind::Protocol => (4, "ProtocolError"),
        ErrorKind::Internal => (5, "InternalError"),
        ErrorKind::Cancelled => (6, "CancelledError"),
    }
}

/// The exception instance for a core error, with its `field`, `rule` and `http_status`.
pub(crate) fn exception<'py>(py: Python<'py>, e: &Error) -> PyResult<Bound<'py, PyAny>> {
    let (slot, name) = exception_class(e.kind());
    let cls = EXCEPTIONS[slot].import(py, "nameauth.exceptions", name)?;
    // `kind` is a class attribute; the rest belongs to this error.
    let exc = cls.call1((e.message(),))?;
    exc.setattr("field", e.field())?;
    exc.setattr("rule", e.rule().map(|r| r.as_str()))?;
    exc.setattr("http_status", e.http_status())?;
    Ok(exc)
}

/// The Python exception to raise for `e`.
pub(crate) fn to_py_err(py: Python<'_>, e: &Error) -> PyErr {
    match exception(py, e) {
        Ok(exc) => PyErr::from_value(exc),
        Err(import_failed) => import_failed,
    }
}

/// An `InvalidConfigError` for an argument of the constructor: `"<field>: <text>"`.
pub(crate) fn config_error(py: Python<'_>, field: &'static str, text: &str) -> PyErr {
    to_py_err(py, &Error::front_end_config(field, text))
}

/// `QueueFullError` for an `AsyncClient` call refused because `max_queued` calls of its
/// client already wait for a thread.
pub(crate) fn queue_full(py: Python<'_>, max_queued: usize) -> PyErr {
    let make = || -> PyResult<PyErr> {
        let cls = py
            .import("nameauth.exceptions")?
            .getattr("QueueFullError")?;
        let exc = cls.call1((format!(
            "max_queued: this client already has {max_queued} calls waiting for a thread; \
             this one was not queued and nothing was sent (wait for calls to finish, or \
             raise max_queued)"
        ),))?;
        exc.setattr("field", "max_queued")?;
        Ok(PyErr::from_value(exc))
    };
    make().unwrap_or_else(|e| e)
}
