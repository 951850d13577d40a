//! The Rust threads `AsyncClient` runs calls on: up to `MAX_THREADS`, started as work
//! arrives, fed by one queue of waiting calls. After `fork` the child starts a pool of its
//! own, lock included (its parent's threads do not exist there: [`shared`]).
//!
//! Design.
//! - Cancel: every call carries a `CancelToken`. `AsyncClient.verify` cancels it when the
//!   task awaiting the call is cancelled. A worker that takes a cancelled call from the
//!   queue drops it unseen; a running call checks the token where the core writes the
//!   request (`Client::verify_with`), so a call cancelled before its request is written
//!   is never written.
//! - Bound: each client counts its calls waiting in the queue; a call that would make
//!   them more than the client's `max_queued` is refused at once (`QueueFullError`, nothing
//!   queued). Cancelled calls still queued are purged before a call is refused. The count
//!   is per process too: a child after `fork` starts at zero.
//! - Exit: the pool closes at interpreter exit; the design is in exit.rs, which shares
//!   this pool's lock (`closed`, `attached` and `exit_thread` live in [`State`]).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use nameauth::frontend::PerProcess;
use nameauth::CancelToken;

/// Threads at most: enough for the requests a merchant's quota allows in flight.
pub(crate) const MAX_THREADS: usize = 64;

/// What a call does on its thread, given its token.
type Run = Box<dyn FnOnce(&CancelToken) + Send>;

/// One call waiting for a thread.
pub(crate) struct Job {
    pub(crate) token: CancelToken,
    run: Option<Run>,
    /// The client's count of waiting calls; one less once this job leaves the queue
    /// (taken then, so the place is given back once).
    waiting: Option<Arc<AtomicUsize>>,
}

impl Job {
    /// Gives the job's place in its client's count back, once.
    fn leave(&mut self) {
        if let Some(w) = self.waiting.take() {
            w.fetch_sub(1, SeqCst);
        }
    }
}

impl Drop for Job {
    fn drop(&mut self) {
        self.leave();
    }
}

/// The pool of this process (see [`state`]).
#[derive(Default)]
pub(crate) struct State {
    pub(crate) queue: VecDeque<Job>,
    threads: usize,
    idle: usize,
    /// The token of the call each thread runs, by thread number.
    pub(crate) running: Vec<Option<CancelToken>>,
    /// Set by the exit hook: no new call, no worker enters Python.
    pub(crate) closed: bool,
    /// Threads inside `with_python` or re-entering Python in `detached`.
    pub(crate) attached: usize,
    /// The thread that ran the exit hook (it finalizes the interpreter).
    pub(crate) exit_thread: Option<std::thread::ThreadId>,
}

/// The pool's lock and the conditions waited on with it, one set per process.
pub(crate) struct Shared {
    state: Mutex<State>,
    /// Wakes idle workers when a call is queued or the pool closes.
    pub(crate) work: Condvar,
    /// Wakes the exit hook when a worker leaves Python (exit.rs).
    pub(crate) left_python: Condvar,
}

static SHARED: PerProcess<Shared> = PerProcess::new();

/// This process's [`Shared`]: a child after `fork` gets its own, with no thread, no queue
/// and a lock no thread holds, whatever its parent's threads were doing (a lock one of them
/// held at `fork` would otherwise never be let go in the child). The parent's calls are
/// left there, never run nor dropped.
pub(crate) fn shared() -> &'static Shared {
    SHARED.get_or(|| Shared {
        state: Mutex::new(State::default()),
        work: Condvar::new(),
        left_python: Condvar::new(),
    })
}

/// Why a call was not queued.
pub(crate) enum Refused {
    /// The client already has `max_queued` calls waiting.
    Full(usize),
    /// The interpreter is exiting.
    Closed,
    /// No thread could be started.
    Thread(std::io::Error),
}

/// The pool's state for this process (see [`shared`]).
pub(crate) fn state() -> MutexGuard<'static, State> {
    shared().state.lock().unwrap_or_else(|p| p.into_inner())
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
        let (mut gone, kept): (Vec<Job>, Vec<Job>) =
            queue.into_iter().partition(|j| j.token.is_cancelled());
        s.queue = kept.into();
        // Their places now, before the count is read again; the jobs themselves (Python
        // objects) are dropped outside the lock.
        gone.iter_mut().for_each(Job::leave);
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
        waiting: Some(waiting.clone()),
    });
    shared().work.notify_one();
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
                if s.closed {
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
                        s = shared().work.wait(s).unwrap_or_else(|p| p.into_inner());
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
        if std::process::id() != pid {
            // The caller's code that `run` ran (a logging handler) forked: this thread is
            // now a child's only thread, not one of the child's pool.
            return;
        }
        state().running[n] = None;
    }
}
