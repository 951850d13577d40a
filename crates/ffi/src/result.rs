//! `nameauth_result` and the last error: every fallible function returns a
//! `nameauth_result` (the kit's `ResultCode`, mirrored here for cbindgen) and records
//! what went wrong, per thread, for `nameauth_last_error*`. The panic boundary that every
//! function runs in is here too.

use std::cell::{Cell, RefCell};
use std::ffi::{c_char, CStr, CString};
use std::ptr;
use std::sync::OnceLock;

use nameauth::error::{Error, Rule};
use nameauth::frontend::{catch_quietly, ResultCode};

use crate::cstr::c_string;

/// A result: `NAMEAUTH_OK` (0) or one of the errors. The numbers are fixed and never
/// reused (they are the core's `nameauth::frontend::ResultCode`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nameauth_result {
    /// Success.
    NAMEAUTH_OK = 0,
    /// A user input (openid, name, ID number, document type, sign case) breaks a rule;
    /// nothing was sent. CONFORMANCE kind `invalid_input`.
    NAMEAUTH_INVALID_INPUT = 1,
    /// The configuration is unusable (credentials, endpoint, options). CONFORMANCE kind
    /// `invalid_config`.
    NAMEAUTH_INVALID_CONFIG = 2,
    /// No complete answer within the timeout. CONFORMANCE kind `timeout`.
    NAMEAUTH_TIMEOUT = 3,
    /// Connection refused or reset, TLS failure, non-2xx HTTP status. CONFORMANCE kind
    /// `transport`.
    NAMEAUTH_TRANSPORT = 4,
    /// The server's answer is not a well-formed nameauth response. CONFORMANCE kind
    /// `protocol`.
    NAMEAUTH_PROTOCOL = 5,
    /// A bug in nameauth. CONFORMANCE kind `internal`.
    NAMEAUTH_INTERNAL = 6,
    /// A required pointer argument was NULL. CONFORMANCE kind `invalid_input`.
    NAMEAUTH_NULL_ARGUMENT = 7,
    /// A string argument was not valid UTF-8. CONFORMANCE kind `invalid_input`.
    NAMEAUTH_INVALID_UTF8 = 8,
    /// The caller's output buffer is too small. CONFORMANCE kind `invalid_input`.
    NAMEAUTH_BUFFER_TOO_SMALL = 9,
    /// A panic inside nameauth was caught at the boundary (a bug). CONFORMANCE kind
    /// `internal`.
    NAMEAUTH_PANIC = 10,
    /// The caller cancelled the call (`nameauth_cancel_cancel`) before its request was
    /// written; nothing was sent. Only `nameauth_verify_with` returns it. CONFORMANCE kind
    /// `cancelled`.
    NAMEAUTH_CANCELLED = 11,
}

pub use nameauth_result::*;

/// Every result by number. The enum above mirrors `ResultCode` because cbindgen reads
/// only this crate; this fails to compile if a number drifts from the kit's.
const BY_NUMBER: [nameauth_result; 12] = [
    NAMEAUTH_OK,
    NAMEAUTH_INVALID_INPUT,
    NAMEAUTH_INVALID_CONFIG,
    NAMEAUTH_TIMEOUT,
    NAMEAUTH_TRANSPORT,
    NAMEAUTH_PROTOCOL,
    NAMEAUTH_INTERNAL,
    NAMEAUTH_NULL_ARGUMENT,
    NAMEAUTH_INVALID_UTF8,
    NAMEAUTH_BUFFER_TOO_SMALL,
    NAMEAUTH_PANIC,
    NAMEAUTH_CANCELLED,
];
const _: () = {
    assert!(BY_NUMBER.len() == ResultCode::ALL.len());
    let mut i = 0;
    while i < BY_NUMBER.len() {
        assert!(BY_NUMBER[i] as u32 == ResultCode::ALL[i].number());
        i += 1;
    }
};

impl From<ResultCode> for nameauth_result {
    fn from(code: ResultCode) -> Self {
        BY_NUMBER[code as usize]
    }
}

/// The last failure on this thread: its message, and for input and configuration errors
/// the field and the rule.
#[derive(Default)]
pub(crate) struct LastError {
    message: CString,
    field: CString,
    rule: CString,
    /// The HTTP status of a failed answer (a transport error), 0 otherwise.
    http_status: u16,
}

thread_local! {
    /// This thread's last error. A thread-local that needs a destructor keeps the library
    /// mapped while its thread lives (crates/pthread says why that matters), so only a
    /// thread that failed touches it: `HAS_ERROR`, a `Cell` of a bool, needs none, and
    /// the readers look at it first.
    static LAST_ERROR: RefCell<LastError> = RefCell::new(LastError::default());
    /// Whether this thread has failed, so `LAST_ERROR` holds something.
    static HAS_ERROR: Cell<bool> = const { Cell::new(false) };
}

/// Records this thread's last error (`""` for no field or rule).
pub(crate) fn set_last_error(message: &str, field: &str, rule: &str) {
    let last = LastError {
        message: c_string(message),
        field: c_string(field),
        rule: c_string(rule),
        http_status: 0,
    };
    LAST_ERROR.with(|e| *e.borrow_mut() = last);
    HAS_ERROR.set(true);
}

/// Records `e` as this thread's last error and returns its status.
pub(crate) fn fail(e: &Error) -> nameauth_result {
    set_last_error(
        e.message(),
        e.field().unwrap_or(""),
        e.rule().map_or("", Rule::as_str),
    );
    let status = e.http_status().unwrap_or(0);
    LAST_ERROR.with(|last| last.borrow_mut().http_status = status);
    ResultCode::of(e).into()
}

/// Records a failure of the caller's own making (NULL, buffer size, log level) about `field`
/// and returns `code`.
pub(crate) fn fail_with(
    code: nameauth_result,
    field: &str,
    rule: &str,
    text: &str,
) -> nameauth_result {
    set_last_error(&format!("{field}: {text}"), field, rule);
    code
}

/// `NAMEAUTH_NULL_ARGUMENT` for `field`.
pub(crate) fn null(field: &str) -> nameauth_result {
    fail_with(NAMEAUTH_NULL_ARGUMENT, field, "null", "is NULL")
}

/// Runs `body`; a panic becomes `NAMEAUTH_PANIC` with a message, never an unwind into C.
pub(crate) fn boundary(body: impl FnOnce() -> Result<(), nameauth_result>) -> nameauth_result {
    // Caught without a word to the host's stderr (nameauth::frontend::boundary).
    match catch_quietly(body) {
        Some(Ok(())) => NAMEAUTH_OK,
        Some(Err(code)) => code,
        None => {
            set_last_error(
                "internal: a panic was caught at the C boundary (a bug in nameauth; please \
                 report it)",
                "",
                "",
            );
            NAMEAUTH_PANIC
        }
    }
}

/// Like `boundary` for functions that return a value; `fallback` on panic.
pub(crate) fn boundary_value<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_quietly(body).unwrap_or(fallback)
}

/// A static English description of a status, e.g. `"timeout"`. Unknown values give
/// `"unknown result"`. Never NULL; never freed.
#[no_mangle]
pub extern "C" fn nameauth_result_str(r: u32) -> *const c_char {
    let s: &CStr = match ResultCode::from_number(r) {
        Some(ResultCode::Ok) => c"ok",
        Some(ResultCode::InvalidInput) => c"invalid input",
        Some(ResultCode::InvalidConfig) => c"invalid configuration",
        Some(ResultCode::Timeout) => c"timeout",
        Some(ResultCode::Transport) => c"transport failure",
        Some(ResultCode::Protocol) => c"protocol error",
        Some(ResultCode::Internal) => c"internal error",
        Some(ResultCode::NullArgument) => c"a required pointer argument was NULL",
        Some(ResultCode::InvalidUtf8) => c"a string argument was not valid UTF-8",
        Some(ResultCode::BufferTooSmall) => c"the output buffer is too small",
        Some(ResultCode::Panic) => c"a panic was caught at the C boundary",
        Some(ResultCode::Cancelled) => c"cancelled before the request was sent",
        None => c"unknown result",
    };
    s.as_ptr()
}

/// The CONFORMANCE.md error kind of a status: `"invalid_input"`, `"invalid_config"`,
/// `"timeout"`, `"transport"`, `"protocol"`, `"internal"` or `"cancelled"`; `""` for
/// `NAMEAUTH_OK`.
/// NULL-argument, UTF-8 and buffer statuses are `"invalid_input"`; a caught panic and
/// unknown values are `"internal"`. Never NULL; never freed.
#[no_mangle]
pub extern "C" fn nameauth_result_kind(r: u32) -> *const c_char {
    static KINDS: OnceLock<Vec<CString>> = OnceLock::new();
    let kinds = KINDS.get_or_init(|| ResultCode::ALL.iter().map(|c| c_string(c.kind())).collect());
    match ResultCode::from_number(r) {
        Some(code) => kinds[code as usize].as_ptr(),
        None => c"internal".as_ptr(),
    }
}

/// Copies `text` into `buf` like `snprintf`: NUL-terminated, truncated on a UTF-8
/// character boundary, returning the full length without the NUL.
///
/// # Safety
/// `buf` is NULL or valid for `buf_len` bytes.
pub(crate) unsafe fn copy_out(text: &CStr, buf: *mut c_char, buf_len: usize) -> usize {
    let bytes = text.to_bytes();
    if !buf.is_null() && buf_len > 0 {
        let mut n = bytes.len().min(buf_len - 1);
        while n > 0 && n < bytes.len() && (bytes[n] & 0xC0) == 0x80 {
            n -= 1;
        }
        // SAFETY: `buf` is valid for `buf_len` > `n` bytes.
        unsafe {
            ptr::copy_nonoverlapping(bytes.as_ptr().cast::<c_char>(), buf, n);
            buf.add(n).write(0);
        }
    }
    bytes.len()
}

/// Copies one part of this thread's last error into `buf`.
///
/// # Safety
/// `buf` is NULL or valid for `buf_len` bytes.
pub(crate) unsafe fn last_error_part(
    pick: fn(&LastError) -> &CString,
    buf: *mut c_char,
    buf_len: usize,
) -> usize {
    boundary_value(0, || {
        if !HAS_ERROR.get() {
            // SAFETY: forwarded contract.
            return unsafe { copy_out(&CString::default(), buf, buf_len) };
        }
        // SAFETY: forwarded contract.
        LAST_ERROR.with(|e| unsafe { copy_out(pick(&e.borrow()), buf, buf_len) })
    })
}

/// Copies the message of the last failed call on this thread into `buf`, NUL-terminated
/// and truncated to fit, and returns the full length of the message in bytes, without the
/// NUL (like `snprintf`): a return value >= `buf_len` means it was truncated. `buf` may
/// be NULL when `buf_len` is 0, to ask for the length. Successful calls leave the last
/// error as it was; before any failure it is empty. Messages never contain the key, the
/// name or the ID number in clear.
///
/// # Safety
/// `buf` is NULL or valid for `buf_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn nameauth_last_error(buf: *mut c_char, buf_len: usize) -> usize {
    // SAFETY: forwarded contract.
    unsafe { last_error_part(|e| &e.message, buf, buf_len) }
}

/// The field the last failed call on this thread was about (`"creid"`, `"timeout_ms"`,
/// `"NAMEAUTH_KEY"`, `"out"`, ...), copied as `nameauth_last_error` copies the message;
/// `""` when the failure had no field (a timeout, say) or before any failure.
///
/// # Safety
/// `buf` is NULL or valid for `buf_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn nameauth_last_error_field(buf: *mut c_char, buf_len: usize) -> usize {
    // SAFETY: forwarded contract.
    unsafe { last_error_part(|e| &e.field, buf, buf_len) }
}

/// The rule the last failed call on this thread broke, a stable identifier
/// (`"id_check_character"`, `"unknown_option"`, `"null"`, `"buffer_too_small"`, ...),
/// copied as `nameauth_last_error` copies the message; `""` when the failure broke no
/// rule (a timeout, say) or before any failure.
///
/// # Safety
/// `buf` is NULL or valid for `buf_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn nameauth_last_error_rule(buf: *mut c_char, buf_len: usize) -> usize {
    // SAFETY: forwarded contract.
    unsafe { last_error_part(|e| &e.rule, buf, buf_len) }
}

/// The HTTP status of the last failed call on this thread when the server answered with a
/// non-2xx status (`NAMEAUTH_TRANSPORT`), e.g. 503; 0 for every other failure and before
/// any failure.
#[no_mangle]
pub extern "C" fn nameauth_last_error_http_status() -> u16 {
    boundary_value(0, || {
        if HAS_ERROR.get() {
            LAST_ERROR.with(|e| e.borrow().http_status)
        } else {
            0
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn last_error() -> String {
        // SAFETY: NULL with length 0 asks for the length only.
        let n = unsafe { nameauth_last_error(ptr::null_mut(), 0) };
        let mut buf = vec![0 as c_char; n + 1];
        // SAFETY: `buf` holds `n + 1` bytes.
        unsafe { nameauth_last_error(buf.as_mut_ptr(), buf.len()) };
        // SAFETY: NUL-terminated by `nameauth_last_error`.
        unsafe { CStr::from_ptr(buf.as_ptr()) }
            .to_string_lossy()
            .into_owned()
    }

    #[test]
    fn a_panic_becomes_a_status() {
        let r = boundary(|| panic!("boom"));
        assert_eq!(r, NAMEAUTH_PANIC);
        assert!(last_error().contains("panic"));
    }

    #[test]
    fn last_error_truncates_on_character_boundaries() {
        set_last_error("creid: 检查", "creid", "");
        let mut buf = [0 as c_char; 10];
        // SAFETY: `buf` holds 10 bytes.
        let n = unsafe { nameauth_last_error(buf.as_mut_ptr(), buf.len()) };
        assert_eq!(n, "creid: 检查".len());
        // SAFETY: NUL-terminated.
        let got = unsafe { CStr::from_ptr(buf.as_ptr()) };
        assert_eq!(got.to_str().unwrap(), "creid: ");
    }

    #[test]
    fn every_kit_code_converts_to_its_c_number() {
        for code in ResultCode::ALL {
            assert_eq!(nameauth_result::from(code) as u32, code.number());
            // SAFETY: static NUL-terminated strings.
            let kind = unsafe { CStr::from_ptr(nameauth_result_kind(code.number())) };
            assert_eq!(kind.to_str().unwrap(), code.kind());
        }
    }
}
