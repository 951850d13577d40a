//! Cancelling a call from C: `nameauth_cancel` wraps the core's `CancelToken` (the one
//! cancellation point every front end uses; its design is in the core's src/cancel.rs),
//! and `nameauth_verify_with` (client.rs) takes it with a deadline of the caller's own (Go's
//! `context.Context` and PHP through this ABI).

use nameauth::frontend::catch_quietly;
use nameauth::CancelToken;

use crate::args::{free_handle, new_handle};
use crate::result::nameauth_result;

/// A cancellation token: cancelling it stops every call given it whose request has not
/// been written yet (`NAMEAUTH_CANCELLED`, nothing sent); a call that already wrote a byte
/// finishes and returns what the server said. Opaque. Created by `nameauth_cancel_new`,
/// set by `nameauth_cancel_cancel` (from any thread, at any time), freed by
/// `nameauth_cancel_free`. Cancelling cannot be undone: use a new token per call, or per
/// group of calls given up together.
#[derive(Default)]
pub struct nameauth_cancel {
    pub(crate) token: CancelToken,
}

/// Creates a token, not cancelled. On success `*out` receives it, to free with
/// `nameauth_cancel_free`.
///
/// # Safety
/// `out` is NULL or valid for one write.
#[no_mangle]
pub unsafe extern "C" fn nameauth_cancel_new(out: *mut *mut nameauth_cancel) -> nameauth_result {
    // SAFETY: `out` is NULL or valid for one write per the contract.
    unsafe { new_handle(out) }
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
