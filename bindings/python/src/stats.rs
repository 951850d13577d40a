//! `Client.stats()`: the core's counters as the dict every front end documents.

use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The stats of every front end, as a dict.
pub(crate) fn stats_dict<'py>(
    py: Python<'py>,
    s: &nameauth::Stats,
) -> PyResult<Bound<'py, PyDict>> {
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
