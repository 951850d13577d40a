//! Logging from C: a process-wide callback (`nameauth_set_log_callback`) and a per-thread
//! capture for bindings that cannot take a callback (`nameauth_log_capture`).

use std::cell::{Cell, RefCell};
use std::ffi::{c_char, CString};

use nameauth::error::Error;
use nameauth::frontend::{capture_lines, level_number};
use nameauth::Verdict;

use crate::cstr::c_string;
use crate::result::{
    boundary, boundary_value, copy_out, fail_with, nameauth_result, NAMEAUTH_INVALID_INPUT,
};

/// Log levels of `nameauth_set_log_callback` and `nameauth_log_capture` (which take the
/// number, so that any value a C caller passes is checked, not undefined). The numbers are
/// the core's `nameauth::frontend::level_number`.
#[repr(C)]
pub enum nameauth_log_level {
    /// Nothing.
    NAMEAUTH_LOG_OFF = 0,
    /// A failure of the library itself.
    NAMEAUTH_LOG_ERROR = 1,
    /// A retry or a failover.
    NAMEAUTH_LOG_WARN = 2,
    /// Each call (its verdict or error).
    NAMEAUTH_LOG_INFO = 3,
}

pub(crate) const LOG_OFF: u32 = nameauth_log_level::NAMEAUTH_LOG_OFF as u32;
pub(crate) const LOG_INFO: u32 = nameauth_log_level::NAMEAUTH_LOG_INFO as u32;

/// A log callback: `level` is one of `NAMEAUTH_LOG_*`, `message` one masked line (no key,
/// no name or ID number in clear, no URL) valid only during the call. It runs on the
/// thread that called `nameauth_verify`, after the call; it must not unwind (throw or
/// `longjmp`) out.
pub type nameauth_log_fn = Option<
    unsafe extern "C" fn(userdata: *mut std::ffi::c_void, level: u32, message: *const c_char),
>;

/// The process's log callback.
pub(crate) struct LogSink {
    callback: unsafe extern "C" fn(*mut std::ffi::c_void, u32, *const c_char),
    userdata: usize,
    level: u32,
}

pub(crate) static LOG_SINK: std::sync::Mutex<Option<std::sync::Arc<LogSink>>> =
    std::sync::Mutex::new(None);

/// The level of `LOG_SINK` (`NAMEAUTH_LOG_OFF` when there is none), read on every verify
/// without taking the lock.
pub(crate) static LOG_SINK_LEVEL: std::sync::atomic::AtomicU32 =
    std::sync::atomic::AtomicU32::new(LOG_OFF);

thread_local! {
    /// `nameauth_log_capture`'s level on this thread. Like `HAS_CAPTURED`, a `Cell` of a
    /// number needs no destructor: a thread that never captures keeps nothing of this
    /// library's (a thread-local destructor keeps the library mapped while its thread
    /// lives; crates/pthread says why that matters).
    static CAPTURE_LEVEL: Cell<u32> = const { Cell::new(LOG_OFF) };
    /// Whether `CAPTURED` holds the lines of this thread's last call.
    static HAS_CAPTURED: Cell<bool> = const { Cell::new(false) };
    /// What this thread's last call captured; touched only on a thread that captures.
    static CAPTURED: RefCell<CString> = RefCell::new(CString::default());
}

/// Sends every event at or above `level` (`NAMEAUTH_LOG_INFO`: each call and each retry
/// or failover; `NAMEAUTH_LOG_WARN`: retries and failovers only) to `callback`,
/// with `userdata`, for the whole process. `callback` NULL or `level` `NAMEAUTH_LOG_OFF`
/// turns it off. Events are one masked line each; nothing from the HTTP stack is passed
/// on. Replacing the callback while other threads verify is safe: each call uses the one
/// set when it ended.
///
/// # Safety
/// `callback` is NULL or a function safe to call from any thread that verifies, with
/// `userdata`, until it is replaced.
#[no_mangle]
pub unsafe extern "C" fn nameauth_set_log_callback(
    callback: nameauth_log_fn,
    userdata: *mut std::ffi::c_void,
    level: u32,
) -> nameauth_result {
    boundary(|| {
        if level > LOG_INFO {
            return Err(fail_with(
                NAMEAUTH_INVALID_INPUT,
                "level",
                "bad_value",
                "must be LOG_OFF, _ERROR, _WARN or _INFO",
            ));
        }
        let sink = match callback {
            Some(callback) if level > LOG_OFF => Some(std::sync::Arc::new(LogSink {
                callback,
                userdata: userdata as usize,
                level,
            })),
            _ => None,
        };
        let mut slot = LOG_SINK.lock().unwrap_or_else(|p| p.into_inner());
        let level = sink.as_ref().map_or(LOG_OFF, |s| s.level);
        *slot = sink;
        LOG_SINK_LEVEL.store(level, std::sync::atomic::Ordering::Release);
        Ok(())
    })
}

/// Captures, on the calling thread, the events at or above `level` of each later
/// `nameauth_verify` (the previous call's are dropped when the next starts), for
/// bindings that cannot take a callback; `NAMEAUTH_LOG_OFF` stops capturing (what the
/// last call captured stays readable). Read them with `nameauth_log_captured`. Returns
/// the previous level.
#[no_mangle]
pub extern "C" fn nameauth_log_capture(level: u32) -> u32 {
    boundary_value(LOG_OFF, || CAPTURE_LEVEL.replace(level.min(LOG_INFO)))
}

/// Copies the events the last `nameauth_verify` on this thread captured (see
/// `nameauth_log_capture`) into `buf`, as `nameauth_last_error` copies a message: one
/// line per event, `"<level> <message>\n"` with the level as a digit (`"3 verify
/// openid=oZh****an ... outcome=A attempts=1 ..."`). Returns the full length.
///
/// # Safety
/// `buf` is NULL or valid for `buf_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn nameauth_log_captured(buf: *mut c_char, buf_len: usize) -> usize {
    boundary_value(0, || {
        if !HAS_CAPTURED.get() {
            // SAFETY: forwarded contract.
            return unsafe { copy_out(&CString::default(), buf, buf_len) };
        }
        // SAFETY: forwarded contract.
        CAPTURED.with(|c| unsafe { copy_out(&c.borrow(), buf, buf_len) })
    })
}

/// Drops what this thread's previous call captured: every verify starts with it, so a
/// call refused before it logs anything (a NULL or bad UTF-8 argument) leaves no line of
/// another call to be read as its own.
pub(crate) fn forget_captured() {
    if HAS_CAPTURED.replace(false) {
        CAPTURED.with(|c| *c.borrow_mut() = CString::default());
    }
}

/// Hands one call's events to the log callback and this thread's capture, if either
/// wants them. Nothing is formatted when neither does.
pub(crate) fn log_call(
    report: &nameauth::Report,
    openid: &str,
    truename: &str,
    creid: &str,
    result: Result<&Verdict, &Error>,
) {
    let capture = CAPTURE_LEVEL.get();
    forget_captured();
    let sink_level = LOG_SINK_LEVEL.load(std::sync::atomic::Ordering::Acquire);
    let wanted = sink_level.max(capture);
    if wanted == LOG_OFF || wanted < level_number(report.level()) {
        return;
    }
    let sink = if sink_level == LOG_OFF {
        None
    } else {
        LOG_SINK.lock().unwrap_or_else(|p| p.into_inner()).clone()
    };
    let events = report.events(openid, truename, creid, result);
    if let Some(s) = sink.as_ref() {
        for e in &events {
            let level = level_number(e.level);
            if level <= s.level {
                let line = c_string(&e.message);
                // SAFETY: the caller of nameauth_set_log_callback vouched for it.
                unsafe { (s.callback)(s.userdata as *mut std::ffi::c_void, level, line.as_ptr()) };
            }
        }
    }
    let captured = capture_lines(&events, capture);
    if !captured.is_empty() {
        CAPTURED.with(|c| *c.borrow_mut() = c_string(&captured));
        HAS_CAPTURED.set(true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_constants_are_the_cores_level_numbers() {
        use nameauth::report::Level;
        use nameauth_log_level::*;
        assert_eq!(level_number(Level::Error), NAMEAUTH_LOG_ERROR as u32);
        assert_eq!(level_number(Level::Warn), NAMEAUTH_LOG_WARN as u32);
        assert_eq!(level_number(Level::Info), NAMEAUTH_LOG_INFO as u32);
    }
}
