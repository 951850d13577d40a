//! `Client.verify_many`: many calls on scoped Rust threads, answers in input order.
//!
//! Design: workers take the next item from a shared counter until none are left or a
//! signal (Ctrl-C) stops the batch; the calling thread waits with the GIL released and
//! checks Python's signals every 100 ms. Each item's outcome lands in its own slot; the
//! events are logged and the list built with the GIL, in input order, once all are done.
//! Stopped by a signal, no new item starts and the calling thread still waits (the GIL
//! released) for the items in flight; then every answered item is logged and the
//! signal's exception carries `results`, the list with `None` for each item never sent,
//! so the caller knows exactly who was checked and no answer is lost. The same when the
//! signal comes while the answers are logged.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use nameauth::{CallOptions, Client as CoreClient, Error};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyInt, PyList};

use crate::error::exception;
use crate::items::User;
use crate::logs::{self, Call};
use crate::quiet::quietly;
use crate::verdict::Verdict;

/// The `concurrency` argument: an int from 1 to 256, however large or negative the int
/// given (never an `OverflowError` that does not name it).
pub(crate) fn concurrency(value: &Bound<'_, PyAny>) -> PyResult<usize> {
    if !value.is_instance_of::<PyInt>() {
        return Err(PyTypeError::new_err("concurrency: must be an int"));
    }
    match value.extract::<usize>() {
        Ok(n) if (1..=256).contains(&n) => Ok(n),
        _ => Err(PyValueError::new_err("concurrency: must be from 1 to 256")),
    }
}

/// The users of `items`, checked before anything is sent (see `Client.verify_many`).
pub(crate) fn users(items: &Bound<'_, PyAny>) -> PyResult<Vec<User>> {
    items
        .try_iter()?
        .enumerate()
        .map(|(i, item)| User::from_item(&item?, i))
        .collect()
}

/// Verifies `users` with `concurrency` threads and returns, in input order, a `Verdict`
/// or the exception instance for each.
pub(crate) fn verify_many<'py>(
    py: Python<'py>,
    client: &CoreClient,
    users: &[User],
    concurrency: usize,
    entered: crate::exit::Inside,
) -> PyResult<Bound<'py, PyList>> {
    type Outcome = (Result<nameauth::Verdict, Error>, nameauth::Report);
    let results: Vec<Mutex<Option<Outcome>>> = users.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let finished = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let progress = (Mutex::new(()), Condvar::new());
    let workers = concurrency.min(users.len());
    let mut interrupted = None;
    // Held (from `entered`, then from the last return of the GIL) until this call
    // returns to Python, so the exit hook waits for the logging below (exit.rs).
    let mut inside = Some(entered);
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
                        None => quietly(|| {
                            let options = CallOptions::new();
                            client.verify_with(
                                &u.openid,
                                &u.truename,
                                &u.creid,
                                &u.cretype,
                                &options,
                            )
                        }),
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
            let ((), now) = crate::exit::detached(py, || {
                let guard = progress.0.lock().unwrap_or_else(|p| p.into_inner());
                if finished.load(Ordering::Relaxed) < workers {
                    let _ = progress.1.wait_timeout(guard, Duration::from_millis(100));
                }
            });
            inside = Some(now);
            if interrupted.is_some() {
                continue;
            }
            if let Err(e) = py.check_signals() {
                // No new item starts; the ones in flight end within the timeout.
                stop.store(true, Ordering::Relaxed);
                interrupted = Some(e);
            }
        }
    });
    let out = PyList::empty(py);
    let mut stopped_logging = None;
    for (slot, u) in results.into_iter().zip(users) {
        let outcome = slot.into_inner().unwrap_or_else(|p| p.into_inner());
        let (r, report) = match outcome {
            Some(o) => o,
            // Never started: the batch was stopped by a signal.
            None if interrupted.is_some() => {
                out.append(py.None())?;
                continue;
            }
            None => {
                let e = Error::internal("a worker thread stopped early");
                (Err(e), nameauth::Report::default())
            }
        };
        let call = Call {
            openid: &u.openid,
            truename: &u.truename,
            creid: &u.creid,
        };
        // A KeyboardInterrupt raised while logging (the only error `emit` returns) stops
        // the logging, never the list: it is raised below, carrying every answer.
        if stopped_logging.is_none() {
            stopped_logging = logs::emit(py, &call, &report, r.as_ref()).err();
        }
        match r {
            Ok(v) => out.append(Bound::new(py, Verdict::from(v))?)?,
            Err(e) => out.append(exception(py, &e)?)?,
        }
    }
    if let Some(e) = interrupted.or(stopped_logging) {
        e.value(py).setattr("results", out)?;
        return Err(e);
    }
    Ok(out)
}
