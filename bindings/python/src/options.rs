//! The options of `Client(...)` as a core `ClientBuilder`: each reaches the core's own
//! check in the one vocabulary of every front end (a whole number as text, a name as the
//! option's name), so the messages name the option as the C and Java front ends do.

use nameauth::ClientBuilder;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyInt};

use crate::args::{opt_text, path_arg, text};
use crate::error::to_py_err;

/// The keyword arguments of `Client(...)`, as Python gave them (`None` where absent).
pub(crate) struct Options<'a, 'py> {
    pub(crate) endpoint: Option<&'a Bound<'py, PyAny>>,
    pub(crate) timeout_ms: Option<&'a Bound<'py, PyAny>>,
    pub(crate) connect_timeout_ms: Option<&'a Bound<'py, PyAny>>,
    pub(crate) sign_case: Option<&'a Bound<'py, PyAny>>,
    pub(crate) retries: Option<&'a Bound<'py, PyAny>>,
    pub(crate) proxy: Option<&'a Bound<'py, PyAny>>,
    pub(crate) ca_file: Option<&'a Bound<'py, PyAny>>,
    pub(crate) id_rules: bool,
    pub(crate) allow_http: bool,
    pub(crate) fallback_endpoint: Option<&'a Bound<'py, PyAny>>,
    pub(crate) idle_timeout_ms: Option<&'a Bound<'py, PyAny>>,
}

/// The builder for `appid`, `src`, `key` and the options `o`, every option checked.
pub(crate) fn builder(
    py: Python<'_>,
    appid: &Bound<'_, PyAny>,
    src: &Bound<'_, PyAny>,
    key: &Bound<'_, PyAny>,
    o: Options<'_, '_>,
) -> PyResult<ClientBuilder> {
    // Every text option is checked here, by name: a string UTF-8 cannot hold is a
    // InvalidConfigError naming the option, never an exception that carries the value.
    let endpoint = opt_text(py, "endpoint", o.endpoint, true)?;
    let sign_case = opt_text(py, "sign_case", o.sign_case, true)?;
    let proxy = opt_text(py, "proxy", o.proxy, true)?.map(zeroize::Zeroizing::new);
    let fallback_endpoint = opt_text(py, "fallback_endpoint", o.fallback_endpoint, true)?;
    let ca_file = path_arg(py, "ca_file", o.ca_file)?;
    let (appid, src) = (text(py, "appid", appid, true)?, text(py, "src", src, true)?);
    let key = zeroize::Zeroizing::new(text(py, "key", key, true)?);
    let mut b = ClientBuilder::new(appid, src, key.as_str())
        .id_rules(o.id_rules)
        .allow_http(o.allow_http)
        .option("sign_case", sign_case.as_deref().unwrap_or("lower"))
        .map_err(|e| to_py_err(py, &e))?;
    b = int_option(py, b, "timeout_ms", o.timeout_ms)?;
    b = int_option(py, b, "connect_timeout_ms", o.connect_timeout_ms)?;
    b = int_option(py, b, "retries", o.retries)?;
    b = int_option(py, b, "idle_timeout_ms", o.idle_timeout_ms)?;
    if let Some(e) = endpoint {
        b = b.endpoint(e);
    }
    if let Some(p) = proxy {
        b = b.proxy(p.as_str());
    }
    if let Some(f) = fallback_endpoint {
        b = b
            .option("fallback_endpoint", &f)
            .map_err(|e| to_py_err(py, &e))?;
    }
    if let Some(f) = ca_file {
        b = b.ca_file(f);
    }
    Ok(b)
}

/// A whole number option, passed to the core as text so that its one check applies.
fn int_option(
    py: Python<'_>,
    b: ClientBuilder,
    name: &'static str,
    v: Option<&Bound<'_, PyAny>>,
) -> PyResult<ClientBuilder> {
    let Some(v) = v.filter(|v| !v.is_none()) else {
        return Ok(b);
    };
    if v.is_instance_of::<PyBool>() || !v.is_instance_of::<PyInt>() {
        return Err(PyTypeError::new_err(format!("{name}: must be an int")));
    }
    // Any int, however large, reaches the core's range check as text: int's own text,
    // never a subclass's `__str__` (the caller's code, which may raise or not be digits).
    let text: String = py
        .get_type::<PyInt>()
        .call_method1("__repr__", (v,))?
        .extract()?;
    b.option(name, &text).map_err(|e| to_py_err(py, &e))
}
