//! The arguments of C calls: C strings in (NULL and UTF-8 checked), out-pointers
//! written, and the handles (boxed Rust values) C holds: made, borrowed and freed.

use std::ffi::{c_char, CStr};

use nameauth::error::{Error, Rule};
use nameauth::frontend::catch_quietly;

use crate::result::{boundary, fail, nameauth_result, null};

/// A required string argument: not NULL, valid UTF-8.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string that outlives `'a`.
pub(crate) unsafe fn arg_str<'a>(
    p: *const c_char,
    field: &'static str,
) -> Result<&'a str, nameauth_result> {
    if p.is_null() {
        return Err(null(field));
    }
    // SAFETY: non-NULL and NUL-terminated per the caller's contract.
    let bytes = unsafe { CStr::from_ptr(p) }.to_bytes();
    std::str::from_utf8(bytes).map_err(|_| {
        fail(&Error::front_end_input(
            field,
            Rule::InvalidUtf8,
            "is not valid UTF-8",
        ))
    })
}

/// An optional string argument: NULL gives `None`.
///
/// # Safety
/// As for [`arg_str`].
pub(crate) unsafe fn opt_str<'a>(
    p: *const c_char,
    field: &'static str,
) -> Result<Option<&'a str>, nameauth_result> {
    if p.is_null() {
        Ok(None)
    } else {
        // SAFETY: forwarded contract.
        unsafe { arg_str(p, field) }.map(Some)
    }
}

/// Writes `value` into `*out` (if `out` is not NULL).
///
/// # Safety
/// `out` is NULL or valid for one write.
pub(crate) unsafe fn put<T>(out: *mut T, value: T) {
    if !out.is_null() {
        // SAFETY: valid for writes per the caller's contract.
        unsafe { out.write(value) };
    }
}

/// Hands `value` to C as a handle: boxed, its address written to `*out`. A NULL `out` is
/// `NAMEAUTH_NULL_ARGUMENT` naming `out` (and nothing is made).
///
/// # Safety
/// `out` is NULL or valid for one write.
pub(crate) unsafe fn give<T>(out: *mut *mut T, value: T) -> Result<(), nameauth_result> {
    if out.is_null() {
        return Err(null("out"));
    }
    // SAFETY: non-NULL and valid for one write per the caller's contract.
    unsafe { out.write(Box::into_raw(Box::new(value))) };
    Ok(())
}

/// The body of every `nameauth_*_new` that takes only `out`: makes the handle's default
/// value inside the panic boundary and hands it to C with [`give`].
///
/// # Safety
/// `out` is NULL or valid for one write.
pub(crate) unsafe fn new_handle<T: Default>(out: *mut *mut T) -> nameauth_result {
    // SAFETY: forwarded contract.
    boundary(|| unsafe { give(out, T::default()) })
}

/// The value behind a handle argument; NULL is `NAMEAUTH_NULL_ARGUMENT` naming `field`.
///
/// # Safety
/// `p` is NULL or a live handle from [`give`], not freed while the reference lives.
pub(crate) unsafe fn live<'a, T>(p: *const T, field: &str) -> Result<&'a T, nameauth_result> {
    // SAFETY: per the caller's contract.
    unsafe { p.as_ref() }.ok_or_else(|| null(field))
}

/// Frees a handle [`give`] made; NULL is a no-op. A panic in the value's `Drop` is caught
/// (quietly): nothing unwinds into C.
///
/// # Safety
/// `p` is NULL or a handle from [`give`] with this `T`, freed once and used by no call
/// still running.
pub(crate) unsafe fn free_handle<T>(p: *mut T) {
    let _ = catch_quietly(|| {
        if !p.is_null() {
            // SAFETY: a pointer from `Box::into_raw` in `give`, freed once.
            drop(unsafe { Box::from_raw(p) });
        }
    });
}
