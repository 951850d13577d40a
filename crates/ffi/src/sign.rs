//! `nameauth_sign` (docs/SPEC.md §2's signature) and `nameauth_validate_id` (§3's
//! resident ID rules): the two functions that need no client.

use std::ffi::c_char;
use std::ptr;

use nameauth::frontend::{sign_args, sign_case_number, SIGN_ARGS};

use crate::args::{arg_str, opt_str};
use crate::result::{boundary, fail, fail_with, nameauth_result, null, NAMEAUTH_BUFFER_TOO_SMALL};

/// The letter case of `nameauth_sign`'s hex digits.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nameauth_sign_case {
    /// `0-9a-f`, the default (what PHP's `md5()` gives).
    NAMEAUTH_SIGN_CASE_LOWER = 0,
    /// `0-9A-F`, as other WeChat Pay APIs of that era expect.
    NAMEAUTH_SIGN_CASE_UPPER = 1,
}

/// Bytes `nameauth_sign` needs in `out`: 32 hex digits and a NUL.
pub const NAMEAUTH_SIGN_LEN: usize = 33;

/// Computes the signature of a request (docs/SPEC.md §2): MD5 over
/// `appid=…&creid=…&cretype=…&openid=…&src=…&truename=…&key=…` as 32 hex digits, values
/// signed exactly as given.
///
/// `cretype` may be NULL for `"1"`; every other string must be non-NULL, valid UTF-8,
/// non-empty and free of control characters. `sign_case` is a `nameauth_sign_case`
/// (`NAMEAUTH_SIGN_CASE_LOWER` or `NAMEAUTH_SIGN_CASE_UPPER`); another value is
/// `NAMEAUTH_INVALID_INPUT` naming `sign_case`. `out` receives the 32 digits and a NUL
/// and must hold `NAMEAUTH_SIGN_LEN` (33) bytes; with a smaller `out_len` the result is
/// `NAMEAUTH_BUFFER_TOO_SMALL` and `out` holds an empty string (if `out_len` > 0).
///
/// Thread-safe. The key is not kept.
///
/// # Safety
/// Every non-NULL string argument is NUL-terminated; `out` is NULL or valid for
/// `out_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn nameauth_sign(
    appid: *const c_char,
    openid: *const c_char,
    src: *const c_char,
    truename: *const c_char,
    creid: *const c_char,
    cretype: *const c_char,
    key: *const c_char,
    // A number, not the enum: a C caller may pass any int, which a Rust enum cannot hold.
    sign_case: u32,
    out: *mut c_char,
    out_len: usize,
) -> nameauth_result {
    boundary(|| {
        if !out.is_null() && out_len > 0 {
            // SAFETY: `out` is valid for `out_len` (> 0) bytes.
            unsafe { out.write(0) };
        }
        // The strings in the order of `SIGN_ARGS`; only `cretype` may be NULL.
        let given = [appid, openid, src, truename, creid, cretype, key];
        let mut args = [None; 8];
        for (i, p) in given.into_iter().enumerate() {
            // SAFETY: NUL-terminated per the contract.
            args[i] = match SIGN_ARGS[i] {
                "cretype" => unsafe { opt_str(p, "cretype") }?,
                field => Some(unsafe { arg_str(p, field) }?),
            };
        }
        if out.is_null() {
            return Err(null("out"));
        }
        let case = sign_case_number(sign_case).map_err(|e| fail(&e))?;
        if out_len < NAMEAUTH_SIGN_LEN {
            return Err(fail_with(
                NAMEAUTH_BUFFER_TOO_SMALL,
                "out",
                "buffer_too_small",
                &format!("needs {NAMEAUTH_SIGN_LEN} bytes (got {out_len})"),
            ));
        }
        args[7] = Some(case.as_str());
        let sig = sign_args(args).map_err(|e| fail(&e))?;
        // SAFETY: `out` holds at least 33 bytes; the signature is 32 ASCII bytes.
        unsafe {
            ptr::copy_nonoverlapping(sig.as_str().as_ptr().cast::<c_char>(), out, 32);
            out.add(32).write(0);
        }
        Ok(())
    })
}

/// Checks a resident ID number (`cretype=1`) against every rule of docs/SPEC.md §3: 18
/// characters, GB 11643-1999 check character, a real birth date between 1900 and today.
/// `NAMEAUTH_OK` or `NAMEAUTH_INVALID_INPUT` with `nameauth_last_error` naming the rule.
///
/// # Safety
/// `creid` is NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn nameauth_validate_id(creid: *const c_char) -> nameauth_result {
    boundary(|| {
        // SAFETY: NUL-terminated per the contract.
        let creid = unsafe { arg_str(creid, "creid")? };
        nameauth::validate::resident_id(creid).map_err(|e| fail(&e))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use nameauth::SignCase;

    #[test]
    fn the_c_sign_cases_are_the_kits_numbers() {
        use nameauth_sign_case::*;
        let case = |c: nameauth_sign_case| sign_case_number(c as u32).unwrap();
        assert_eq!(case(NAMEAUTH_SIGN_CASE_LOWER), SignCase::Lower);
        assert_eq!(case(NAMEAUTH_SIGN_CASE_UPPER), SignCase::Upper);
    }
}
