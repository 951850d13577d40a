//! `nameauth._nameauth`: the Rust core for Python, called directly (not through the C
//! ABI). Arguments become owned Rust values first; then the GIL is released for the whole
//! validate-sign-send-parse of each call.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, RwLock};
use std::time::Duration;

use nameauth::{Client as CoreClient, ClientBuilder, Error, ErrorKind, SignCase};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyTuple, PyType};

/// The exception classes live in `nameauth/exceptions.py`, where multiple inheritance
/// (`InvalidInput(NameauthError, ValueError)`, ...) is plain Python.
static EXCEPTIONS: [PyOnceLock<Py<PyType>>; 6] = [
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
        ErrorKind::Internal => (5, "NameauthError"),
    }
}

/// The exception instance for a core error, with its `field`, `rule` and `status`.
fn exception<'py>(py: Python<'py>, e: &Error) -> PyResult<Bound<'py, PyAny>> {
    let (slot, name) = exception_class(e.kind());
    let cls = EXCEPTIONS[slot].import(py, "nameauth.exceptions", name)?;
    // `kind` is a class attribute; the rest belongs to this error.
    let exc = cls.call1((e.message(),))?;
    exc.setattr("field", e.field())?;
    exc.setattr("rule", e.rule().map(|r| r.as_str()))?;
    exc.setattr("status", e.status())?;
    Ok(exc)
}

fn to_py_err(py: Python<'_>, e: &Error) -> PyErr {
    match exception(py, e) {
        Ok(exc) => PyErr::from_value(exc),
        Err(import_failed) => import_failed,
    }
}

/// A verdict: what the server answered, mapped to SPEC §5's table.
///
/// ``code`` is ``"A"`` … ``"F"`` or ``"Other"``; ``passed`` is true only for ``"A"``.
/// ``message``/``advice`` are Chinese, ``message_en``/``advice_en`` English. The raw
/// fields are strings (``""`` where absent) and ``error_code`` an int. A verdict holds
/// no clear personal data (``name_mask`` is masked by the server).
#[pyclass(frozen, module = "nameauth", name = "Verdict")]
struct Verdict {
    #[pyo3(get)]
    code: &'static str,
    #[pyo3(get)]
    reason: &'static str,
    #[pyo3(get)]
    passed: bool,
    #[pyo3(get)]
    config_problem: bool,
    #[pyo3(get)]
    message: &'static str,
    #[pyo3(get)]
    advice: &'static str,
    #[pyo3(get)]
    message_en: &'static str,
    #[pyo3(get)]
    advice_en: &'static str,
    #[pyo3(get)]
    error_code: i64,
    #[pyo3(get)]
    nameauth_status: String,
    #[pyo3(get)]
    notmatch_param: String,
    #[pyo3(get)]
    name_mask: String,
}

impl From<nameauth::Verdict> for Verdict {
    fn from(v: nameauth::Verdict) -> Self {
        Verdict {
            code: v.code().as_str(),
            reason: v.reason().id(),
            passed: v.passed(),
            config_problem: v.is_config_problem(),
            message: v.message_zh(),
            advice: v.advice_zh(),
            message_en: v.message_en(),
            advice_en: v.advice_en(),
            error_code: v.error_code(),
            nameauth_status: v.nameauth_status().to_owned(),
            notmatch_param: v.notmatch_param().to_owned(),
            name_mask: v.name_mask().to_owned(),
        }
    }
}

#[pymethods]
impl Verdict {
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

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        // `name_mask` is already masked by the server; nothing here is in clear.
        Ok(format!(
            "Verdict(code={}, reason={}, error_code={}, nameauth_status={}, \
             notmatch_param={}, name_mask={})",
            py_repr(py, self.code)?,
            py_repr(py, self.reason)?,
            self.error_code,
            py_repr(py, &self.nameauth_status)?,
            py_repr(py, &self.notmatch_param)?,
            py_repr(py, &self.name_mask)?
        ))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Verdict>().is_ok_and(|o| {
            let o = o.get();
            (o.code, o.reason, o.error_code) == (self.code, self.reason, self.error_code)
                && o.nameauth_status == self.nameauth_status
                && o.notmatch_param == self.notmatch_param
                && o.name_mask == self.name_mask
        })
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (
            self.code,
            self.reason,
            self.error_code,
            &self.nameauth_status,
        )
            .hash(&mut h);
        (&self.notmatch_param, &self.name_mask).hash(&mut h);
        h.finish()
    }
}

/// Python's `repr` of a string, so reprs quote the way Python users expect.
fn py_repr(py: Python<'_>, s: &str) -> PyResult<String> {
    pyo3::types::PyString::new(py, s).repr()?.extract()
}

/// One user to verify, owned, so the GIL can be released while it is checked.
struct User {
    openid: String,
    truename: String,
    creid: String,
    cretype: String,
}

impl User {
    fn from_item(item: &Bound<'_, PyAny>, index: usize) -> PyResult<User> {
        let wrong = || {
            PyTypeError::new_err(format!(
                "items[{index}]: expected a tuple (openid, truename, creid[, cretype]) or a dict \
                 with those keys"
            ))
        };
        if let Ok(t) = item.cast::<PyTuple>() {
            let n = t.len();
            if !(3..=4).contains(&n) {
                return Err(wrong());
            }
            let s =
                |i: usize| -> PyResult<String> { t.get_item(i)?.extract().map_err(|_| wrong()) };
            return Ok(User {
                openid: s(0)?,
                truename: s(1)?,
                creid: s(2)?,
                cretype: if n == 4 { s(3)? } else { "1".to_owned() },
            });
        }
        if let Ok(d) = item.cast::<PyDict>() {
            let s = |k: &str| -> PyResult<Option<String>> {
                match d.get_item(k)? {
                    Some(v) => v.extract().map(Some).map_err(|_| wrong()),
                    None => Ok(None),
                }
            };
            return Ok(User {
                openid: s("openid")?.ok_or_else(wrong)?,
                truename: s("truename")?.ok_or_else(wrong)?,
                creid: s("creid")?.ok_or_else(wrong)?,
                cretype: s("cretype")?.unwrap_or_else(|| "1".to_owned()),
            });
        }
        Err(wrong())
    }
}

/// A WeChat Pay real-name client. Build one per merchant account and share it: it is
/// safe to use from many threads and keeps one pool of keep-alive connections.
///
/// ``timeout`` bounds a whole ``verify`` (retries included) and ``connect_timeout`` the
/// connection, both in seconds. ``retries`` are made only where the request cannot have
/// been processed. ``ca_file`` adds root certificates (PEM) to Mozilla's. ``allow_http``
/// permits plain http:// to non-loopback hosts (test rigs only). The key is never shown
/// and is wiped from memory when the client is closed.
#[pyclass(frozen, module = "nameauth", name = "Client")]
struct Client {
    inner: RwLock<Option<CoreClient>>,
}

fn seconds(py: Python<'_>, field: &'static str, v: f64) -> PyResult<Duration> {
    if v.is_finite() && v > 0.0 && v <= 86_400.0 {
        Ok(Duration::from_secs_f64(v))
    } else {
        Err(to_py_err(
            py,
            &Error::front_end_config(
                field,
                "must be a number of seconds above 0 and at most 86400",
            ),
        ))
    }
}

impl Client {
    fn get(&self, py: Python<'_>) -> PyResult<CoreClient> {
        let guard = self.inner.read().unwrap_or_else(|p| p.into_inner());
        guard
            .clone()
            .ok_or_else(|| to_py_err(py, &Error::front_end_config("client", "is closed")))
    }
}

#[pymethods]
impl Client {
    #[new]
    #[pyo3(signature = (
        appid, src, key, *, endpoint=None, timeout=10.0, connect_timeout=3.0,
        sign_case="lower", retries=2, proxy=None, ca_file=None, validate_id=true,
        allow_http=false
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        appid: String,
        src: String,
        key: String,
        endpoint: Option<String>,
        timeout: f64,
        connect_timeout: f64,
        sign_case: &str,
        retries: u32,
        proxy: Option<String>,
        ca_file: Option<std::path::PathBuf>,
        validate_id: bool,
        allow_http: bool,
    ) -> PyResult<Self> {
        let mut b = ClientBuilder::new(appid, src, key)
            .timeout(seconds(py, "timeout", timeout)?)
            .connect_timeout(seconds(py, "connect_timeout", connect_timeout)?)
            .retries(retries)
            .validate_id(validate_id)
            .danger_allow_insecure_http(allow_http)
            .option("sign_case", sign_case)
            .map_err(|e| to_py_err(py, &e))?;
        if let Some(e) = endpoint {
            b = b.endpoint(e);
        }
        if let Some(p) = proxy {
            b = b.proxy(p);
        }
        if let Some(f) = ca_file {
            b = b.ca_file(f);
        }
        // Building reads `ca_file`: no GIL needed for that.
        let client = py.detach(|| b.build()).map_err(|e| to_py_err(py, &e))?;
        Ok(Client {
            inner: RwLock::new(Some(client)),
        })
    }

    /// A client from the environment of CONFORMANCE.md: ``NAMEAUTH_APPID``,
    /// ``NAMEAUTH_SRC``, ``NAMEAUTH_KEY``, and optionally ``NAMEAUTH_ENDPOINT``,
    /// ``NAMEAUTH_TIMEOUT_MS``, ``NAMEAUTH_SIGN_CASE``, ``NAMEAUTH_CA_FILE``.
    #[classmethod]
    fn from_env(_cls: &Bound<'_, PyType>, py: Python<'_>) -> PyResult<Self> {
        let client = py
            .detach(|| ClientBuilder::from_env().build())
            .map_err(|e| to_py_err(py, &e))?;
        Ok(Client {
            inner: RwLock::new(Some(client)),
        })
    }

    /// Verifies one user and returns a ``Verdict`` whenever the server answered (codes A
    /// to F and Other). Raises ``InvalidInput`` (nothing sent), ``ConfigError``,
    /// ``Timeout``, ``TransportError`` or ``ProtocolError`` otherwise. The GIL is released
    /// while the request is checked, signed, sent and parsed.
    #[pyo3(signature = (openid, truename, creid, cretype="1"))]
    fn verify(
        &self,
        py: Python<'_>,
        openid: String,
        truename: String,
        creid: String,
        cretype: &str,
    ) -> PyResult<Verdict> {
        let client = self.get(py)?;
        let cretype = cretype.to_owned();
        py.detach(|| client.verify_with_cretype(&openid, &truename, &creid, &cretype))
            .map(Verdict::from)
            .map_err(|e| to_py_err(py, &e))
    }

    /// Verifies many users with ``concurrency`` Rust threads (the GIL released) and
    /// returns a list in input order: for each item a ``Verdict``, or the exception
    /// instance its ``verify`` would have raised. Items are tuples ``(openid, truename,
    /// creid[, cretype])`` or dicts with those keys; a malformed item raises
    /// ``TypeError`` before anything is sent.
    #[pyo3(signature = (items, concurrency=16))]
    fn verify_many<'py>(
        &self,
        py: Python<'py>,
        items: &Bound<'py, PyAny>,
        concurrency: usize,
    ) -> PyResult<Bound<'py, PyList>> {
        if !(1..=256).contains(&concurrency) {
            return Err(PyValueError::new_err("concurrency: must be from 1 to 256"));
        }
        let users: Vec<User> = items
            .try_iter()?
            .enumerate()
            .map(|(i, item)| User::from_item(&item?, i))
            .collect::<PyResult<_>>()?;
        let client = self.get(py)?;
        let results: Vec<Mutex<Option<Result<nameauth::Verdict, Error>>>> =
            users.iter().map(|_| Mutex::new(None)).collect();
        py.detach(|| {
            let next = AtomicUsize::new(0);
            let workers = concurrency.min(users.len());
            std::thread::scope(|s| {
                for _ in 0..workers {
                    s.spawn(|| loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(u) = users.get(i) else { break };
                        let r = client.verify_with_cretype(
                            &u.openid,
                            &u.truename,
                            &u.creid,
                            &u.cretype,
                        );
                        *results[i].lock().unwrap_or_else(|p| p.into_inner()) = Some(r);
                    });
                }
            });
        });
        let out = PyList::empty(py);
        for slot in results {
            let r = slot
                .into_inner()
                .unwrap_or_else(|p| p.into_inner())
                .unwrap_or_else(|| Err(Error::internal("a worker thread stopped early")));
            match r {
                Ok(v) => out.append(Bound::new(py, Verdict::from(v))?)?,
                Err(e) => out.append(exception(py, &e)?)?,
            }
        }
        Ok(out)
    }

    /// Closes the client: its connections are dropped and its key wiped once no call is
    /// using it. Later calls raise ``ConfigError``. Closing twice is harmless.
    fn close(&self) {
        let mut guard = self.inner.write().unwrap_or_else(|p| p.into_inner());
        guard.take();
    }

    /// True once ``close`` has been called.
    #[getter]
    fn closed(&self) -> bool {
        self.inner
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .is_none()
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, _exc: &Bound<'_, PyTuple>) -> bool {
        self.close();
        false
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(
            match &*self.inner.read().unwrap_or_else(|p| p.into_inner()) {
                Some(c) => format!(
                    "<nameauth.Client appid={} endpoint={} key=<redacted>>",
                    py_repr(py, c.appid())?,
                    py_repr(py, &c.endpoint())?
                ),
                None => "<nameauth.Client closed>".to_owned(),
            },
        )
    }
}

/// The signature of a request (SPEC §2): 32 hex digits, lower case unless ``upper``.
/// Values are signed exactly as given (no normalisation). Raises ``InvalidInput`` for an
/// empty field or a control character, ``ConfigError`` for an empty key.
#[pyfunction]
#[pyo3(signature = (appid, openid, src, truename, creid, key, *, cretype="1", upper=false))]
#[allow(clippy::too_many_arguments)]
fn sign(
    py: Python<'_>,
    appid: &str,
    openid: &str,
    src: &str,
    truename: &str,
    creid: &str,
    key: &str,
    cretype: &str,
    upper: bool,
) -> PyResult<String> {
    let params = nameauth::Params {
        appid,
        openid,
        src,
        truename,
        creid,
        cretype,
    };
    let case = if upper {
        SignCase::Upper
    } else {
        SignCase::Lower
    };
    nameauth::sign_checked(&params, key, case)
        .map(|s| s.as_str().to_owned())
        .map_err(|e| to_py_err(py, &e))
}

/// Checks a resident ID number (``cretype=1``) against every rule of SPEC §3; raises
/// ``InvalidInput`` naming the rule (never repeating the number).
#[pyfunction]
fn validate_id(py: Python<'_>, creid: &str) -> PyResult<()> {
    nameauth::validate::creid(creid, "1", true).map_err(|e| to_py_err(py, &e))
}

#[pymodule]
fn _nameauth(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Client>()?;
    m.add_class::<Verdict>()?;
    m.add_function(wrap_pyfunction!(sign, m)?)?;
    m.add_function(wrap_pyfunction!(validate_id, m)?)?;
    m.add("__version__", nameauth::VERSION)?;
    Ok(())
}
