//! Cancelling a call, and the caller's own deadline: [`CancelToken`] and [`CallOptions`],
//! for [`Client::verify_with`](crate::Client::verify_with). Every front end that can give
//! up on a call (Python's `AsyncClient`, Go's `context.Context`, Node's `AbortSignal`, the
//! C ABI's `nameauth_cancel`) uses this one cancellation point.
//!
//! Design. The promise is "a call cancelled before its request is written is never
//! written", so the point that matters is the write itself: the transport's last layer
//! (`Marked::transmit_output` in src/transport/marker.rs) looks at the token before it passes the
//! first byte of an attempt's request to the socket, and refuses the write if the token is
//! cancelled. The check and the write run on the calling thread, one after the other, so
//! a cancel that lands before the check is always honoured, and one that lands after it
//! finds a byte on its way. Cheaper checks come earlier (before validation and signing,
//! before every attempt, during a retry's backoff, and while an attempt that has written
//! nothing waits to connect, for a proxy's answer to CONNECT or for a TLS handshake: all
//! of which they cut short, src/transport/connect.rs and tcp.rs), but they only save time: the write
//! point alone keeps the promise, on every attempt and on the fallback endpoint too. An
//! attempt that failed without writing a byte while its token was cancelled (during a
//! wait no check watches, such as name resolution) also ends the call as cancelled. A call stopped there is a
//! [`ErrorKind::Cancelled`](crate::ErrorKind::Cancelled) error, never retried and never
//! failed over.
//!
//! Once a byte of the request was written the server may be running the check: cancelling
//! then changes nothing. The call runs to its end (within its timeout) and returns what
//! the server said, so the answer is never lost. A front end that gives up on a call
//! (Python's cancelled task) asks [`CancelToken::reached_the_write`] whether to wait for
//! that answer: the write point marks the token before it looks at it, so "not reached"
//! read after a cancel means nothing will be written.
//! `verify` itself never returns `cancelled`: only calls given a token can.

use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A flag a caller sets, from any thread at any time, to cancel the calls it was given
/// to. Cheap to clone; the clones share the flag. Cancelling cannot be undone.
#[derive(Clone, Debug, Default)]
pub struct CancelToken {
    flags: Arc<Flags>,
}

#[derive(Debug, Default)]
struct Flags {
    cancelled: AtomicBool,
    /// Set at the write point before it looks at `cancelled` (see `reached_the_write`).
    written: AtomicBool,
}

impl CancelToken {
    /// A token not cancelled yet.
    pub fn new() -> CancelToken {
        CancelToken::default()
    }

    /// Cancels every call given this token (or a clone of it) whose request has not been
    /// written yet; calls that already wrote a byte finish as if nothing happened.
    pub fn cancel(&self) {
        self.flags.cancelled.store(true, Ordering::SeqCst);
    }

    /// Whether [`cancel`](Self::cancel) was called on this token or a clone of it.
    pub fn is_cancelled(&self) -> bool {
        self.flags.cancelled.load(Ordering::SeqCst)
    }

    /// Whether a call given this token reached the point of writing its request. Read
    /// after [`cancel`](Self::cancel), false means no call of the token will write (it
    /// ends `cancelled`, nothing sent); true means one may have: it then runs to its end
    /// and returns what the server said, unless the same instant's cancel stopped it at
    /// that point (it then ends `cancelled`). So a front end that gives up on a call
    /// whose token reads true waits for its outcome, and never loses a verdict.
    pub fn reached_the_write(&self) -> bool {
        self.flags.written.load(Ordering::SeqCst)
    }
}

/// What a caller adds to one call: a [`CancelToken`] and a deadline of its own. The
/// default has neither, which makes [`Client::verify_with`](crate::Client::verify_with)
/// the same as [`Client::verify_reported`](crate::Client::verify_reported).
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct CallOptions {
    /// Cancels the call while its request is not written yet.
    pub cancel: Option<CancelToken>,
    /// The latest time the call may end, together with the client's `timeout` (whichever
    /// comes first). Reaching it is a `timeout` error that says it was the caller's.
    pub deadline: Option<Instant>,
}

impl CallOptions {
    /// Options with no token and no deadline.
    pub fn new() -> CallOptions {
        CallOptions::default()
    }

    /// The same options, cancelled by `token`.
    pub fn with_cancel(mut self, token: CancelToken) -> CallOptions {
        self.cancel = Some(token);
        self
    }

    /// The same options, ending at `deadline` at the latest.
    pub fn with_deadline(mut self, deadline: Instant) -> CallOptions {
        self.deadline = Some(deadline);
        self
    }

    /// Whether the token, if any, is cancelled.
    pub(crate) fn is_cancelled(&self) -> bool {
        self.cancel.as_ref().is_some_and(CancelToken::is_cancelled)
    }
}

/// How often a wait looks at the token: a retry's backoff, and the waits of an attempt
/// that has written nothing yet (a connect, a proxy's answer to CONNECT, a TLS handshake).
pub(crate) const POLL: Duration = Duration::from_millis(5);

/// Sleeps `pause`, or less if `options`' token is cancelled meanwhile. Returns whether it
/// was cancelled.
pub(crate) fn sleep_unless_cancelled(pause: Duration, options: &CallOptions) -> bool {
    let Some(token) = &options.cancel else {
        std::thread::sleep(pause);
        return false;
    };
    let end = Instant::now() + pause;
    loop {
        if token.is_cancelled() {
            return true;
        }
        let left = end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return false;
        }
        std::thread::sleep(left.min(POLL));
    }
}

thread_local! {
    /// The token of the call this thread is running (a call runs on one thread from start
    /// to end, so the write point finds it here). Touched only by calls that have a
    /// token: a thread-local that needs dropping registers a destructor with the C
    /// library, which keeps this library mapped while the thread lives (a JVM thread
    /// after its web application's class loader is gone), so calls without a token,
    /// the common case, never touch it.
    static ARMED: RefCell<Option<CancelToken>> = const { RefCell::new(None) };
    /// Whether `ARMED` holds a token (a `Cell<bool>` needs no destructor).
    static HAS_TOKEN: Cell<bool> = const { Cell::new(false) };
    /// Whether the write point refused an attempt's request since the last look.
    static STOPPED: Cell<bool> = const { Cell::new(false) };
}

/// Makes `options`' token the one the write point checks on this thread until the
/// returned guard is dropped (which restores the previous one).
pub(crate) fn arm(options: &CallOptions) -> Armed {
    STOPPED.with(|s| s.set(false));
    let had = HAS_TOKEN.with(|h| h.replace(options.cancel.is_some()));
    if !had && options.cancel.is_none() {
        return Armed(None, false);
    }
    Armed(ARMED.with(|a| a.replace(options.cancel.clone())), had)
}

/// Restores the token armed before (and whether there was one), when a call ends.
pub(crate) struct Armed(Option<CancelToken>, bool);

impl Drop for Armed {
    fn drop(&mut self) {
        let had = self.1;
        let now = HAS_TOKEN.with(|h| h.replace(had));
        if had || now {
            let previous = self.0.take();
            ARMED.with(|a| *a.borrow_mut() = previous);
        }
    }
}

/// Whether this thread's call has a token, so that its waits before the write should
/// look at it every [`POLL`] (calls without one wait as before, with no extra wake-up).
pub(crate) fn watching() -> bool {
    HAS_TOKEN.with(Cell::get)
}

/// The write point, and the waits before it: called just before the first byte of an
/// attempt's request would be written, and while an attempt that has written nothing
/// waits (to connect, for a proxy's answer to CONNECT, for a TLS handshake). True (and
/// remembered for [`take_stopped`]) if the armed token is cancelled: the caller must not
/// write, and stops waiting.
pub(crate) fn stop_if_cancelled() -> bool {
    if !HAS_TOKEN.with(Cell::get) {
        return false;
    }
    let cancelled = ARMED.with(|a| a.borrow().as_ref().is_some_and(CancelToken::is_cancelled));
    if cancelled {
        STOPPED.with(|s| s.set(true));
    }
    cancelled
}

/// The write point itself: called just before the first byte of an attempt's request
/// would be written. Marks the armed token as having reached it, then looks at it as
/// [`stop_if_cancelled`] does. The mark comes first (both `SeqCst`), so a cancel that
/// reads no mark afterwards is sure that no byte will be written.
pub(crate) fn stop_at_the_write() -> bool {
    if !HAS_TOKEN.with(Cell::get) {
        return false;
    }
    ARMED.with(|a| {
        if let Some(t) = a.borrow().as_ref() {
            t.flags.written.store(true, Ordering::SeqCst);
        }
    });
    stop_if_cancelled()
}

/// Whether the write point refused a write since the last call (and forgets it).
pub(crate) fn take_stopped() -> bool {
    STOPPED.with(|s| s.replace(false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_the_flag() {
        let t = CancelToken::new();
        let c = t.clone();
        assert!(!c.is_cancelled());
        t.cancel();
        assert!(c.is_cancelled());
        assert!(CallOptions::new().with_cancel(c).is_cancelled());
        assert!(!CallOptions::new().is_cancelled());
    }

    #[test]
    fn a_cancelled_token_cuts_a_backoff_short() {
        let t = CancelToken::new();
        t.cancel();
        let o = CallOptions::new().with_cancel(t);
        assert!(sleep_unless_cancelled(Duration::from_secs(3600), &o));
    }
}
