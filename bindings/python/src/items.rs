//! The items of `verify_many`: tuples ``(openid, truename, creid[, cretype])`` or dicts
//! with those keys, owned before the GIL is released. A malformed item is a `TypeError`
//! before anything is sent; text UTF-8 cannot hold is that item's own input error.

use nameauth::{Error, RESIDENT_ID_CARD};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};

use crate::args::checked_text;

/// One user to verify, owned, so the GIL can be released while it is checked; or the
/// input error its text already is.
pub(crate) struct User {
    pub(crate) openid: String,
    pub(crate) truename: String,
    pub(crate) creid: String,
    pub(crate) cretype: String,
    pub(crate) refused: Option<Error>,
}

const USER_KEYS: [&str; 4] = ["openid", "truename", "creid", "cretype"];

impl User {
    pub(crate) fn from_item(item: &Bound<'_, PyAny>, index: usize) -> PyResult<User> {
        let mut refused = None;
        let wrong = || {
            PyTypeError::new_err(format!(
                "items[{index}]: expected a tuple (openid, truename, creid[, cretype]) or a dict \
                 with those keys, each a str"
            ))
        };
        if let Ok(t) = item.cast::<PyTuple>() {
            let n = t.len();
            if !(3..=4).contains(&n) {
                return Err(wrong());
            }
            let py = item.py();
            let mut s = |i: usize| -> PyResult<String> {
                let v = t.get_item(i)?;
                if !v.is_instance_of::<PyString>() {
                    return Err(wrong());
                }
                Ok(
                    checked_text(py, USER_KEYS[i], &v, false)?.unwrap_or_else(|e| {
                        refused.get_or_insert(e);
                        String::new()
                    }),
                )
            };
            return Ok(User {
                openid: s(0)?,
                truename: s(1)?,
                creid: s(2)?,
                cretype: if n == 4 {
                    s(3)?
                } else {
                    RESIDENT_ID_CARD.to_owned()
                },
                refused,
            });
        }
        if let Ok(d) = item.cast::<PyDict>() {
            for k in d.keys() {
                let known = k.is_instance_of::<PyString>()
                    && k.extract::<String>()
                        .is_ok_and(|k| USER_KEYS.contains(&k.as_str()));
                if !known {
                    // Keys are the caller's field names, never personal data.
                    return Err(PyTypeError::new_err(format!(
                        "items[{index}]: unknown key {} (known: openid, truename, creid, cretype)",
                        k.repr()?
                    )));
                }
            }
            let py = item.py();
            let mut s = |k: &'static str| -> PyResult<Option<String>> {
                match d.get_item(k)? {
                    Some(v) if v.is_instance_of::<PyString>() => {
                        Ok(Some(checked_text(py, k, &v, false)?.unwrap_or_else(|e| {
                            refused.get_or_insert(e);
                            String::new()
                        })))
                    }
                    Some(_) => Err(wrong()),
                    None => Ok(None),
                }
            };
            return Ok(User {
                openid: s("openid")?.ok_or_else(wrong)?,
                truename: s("truename")?.ok_or_else(wrong)?,
                creid: s("creid")?.ok_or_else(wrong)?,
                cretype: s("cretype")?.unwrap_or_else(|| RESIDENT_ID_CARD.to_owned()),
                refused,
            });
        }
        Err(wrong())
    }
}
