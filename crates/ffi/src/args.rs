//! The arguments of C calls: C strings in (NULL and UTF-8 checked) and out-pointers
//! written.

use std::ffi::{c_char, CStr};

use nameauth::error::{Error, Rule};

use crate::result::{fail, nameauth_result, null};

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
