//! Cancelling a call from C: `nameauth_cancel` wraps the core's `CancelToken` (the one
//! cancellation point every front end uses; its design is in the core's src/cancel.rs),
//! and `nameauth_verify_with` takes it with a deadline of the caller's own (Go's
//! `context.Context` and PHP through this ABI).

use std::ffi::c_char;
use std::time::{Duration, Instant};

use nameauth::frontend::catch_quietly;
use nameauth::{CallOptions, CancelToken};

use crate::args::{free_handle, give};
use crate::client::{nameauth_client, verify};
use crate::result::{boundary, nameauth_result};
use crate::verdict::nameauth_verdict;

/// A cancellation token: cancelling it stops every call given it whose request has not
/// been written yet (`NAMEAUTH_CANCELLED`, nothing sent); a call that already wrote a byte
/// finishes and returns what the server said. Opaque. Created by `nameauth_cancel_new`,
/// set by `nameauth_cancel_cancel` (from any thread, at any time), freed by
/// `nameauth_cancel_free`. Cancelling cannot be undone: use a new token per call, or per
/// group of calls given up together.
pub struct nameauth_cancel {
    token: CancelToken,
}

/// Creates a token, not cancelled. On success `*out` receives it, to free with
/// `nameauth_cancel_free`.
///
/// # Safety
/// `out` is NULL or valid for one write.
#[no_mangle]
pub unsafe extern "C" fn nameauth_cancel_new(out: *mut *mut nameauth_cancel) -> nameauth_result {
    let token = || nameauth_cancel {
        token: CancelToken::new(),
    };
    // SAFETY: `out` is NULL or valid for one write per the contract.
    boundary(|| unsafe { give(out, token()) })
}

/// Cancels the calls given `cancel`: those that have not written their request yet end
/// with `NAMEAUTH_CANCELLED` and send nothing more; the others finish as if nothing
/// happened. Callable from any thread at any time while the token lives, also while calls
/// use it, and more than once. NULL does nothing.
///
/// # Safety
/// `cancel` is NULL or a token from `nameauth_cancel_new` not yet freed.
#[no_mangle]
pub unsafe extern "C" fn nameauth_cancel_cancel(cancel: *const nameauth_cancel) {
    let _ = catch_quietly(|| {
        // SAFETY: a live token per the contract, or NULL.
        if let Some(c) = unsafe { cancel.as_ref() } {
            c.token.cancel();
        }
    });
}

/// Frees a token. NULL does nothing. Calls still using it must have returned: free it
/// after them (the token may be cancelled first, from another thread, to make them
/// return sooner).
///
/// # Safety
/// `cancel` is NULL or a token from `nameauth_cancel_new` not yet freed, used by no call
/// still running.
#[no_mangle]
pub unsafe extern "C" fn nameauth_cancel_free(cancel: *mut nameauth_cancel) {
    // SAFETY: a token from `nameauth_cancel_new` (`give`) or NULL, freed once.
    unsafe { free_handle(cancel) }
}

/// `nameauth_verify` with a cancellation token and a deadline of the caller's own.
///
/// `cancel` may be NULL (no token). If it is cancelled before the call's request is
/// written (before the call, or from another thread while the call connects or waits to
/// retry), the request is never written, on any attempt: the status is
/// `NAMEAUTH_CANCELLED` (kind `"cancelled"`) and nothing was sent. Once a byte was
/// written the server may be running the check, and cancelling changes nothing: the call
/// returns what the server said.
///
/// `deadline_ms`: the most milliseconds the call may take from now, together with the
/// client's `timeout_ms` (whichever ends first); 0 for none. Reaching it is
/// `NAMEAUTH_TIMEOUT`, with a message naming the caller's deadline.
///
/// Everything else is as `nameauth_verify`: thread-safe, `*out` set to NULL on failure.
///
/// # Safety
/// As for `nameauth_verify`; `cancel` is NULL or a live token.
#[no_mangle]
pub unsafe extern "C" fn nameauth_verify_with(
    client: *const nameauth_client,
    openid: *const c_char,
    truename: *const c_char,
    creid: *const c_char,
    cretype: *const c_char,
    cancel: *const nameauth_cancel,
    deadline_ms: u64,
    out: *mut *mut nameauth_verdict,
) -> nameauth_result {
    let start = Instant::now();
    let options = || {
        let mut options = CallOptions::new();
        // SAFETY: a live token per the contract, or NULL.
        if let Some(c) = unsafe { cancel.as_ref() } {
            options = options.with_cancel(c.token.clone());
        }
        // A deadline too far to represent is no deadline.
        if let Some(d) = (deadline_ms > 0)
            .then(|| start.checked_add(Duration::from_millis(deadline_ms)))
            .flatten()
        {
            options = options.with_deadline(d);
        }
        Ok(options)
    };
    boundary(|| {
        // SAFETY: forwarded contract.
        unsafe { verify(client, openid, truename, creid, cretype, out, options) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ptr;

    #[test]
    fn a_token_is_made_cancelled_and_freed() {
        let mut t = ptr::null_mut();
        // SAFETY: `t` is valid for one write.
        assert_eq!(unsafe { nameauth_cancel_new(&mut t) }, crate::NAMEAUTH_OK);
        // SAFETY: `t` is live until freed below.
        unsafe {
            assert!(!(*t).token.is_cancelled());
            nameauth_cancel_cancel(t);
            nameauth_cancel_cancel(t);
            assert!((*t).token.is_cancelled());
            nameauth_cancel_free(t);
            nameauth_cancel_cancel(ptr::null());
            nameauth_cancel_free(ptr::null_mut());
        }
        // SAFETY: NULL `out` is a status, not a crash.
        assert_eq!(
            unsafe { nameauth_cancel_new(ptr::null_mut()) },
            crate::NAMEAUTH_NULL_ARGUMENT
        );
    }
}
