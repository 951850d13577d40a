//! The sandbox server as a C library, for users' own tests: Java's `NameAuthSandbox`, PHP's
//! `NameAuth\Testing\Sandbox` and C test suites start it on a free loopback port, point a
//! client at it, add records and faults, and read what reached it. Every function runs
//! inside a panic boundary and checks its pointers and its UTF-8.

#![allow(non_camel_case_types)]

mod jni_methods;

use std::cell::{Cell, RefCell};
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

// `::`: this library is named `nameauth_sandbox` too; the leading `::` names the server.
use ::nameauth_sandbox::{Fixtures, Sandbox, APPID, KEY, SRC};

/// A running sandbox. Opaque. Created by `nameauth_sandbox_start`, stopped and freed by
/// `nameauth_sandbox_free`. Its functions may be called from any thread.
pub struct nameauth_sandbox {
    server: Sandbox,
    endpoint: CString,
    ca_file: Option<CString>,
}

thread_local! {
    /// The last failure's message. A `RefCell` of a `CString` has a destructor, which the
    /// thread registers on first use and which keeps this library mapped until the thread
    /// ends (as in the C ABI, crates/ffi/src/result.rs): so only a thread that failed
    /// touches it, and `HAS_ERROR`, which needs no destructor, says whether it did.
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
    static HAS_ERROR: Cell<bool> = const { Cell::new(false) };
}

fn set_error(text: &str) -> u32 {
    let c = CString::new(text.replace('\0', " ")).unwrap_or_default();
    LAST_ERROR.with(|e| *e.borrow_mut() = c);
    HAS_ERROR.set(true);
    1
}

/// Runs `body`; a panic gives `fallback()` instead of unwinding into C.
fn guard<T>(fallback: impl FnOnce() -> T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| fallback())
}

fn panicked() -> u32 {
    set_error("internal: a panic was caught (a bug in nameauth; please report it)")
}

/// # Safety
/// `p` is NULL or NUL-terminated.
unsafe fn text<'a>(p: *const c_char, field: &str) -> Result<&'a str, u32> {
    if p.is_null() {
        return Err(set_error(&format!("{field}: is NULL")));
    }
    // SAFETY: NUL-terminated per the caller's contract.
    unsafe { CStr::from_ptr(p) }
        .to_str()
        .map_err(|_| set_error(&format!("{field}: is not valid UTF-8")))
}

/// Starts a sandbox on `127.0.0.1` at a free port: HTTPS with a CA made at start if `tls`
/// (trust `nameauth_sandbox_ca_file`), the records of `fixtures_json` (a fixtures file's
/// JSON; NULL for the built-in ones, which cover every verdict row and fault), and
/// `latency_ms` added to every answer. Returns 0 and sets `*out`, or 1 with
/// `nameauth_sandbox_last_error` saying why (and `*out` NULL).
///
/// # Safety
/// `fixtures_json` is NULL or NUL-terminated; `out` is valid for one write.
#[no_mangle]
pub unsafe extern "C" fn nameauth_sandbox_start(
    tls: bool,
    fixtures_json: *const c_char,
    latency_ms: u64,
    out: *mut *mut nameauth_sandbox,
) -> u32 {
    guard(panicked, || {
        if out.is_null() {
            return set_error("out: is NULL");
        }
        // SAFETY: valid for one write per the contract.
        unsafe { out.write(ptr::null_mut()) };
        let mut b = Sandbox::builder()
            .tls(tls)
            .latency(std::time::Duration::from_millis(latency_ms));
        if !fixtures_json.is_null() {
            // SAFETY: NUL-terminated per the contract.
            let json = match unsafe { text(fixtures_json, "fixtures_json") } {
                Ok(j) => j,
                Err(e) => return e,
            };
            match Fixtures::from_json(json) {
                Ok(f) => b = b.fixtures(f),
                Err(e) => return set_error(&format!("fixtures_json: {e}")),
            }
        }
        let server = match b.start() {
            Ok(s) => s,
            Err(e) => return set_error(&format!("the sandbox cannot start: {e}")),
        };
        let endpoint = CString::new(server.endpoint()).unwrap_or_default();
        let ca_file = server
            .ca_file()
            .and_then(|p| CString::new(p.display().to_string()).ok());
        let handle = Box::new(nameauth_sandbox {
            server,
            endpoint,
            ca_file,
        });
        // SAFETY: valid for one write per the contract.
        unsafe { out.write(Box::into_raw(handle)) };
        0
    })
}

/// The endpoint URL to give a client. Owned by the sandbox; NULL for NULL.
///
/// # Safety
/// `sb` is NULL or a live sandbox.
#[no_mangle]
pub unsafe extern "C" fn nameauth_sandbox_endpoint(sb: *const nameauth_sandbox) -> *const c_char {
    // SAFETY: NULL or live per the contract.
    unsafe { sb.as_ref() }.map_or(ptr::null(), |s| s.endpoint.as_ptr())
}

/// The CA file to trust (the `ca_file` option) when serving HTTPS; NULL otherwise.
///
/// # Safety
/// `sb` is NULL or a live sandbox.
#[no_mangle]
pub unsafe extern "C" fn nameauth_sandbox_ca_file(sb: *const nameauth_sandbox) -> *const c_char {
    // SAFETY: NULL or live per the contract.
    unsafe { sb.as_ref() }
        .and_then(|s| s.ca_file.as_ref())
        .map_or(ptr::null(), |c| c.as_ptr())
}

/// The sandbox's credentials as C strings, made once from the sandbox crate's constants.
fn credentials() -> &'static [CString; 3] {
    static CREDENTIALS: std::sync::OnceLock<[CString; 3]> = std::sync::OnceLock::new();
    CREDENTIALS.get_or_init(|| [APPID, SRC, KEY].map(|s| CString::new(s).unwrap_or_default()))
}

/// The app id every sandbox accepts. Static.
#[no_mangle]
pub extern "C" fn nameauth_sandbox_appid() -> *const c_char {
    credentials()[0].as_ptr()
}

/// The `src` every sandbox accepts. Static.
#[no_mangle]
pub extern "C" fn nameauth_sandbox_src() -> *const c_char {
    credentials()[1].as_ptr()
}

/// The key every sandbox signs with: a published test value that protects nothing.
/// Static.
#[no_mangle]
pub extern "C" fn nameauth_sandbox_key() -> *const c_char {
    credentials()[2].as_ptr()
}

/// HTTP requests received so far (0 for NULL).
///
/// # Safety
/// `sb` is NULL or a live sandbox.
#[no_mangle]
pub unsafe extern "C" fn nameauth_sandbox_requests(sb: *const nameauth_sandbox) -> u64 {
    // SAFETY: NULL or live per the contract.
    guard(
        || 0,
        || unsafe { sb.as_ref() }.map_or(0, |s| s.server.stats().requests),
    )
}

/// TCP connections accepted so far (0 for NULL).
///
/// # Safety
/// `sb` is NULL or a live sandbox.
#[no_mangle]
pub unsafe extern "C" fn nameauth_sandbox_connections(sb: *const nameauth_sandbox) -> u64 {
    // SAFETY: NULL or live per the contract.
    guard(
        || 0,
        || unsafe { sb.as_ref() }.map_or(0, |s| s.server.stats().connections),
    )
}

/// Requests so far that carried `openid`: how often a user was really checked (0 for
/// NULL arguments).
///
/// # Safety
/// `sb` is NULL or a live sandbox; `openid` is NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn nameauth_sandbox_hits(
    sb: *const nameauth_sandbox,
    openid: *const c_char,
) -> u64 {
    guard(
        || 0,
        || {
            // SAFETY: NULL or live per the contract.
            let Some(s) = (unsafe { sb.as_ref() }) else {
                return 0;
            };
            // SAFETY: NUL-terminated per the contract.
            match unsafe { text(openid, "openid") } {
                Ok(o) => s.server.hits(o),
                Err(_) => 0,
            }
        },
    )
}

/// Adds or replaces the record of `openid` while the sandbox serves, as the JSON of a
/// fixtures file entry: `{"status":1,"truename":"张三","creid":"110101199003074477"}`,
/// `{"error_code":1002}`, `{"fault":"http_503","fail_times":1,"status":2}`, ... Its hit
/// count starts again. Returns 0, or 1 with `nameauth_sandbox_last_error` saying why.
///
/// # Safety
/// `sb` is NULL or a live sandbox; strings are NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn nameauth_sandbox_add_fixture(
    sb: *const nameauth_sandbox,
    openid: *const c_char,
    record_json: *const c_char,
) -> u32 {
    guard(panicked, || {
        // SAFETY: NULL or live per the contract.
        let Some(s) = (unsafe { sb.as_ref() }) else {
            return set_error("sandbox: is NULL");
        };
        // SAFETY: NUL-terminated per the contract.
        let (openid, record) =
            match unsafe { (text(openid, "openid"), text(record_json, "record_json")) } {
                (Ok(o), Ok(r)) => (o, r),
                (Err(e), _) | (_, Err(e)) => return e,
            };
        match s.server.add_fixture(openid, record) {
            Ok(()) => 0,
            Err(e) => set_error(&e.to_string()),
        }
    })
}

/// Copies the message of the last failure on this thread into `buf` (NUL-terminated,
/// truncated to fit) and returns its full length, like `snprintf`.
///
/// # Safety
/// `buf` is NULL or valid for `buf_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn nameauth_sandbox_last_error(buf: *mut c_char, buf_len: usize) -> usize {
    guard(
        || 0,
        || {
            if !HAS_ERROR.get() {
                if !buf.is_null() && buf_len > 0 {
                    // SAFETY: `buf` is valid for `buf_len` > 0 bytes.
                    unsafe { buf.write(0) };
                }
                return 0;
            }
            LAST_ERROR.with(|e| {
                let e = e.borrow();
                let bytes = e.to_bytes();
                if !buf.is_null() && buf_len > 0 {
                    let n = bytes.len().min(buf_len - 1);
                    // SAFETY: `buf` is valid for `buf_len` > `n` bytes.
                    unsafe {
                        ptr::copy_nonoverlapping(bytes.as_ptr().cast::<c_char>(), buf, n);
                        buf.add(n).write(0);
                    }
                }
                bytes.len()
            })
        },
    )
}

/// Stops the sandbox and frees it. NULL is a no-op.
///
/// # Safety
/// `sb` is NULL or a sandbox from `nameauth_sandbox_start` not yet freed, in use by no
/// other thread.
#[no_mangle]
pub unsafe extern "C" fn nameauth_sandbox_free(sb: *mut nameauth_sandbox) {
    guard(
        || (),
        || {
            if !sb.is_null() {
                // SAFETY: from `Box::into_raw` in `nameauth_sandbox_start`, freed once.
                drop(unsafe { Box::from_raw(sb) });
            }
        },
    );
}
