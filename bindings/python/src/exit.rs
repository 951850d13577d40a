//! Leaving Python at interpreter exit: the exit hook that closes the `AsyncClient` pool
//! (pool.rs), and the gate every thread of ours passes to reach Python.
//!
//! Design.
//! CPython ends a thread that asks for the GIL once the interpreter is finalizing
//! (`pthread_exit`, whose forced unwind through our frames crashes with the unwinder
//! the wheel carries), so no worker may ask for it then. Workers reach Python only
//! through [`with_python`], which counts them in `attached` under the pool's lock and
//! refuses once `closed` is set. [`_shutdown`] runs from an `atexit` hook, before
//! finalization starts, with the GIL: it sets `closed`, cancels every queued and
//! running call (nobody is left to take their answers; a request already written runs
//! to its end and its answer is dropped), drops the queue, then releases the GIL and
//! waits (at most `EXIT_WAIT`) for the workers inside Python to leave. After that no
//! worker touches the interpreter again: they finish their network work (or are ended
//! by the process's exit) without the GIL. `Python::try_attach` alone is not enough:
//! in this abi3-py38 build it checks `Py_IsInitialized` (PyO3's `Py_IsFinalizing`
//! check is for 3.13+ builds only), and a worker that passed that check while the
//! main thread held the GIL waits in `PyGILState_Ensure` until finalization has begun,
//! then is ended. The flag is set before finalization, and `attached` covers that wait.
//! The same holds for a Python thread (a daemon thread, since `threading` joins the
//! others before `atexit` runs) that released the GIL for a blocking `Client.verify`:
//! [`detached`] re-enters Python through the same count (kept until the call returns
//! to Python, as our frames still log and convert), and once the pool is closed
//! it parks the thread for good instead (CPython 3.14 does the same with such
//! threads; the process is exiting). The thread that runs the exit hook is never
//! parked: later `atexit` functions may still verify. Every method of ours that releases
//! the GIL does so through [`detached`], and one that runs the caller's own Python code
//! (the `verify_many` iterable, options) is counted while it does ([`entered`]). The
//! bound is the limit: code of the caller's that is still blocked (a logging filter, an
//! iterable) when the wait ends and takes the GIL while the interpreter finalizes ends
//! its thread through our frames, which crashes the process.

use std::time::{Duration, Instant};

use pyo3::prelude::*;

use crate::pool::{shared, state};

/// How long the exit hook waits for workers that are running Python code (delivering an
/// outcome, logging) to leave it.
const EXIT_WAIT: Duration = Duration::from_secs(5);

/// Runs `f` with the GIL unless the interpreter is exiting (then `None`, and `f` is not
/// called). The only way a worker reaches Python.
pub(crate) fn with_python<R>(f: impl for<'py> FnOnce(Python<'py>) -> R) -> Option<R> {
    {
        let mut s = state();
        if s.closed {
            return None;
        }
        s.attached += 1;
    }
    let r = Python::try_attach(f);
    let mut s = state();
    s.attached = s.attached.saturating_sub(1);
    shared().left_python.notify_all();
    r
}

/// Runs `f` with the GIL released, as `py.detach`, for the blocking calls of Python's own
/// threads. Once the exit hook has run, a thread other than the exiting one never takes
/// the GIL again: it parks until the process ends (see the design above). Otherwise the
/// thread is counted as inside Python until the returned guard is dropped: keep it until
/// the call returns to Python, so the exit hook waits for the logging and conversions it
/// still does in our frames.
pub(crate) fn detached<T: Send>(py: Python<'_>, f: impl FnOnce() -> T + Send) -> (T, Inside) {
    let r = py.detach(|| {
        let r = f();
        let mut s = state();
        if s.closed && s.exit_thread != Some(std::thread::current().id()) {
            drop(s);
            loop {
                std::thread::park();
            }
        }
        s.attached += 1;
        r
    });
    (r, Inside(std::process::id()))
}

/// Counts this thread, which holds the GIL in our frames and is about to run the
/// caller's own code (a `verify_many` iterable, an option's `__fspath__`), as inside
/// Python until the returned guard is dropped, so the exit hook waits for it: that code
/// may release the GIL (a generator reading a file) and take it again once the
/// interpreter finalizes, which ends the thread through our frames. Drop the guard
/// before [`detached`], where a thread may park. Once the exit hook has run, a thread
/// other than the exiting one parks here instead, the GIL released (see the design).
pub(crate) fn entered(py: Python<'_>) -> Inside {
    let mut s = state();
    if s.closed && s.exit_thread != Some(std::thread::current().id()) {
        drop(s);
        return py.detach(|| -> Inside {
            loop {
                std::thread::park();
            }
        });
    }
    s.attached += 1;
    Inside(std::process::id())
}

/// A thread counted in `attached` (see [`detached`]); uncounted when dropped.
pub(crate) struct Inside(u32);

impl Drop for Inside {
    fn drop(&mut self) {
        // Made before a `fork` and dropped in the child: the child's pool never counted it.
        if self.0 == std::process::id() {
            let mut s = state();
            s.attached = s.attached.saturating_sub(1);
            shared().left_python.notify_all();
        }
    }
}

/// The exit hook (registered with `atexit` when the module is imported): closes the pool
/// and waits a bounded time for the workers inside Python (see the design above).
#[pyfunction]
pub(crate) fn _shutdown(py: Python<'_>) {
    let queue = {
        let mut s = state();
        s.closed = true;
        s.exit_thread = Some(std::thread::current().id());
        for t in s.running.iter().flatten() {
            t.cancel();
        }
        let queue = std::mem::take(&mut s.queue);
        for j in &queue {
            j.token.cancel();
        }
        shared().work.notify_all();
        queue
    };
    drop(queue); // with the GIL: the calls' futures and loops are Python objects
    py.detach(|| {
        let end = Instant::now() + EXIT_WAIT;
        let mut s = state();
        while s.attached > 0 {
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            s = shared()
                .left_python
                .wait_timeout(s, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    });
}
