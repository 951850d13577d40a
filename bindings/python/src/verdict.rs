//! `nameauth.Verdict`: the core's verdict, its fixed texts borrowed from the core's table.

use nameauth::response::{normalise_notmatch, Answer};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyInt, PyTuple};

use crate::args::{opt_text, py_repr};

/// A verdict: what the server answered, mapped to docs/SPEC.md §5's table.
///
/// ``code`` is ``"A"`` … ``"F"`` or ``"Other"``; ``passed`` is true only for ``"A"``;
/// ``is_config_problem`` for the 1000/1001/1002/1007 rows. ``message_zh``/``advice_zh``
/// are Chinese, ``message_en``/``advice_en`` English. The raw fields are strings (``""`` where absent) and
/// ``error_code`` an int. ``Verdict(error_code, nameauth_status, notmatch_param,
/// name_mask)`` maps raw fields through the same table, for tests and fakes.
// The fields are copied once from the core's verdict (its texts are the table's own
// `&'static str`); `get_all` makes each a read-only attribute, and equality and the hash
// compare them all (each text follows from the raw fields).
#[pyclass(frozen, get_all, eq, hash, module = "nameauth", name = "Verdict")]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct Verdict {
    code: &'static str,
    reason: &'static str,
    passed: bool,
    is_config_problem: bool,
    message_zh: &'static str,
    advice_zh: &'static str,
    message_en: &'static str,
    advice_en: &'static str,
    error_code: i64,
    nameauth_status: String,
    notmatch_param: String,
    name_mask: String,
}

impl From<nameauth::Verdict> for Verdict {
    fn from(v: nameauth::Verdict) -> Self {
        // The code, the reason and the texts: the row of the core's table that matched.
        let row = v.reason().info();
        Verdict {
            code: row.code.as_str(),
            reason: row.id,
            passed: v.passed(),
            is_config_problem: row.config_problem,
            message_zh: row.message_zh,
            advice_zh: row.advice_zh,
            message_en: row.message_en,
            advice_en: row.advice_en,
            error_code: v.error_code(),
            nameauth_status: v.nameauth_status().to_owned(),
            notmatch_param: v.notmatch_param().to_owned(),
            name_mask: v.name_mask().to_owned(),
        }
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
        error_code: &Bound<'_, PyAny>,
        nameauth_status: Option<&Bound<'_, PyAny>>,
        notmatch_param: Option<&Bound<'_, PyAny>>,
        name_mask: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        // Checked by name: PyO3's conversion errors do not say which argument.
        if !error_code.is_instance_of::<PyInt>() {
            return Err(PyTypeError::new_err("error_code: must be an int"));
        }
        let error_code: i64 = error_code.extract().map_err(|_| {
            PyValueError::new_err("error_code: must be from -2**63 to 2**63-1 (an i64)")
        })?;
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
        Ok(nameauth::Verdict::from_answer(answer).into())
    }

    /// The CONFORMANCE.md fields as a dict, in their order: code, reason, error_code,
    /// nameauth_status, notmatch_param, name_mask.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("code", self.code)?;
        d.set_item("reason", self.reason)?;
        d.set_item("error_code", self.error_code)?;
        d.set_item("nameauth_status", &self.nameauth_status)?;
        d.set_item("notmatch_param", &self.notmatch_param)?;
        d.set_item("name_mask", &self.name_mask)?;
        Ok(d)
    }

    /// Pickles as the raw fields, which the constructor maps again.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let v = slf.get();
        let args = (
            v.error_code,
            &v.nameauth_status,
            &v.notmatch_param,
            &v.name_mask,
        );
        (slf.get_type(), args).into_pyobject(slf.py())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        // No name_mask: for a Latin name it shows nearly the whole name.
        Ok(format!(
            "Verdict(code={}, reason={}, error_code={}, nameauth_status={}, notmatch_param={})",
            py_repr(py, self.code)?,
            py_repr(py, self.reason)?,
            self.error_code,
            py_repr(py, &self.nameauth_status)?,
            py_repr(py, &self.notmatch_param)?,
        ))
    }
}
