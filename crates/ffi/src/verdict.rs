//! `nameauth_verdict`: what the server answered, mapped to the table, and its accessors.

use std::ffi::{c_char, CString};
use std::sync::OnceLock;

use nameauth::{Verdict, REASONS};

use crate::args::free_handle;
use crate::cstr::c_string;
use crate::result::boundary_value;

/// A verdict: what the server answered, mapped to the table. Opaque. Created by
/// `nameauth_verify`, freed by `nameauth_verdict_free`; the strings its accessors return
/// belong to it and stay valid until it is freed. Read-only, so any number of threads may
/// read one verdict at once.
pub struct nameauth_verdict {
    pub(crate) verdict: Verdict,
    /// NUL-terminated copies of the server's raw fields; the fixed texts are static.
    pub(crate) raw: [CString; 3],
}

/// The verdict table's fixed texts as C strings, made once per process.
pub(crate) struct ReasonTexts {
    code: CString,
    reason: CString,
    message_zh: CString,
    message_en: CString,
    advice_zh: CString,
    advice_en: CString,
}

pub(crate) fn reason_texts() -> &'static [ReasonTexts] {
    static TEXTS: OnceLock<Vec<ReasonTexts>> = OnceLock::new();
    TEXTS.get_or_init(|| {
        REASONS
            .iter()
            .map(|r| ReasonTexts {
                code: c_string(r.code.as_str()),
                reason: c_string(r.id),
                message_zh: c_string(r.message_zh),
                message_en: c_string(r.message_en),
                advice_zh: c_string(r.advice_zh),
                advice_en: c_string(r.advice_en),
            })
            .collect()
    })
}

/// A fixed text of the verdict's row, `""` for NULL.
pub(crate) fn text(
    v: *const nameauth_verdict,
    pick: fn(&ReasonTexts) -> &CString,
) -> *const c_char {
    boundary_value(c"".as_ptr(), || {
        // SAFETY: a live verdict per the accessor's contract, or NULL (checked).
        match unsafe { v.as_ref() } {
            Some(v) => pick(&reason_texts()[v.verdict.reason() as usize]).as_ptr(),
            None => c"".as_ptr(),
        }
    })
}

/// One of the server's raw fields, `""` for NULL.
pub(crate) fn raw(v: *const nameauth_verdict, i: usize) -> *const c_char {
    boundary_value(c"".as_ptr(), || {
        // SAFETY: a live verdict per the accessor's contract, or NULL (checked).
        match unsafe { v.as_ref() } {
            Some(v) => v.raw[i].as_ptr(),
            None => c"".as_ptr(),
        }
    })
}

/// The verdict code: `"A"` … `"F"` or `"Other"`. `""` for NULL. Owned by the verdict.
///
/// # Safety
/// `v` is NULL or a live verdict.
#[no_mangle]
pub unsafe extern "C" fn nameauth_verdict_code(v: *const nameauth_verdict) -> *const c_char {
    text(v, |t| &t.code)
}

/// The reason id of docs/SPEC.md §5, e.g. `"name_mismatch"`. `""` for NULL. Owned by the verdict.
///
/// # Safety
/// `v` is NULL or a live verdict.
#[no_mangle]
pub unsafe extern "C" fn nameauth_verdict_reason(v: *const nameauth_verdict) -> *const c_char {
    text(v, |t| &t.reason)
}

/// The meaning in Chinese (UTF-8), e.g. `"姓名错误"`. `""` for NULL. Owned by the
/// verdict.
///
/// # Safety
/// `v` is NULL or a live verdict.
#[no_mangle]
pub unsafe extern "C" fn nameauth_verdict_message_zh(v: *const nameauth_verdict) -> *const c_char {
    text(v, |t| &t.message_zh)
}

/// The meaning in English. `""` for NULL. Owned by the verdict.
///
/// # Safety
/// `v` is NULL or a live verdict.
#[no_mangle]
pub unsafe extern "C" fn nameauth_verdict_message_en(v: *const nameauth_verdict) -> *const c_char {
    text(v, |t| &t.message_en)
}

/// What the merchant should do, in Chinese (UTF-8). `""` for NULL. Owned by the verdict.
///
/// # Safety
/// `v` is NULL or a live verdict.
#[no_mangle]
pub unsafe extern "C" fn nameauth_verdict_advice_zh(v: *const nameauth_verdict) -> *const c_char {
    text(v, |t| &t.advice_zh)
}

/// What the merchant should do, in English. `""` for NULL. Owned by the verdict.
///
/// # Safety
/// `v` is NULL or a live verdict.
#[no_mangle]
pub unsafe extern "C" fn nameauth_verdict_advice_en(v: *const nameauth_verdict) -> *const c_char {
    text(v, |t| &t.advice_en)
}

/// The server's `nameauth_status` as a string, `""` when absent (or for NULL). Owned by
/// the verdict.
///
/// # Safety
/// `v` is NULL or a live verdict.
#[no_mangle]
pub unsafe extern "C" fn nameauth_verdict_nameauth_status(
    v: *const nameauth_verdict,
) -> *const c_char {
    raw(v, 0)
}

/// The server's `notmatch_param`, normalised to `"1"`, `"2"` or `"1|2"` (other values as
/// they arrived), `""` when absent (or for NULL). Owned by the verdict.
///
/// # Safety
/// `v` is NULL or a live verdict.
#[no_mangle]
pub unsafe extern "C" fn nameauth_verdict_notmatch_param(
    v: *const nameauth_verdict,
) -> *const c_char {
    raw(v, 1)
}

/// The server's `name_mask` (masked by the server), `""` when absent (or for NULL). Owned
/// by the verdict.
///
/// # Safety
/// `v` is NULL or a live verdict.
#[no_mangle]
pub unsafe extern "C" fn nameauth_verdict_name_mask(v: *const nameauth_verdict) -> *const c_char {
    raw(v, 2)
}

/// The server's `error_code` (0 when the query ran). 0 for NULL.
///
/// # Safety
/// `v` is NULL or a live verdict.
#[no_mangle]
pub unsafe extern "C" fn nameauth_verdict_error_code(v: *const nameauth_verdict) -> i64 {
    // SAFETY: a live verdict or NULL per the contract.
    boundary_value(0, || {
        unsafe { v.as_ref() }.map_or(0, |v| v.verdict.error_code())
    })
}

/// True only for code A (verified). False for NULL.
///
/// # Safety
/// `v` is NULL or a live verdict.
#[no_mangle]
pub unsafe extern "C" fn nameauth_verdict_passed(v: *const nameauth_verdict) -> bool {
    // SAFETY: a live verdict or NULL per the contract.
    boundary_value(false, || {
        unsafe { v.as_ref() }.is_some_and(|v| v.verdict.passed())
    })
}

/// True for error codes 1000, 1001, 1002 and 1007: the merchant's request or
/// configuration is wrong (empty parameter, src, signature, IP allow-list); never retry
/// these. False for NULL.
///
/// # Safety
/// `v` is NULL or a live verdict.
#[no_mangle]
pub unsafe extern "C" fn nameauth_verdict_is_config_problem(v: *const nameauth_verdict) -> bool {
    // SAFETY: a live verdict or NULL per the contract.
    boundary_value(false, || {
        unsafe { v.as_ref() }.is_some_and(|v| v.verdict.is_config_problem())
    })
}

/// Frees a verdict and the strings its accessors returned. NULL is a no-op.
///
/// # Safety
/// `v` is NULL or a verdict from `nameauth_verify` not yet freed.
#[no_mangle]
pub unsafe extern "C" fn nameauth_verdict_free(v: *mut nameauth_verdict) {
    // SAFETY: a verdict from `nameauth_verify` (`give`) or NULL, freed once.
    unsafe { free_handle(v) }
}
