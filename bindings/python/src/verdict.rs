//! `nameauth.Verdict`: the core's verdict, its fixed texts borrowed from the core's table.

use nameauth::response::{normalise_notmatch, Answer};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::args::{opt_text, py_repr};

/// A verdict: what the server answered, mapped to docs/SPEC.md §5's table.
///
/// ``code`` is ``"A"`` … ``"F"`` or ``"Other"``; ``passed`` is true only for ``"A"``;
/// ``is_config_problem`` for the 1000/1001/1002/1007 rows. ``message_zh``/``advice_zh``
/// are Chinese, ``message_en``/``advice_en`` English. The raw fields are strings (``""`` where absent) and
/// ``error_code`` an int. ``Verdict(error_code, nameauth_status, notmatch_param,
/// name_mask)`` maps raw fields through the same table, for tests and fakes.
#[pyclass(frozen, module = "nameauth", name = "Verdict")]
pub(crate) struct Verdict {
    inner: nameauth::Verdict,
}

impl From<nameauth::Verdict> for Verdict {
    fn from(inner: nameauth::Verdict) -> Self {
        Verdict { inner }
    }
}

#[pymethods]
impl Verdict {
    #[new]
    #[pyo3(
        signature = (error_code, nameauth_status=None, notmatch_param=None, name_mask=None),
        text_signature = "(error_code, nameauth_status='', notmatch_param='', name_mask='')"
    )]
    fn new(
        py: Python<'_>,
        error_code: i64,
        nameauth_status: Option<&Bound<'_, PyAny>>,
        notmatch_param: Option<&Bound<'_, PyAny>>,
        name_mask: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        // Text UTF-8 cannot hold is an InvalidInputError naming the field, as everywhere.
        let field = |name, v| Ok::<_, PyErr>(opt_text(py, name, v, false)?.unwrap_or_default());
        let nameauth_status = field("nameauth_status", nameauth_status)?;
        let (notmatch, notmatch_param) =
            normalise_notmatch(&field("notmatch_param", notmatch_param)?);
        let answer = Answer {
            error_code,
            nameauth_status,
            notmatch_param,
            notmatch,
            name_mask: field("name_mask", name_mask)?,
        };
        Ok(Verdict {
            inner: nameauth::Verdict::from_answer(answer),
        })
    }

    #[getter]
    fn code(&self) -> &'static str {
        self.inner.code().as_str()
    }
    #[getter]
    fn reason(&self) -> &'static str {
        self.inner.reason().id()
    }
    #[getter]
    fn passed(&self) -> bool {
        self.inner.passed()
    }
    #[getter]
    fn is_config_problem(&self) -> bool {
        self.inner.is_config_problem()
    }
    #[getter]
    fn message_zh(&self) -> &'static str {
        self.inner.message_zh()
    }
    #[getter]
    fn advice_zh(&self) -> &'static str {
        self.inner.advice_zh()
    }
    #[getter]
    fn message_en(&self) -> &'static str {
        self.inner.message_en()
    }
    #[getter]
    fn advice_en(&self) -> &'static str {
        self.inner.advice_en()
    }
    #[getter]
    fn error_code(&self) -> i64 {
        self.inner.error_code()
    }
    #[getter]
    fn nameauth_status(&self) -> &str {
        self.inner.nameauth_status()
    }
    #[getter]
    fn notmatch_param(&self) -> &str {
        self.inner.notmatch_param()
    }
    #[getter]
    fn name_mask(&self) -> &str {
        self.inner.name_mask()
    }

    /// The CONFORMANCE.md fields as a dict, in their order: code, reason, error_code,
    /// nameauth_status, notmatch_param, name_mask.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let v = &self.inner;
        let d = PyDict::new(py);
        d.set_item("code", v.code().as_str())?;
        d.set_item("reason", v.reason().id())?;
        d.set_item("error_code", v.error_code())?;
        d.set_item("nameauth_status", v.nameauth_status())?;
        d.set_item("notmatch_param", v.notmatch_param())?;
        d.set_item("name_mask", v.name_mask())?;
        Ok(d)
    }

    /// Pickles as the raw fields, which the constructor maps again.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let v = &slf.get().inner;
        let args = (
            v.error_code(),
            v.nameauth_status(),
            v.notmatch_param(),
            v.name_mask(),
        );
        (slf.get_type(), args).into_pyobject(slf.py())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        // No name_mask: for a Latin name it shows nearly the whole name.
        let v = &self.inner;
        Ok(format!(
            "Verdict(code={}, reason={}, error_code={}, nameauth_status={}, notmatch_param={})",
            py_repr(py, v.code().as_str())?,
            py_repr(py, v.reason().id())?,
            v.error_code(),
            py_repr(py, v.nameauth_status())?,
            py_repr(py, v.notmatch_param())?,
        ))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> Py<PyAny> {
        let py = other.py();
        match other.cast::<Verdict>() {
            Ok(o) => (o.get().inner == self.inner).into_pyobject(py).map_or_else(
                |_| py.NotImplemented(),
                |b| b.to_owned().into_any().unbind(),
            ),
            Err(_) => py.NotImplemented(),
        }
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let v = &self.inner;
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (v.reason().id(), v.error_code(), v.nameauth_status()).hash(&mut h);
        (v.notmatch_param(), v.name_mask()).hash(&mut h);
        h.finish()
    }
}
