//! The Rust threads `AsyncClient` runs calls on: up to `MAX_THREADS`, started as work
//! arrives, fed by one queue of waiting calls. After `fork` the child starts a pool of its
//! own (its parent's threads do not exist there).
//!
//! Design.
//! - Cancel: every call carries a `CancelToken`. `AsyncClient.verify` cancels it when the
//!   task awaiting the call is cancelled. A worker that takes a cancelled call from the
//!   queue drops it unseen; a running call checks the token where the core writes the
//!   request (`Client::verify_with`), so a call cancelled before its request is written
//!   is never written.
//! - Bound: each client counts its calls waiting in the queue; a call that would make
//!   them more than the client's `max_queued` is refused at once (`QueueFull`, nothing
//!   queued). Cancelled calls still queued are purged before a call is refused.
//! - Exit: CPython ends a thread that asks for the GIL once the interpreter is finalizing
//!   (`pthread_exit`, whose forced unwind through our frames crashes with the unwinder
//!   the wheel carries), so no worker may ask for it then. Workers reach Python only
//!   through [`with_python`], which counts them in `attached` under the pool's lock and
//!   refuses once `closed` is set. [`_shutdown`] runs from an `atexit` hook, before
//!   finalization starts, with the GIL: it sets `closed`, cancels every queued and
//!   running call (nobody is left to take their answers; a request already written runs
//!   to its end and its answer is dropped), drops the queue, then releases the GIL and
//!   waits (at most `EXIT_WAIT`) for the workers inside Python to leave. After that no
//!   worker touches the interpreter again: they finish their network work (or are ended
//!   by the process's exit) without the GIL. `Python::try_attach` alone is not enough:
//!   in this abi3-py38 build it checks `Py_IsInitialized` (PyO3's `Py_IsFinalizing`
//!   check is for 3.13+ builds only), and a worker that passed that check while the
//!   main thread held the GIL waits in `PyGILState_Ensure` until finalization has begun,
//!   then is ended. The flag is set before finalization, and `attached` covers that wait.
//!   The same holds for a Python thread (a daemon thread, since `threading` joins the
//!   others before `atexit` runs) that released the GIL for a blocking `Client.verify`:
//!   [`detached`] re-enters Python through the same count (kept until the call returns
//!   to Python, as our frames still log and convert), and once the pool is closed
//!   it parks the thread for good instead (CPython 3.14 does the same with such
//!   threads; the process is exiting). The thread that runs the exit hook is never
//!   parked: later `atexit` functions may still verify.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use nameauth::CancelToken;
use pyo3::prelude::*;

/// Threads at most: enough for the requests a merchant's quota allows in flight.
pub(crate) const MAX_THREADS: usize = 64;

/// How long the exit hook waits for workers that are running Python code (delivering an
/// outcome, logging) to leave it.
const EXIT_WAIT: Duration = Duration::from_secs(5);

/// What a call does on its thread, given its token.
type Run = Box<dyn FnOnce(&CancelToken) + Send>;

/// One call waiting for a thread.
struct Job {
    token: CancelToken,
    run: Option<Run>,
    /// The client's count of waiting calls; one less once this job leaves the queue.
    waiting: Arc<AtomicUsize>,
}

impl Drop for Job {
    fn drop(&mut self) {
        self.waiting.fetch_sub(1, SeqCst);
    }
}

struct State {
    pid: u32,
    queue: VecDeque<Job>,
    threads: usize,
    idle: usize,
    /// The token of the call each thread runs, by thread number.
    running: Vec<Option<CancelToken>>,
    /// Set by the exit hook: no new call, no worker enters Python.
    closed: bool,
    /// Threads inside `with_python` or re-entering Python in `detached`.
    attached: usize,
    /// The thread that ran the exit hook (it finalizes the interpreter).
    exit_thread: Option<std::thread::ThreadId>,
}

static STATE: Mutex<State> = Mutex::new(State {
    pid: 0,
    queue: VecDeque::new(),
    threads: 0,
    idle: 0,
    running: Vec::new(),
    closed: false,
    attached: 0,
    exit_thread: None,
});
/// Wakes idle workers when a call is queued or the pool closes.
static WORK: Condvar = Condvar::new();
/// Wakes the exit hook when a worker leaves Python.
static LEFT_PYTHON: Condvar = Condvar::new();

/// Why a call was not queued.
pub(crate) enum Refused {
    /// The client already has `max_queued` calls waiting.
    Full(usize),
    /// The interpreter is exiting.
    Closed,
    /// No thread could be started.
    Thread(std::io::Error),
}

/// The pool's state for this process: a child after `fork` starts afresh (its parent's
/// threads and queue do not exist there; their jobs are leaked, never run nor dropped).
fn state() -> MutexGuard<'static, State> {
    let mut s = STATE.lock().unwrap_or_else(|p| p.into_inner());
    let pid = std::process::id();
    if s.pid != pid {
        std::mem::forget(std::mem::take(&mut s.queue));
        std::mem::forget(std::mem::take(&mut s.running));
        s.pid = pid;
        (s.threads, s.idle, s.attached, s.closed) = (0, 0, 0, false);
        s.exit_thread = None;
    }
    s
}

/// Queues `run` to be called on a pool thread with `token`, unless `waiting` (the
/// client's count of queued calls) has reached `max_queued`. Call with the GIL held:
/// purged jobs are dropped here.
pub(crate) fn spawn(
    token: CancelToken,
    waiting: &Arc<AtomicUsize>,
    max_queued: usize,
    run: impl FnOnce(&CancelToken) + Send + 'static,
) -> Result<(), Refused> {
    let mut s = state();
    if s.closed {
        return Err(Refused::Closed);
    }
    let mut purged = Vec::new();
    if waiting.load(SeqCst) >= max_queued {
        // Cancelled calls give their places back before anyone is refused.
        let queue = std::mem::take(&mut s.queue);
        let (gone, kept): (Vec<Job>, Vec<Job>) =
            queue.into_iter().partition(|j| j.token.is_cancelled());
        s.queue = kept.into();
        purged = gone;
        if waiting.load(SeqCst) >= max_queued {
            drop(s);
            drop(purged); // Python objects: released with the GIL, outside the lock.
            return Err(Refused::Full(max_queued));
        }
    }
    // Idle workers that were woken but have not taken their call yet still count as
    // idle, so the queue's length, not `idle == 0`, says whether one more is needed.
    if s.queue.len() >= s.idle && s.threads < MAX_THREADS {
        let n = s.threads;
        let started = std::thread::Builder::new()
            .name(format!("nameauth-async-{n}"))
            .spawn(move || work(n));
        if let Err(e) = started {
            drop(s);
            drop(purged);
            return Err(Refused::Thread(e));
        }
        s.threads += 1;
        s.running.push(None);
    }
    waiting.fetch_add(1, SeqCst);
    s.queue.push_back(Job {
        token,
        run: Some(Box::new(run)),
        waiting: waiting.clone(),
    });
    WORK.notify_one();
    drop(s);
    drop(purged);
    Ok(())
}

/// A worker: takes calls until the pool closes. A cancelled call is dropped unrun.
fn work(n: usize) {
    let pid = std::process::id();
    loop {
        let mut job = {
            let mut s = state();
            loop {
                if s.closed || s.pid != pid {
                    return;
                }
                match s.queue.pop_front() {
                    // Dropped without the GIL: PyO3 defers its references' release.
                    Some(job) if job.token.is_cancelled() => drop(job),
                    Some(job) => {
                        s.running[n] = Some(job.token.clone());
                        break job;
                    }
                    None => {
                        s.idle += 1;
                        s = WORK.wait(s).unwrap_or_else(|p| p.into_inner());
                        s.idle -= 1;
                    }
                }
            }
        };
        let run = job.run.take();
        let token = job.token.clone();
        drop(job); // out of the queue: its place is free
        if let Some(run) = run {
            run(&token);
        }
        let mut s = state();
        if s.pid == pid {
            s.running[n] = None;
        }
    }
}

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
    LEFT_PYTHON.notify_all();
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

/// A thread counted in `attached` (see [`detached`]); uncounted when dropped.
pub(crate) struct Inside(u32);

impl Drop for Inside {
    fn drop(&mut self) {
        let mut s = state();
        if s.pid == self.0 {
            s.attached = s.attached.saturating_sub(1);
            LEFT_PYTHON.notify_all();
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
        WORK.notify_all();
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
            s = LEFT_PYTHON
                .wait_timeout(s, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    });
}
