//! `nameauth.Client`: options in the one vocabulary of the core, the GIL released for the
//! whole validate-sign-send-parse of every call.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Duration;

use nameauth::RESIDENT_ID_CARD;
use nameauth::{CallOptions, Client as CoreClient, ClientBuilder, Error};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple, PyType};

use crate::error::{checked_text, config_error, exception, opt_text, path_arg, text, to_py_err};
use crate::logs::{self, Call};
use crate::quiet::verify_quietly;
use crate::verdict::{py_repr, Verdict};

/// One user to verify, owned, so the GIL can be released while it is checked; or the
/// input error its text already is.
struct User {
    openid: String,
    truename: String,
    creid: String,
    cretype: String,
    refused: Option<Error>,
}

const USER_KEYS: [&str; 4] = ["openid", "truename", "creid", "cretype"];

impl User {
    fn from_item(item: &Bound<'_, PyAny>, index: usize) -> PyResult<User> {
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

/// A WeChat Pay real-name client. Build one per merchant account and share it: it is
/// safe to use from many threads and keeps one pool of keep-alive connections.
///
/// The options are those of every nameauth front end: ``endpoint``, ``timeout_ms``
/// (whole call, retries included), ``connect_timeout_ms``, ``sign_case``, ``retries``
/// (made only where the request cannot have been processed), ``proxy``, ``ca_file``
/// (root certificates added to Mozilla's), ``validate_id``, ``allow_http`` (plain
/// http:// to non-loopback hosts or through a proxy: test rigs only) and
/// ``fallback_endpoint`` (used only when the endpoint cannot be reached at all) and
/// ``idle_timeout_ms`` (how long an unused keep-alive connection is kept). ``timeout`` and
/// ``connect_timeout`` in seconds are the older spellings. The key is never shown and is
/// wiped from memory when the client is closed.
#[pyclass(frozen, module = "nameauth", name = "Client")]
pub(crate) struct Client {
    inner: RwLock<Option<CoreClient>>,
    /// This client's `AsyncClient` calls waiting for a pool thread.
    waiting: Arc<AtomicUsize>,
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
    if v.is_instance_of::<pyo3::types::PyBool>() || !v.is_instance_of::<pyo3::types::PyInt>() {
        return Err(PyTypeError::new_err(format!("{name}: must be an int")));
    }
    // Any int, however large, reaches the core's range check as text.
    let text: String = v.str()?.extract()?;
    b.option(name, &text).map_err(|e| to_py_err(py, &e))
}

/// The older timeouts in seconds.
fn seconds(py: Python<'_>, field: &'static str, v: f64) -> PyResult<Duration> {
    if v.is_finite() && v > 0.0 && v <= 86_400.0 {
        Ok(Duration::from_secs_f64(v))
    } else {
        Err(config_error(
            py,
            field,
            "must be a number of seconds above 0 and at most 86400",
        ))
    }
}

/// The document type argument: ``"1"`` when not given.
fn cretype_arg(py: Python<'_>, cretype: Option<&Bound<'_, PyAny>>) -> PyResult<String> {
    Ok(opt_text(py, "cretype", cretype, false)?.unwrap_or_else(|| RESIDENT_ID_CARD.to_owned()))
}

/// The stats of every front end, as a dict.
fn stats_dict<'py>(py: Python<'py>, s: &nameauth::Stats) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("calls", s.calls)?;
    d.set_item("requests", s.requests)?;
    d.set_item("retries", s.retries)?;
    d.set_item("connections_opened", s.connections_opened)?;
    d.set_item("failovers", s.failovers)?;
    let verdicts = PyDict::new(py);
    for (code, n) in nameauth::stats::CODES.iter().zip(s.verdicts) {
        verdicts.set_item(code.as_str(), n)?;
    }
    d.set_item("verdicts", verdicts)?;
    let errors = PyDict::new(py);
    for (kind, n) in nameauth::stats::ERROR_KINDS.iter().zip(s.errors) {
        errors.set_item(kind.as_str(), n)?;
    }
    d.set_item("errors", errors)?;
    d.set_item("latency_p50_us", s.latency_p50.as_micros() as u64)?;
    d.set_item("latency_p90_us", s.latency_p90.as_micros() as u64)?;
    d.set_item("latency_p99_us", s.latency_p99.as_micros() as u64)?;
    Ok(d)
}

impl Client {
    fn get(&self, py: Python<'_>) -> PyResult<CoreClient> {
        let guard = self.inner.read().unwrap_or_else(|p| p.into_inner());
        guard
            .clone()
            .ok_or_else(|| config_error(py, "client", "is closed"))
    }

    fn of(client: CoreClient) -> Self {
        Client {
            inner: RwLock::new(Some(client)),
            waiting: Arc::default(),
        }
    }
}

#[pymethods]
impl Client {
    #[new]
    #[pyo3(signature = (
        appid, src, key, *, endpoint=None, timeout_ms=None, connect_timeout_ms=None,
        sign_case=None, retries=None, proxy=None, ca_file=None, validate_id=true,
        allow_http=false, timeout=None, connect_timeout=None, fallback_endpoint=None,
        idle_timeout_ms=None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        appid: &Bound<'_, PyAny>,
        src: &Bound<'_, PyAny>,
        key: &Bound<'_, PyAny>,
        endpoint: Option<&Bound<'_, PyAny>>,
        timeout_ms: Option<&Bound<'_, PyAny>>,
        connect_timeout_ms: Option<&Bound<'_, PyAny>>,
        sign_case: Option<&Bound<'_, PyAny>>,
        retries: Option<&Bound<'_, PyAny>>,
        proxy: Option<&Bound<'_, PyAny>>,
        ca_file: Option<&Bound<'_, PyAny>>,
        validate_id: bool,
        allow_http: bool,
        timeout: Option<f64>,
        connect_timeout: Option<f64>,
        fallback_endpoint: Option<&Bound<'_, PyAny>>,
        idle_timeout_ms: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        // Every text option is checked here, by name: a string UTF-8 cannot hold is a
        // ConfigError naming the option, never an exception that carries the value.
        let endpoint = opt_text(py, "endpoint", endpoint, true)?;
        let sign_case = opt_text(py, "sign_case", sign_case, true)?;
        let proxy = opt_text(py, "proxy", proxy, true)?.map(zeroize::Zeroizing::new);
        let fallback_endpoint = opt_text(py, "fallback_endpoint", fallback_endpoint, true)?;
        let ca_file = path_arg(py, "ca_file", ca_file)?;
        let both = |new: Option<&Bound<'_, PyAny>>, old: Option<f64>| {
            new.is_some_and(|v| !v.is_none()) && old.is_some()
        };
        if both(timeout_ms, timeout) {
            return Err(config_error(
                py,
                "timeout",
                "give timeout_ms or timeout, not both",
            ));
        }
        if both(connect_timeout_ms, connect_timeout) {
            return Err(config_error(
                py,
                "connect_timeout",
                "give connect_timeout_ms or connect_timeout, not both",
            ));
        }
        let (appid, src) = (text(py, "appid", appid, true)?, text(py, "src", src, true)?);
        let key = zeroize::Zeroizing::new(text(py, "key", key, true)?);
        let mut b = ClientBuilder::new(appid, src, key.as_str())
            .validate_id(validate_id)
            .allow_http(allow_http)
            .option("sign_case", sign_case.as_deref().unwrap_or("lower"))
            .map_err(|e| to_py_err(py, &e))?;
        if let Some(t) = timeout {
            b = b.timeout(seconds(py, "timeout", t)?);
        }
        if let Some(t) = connect_timeout {
            b = b.connect_timeout(seconds(py, "connect_timeout", t)?);
        }
        b = int_option(py, b, "timeout_ms", timeout_ms)?;
        b = int_option(py, b, "connect_timeout_ms", connect_timeout_ms)?;
        b = int_option(py, b, "retries", retries)?;
        b = int_option(py, b, "idle_timeout_ms", idle_timeout_ms)?;
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
        // Building reads `ca_file`: no GIL needed for that.
        let client = py.detach(|| b.build()).map_err(|e| to_py_err(py, &e))?;
        Ok(Client::of(client))
    }

    /// A client from the environment: ``NAMEAUTH_APPID``, ``NAMEAUTH_SRC``,
    /// ``NAMEAUTH_KEY``, and ``NAMEAUTH_`` plus any option's name in capitals
    /// (``NAMEAUTH_ENDPOINT``, ``NAMEAUTH_TIMEOUT_MS``, ...).
    #[classmethod]
    fn from_env(_cls: &Bound<'_, PyType>, py: Python<'_>) -> PyResult<Self> {
        let client = py
            .detach(|| ClientBuilder::from_env().build())
            .map_err(|e| to_py_err(py, &e))?;
        Ok(Client::of(client))
    }

    /// Verifies one user and returns a ``Verdict`` whenever the server answered (codes A
    /// to F and Other). Raises ``InvalidInput`` (nothing sent), ``ConfigError``,
    /// ``Timeout``, ``TransportError`` or ``ProtocolError`` otherwise. The GIL is released
    /// while the request is checked, signed, sent and parsed.
    // The text signature shows the default that `None` stands for: RESIDENT_ID_CARD.
    #[pyo3(
        signature = (openid, truename, creid, cretype=None),
        text_signature = "($self, openid, truename, creid, cretype='1')"
    )]
    fn verify(
        &self,
        py: Python<'_>,
        openid: &Bound<'_, PyAny>,
        truename: &Bound<'_, PyAny>,
        creid: &Bound<'_, PyAny>,
        cretype: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Verdict> {
        let openid = text(py, "openid", openid, false)?;
        let truename = zeroize::Zeroizing::new(text(py, "truename", truename, false)?);
        let creid = zeroize::Zeroizing::new(text(py, "creid", creid, false)?);
        let cretype = cretype_arg(py, cretype)?;
        let client = self.get(py)?;
        let options = CallOptions::new();
        // `_inside` lasts until this call returns to Python (see pool::detached).
        let ((result, report), _inside) = crate::pool::detached(py, || {
            verify_quietly(&client, &openid, &truename, &creid, &cretype, &options)
        });
        let call = Call {
            openid: &openid,
            truename: &truename,
            creid: &creid,
        };
        logs::emit(py, &call, &report, result.as_ref())?;
        result.map(Verdict::from).map_err(|e| to_py_err(py, &e))
    }

    /// What this client did since it was built: ``calls``, ``requests``, ``retries``,
    /// ``connections_opened``, ``failovers``, ``verdicts`` (a dict by code, A to F and
    /// Other), ``errors`` (a dict by error kind) and ``latency_p50_us``,
    /// ``latency_p90_us``, ``latency_p99_us`` (microseconds, of the calls that sent a
    /// request; within 12.5 %).
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        stats_dict(py, &self.get(py)?.stats())
    }

    /// For ``AsyncClient``: checks the arguments here, queues the call for a pool thread
    /// (``QueueFull`` if ``max_queued`` of this client's calls wait already) and returns
    /// its ``_Pending``, whose ``cancel()`` stops it unless its request was written. The
    /// outcome goes to ``deliver(future, ok, value)`` through
    /// ``loop.call_soon_threadsafe`` (a cancelled future's outcome is dropped there).
    #[pyo3(signature = (r#loop, deliver, future, max_queued, openid, truename, creid, cretype=None))]
    #[allow(clippy::too_many_arguments)]
    fn _verify_async(
        &self,
        py: Python<'_>,
        r#loop: Py<PyAny>,
        deliver: Py<PyAny>,
        future: Py<PyAny>,
        max_queued: usize,
        openid: &Bound<'_, PyAny>,
        truename: &Bound<'_, PyAny>,
        creid: &Bound<'_, PyAny>,
        cretype: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<crate::asynccall::Pending> {
        let openid = text(py, "openid", openid, false)?;
        let truename = zeroize::Zeroizing::new(text(py, "truename", truename, false)?);
        let creid = zeroize::Zeroizing::new(text(py, "creid", creid, false)?);
        let cretype = cretype_arg(py, cretype)?;
        let client = self.get(py)?;
        let user = crate::asynccall::User {
            openid,
            truename,
            creid,
            cretype,
        };
        crate::asynccall::submit(
            py,
            client,
            &self.waiting,
            max_queued,
            r#loop,
            deliver,
            future,
            user,
        )
    }

    /// Verifies many users with ``concurrency`` Rust threads (the GIL released) and
    /// returns a list in input order: for each item a ``Verdict``, or the exception
    /// instance its ``verify`` would have raised. Items are tuples ``(openid, truename,
    /// creid[, cretype])`` or dicts with those keys (and no others); a malformed item
    /// raises ``TypeError`` before anything is sent.
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
        type Outcome = (Result<nameauth::Verdict, Error>, nameauth::Report);
        let results: Vec<Mutex<Option<Outcome>>> = users.iter().map(|_| Mutex::new(None)).collect();
        // Workers take items until none are left or a signal (Ctrl-C) stops the batch; this
        // thread waits with the GIL released and checks Python's signals every 100 ms.
        let next = AtomicUsize::new(0);
        let finished = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        let progress = (Mutex::new(()), Condvar::new());
        let workers = concurrency.min(users.len());
        let mut interrupted = None;
        // Held from the last return of the GIL until this call returns to Python, so the
        // exit hook waits for the logging below (see pool::detached).
        let mut inside: Option<crate::pool::Inside> = None;
        std::thread::scope(|s| {
            for _ in 0..workers {
                s.spawn(|| {
                    loop {
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(u) = users.get(i) else { break };
                        let r = match &u.refused {
                            Some(e) => (Err(e.clone()), nameauth::Report::default()),
                            // One item's panic (a bug) is that item's InternalError, not
                            // the whole batch's BaseException.
                            None => verify_quietly(
                                &client,
                                &u.openid,
                                &u.truename,
                                &u.creid,
                                &u.cretype,
                                &CallOptions::new(),
                            ),
                        };
                        *results[i].lock().unwrap_or_else(|p| p.into_inner()) = Some(r);
                    }
                    finished.fetch_add(1, Ordering::Relaxed);
                    let _guard = progress.0.lock().unwrap_or_else(|p| p.into_inner());
                    progress.1.notify_all();
                });
            }
            while finished.load(Ordering::Relaxed) < workers {
                // Dropped before waiting again: a parked thread must not be counted.
                drop(inside.take());
                let ((), now) = crate::pool::detached(py, || {
                    let guard = progress.0.lock().unwrap_or_else(|p| p.into_inner());
                    if finished.load(Ordering::Relaxed) < workers {
                        let _ = progress.1.wait_timeout(guard, Duration::from_millis(100));
                    }
                });
                inside = Some(now);
                if let Err(e) = py.check_signals() {
                    // No new item starts; the ones in flight end within the timeout.
                    stop.store(true, Ordering::Relaxed);
                    interrupted = Some(e);
                    break;
                }
            }
        });
        if let Some(e) = interrupted {
            return Err(e);
        }
        let out = PyList::empty(py);
        for (slot, u) in results.into_iter().zip(&users) {
            let (r, report) = slot
                .into_inner()
                .unwrap_or_else(|p| p.into_inner())
                .unwrap_or_else(|| {
                    let e = Error::internal("a worker thread stopped early");
                    (Err(e), nameauth::Report::default())
                });
            let call = Call {
                openid: &u.openid,
                truename: &u.truename,
                creid: &u.creid,
            };
            logs::emit(py, &call, &report, r.as_ref())?;
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
    fn __exit__(&self, _exc: &Bound<'_, PyTuple>) {
        self.close();
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
