//! Core errors as the Python exceptions of `nameauth/exceptions.py`, where multiple
//! inheritance (`InvalidInput(NameauthError, ValueError)`, ...) is plain Python.

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
        ErrorKind::InvalidInput => (0, "InvalidInput"),
        ErrorKind::InvalidConfig => (1, "ConfigError"),
        ErrorKind::Timeout => (2, "Timeout"),
        ErrorKind::Transport => (3, "TransportError"),
        ErrorKind::Protocol => (4, "ProtocolError"),
        ErrorKind::Internal => (5, "InternalError"),
        ErrorKind::Cancelled => (6, "Cancelled"),
    }
}

/// The exception instance for a core error, with its `field`, `rule` and `status`.
pub(crate) fn exception<'py>(py: Python<'py>, e: &Error) -> PyResult<Bound<'py, PyAny>> {
    let (slot, name) = exception_class(e.kind());
    let cls = EXCEPTIONS[slot].import(py, "nameauth.exceptions", name)?;
    // `kind` is a class attribute; the rest belongs to this error.
    let exc = cls.call1((e.message(),))?;
    exc.setattr("field", e.field())?;
    exc.setattr("rule", e.rule().map(|r| r.as_str()))?;
    exc.setattr("status", e.status())?;
    Ok(exc)
}

/// The Python exception to raise for `e`.
pub(crate) fn to_py_err(py: Python<'_>, e: &Error) -> PyErr {
    match exception(py, e) {
        Ok(exc) => PyErr::from_value(exc),
        Err(import_failed) => import_failed,
    }
}

/// A `ConfigError` for an argument of the constructor: `"<field>: <text>"`.
pub(crate) fn config_error(py: Python<'_>, field: &'static str, text: &str) -> PyErr {
    to_py_err(py, &Error::front_end_config(field, text))
}

/// A `str` argument as Rust text. A string that UTF-8 cannot hold (an unpaired surrogate,
/// say from `surrogateescape`) is the caller's input error naming `field` (a
/// configuration error for credentials), never a `UnicodeEncodeError` from deep inside;
/// anything but a `str` is a `TypeError`.
pub(crate) fn text(
    py: Python<'_>,
    field: &'static str,
    value: &Bound<'_, PyAny>,
    config: bool,
) -> PyResult<String> {
    match checked_text(py, field, value, config)? {
        Ok(t) => Ok(t),
        Err(e) => Err(to_py_err(py, &e)),
    }
}

/// Like [`text`], with the input error as a value (for `verify_many`, where it belongs
/// to one item).
pub(crate) fn checked_text(
    py: Python<'_>,
    field: &'static str,
    value: &Bound<'_, PyAny>,
    config: bool,
) -> PyResult<Result<String, Error>> {
    let s = value
        .cast::<pyo3::types::PyString>()
        .map_err(|_| pyo3::exceptions::PyTypeError::new_err(format!("{field}: must be a str")))?;
    match s.extract::<String>() {
        Ok(t) => Ok(Ok(t)),
        Err(e) if e.is_instance_of::<pyo3::exceptions::PyUnicodeEncodeError>(py) => {
            let text = "holds an unpaired surrogate (not valid Unicode text)";
            Ok(Err(if config {
                Error::front_end_config(field, text)
            } else {
                Error::front_end_input(field, nameauth::Rule::InvalidUtf8, text)
            }))
        }
        Err(e) => Err(e),
    }
}

/// An optional text argument (``None`` is absent), checked as [`text`].
pub(crate) fn opt_text(
    py: Python<'_>,
    field: &'static str,
    value: Option<&Bound<'_, PyAny>>,
    config: bool,
) -> PyResult<Option<String>> {
    match value {
        Some(v) if !v.is_none() => text(py, field, v, config).map(Some),
        _ => Ok(None),
    }
}

/// An optional path option (``str`` or ``os.PathLike``): one the file system encoding
/// cannot hold is a `ConfigError` naming `field`, never a `UnicodeEncodeError`.
pub(crate) fn path_arg(
    py: Python<'_>,
    field: &'static str,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<std::path::PathBuf>> {
    let Some(v) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    match v.extract::<std::path::PathBuf>() {
        Ok(p) => Ok(Some(p)),
        Err(e) if e.is_instance_of::<pyo3::exceptions::PyUnicodeError>(py) => Err(config_error(
            py,
            field,
            "holds a character the file system encoding cannot hold (an unpaired surrogate)",
        )),
        Err(_) => Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "{field}: must be a str or an os.PathLike"
        ))),
    }
}

/// `QueueFull` for an `AsyncClient` call refused because `max_queued` calls of its
/// client already wait for a thread.
pub(crate) fn queue_full(py: Python<'_>, max_queued: usize) -> PyErr {
    let make = || -> PyResult<PyErr> {
        let cls = py.import("nameauth.exceptions")?.getattr("QueueFull")?;
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
