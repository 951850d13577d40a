//! `nameauth._nameauth._Sandbox`: the sandbox server of the Rust suites, in the wheel, for
//! users' own tests (`nameauth.testing`). It listens on a free loopback port and stops
//! when closed or collected.

use std::sync::Mutex;

use nameauth_sandbox::{Fixtures, Sandbox as Server, APPID, KEY, SRC};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::args::{opt_text, text};

/// A running sandbox (see ``nameauth.testing.sandbox``).
#[pyclass(frozen, module = "nameauth", name = "_Sandbox")]
pub(crate) struct Sandbox {
    server: Mutex<Option<Server>>,
}

impl Sandbox {
    fn with<T>(&self, f: impl FnOnce(&Server) -> T) -> PyResult<T> {
        let guard = self.server.lock().unwrap_or_else(|p| p.into_inner());
        guard
            .as_ref()
            .map(f)
            .ok_or_else(|| PyRuntimeError::new_err("the sandbox is stopped"))
    }
}

#[pymethods]
impl Sandbox {
    /// Starts a sandbox: HTTPS with a CA made at start if ``tls``; ``fixtures_json`` (a
    /// fixtures file's JSON) replaces the built-in records; ``latency_ms`` delays every
    /// answer.
    #[new]
    #[pyo3(signature = (*, tls=false, fixtures_json=None, latency_ms=0))]
    fn new(
        py: Python<'_>,
        tls: bool,
        fixtures_json: Option<&Bound<'_, PyAny>>,
        latency_ms: u64,
    ) -> PyResult<Self> {
        let fixtures_json = opt_text(py, "fixtures", fixtures_json, false)?;
        let mut b = Server::builder()
            .tls(tls)
            .latency(std::time::Duration::from_millis(latency_ms));
        if let Some(j) = fixtures_json {
            b = b.fixtures(Fixtures::from_json(&j).map_err(PyValueError::new_err)?);
        }
        let (started, _inside) = crate::exit::detached(py, || b.start());
        let server = started
            .map_err(|e| PyRuntimeError::new_err(format!("the sandbox cannot start: {e}")))?;
        Ok(Sandbox {
            server: Mutex::new(Some(server)),
        })
    }

    /// The endpoint URL to give a client.
    #[getter]
    fn endpoint(&self) -> PyResult<String> {
        self.with(Server::endpoint)
    }

    /// The CA certificate file to trust (``ca_file``), when serving HTTPS.
    #[getter]
    fn ca_file(&self) -> PyResult<Option<String>> {
        self.with(|s| s.ca_file().map(|p| p.display().to_string()))
    }

    /// ``(appid, src, key)`` the sandbox accepts. Its key is a published test value.
    #[getter]
    fn credentials(&self) -> (&'static str, &'static str, &'static str) {
        (APPID, SRC, KEY)
    }

    /// ``{"requests": N, "connections": N}`` received so far.
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let s = self.with(Server::stats)?;
        let d = PyDict::new(py);
        d.set_item("requests", s.requests)?;
        d.set_item("connections", s.connections)?;
        Ok(d)
    }

    /// Requests so far that carried ``openid``.
    fn hits(&self, py: Python<'_>, openid: &Bound<'_, PyAny>) -> PyResult<u64> {
        let openid = text(py, "openid", openid, false)?;
        self.with(|s| s.hits(&openid))
    }

    /// Adds or replaces the record of ``openid`` (the JSON of a fixtures file entry).
    fn add_fixture(
        &self,
        py: Python<'_>,
        openid: &Bound<'_, PyAny>,
        record_json: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let openid = text(py, "openid", openid, false)?;
        let record = text(py, "record", record_json, false)?;
        self.with(|s| s.add_fixture(&openid, &record))?
            .map_err(PyValueError::new_err)
    }

    /// Stops serving. Stopping twice is harmless.
    fn close(&self, py: Python<'_>) {
        let server = self.server.lock().unwrap_or_else(|p| p.into_inner()).take();
        crate::exit::detached(py, || drop(server));
    }
}
