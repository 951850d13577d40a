//! One `AsyncClient` call: queued on the pool (pool.rs) with its `CancelToken`, run
//! on a pool thread, its outcome logged and handed to the event loop.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;

use nameauth::frontend::PerProcess;
use nameauth::{CallOptions, CancelToken, Client as CoreClient, Error, Report};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use zeroize::Zeroizing;

use crate::error::exception;
use crate::logs::{self, Call};
use crate::pool::{self, Refused};
use crate::verdict::Verdict;

/// An `AsyncClient` call handed to the pool: cancelling it before its request is written
/// means it is never written.
#[pyclass(frozen, module = "nameauth", name = "_Pending")]
pub(crate) struct Pending {
    token: CancelToken,
}

#[pymethods]
impl Pending {
    /// Cancels the call unless its request was written already (then its answer still
    /// comes).
    fn cancel(&self) {
        self.token.cancel();
    }

    /// True once ``cancel`` was called.
    #[getter]
    fn cancelled(&self) -> bool {
        self.token.is_cancelled()
    }

    /// Read after ``cancel``: False if the request will never be written (the call ends
    /// cancelled, or was dropped from the queue), True if it may have been (see the
    /// core's `CancelToken::reached_the_write`): its outcome is then still delivered.
    #[getter]
    fn reached_the_write(&self) -> bool {
        self.token.reached_the_write()
    }
}

/// What the pool knows of one client: its calls waiting for a thread (bounded by
/// `max_queued`) and whether it was closed. A call still waiting when its client is closed
/// is not sent: it ends with the error of a call made after `close` ("client: is closed").
#[derive(Default)]
pub(crate) struct Calls {
    /// This process's count (a child after `fork` starts at zero: its parent's waiting
    /// calls are not its own).
    pub(crate) waiting: PerProcess<Arc<AtomicUsize>>,
    pub(crate) closed: Arc<AtomicBool>,
}

/// The checked arguments of one call, owned.
pub(crate) struct User {
    pub(crate) openid: String,
    pub(crate) truename: Zeroizing<String>,
    pub(crate) creid: Zeroizing<String>,
    pub(crate) cretype: String,
}

/// Queues the call; its outcome goes to `deliver(future, ok, value)` through
/// `loop.call_soon_threadsafe`. Refused at once (`QueueFullError`) when `max_queued` calls of
/// this client wait already.
#[allow(clippy::too_many_arguments)]
pub(crate) fn submit(
    py: Python<'_>,
    client: CoreClient,
    calls: &Calls,
    max_queued: usize,
    r#loop: Py<PyAny>,
    deliver: Py<PyAny>,
    future: Py<PyAny>,
    user: User,
) -> PyResult<Pending> {
    let token = CancelToken::new();
    let closed = calls.closed.clone();
    let run = move |token: &CancelToken| {
        let options = CallOptions::new().with_cancel(token.clone());
        let u = &user;
        let (result, report) = if closed.load(SeqCst) {
            let e = Error::front_end_config("client", "is closed");
            (Err(e), Report::default())
        } else {
            crate::quiet::quietly(|| {
                client.verify_with(&u.openid, &u.truename, &u.creid, &u.cretype, &options)
            })
        };
        // Never once the interpreter is exiting (see exit.rs); the Python objects are
        // then released by PyO3 without the GIL.
        crate::exit::with_python(move |py| {
            let call = Call {
                openid: &user.openid,
                truename: &user.truename,
                creid: &user.creid,
            };
            // A logger's failure is reported by `emit` itself; the outcome is delivered
            // whatever the logger did.
            let logged = logs::emit(py, &call, &report, result.as_ref());
            let delivered = (|| {
                let (ok, value) = match result {
                    Ok(v) => (true, Bound::new(py, Verdict::from(v))?.into_any()),
                    Err(e) => (false, exception(py, &e)?),
                };
                r#loop
                    .bind(py)
                    .call_method1("call_soon_threadsafe", (deliver, future, ok, value))
            })();
            // A closed loop (its owner gave up on the result) is not an error here;
            // anything else goes where Python reports errors nobody can catch.
            if let Err(e) = delivered {
                if !e.is_instance_of::<PyRuntimeError>(py) {
                    e.write_unraisable(py, None);
                }
            }
            if let Err(e) = logged {
                e.write_unraisable(py, None);
            }
        });
    };
    let waiting = calls.waiting.get_or(Default::default);
    match pool::spawn(token.clone(), waiting, max_queued, run) {
        Ok(()) => Ok(Pending { token }),
        Err(Refused::Full(n)) => Err(crate::error::queue_full(py, n)),
        Err(Refused::Closed) => Err(PyRuntimeError::new_err(
            "nameauth: the interpreter is exiting; no new AsyncClient call is started",
        )),
        Err(Refused::Thread(e)) => Err(PyRuntimeError::new_err(format!(
            "nameauth: no worker thread could be started: {e}"
        ))),
    }
}
