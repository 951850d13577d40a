//! Python arguments as owned Rust text: a `str` that UTF-8 cannot hold is nameauth's own
//! error naming the argument (never a `UnicodeEncodeError` that carries the value), and
//! anything but a `str` a `TypeError`.

use nameauth::{Error, RESIDENT_ID_CARD};
use pyo3::exceptions::{PyTypeError, PyUnicodeEncodeError, PyUnicodeError};
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::error::{config_error, to_py_err};

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
        .cast::<PyString>()
        .map_err(|_| PyTypeError::new_err(format!("{field}: must be a str")))?;
    match s.extract::<String>() {
        Ok(t) => Ok(Ok(t)),
        Err(e) if e.is_instance_of::<PyUnicodeEncodeError>(py) => {
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

/// The document type argument: ``"1"`` when not given.
pub(crate) fn cretype_arg(py: Python<'_>, cretype: Option<&Bound<'_, PyAny>>) -> PyResult<String> {
    Ok(opt_text(py, "cretype", cretype, false)?.unwrap_or_else(|| RESIDENT_ID_CARD.to_owned()))
}

/// An optional path option (``str`` or ``os.PathLike``): one the file system encoding
/// cannot hold is a configuration error naming `field`, never a `UnicodeEncodeError`.
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
        Err(e) if e.is_instance_of::<PyUnicodeError>(py) => Err(config_error(
            py,
            field,
            "holds a character the file system encoding cannot hold (an unpaired surrogate)",
        )),
        Err(_) => Err(PyTypeError::new_err(format!(
            "{field}: must be a str or an os.PathLike"
        ))),
    }
}

/// Python's `repr` of a string, so reprs quote the way Python users expect.
pub(crate) fn py_repr(py: Python<'_>, s: &str) -> PyResult<String> {
    PyString::new(py, s).repr()?.extract()
}
