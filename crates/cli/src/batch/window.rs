//! The reorder window and the stop, shared by the reader, the workers, the writer and
//! the signal thread.
//!
//! Design. Rows are numbered 0, 1, 2... in input order (resumed rows left out). The
//! writer writes answers in that order and hands each full batch of lines to the system
//! (`flush`); `flushed` is how many rows are in the output file. The reader gives row `i`
//! to the workers only once `i < flushed + window`, so no row more than `window` rows
//! ahead of the oldest row not yet in the file is ever sent, whatever order the answers
//! come back in. Hence:
//! - the answers waiting behind a slow row number fewer than `window` (memory is bounded);
//! - a job killed in any way (even SIGKILL) has sent at most `window` rows that are not
//!   in its output, so `--resume` sends at most `window` rows a second time.
//!
//! The writer flushes whenever it has caught up with the answers, and at the latest when
//! half a window is written but not flushed, so the window keeps moving.
//!
//! Stop. The first SIGINT or SIGTERM sets `stopped`: the reader gives out no more rows,
//! a worker sends no row it has not started sending (one waiting for its turn under
//! `--rate` gives up at once), the calls in flight end (each within the client's
//! timeout), the writer writes every answer it can in order, and the run ends with a
//! summary and exit status 128 + the signal. A second signal exits at once (status
//! 128 + the signal): the file then holds what was flushed, which the window bounds too.

use std::sync::{Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

#[derive(Default)]
struct State {
    flushed: u64,
    stopped: Option<i32>,
}

/// The window's edge and the stop flag, under one lock, with one condition variable.
#[derive(Default)]
pub struct Gate {
    state: Mutex<State>,
    changed: Condvar,
}

impl Gate {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits until row `index` is inside the window; false if the run is stopping.
    pub fn admit(&self, index: u64, window: u64) -> bool {
        let mut s = self.lock();
        loop {
            if s.stopped.is_some() {
                return false;
            }
            if index < s.flushed + window {
                return true;
            }
            s = self.changed.wait(s).unwrap_or_else(|p| p.into_inner());
        }
    }

    /// The first `flushed` rows are in the output.
    pub fn advance(&self, flushed: u64) {
        self.lock().flushed = flushed;
        self.changed.notify_all();
    }

    /// Asks the run to stop (for `signal`); false if it was stopping already.
    pub fn stop(&self, signal: i32) -> bool {
        let mut s = self.lock();
        let first = s.stopped.is_none();
        s.stopped.get_or_insert(signal);
        drop(s);
        self.changed.notify_all();
        first
    }

    /// The signal that stopped the run, if one did.
    pub fn stopped(&self) -> Option<i32> {
        self.lock().stopped
    }

    /// Sleeps until `deadline`; false (at once) if the run is stopping.
    pub fn sleep_until(&self, deadline: Instant) -> bool {
        let mut s = self.lock();
        loop {
            if s.stopped.is_some() {
                return false;
            }
            let now = Instant::now();
            if now >= deadline {
                return true;
            }
            s = self
                .changed
                .wait_timeout(s, deadline - now)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }
}

/// Starts the thread that turns SIGINT and SIGTERM into [`Gate::stop`]; a second signal
/// ends the process at once.
pub fn on_signals(gate: std::sync::Arc<Gate>) -> Result<(), String> {
    let mut signals =
        Signals::new([SIGINT, SIGTERM]).map_err(|e| format!("cannot catch signals: {e}"))?;
    thread::Builder::new()
        .name("nameauth-batch-signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                if gate.stop(signal) {
                    eprintln!(
                        "nameauth batch: {}: stopping; waiting for the requests in flight \
                         (again to exit at once)",
                        signal_name(signal)
                    );
                } else {
                    eprintln!("nameauth batch: {}: exiting at once", signal_name(signal));
                    std::process::exit(128 + signal);
                }
            }
        })
        .map_err(|e| format!("cannot start the signal thread: {e}"))?;
    Ok(())
}

pub fn signal_name(signal: i32) -> &'static str {
    match signal {
        SIGINT => "SIGINT",
        SIGTERM => "SIGTERM",
        _ => "a signal",
    }
}

/// Spaces requests `1/rate` seconds apart, across every worker.
pub struct Pace {
    gap: Duration,
    next: Mutex<Instant>,
}

impl Pace {
    /// `rate` is checked by the caller (see `MIN_RATE` and `MAX_RATE`).
    pub fn new(rate: f64) -> Pace {
        Pace {
            gap: Duration::from_secs_f64(1.0 / rate),
            next: Mutex::new(Instant::now()),
        }
    }

    /// Waits for this request's turn; false if the run stopped meanwhile.
    pub fn wait(&self, gate: &Gate) -> bool {
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
            let slot = (*next).max(Instant::now());
            *next = slot + self.gap;
            slot
        };
        gate.sleep_until(slot)
    }
}
