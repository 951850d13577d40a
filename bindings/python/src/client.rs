//! `nameauth.Client`: the class, its calls and its life (close, context manager, repr).
//! Its options are read in options.rs, `verify_many` runs in many.rs, `AsyncClient`
//! calls in asynccall.rs; the GIL is released for the whole validate-sign-send-parse of
//! every call.

use std::sync::RwLock;

use nameauth::{CallOptions, Client as CoreClient, ClientBuilder};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple, PyType};

use crate::args::{cretype_arg, py_repr, text};
use crate::error::{config_error, to_py_err};
use crate::logs::{self, Call};
use crate::options::Options;
use crate::quiet::quietly;
use crate::verdict::Verdict;

/// A WeChat Pay real-name client. Build one per merchant account and share it: it is
/// safe to use from many threads and keeps one pool of keep-alive connections.
///
/// The options are those of every nameauth front end: ``endpoint``, ``timeout_ms``
/// (whole call, retries included), ``connect_timeout_ms``, ``sign_case``, ``retries``
/// (made only where the request cannot have been processed), ``proxy``, ``ca_file``
/// (root certificates added to Mozilla's), ``id_rules``, ``allow_http`` (plain
/// http:// to non-loopback hosts or through a proxy: test rigs only) and
/// ``fallback_endpoint`` (used only when the endpoint cannot be reached at all) and
/// ``idle_timeout_ms`` (how long an unused keep-alive connection is kept). The key is
/// never shown and is
/// wiped from memory when the client is closed.
#[pyclass(frozen, module = "nameauth", name = "Client")]
pub(crate) struct Client {
    inner: RwLock<Option<CoreClient>>,
    /// This client's `AsyncClient` calls waiting for a pool thread, and its `close`.
    calls: crate::asynccall::Calls,
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
            calls: crate::asynccall::Calls::default(),
        }
    }
}

#[pymethods]
impl Client {
    #[new]
    #[pyo3(signature = (
        appid, src, key, *, endpoint=None, timeout_ms=None, connect_timeout_ms=None,
        sign_case=None, retries=None, proxy=None, ca_file=None, id_rules=true,
        allow_http=false, fallback_endpoint=None,
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
        id_rules: bool,
        allow_http: bool,
        fallback_endpoint: Option<&Bound<'_, PyAny>>,
        idle_timeout_ms: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let options = Options {
            endpoint,
            timeout_ms,
            connect_timeout_ms,
            sign_case,
            retries,
            proxy,
            ca_file,
            id_rules,
            allow_http,
            fallback_endpoint,
            idle_timeout_ms,
        };
        // The options may run the caller's code (`__fspath__`): counted (see exit.rs).
        let entered = crate::exit::entered(py);
        let b = crate::options::builder(py, appid, src, key, options)?;
        drop(entered);
        // Building reads `ca_file`: no GIL needed for that.
        let (built, _inside) = crate::exit::detached(py, || b.build());
        Ok(Client::of(built.map_err(|e| to_py_err(py, &e))?))
    }

    /// A client from the environment: ``NAMEAUTH_APPID``, ``NAMEAUTH_SRC``,
    /// ``NAMEAUTH_KEY``, and ``NAMEAUTH_`` plus any option's name in capitals
    /// (``NAMEAUTH_ENDPOINT``, ``NAMEAUTH_TIMEOUT_MS``, ...).
    #[classmethod]
    fn from_env(_cls: &Bound<'_, PyType>, py: Python<'_>) -> PyResult<Self> {
        let (built, _inside) = crate::exit::detached(py, || ClientBuilder::from_env().build());
        Ok(Client::of(built.map_err(|e| to_py_err(py, &e))?))
    }

    /// Verifies one user and returns a ``Verdict`` whenever the server answered (codes A
    /// to F and Other). Raises ``InvalidInputError`` (nothing sent), ``InvalidConfigError``,
    /// ``TimeoutError``, ``TransportError`` or ``ProtocolError`` otherwise. The GIL is released
    /// while the request is checked, signed, sent and parsed.
    /// Ctrl-C does not stop a call: it is raised when the call ends, its
    /// ``KeyboardInterrupt`` carrying ``results``, a list of the call's verdict or error.
    // The text signature shows the default that `None` stands for: RESIDENT_ID_CARD.
    #[pyo3(
        signature = (openid, truename, creid, cretype=None),
        text_signature = "($self, openid, truename, creid, cretype='1')"
    )]
    fn verify<'py>(
        &self,
        py: Python<'py>,
        openid: &Bound<'_, PyAny>,
        truename: &Bound<'_, PyAny>,
        creid: &Bound<'_, PyAny>,
        cretype: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Bound<'py, Verdict>> {
        let openid = text(py, "openid", openid, false)?;
        let truename = zeroize::Zeroizing::new(text(py, "truename", truename, false)?);
        let creid = zeroize::Zeroizing::new(text(py, "creid", creid, false)?);
        let cretype = cretype_arg(py, cretype)?;
        let client = self.get(py)?;
        let options = CallOptions::new();
        // `_inside` lasts until this call returns to Python (see exit::detached).
        let ((result, report), _inside) = crate::exit::detached(py, || {
            quietly(|| client.verify_with(&openid, &truename, &creid, &cretype, &options))
        });
        let call = Call {
            openid: &openid,
            truename: &truename,
            creid: &creid,
        };
        // Ctrl-C during the call, or while it is logged, would be raised a bytecode after
        // it returns and take its outcome along: raised here instead, carrying the outcome
        // as `results` (as `verify_many` does), so the answer of a request the server
        // processed is never lost.
        let signal = logs::emit(py, &call, &report, result.as_ref())
            .err()
            .or_else(|| py.check_signals().err());
        let outcome = match result {
            Ok(v) => Ok(Bound::new(py, Verdict::from(v))?),
            Err(e) => Err(to_py_err(py, &e)),
        };
        if let Some(sig) = signal {
            let value = match &outcome {
                Ok(v) => v.clone().into_any(),
                Err(e) => e.value(py).clone().into_any(),
            };
            sig.value(py)
                .setattr("results", PyList::new(py, [value])?)?;
            return Err(sig);
        }
        outcome
    }

    /// What this client did since it was built: ``calls``, ``requests``, ``retries``,
    /// ``connections_opened``, ``failovers``, ``verdicts`` (a dict by code, A to F and
    /// Other), ``errors`` (a dict by error kind) and ``latency_p50_us``,
    /// ``latency_p90_us``, ``latency_p99_us`` (microseconds, of the calls that sent a
    /// request; within 12.5 %).
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        crate::stats::stats_dict(py, &self.get(py)?.stats())
    }

    /// For ``AsyncClient``: checks the arguments here, queues the call for a pool thread
    /// (``QueueFullError`` if ``max_queued`` of this client's calls wait already) and returns
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
            &self.calls,
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
    /// raises ``TypeError`` before anything is sent. Ctrl-C stops it between items; the
    /// ``KeyboardInterrupt`` carries ``results``, ``None`` for each item never sent.
    #[pyo3(
        signature = (items, concurrency=None),
        text_signature = "($self, items, concurrency=16)"
    )]
    fn verify_many<'py>(
        &self,
        py: Python<'py>,
        items: &Bound<'py, PyAny>,
        concurrency: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let concurrency = concurrency.map_or(Ok(16), crate::many::concurrency)?;
        // `items` is the caller's code (a generator): counted while it runs (exit.rs).
        let entered = crate::exit::entered(py);
        let users = crate::many::users(items)?;
        crate::many::verify_many(py, &self.get(py)?, &users, concurrency, entered)
    }

    /// Closes the client: its connections are dropped and its key wiped once no call is
    /// using it. Later calls raise ``InvalidConfigError``, and so do ``AsyncClient`` calls
    /// still waiting for a thread (never sent). Closing twice is harmless.
    fn close(&self) {
        let mut guard = self.inner.write().unwrap_or_else(|p| p.into_inner());
        guard.take();
        // AsyncClient calls still waiting for a thread are not sent (asynccall.rs).
        self.calls
            .closed
            .store(true, std::sync::atomic::Ordering::SeqCst);
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
