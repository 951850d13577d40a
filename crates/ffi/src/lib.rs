//! The C ABI of nameauth: `include/nameauth.h` is generated from this file by cbindgen
//! (see `build.rs`). Every function runs inside one panic boundary, checks its pointers
//! and its UTF-8, and reports failure through a `nameauth_result` plus a per-thread error
//! (message, field and rule). Only translation lives here; every rule is the core's.

#![allow(non_camel_case_types)]

use std::cell::RefCell;
use std::ffi::{c_char, CStr, CString};
use std::ptr;
use std::sync::OnceLock;

use nameauth::error::{Error, ErrorKind, Rule};
use nameauth::frontend::{capture_lines, catch_quietly, level_number, ResultCode};
use nameauth::{
    CallOptions, Client, ClientBuilder, Options, Params, SignCase, Verdict, REASONS,
    RESIDENT_ID_CARD,
};

mod cancel;
pub use cancel::*;

/// A status code: `NAMEAUTH_OK` (0) or one of the `NAMEAUTH_*` errors below. The numbers
/// are fixed and never reused.
pub type nameauth_result = u32;

/// Success.
pub const NAMEAUTH_OK: nameauth_result = 0;
/// A user input (openid, name, ID number, document type, flags) breaks a rule; nothing
/// was sent. CONFORMANCE kind `invalid_input`.
pub const NAMEAUTH_INVALID_INPUT: nameauth_result = 1;
/// The configuration is unusable (credentials, endpoint, options). CONFORMANCE kind
/// `invalid_config`.
pub const NAMEAUTH_INVALID_CONFIG: nameauth_result = 2;
/// No complete answer within the timeout. CONFORMANCE kind `timeout`.
pub const NAMEAUTH_TIMEOUT: nameauth_result = 3;
/// Connection refused or reset, TLS failure, non-2xx HTTP status. CONFORMANCE kind
/// `transport`.
pub const NAMEAUTH_TRANSPORT: nameauth_result = 4;
/// The server's answer is not a well-formed nameauth response. CONFORMANCE kind
/// `protocol`.
pub const NAMEAUTH_PROTOCOL: nameauth_result = 5;
/// A bug in nameauth. CONFORMANCE kind `internal`.
pub const NAMEAUTH_INTERNAL: nameauth_result = 6;
/// A required pointer argument was NULL. CONFORMANCE kind `invalid_input`.
pub const NAMEAUTH_NULL_ARGUMENT: nameauth_result = 7;
/// A string argument was not valid UTF-8. CONFORMANCE kind `invalid_input`.
pub const NAMEAUTH_INVALID_UTF8: nameauth_result = 8;
/// The caller's output buffer is too small. CONFORMANCE kind `invalid_input`.
pub const NAMEAUTH_BUFFER_TOO_SMALL: nameauth_result = 9;
/// A panic inside nameauth was caught at the boundary (a bug). CONFORMANCE kind
/// `internal`.
pub const NAMEAUTH_PANIC: nameauth_result = 10;
/// The caller cancelled the call (`nameauth_cancel_cancel`) before its request was
/// written; nothing was sent. Only `nameauth_verify_with` returns it. CONFORMANCE kind
/// `cancelled`.
pub const NAMEAUTH_CANCELLED: nameauth_result = 11;

// The numbers above are the kit's ResultCode (one source): this fails to compile if one
// drifts.
const _: () = {
    let pairs = [
        (NAMEAUTH_OK, ResultCode::Ok),
        (NAMEAUTH_INVALID_INPUT, ResultCode::InvalidInput),
        (NAMEAUTH_INVALID_CONFIG, ResultCode::InvalidConfig),
        (NAMEAUTH_TIMEOUT, ResultCode::Timeout),
        (NAMEAUTH_TRANSPORT, ResultCode::Transport),
        (NAMEAUTH_PROTOCOL, ResultCode::Protocol),
        (NAMEAUTH_INTERNAL, ResultCode::Internal),
        (NAMEAUTH_NULL_ARGUMENT, ResultCode::NullArgument),
        (NAMEAUTH_INVALID_UTF8, ResultCode::InvalidUtf8),
        (NAMEAUTH_BUFFER_TOO_SMALL, ResultCode::BufferTooSmall),
        (NAMEAUTH_PANIC, ResultCode::Panic),
        (NAMEAUTH_CANCELLED, ResultCode::Cancelled),
    ];
    let mut i = 0;
    while i < pairs.len() {
        assert!(pairs[i].0 == pairs[i].1.number());
        i += 1;
    }
};

/// `nameauth_sign` flag: upper-case hex digits (default lower case).
pub const NAMEAUTH_SIGN_UPPER: u32 = 1;

/// Bytes `nameauth_sign` needs in `out`: 32 hex digits and a NUL.
pub const NAMEAUTH_SIGN_LEN: usize = 33;

/// A configured client: credentials, endpoint, timeouts and one keep-alive connection
/// pool. Opaque. Created by `nameauth_client_new` or `nameauth_client_new_from_env`,
/// freed by `nameauth_client_free`. One client may be used by many threads at once.
pub struct nameauth_client {
    client: Client,
}

/// Client options set one by one, by name: any value may hold any character (a proxy
/// password with `;`, `=` or `\\`). Opaque. Created by `nameauth_options_new`, filled by
/// `nameauth_options_set`, used by `nameauth_client_build` (which copies it), freed by
/// `nameauth_options_free`. Not for use by two threads at once.
pub struct nameauth_options {
    options: Options,
}

/// A verdict: what the server answered, mapped to the table. Opaque. Created by
/// `nameauth_verify`, freed by `nameauth_verdict_free`; the strings its accessors return
/// belong to it and stay valid until it is freed. Read-only, so any number of threads may
/// read one verdict at once.
pub struct nameauth_verdict {
    verdict: Verdict,
    /// NUL-terminated copies of the server's raw fields; the fixed texts are static.
    raw: [CString; 3],
}

/// The verdict table's fixed texts as C strings, made once per process.
struct ReasonTexts {
    code: CString,
    reason: CString,
    message_zh: CString,
    message_en: CString,
    advice_zh: CString,
    advice_en: CString,
}

fn reason_texts() -> &'static [ReasonTexts] {
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

/// The last failure on this thread: its message, and for input and configuration errors
/// the field and the rule.
#[derive(Default)]
struct LastError {
    message: CString,
    field: CString,
    rule: CString,
}

thread_local! {
    static LAST_ERROR: RefCell<LastError> = RefCell::new(LastError::default());
}

/// A C string of `s`, with any NUL (impossible in our own texts, possible in a server's
/// field) replaced so that nothing after it is lost.
fn c_string(s: &str) -> CString {
    CString::new(s.replace('\0', "\u{FFFD}")).unwrap_or_default()
}

/// Records this thread's last error (`""` for no field or rule).
fn set_last_error(message: &str, field: &str, rule: &str) {
    let last = LastError {
        message: c_string(message),
        field: c_string(field),
        rule: c_string(rule),
    };
    LAST_ERROR.with(|e| *e.borrow_mut() = last);
}

/// Records `e` as this thread's last error and returns its status.
fn fail(e: &Error) -> nameauth_result {
    set_last_error(
        e.message(),
        e.field().unwrap_or(""),
        e.rule().map_or("", Rule::as_str),
    );
    ResultCode::of(e).number()
}

/// Records a failure of the caller's own making (NULL, buffer size, flags) about `field`
/// and returns `code`.
fn fail_with(code: nameauth_result, field: &str, rule: &str, text: &str) -> nameauth_result {
    set_last_error(&format!("{field}: {text}"), field, rule);
    code
}

/// `NAMEAUTH_NULL_ARGUMENT` for `field`.
fn null(field: &str) -> nameauth_result {
    fail_with(NAMEAUTH_NULL_ARGUMENT, field, "null", "is NULL")
}

/// Runs `body`; a panic becomes `NAMEAUTH_PANIC` with a message, never an unwind into C.
fn boundary(body: impl FnOnce() -> Result<(), nameauth_result>) -> nameauth_result {
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
fn boundary_value<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_quietly(body).unwrap_or(fallback)
}

/// A required string argument: not NULL, valid UTF-8.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string that outlives `'a`.
unsafe fn arg_str<'a>(p: *const c_char, field: &'static str) -> Result<&'a str, nameauth_result> {
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
unsafe fn opt_str<'a>(
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
unsafe fn put<T>(out: *mut T, value: T) {
    if !out.is_null() {
        // SAFETY: valid for writes per the caller's contract.
        unsafe { out.write(value) };
    }
}

/// Computes the signature of a request (docs/SPEC.md §2): MD5 over
/// `appid=…&creid=…&cretype=…&openid=…&src=…&truename=…&key=…` as 32 hex digits, values
/// signed exactly as given.
///
/// `cretype` may be NULL for `"1"`; every other string must be non-NULL, valid UTF-8,
/// non-empty and free of control characters. `flags`: `NAMEAUTH_SIGN_UPPER` for
/// upper-case hex; other bits are reserved and refused. `out` receives the 32 digits and a
/// NUL and must hold `NAMEAUTH_SIGN_LEN` (33) bytes; with a smaller `out_len` the result
/// is `NAMEAUTH_BUFFER_TOO_SMALL` and `out` holds an empty string (if `out_len` > 0).
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
    flags: u32,
    out: *mut c_char,
    out_len: usize,
) -> nameauth_result {
    boundary(|| {
        if !out.is_null() && out_len > 0 {
            // SAFETY: `out` is valid for `out_len` (> 0) bytes.
            unsafe { out.write(0) };
        }
        // SAFETY (all `arg_str`/`opt_str` calls): NUL-terminated per the contract.
        let params = unsafe {
            Params {
                appid: arg_str(appid, "appid")?,
                openid: arg_str(openid, "openid")?,
                src: arg_str(src, "src")?,
                truename: arg_str(truename, "truename")?,
                creid: arg_str(creid, "creid")?,
                cretype: opt_str(cretype, "cretype")?.unwrap_or(RESIDENT_ID_CARD),
            }
        };
        // SAFETY: as above.
        let key = unsafe { arg_str(key, "key")? };
        if out.is_null() {
            return Err(null("out"));
        }
        if flags & !NAMEAUTH_SIGN_UPPER != 0 {
            return Err(fail_with(
                NAMEAUTH_INVALID_INPUT,
                "flags",
                "bad_value",
                "unknown bits set (only NAMEAUTH_SIGN_UPPER is defined)",
            ));
        }
        if out_len < NAMEAUTH_SIGN_LEN {
            return Err(fail_with(
                NAMEAUTH_BUFFER_TOO_SMALL,
                "out",
                "buffer_too_small",
                &format!("needs {NAMEAUTH_SIGN_LEN} bytes (got {out_len})"),
            ));
        }
        let case = if flags & NAMEAUTH_SIGN_UPPER != 0 {
            SignCase::Upper
        } else {
            SignCase::Lower
        };
        let sig = nameauth::sign_checked(&params, key, case).map_err(|e| fail(&e))?;
        // SAFETY: `out` holds at least 33 bytes; the signature is 32 ASCII bytes.
        unsafe {
            ptr::copy_nonoverlapping(sig.as_str().as_ptr().cast::<c_char>(), out, 32);
            out.add(32).write(0);
        }
        Ok(())
    })
}

/// Creates an empty set of options (every default). On success `*out` receives it, to
/// fill with `nameauth_options_set` and free with `nameauth_options_free`.
///
/// # Safety
/// `out` is NULL or valid for one write.
#[no_mangle]
pub unsafe extern "C" fn nameauth_options_new(out: *mut *mut nameauth_options) -> nameauth_result {
    boundary(|| {
        if out.is_null() {
            return Err(null("out"));
        }
        let handle = Box::into_raw(Box::new(nameauth_options {
            options: Options::new(),
        }));
        // SAFETY: `out` is non-NULL and valid for one write per the contract.
        unsafe { out.write(handle) };
        Ok(())
    })
}

/// Sets one option by name; `value` is taken whole, whatever characters it holds. The
/// names: `endpoint` (default the real WeChat Pay URL), `timeout_ms` (10000, the whole
/// call including retries; 1 to 86400000), `connect_timeout_ms` (3000; same range),
/// `sign_case` (`lower`|`upper`), `retries` (2; 0 to 10), `proxy`
/// (`http://[user:password@]host:port`), `ca_file` (PEM file of extra root certificates),
/// `id_rules` (`true`|`false`), `allow_http` (`true`|`false`: plain http:// to a
/// non-loopback host or through a proxy), `fallback_endpoint`, `idle_timeout_ms` (7000,
/// how long an unused keep-alive connection is kept; 1 to 600000). An unknown name or a
/// bad value is
/// `NAMEAUTH_INVALID_CONFIG`, and `nameauth_last_error_field` names the option; the value
/// is never repeated. Setting a name again replaces its value.
///
/// # Safety
/// `options` is NULL or a live options handle; `name` and `value` are NULL or
/// NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn nameauth_options_set(
    options: *mut nameauth_options,
    name: *const c_char,
    value: *const c_char,
) -> nameauth_result {
    boundary(|| {
        // SAFETY: a live options handle per the contract, or NULL (checked).
        let Some(o) = (unsafe { options.as_mut() }) else {
            return Err(null("options"));
        };
        // SAFETY: NUL-terminated per the contract.
        let (name, value) = unsafe { (arg_str(name, "name")?, arg_str(value, "value")?) };
        o.options.set(name, value).map_err(|e| fail(&e))
    })
}

/// Frees options (and wipes a proxy password they hold). NULL is a no-op.
///
/// # Safety
/// `options` is NULL or an options handle from `nameauth_options_new` not yet freed.
#[no_mangle]
pub unsafe extern "C" fn nameauth_options_free(options: *mut nameauth_options) {
    let _ = catch_quietly(|| {
        if !options.is_null() {
            // SAFETY: a pointer from `Box::into_raw` in `nameauth_options_new`, freed once.
            drop(unsafe { Box::from_raw(options) });
        }
    });
}

/// Creates a client from the three credentials WeChat Pay issues and typed options
/// (`options` may be NULL for every default; it is copied, so it may be freed or reused
/// at once).
///
/// On success `*out` receives a client to free with `nameauth_client_free`; on failure
/// `*out` is set to NULL and the last error (message, field, rule) says what is wrong,
/// never showing the key. The key is copied; the caller may wipe its own copy at once.
///
/// # Safety
/// Non-NULL strings are NUL-terminated; `options` is NULL or a live options handle; `out`
/// is NULL or valid for one write.
#[no_mangle]
pub unsafe extern "C" fn nameauth_client_build(
    appid: *const c_char,
    src: *const c_char,
    key: *const c_char,
    options: *const nameauth_options,
    out: *mut *mut nameauth_client,
) -> nameauth_result {
    boundary(|| {
        // SAFETY: `out` is NULL or valid for one write.
        unsafe { put(out, ptr::null_mut()) };
        // SAFETY (all `arg_str` calls): NUL-terminated per the contract.
        let (appid, src, key) = unsafe {
            (
                arg_str(appid, "appid")?,
                arg_str(src, "src")?,
                arg_str(key, "key")?,
            )
        };
        if out.is_null() {
            return Err(null("out"));
        }
        let mut builder = ClientBuilder::new(appid, src, key);
        // SAFETY: a live options handle per the contract, or NULL.
        if let Some(o) = unsafe { options.as_ref() } {
            builder = builder.with_options(o.options.clone());
        }
        finish_client(builder, None, out)
    })
}

/// Creates a client from the three credentials WeChat Pay issues and an option string:
/// the compatible form of `nameauth_client_build`.
///
/// `options` is NULL for the defaults, or `name=value` entries separated by `;` or
/// newlines (white space around names and values is ignored), with the names of
/// `nameauth_options_set`. A value cannot hold `;` or a line break here: use
/// `nameauth_options_set` for those. A name given twice or an unknown name is
/// `NAMEAUTH_INVALID_CONFIG`, and no error quotes more of the string than an option name
/// it knows.
///
/// On success `*out` receives a client to free with `nameauth_client_free`; on failure
/// `*out` is set to NULL and the last error says what is wrong (never the key). The key is
/// copied; the caller may wipe its own copy at once.
///
/// # Safety
/// Non-NULL strings are NUL-terminated; `out` is NULL or valid for one write.
#[no_mangle]
pub unsafe extern "C" fn nameauth_client_new(
    appid: *const c_char,
    src: *const c_char,
    key: *const c_char,
    options: *const c_char,
    out: *mut *mut nameauth_client,
) -> nameauth_result {
    boundary(|| {
        // SAFETY: `out` is NULL or valid for one write.
        unsafe { put(out, ptr::null_mut()) };
        // SAFETY (all `arg_str`/`opt_str` calls): NUL-terminated per the contract.
        let (appid, src, key, options) = unsafe {
            (
                arg_str(appid, "appid")?,
                arg_str(src, "src")?,
                arg_str(key, "key")?,
                opt_str(options, "options")?,
            )
        };
        if out.is_null() {
            return Err(null("out"));
        }
        let builder = ClientBuilder::new(appid, src, key);
        finish_client(builder, options, out)
    })
}

/// Creates a client from the environment: `NAMEAUTH_APPID`, `NAMEAUTH_SRC`,
/// `NAMEAUTH_KEY`, and for each option of `nameauth_options_set` its variable
/// (`NAMEAUTH_` and the name in capitals: `NAMEAUTH_ENDPOINT`, `NAMEAUTH_TIMEOUT_MS`,
/// ...), then applies `options` (NULL for none) as `nameauth_client_new` does. A missing
/// credential is `NAMEAUTH_INVALID_CONFIG` naming the variable; so is an empty
/// `NAMEAUTH_ENDPOINT` (unset means the real WeChat Pay endpoint, empty is a mistake).
///
/// On success `*out` receives a client to free with `nameauth_client_free`; on failure
/// `*out` is set to NULL.
///
/// # Safety
/// `options` is NULL or NUL-terminated; `out` is NULL or valid for one write.
#[no_mangle]
pub unsafe extern "C" fn nameauth_client_new_from_env(
    options: *const c_char,
    out: *mut *mut nameauth_client,
) -> nameauth_result {
    boundary(|| {
        // SAFETY: `out` is NULL or valid for one write.
        unsafe { put(out, ptr::null_mut()) };
        // SAFETY: NUL-terminated per the contract.
        let options = unsafe { opt_str(options, "options")? };
        if out.is_null() {
            return Err(null("out"));
        }
        finish_client(ClientBuilder::from_env(), options, out)
    })
}

fn finish_client(
    builder: ClientBuilder,
    options: Option<&str>,
    out: *mut *mut nameauth_client,
) -> Result<(), nameauth_result> {
    let builder = match options {
        Some(o) => builder.options(o).map_err(|e| fail(&e))?,
        None => builder,
    };
    let client = builder.build().map_err(|e| fail(&e))?;
    let handle = Box::into_raw(Box::new(nameauth_client { client }));
    // SAFETY: `out` was checked non-NULL by the caller of this function.
    unsafe { out.write(handle) };
    Ok(())
}

/// Frees a client: closes its connections and wipes its key. NULL is a no-op. The client
/// must not be in use by another thread, nor used afterwards.
///
/// # Safety
/// `client` is NULL or a client from `nameauth_client_new*` not yet freed.
#[no_mangle]
pub unsafe extern "C" fn nameauth_client_free(client: *mut nameauth_client) {
    let _ = catch_quietly(|| {
        if !client.is_null() {
            // SAFETY: a pointer from `Box::into_raw` in `finish_client`, freed once.
            drop(unsafe { Box::from_raw(client) });
        }
    });
}

/// Verifies one user: checks every rule of docs/SPEC.md §3 (nothing is sent if one fails), signs,
/// sends and maps the answer.
///
/// `cretype` may be NULL for `"1"` (resident ID card). On `NAMEAUTH_OK`, `*out` receives
/// a verdict to free with `nameauth_verdict_free`: the server answered, and the verdict
/// says what (A–F or Other). On any other status `*out` is set to NULL and
/// `nameauth_last_error` gives a one-line message (never the key, name or ID in clear).
///
/// Thread-safe: many threads may verify with one client at once. Blocks for at most the
/// client's `timeout_ms`. `nameauth_verify_with` is the same call with a cancellation
/// token and a deadline of the caller's own.
///
/// # Safety
/// `client` is a live client; non-NULL strings are NUL-terminated; `out` is NULL or valid
/// for one write.
#[no_mangle]
pub unsafe extern "C" fn nameauth_verify(
    client: *const nameauth_client,
    openid: *const c_char,
    truename: *const c_char,
    creid: *const c_char,
    cretype: *const c_char,
    out: *mut *mut nameauth_verdict,
) -> nameauth_result {
    // SAFETY: forwarded contract.
    boundary(|| unsafe {
        verify(client, openid, truename, creid, cretype, out, || {
            Ok(CallOptions::default())
        })
    })
}

/// The body of `nameauth_verify` and `nameauth_verify_with`: `options` is asked for once
/// the arguments were checked.
///
/// # Safety
/// As for `nameauth_verify`.
unsafe fn verify(
    client: *const nameauth_client,
    openid: *const c_char,
    truename: *const c_char,
    creid: *const c_char,
    cretype: *const c_char,
    out: *mut *mut nameauth_verdict,
    options: impl FnOnce() -> Result<CallOptions, nameauth_result>,
) -> Result<(), nameauth_result> {
    // SAFETY: `out` is NULL or valid for one write.
    unsafe { put(out, ptr::null_mut()) };
    // SAFETY: a live client per the contract, or NULL (checked).
    let Some(client) = (unsafe { client.as_ref() }) else {
        return Err(null("client"));
    };
    // SAFETY (all `arg_str`/`opt_str` calls): NUL-terminated per the contract.
    let (openid, truename, creid, cretype) = unsafe {
        (
            arg_str(openid, "openid")?,
            arg_str(truename, "truename")?,
            arg_str(creid, "creid")?,
            opt_str(cretype, "cretype")?.unwrap_or(RESIDENT_ID_CARD),
        )
    };
    if out.is_null() {
        return Err(null("out"));
    }
    let options = options()?;
    let (result, report) = client
        .client
        .verify_with(openid, truename, creid, cretype, &options);
    log_call(&report, openid, truename, creid, result.as_ref());
    let verdict = result.map_err(|e| fail(&e))?;
    let raw = [
        c_string(verdict.nameauth_status()),
        c_string(verdict.notmatch_param()),
        c_string(verdict.name_mask()),
    ];
    let handle = Box::into_raw(Box::new(nameauth_verdict { verdict, raw }));
    // SAFETY: `out` checked non-NULL above.
    unsafe { out.write(handle) };
    Ok(())
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

/// A fixed text of the verdict's row, `""` for NULL.
fn text(v: *const nameauth_verdict, pick: fn(&ReasonTexts) -> &CString) -> *const c_char {
    boundary_value(c"".as_ptr(), || {
        // SAFETY: a live verdict per the accessor's contract, or NULL (checked).
        match unsafe { v.as_ref() } {
            Some(v) => pick(&reason_texts()[v.verdict.reason() as usize]).as_ptr(),
            None => c"".as_ptr(),
        }
    })
}

/// One of the server's raw fields, `""` for NULL.
fn raw(v: *const nameauth_verdict, i: usize) -> *const c_char {
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
    let _ = catch_quietly(|| {
        if !v.is_null() {
            // SAFETY: a pointer from `Box::into_raw` in `nameauth_verify`, freed once.
            drop(unsafe { Box::from_raw(v) });
        }
    });
}

/// A static English description of a status, e.g. `"timeout"`. Unknown values give
/// `"unknown result"`. Never NULL; never freed.
#[no_mangle]
pub extern "C" fn nameauth_result_str(r: nameauth_result) -> *const c_char {
    let s: &CStr = match r {
        NAMEAUTH_OK => c"ok",
        NAMEAUTH_INVALID_INPUT => c"invalid input",
        NAMEAUTH_INVALID_CONFIG => c"invalid configuration",
        NAMEAUTH_TIMEOUT => c"timeout",
        NAMEAUTH_TRANSPORT => c"transport failure",
        NAMEAUTH_PROTOCOL => c"protocol error",
        NAMEAUTH_INTERNAL => c"internal error",
        NAMEAUTH_NULL_ARGUMENT => c"a required pointer argument was NULL",
        NAMEAUTH_INVALID_UTF8 => c"a string argument was not valid UTF-8",
        NAMEAUTH_BUFFER_TOO_SMALL => c"the output buffer is too small",
        NAMEAUTH_PANIC => c"a panic was caught at the C boundary",
        NAMEAUTH_CANCELLED => c"cancelled before the request was sent",
        _ => c"unknown result",
    };
    s.as_ptr()
}

/// The CONFORMANCE.md error kind of a status: `"invalid_input"`, `"invalid_config"`,
/// `"timeout"`, `"transport"`, `"protocol"`, `"internal"` or `"cancelled"`; `""` for
/// `NAMEAUTH_OK`.
/// NULL-argument, UTF-8 and buffer statuses are `"invalid_input"`; a caught panic and
/// unknown values are `"internal"`. Never NULL; never freed.
#[no_mangle]
pub extern "C" fn nameauth_result_kind(r: nameauth_result) -> *const c_char {
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
unsafe fn copy_out(text: &CStr, buf: *mut c_char, buf_len: usize) -> usize {
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
unsafe fn last_error_part(
    pick: fn(&LastError) -> &CString,
    buf: *mut c_char,
    buf_len: usize,
) -> usize {
    boundary_value(0, || {
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

/// What a client did since it was built, filled by `nameauth_client_stats`. Set `size`
/// to `sizeof(nameauth_stats)` first: a library newer than the header fills only the
/// fields the caller's struct has, and later versions only add fields at the end.
#[repr(C)]
pub struct nameauth_stats {
    /// Set by the caller: `sizeof(nameauth_stats)`.
    pub size: usize,
    /// Calls to `nameauth_verify` (every call, refused inputs included).
    pub calls: u64,
    /// HTTP requests attempted (first attempts, retries and failovers; a refused
    /// connection counts too).
    pub requests: u64,
    /// Attempts after the first of a call (failovers not included).
    pub retries: u64,
    /// TCP connections opened; the other requests reused the keep-alive pool.
    pub connections_opened: u64,
    /// Requests sent to the `fallback_endpoint` because the endpoint could not be reached.
    pub failovers: u64,
    /// Verdicts by code: indexes 0-5 are A-F, 6 is Other.
    pub verdicts: [u64; 7],
    /// Errors by kind: invalid_input, invalid_config, timeout, transport, protocol,
    /// internal (the order of `NAMEAUTH_INVALID_INPUT` ... `NAMEAUTH_INTERNAL`).
    pub errors: [u64; 6],
    /// Latency percentiles of the calls that sent a request, in microseconds (within
    /// 12.5 %; 0 before the first).
    pub latency_p50_us: u64,
    /// 90th percentile.
    pub latency_p90_us: u64,
    /// 99th percentile.
    pub latency_p99_us: u64,
    /// Errors of kind cancelled (`NAMEAUTH_CANCELLED`): calls cancelled before their
    /// request was written. Kept out of `errors` so that the fields before it keep their
    /// places.
    pub cancelled: u64,
}

/// Fills `*out` with what `client` did since it was built (its counters are shared by
/// every thread that uses it). `out->size` must be set by the caller and be at least
/// `offsetof(nameauth_stats, calls) + 8`; smaller is `NAMEAUTH_BUFFER_TOO_SMALL`. Fields
/// beyond `out->size` are left alone, so an older caller's smaller struct is filled
/// safely.
///
/// # Safety
/// `client` is NULL or a live client; `out` is NULL or valid for `out->size` bytes.
#[no_mangle]
pub unsafe extern "C" fn nameauth_client_stats(
    client: *const nameauth_client,
    out: *mut nameauth_stats,
) -> nameauth_result {
    boundary(|| {
        // SAFETY: a live client per the contract, or NULL (checked).
        let Some(client) = (unsafe { client.as_ref() }) else {
            return Err(null("client"));
        };
        if out.is_null() {
            return Err(null("out"));
        }
        // SAFETY: `out` is valid for at least its `size` field per the contract.
        let size = unsafe { ptr::addr_of!((*out).size).read() };
        let min = std::mem::offset_of!(nameauth_stats, calls) + 8;
        if size < min {
            return Err(fail_with(
                NAMEAUTH_BUFFER_TOO_SMALL,
                "out",
                "buffer_too_small",
                "size must be set to sizeof(nameauth_stats)",
            ));
        }
        let s = client.client.stats();
        let full = nameauth_stats {
            size: size.min(std::mem::size_of::<nameauth_stats>()),
            calls: s.calls,
            requests: s.requests,
            retries: s.retries,
            connections_opened: s.connections_opened,
            failovers: s.failovers,
            verdicts: s.verdicts,
            errors: std::array::from_fn(|i| s.errors[i]),
            latency_p50_us: s.latency_p50.as_micros() as u64,
            latency_p90_us: s.latency_p90.as_micros() as u64,
            latency_p99_us: s.latency_p99.as_micros() as u64,
            cancelled: s.error_count(ErrorKind::Cancelled),
        };
        let n = full.size;
        // SAFETY: `out` is valid for `size` >= `n` bytes; `full` is `n` bytes or more.
        unsafe { ptr::copy_nonoverlapping(ptr::addr_of!(full).cast::<u8>(), out.cast::<u8>(), n) };
        Ok(())
    })
}

/// Log levels of `nameauth_set_log_callback` and `nameauth_log_capture`.
pub const NAMEAUTH_LOG_OFF: u32 = 0;
/// A failure of the library itself.
pub const NAMEAUTH_LOG_ERROR: u32 = 1;
/// A retry or a failover.
pub const NAMEAUTH_LOG_WARN: u32 = 2;
/// Each call (its verdict or error).
pub const NAMEAUTH_LOG_INFO: u32 = 3;

/// A log callback: `level` is one of `NAMEAUTH_LOG_*`, `message` one masked line (no key,
/// no name or ID number in clear, no URL) valid only during the call. It runs on the
/// thread that called `nameauth_verify`, after the call; it must not unwind (throw or
/// `longjmp`) out.
pub type nameauth_log_fn = Option<
    unsafe extern "C" fn(userdata: *mut std::ffi::c_void, level: u32, message: *const c_char),
>;

/// The process's log callback.
struct LogSink {
    callback: unsafe extern "C" fn(*mut std::ffi::c_void, u32, *const c_char),
    userdata: usize,
    level: u32,
}

static LOG_SINK: std::sync::Mutex<Option<std::sync::Arc<LogSink>>> = std::sync::Mutex::new(None);

/// The level of `LOG_SINK` (`NAMEAUTH_LOG_OFF` when there is none), read on every verify
/// without taking the lock.
static LOG_SINK_LEVEL: std::sync::atomic::AtomicU32 =
    std::sync::atomic::AtomicU32::new(NAMEAUTH_LOG_OFF);

thread_local! {
    /// `nameauth_log_capture`'s level on this thread, and what the last call captured.
    static CAPTURE: RefCell<(u32, CString)> = RefCell::new((NAMEAUTH_LOG_OFF, CString::default()));
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
        if level > NAMEAUTH_LOG_INFO {
            return Err(fail_with(
                NAMEAUTH_INVALID_INPUT,
                "level",
                "bad_value",
                "must be NAMEAUTH_LOG_OFF, _ERROR, _WARN or _INFO",
            ));
        }
        let sink = match callback {
            Some(callback) if level > NAMEAUTH_LOG_OFF => Some(std::sync::Arc::new(LogSink {
                callback,
                userdata: userdata as usize,
                level,
            })),
            _ => None,
        };
        let mut slot = LOG_SINK.lock().unwrap_or_else(|p| p.into_inner());
        let level = sink.as_ref().map_or(NAMEAUTH_LOG_OFF, |s| s.level);
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
    boundary_value(NAMEAUTH_LOG_OFF, || {
        CAPTURE.with(|c| {
            let mut c = c.borrow_mut();
            let before = c.0;
            c.0 = level.min(NAMEAUTH_LOG_INFO);
            before
        })
    })
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
        // SAFETY: forwarded contract.
        CAPTURE.with(|c| unsafe { copy_out(&c.borrow().1, buf, buf_len) })
    })
}

/// Hands one call's events to the log callback and this thread's capture, if either
/// wants them. Nothing is formatted when neither does.
fn log_call(
    report: &nameauth::Report,
    openid: &str,
    truename: &str,
    creid: &str,
    result: Result<&Verdict, &Error>,
) {
    let capture = CAPTURE.with(|c| {
        let mut c = c.borrow_mut();
        c.1 = CString::default();
        c.0
    });
    let sink_level = LOG_SINK_LEVEL.load(std::sync::atomic::Ordering::Acquire);
    let wanted = sink_level.max(capture);
    if wanted == NAMEAUTH_LOG_OFF || wanted < level_number(report.level()) {
        return;
    }
    let sink = if sink_level == NAMEAUTH_LOG_OFF {
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
        CAPTURE.with(|c| c.borrow_mut().1 = c_string(&captured));
    }
}

/// Releases the keep-alive pools the process keeps for its clients (clients built with
/// the same settings share one, and it outlives them, so a client per request still
/// reuses connections): each closes its idle connections once no client uses it, and
/// clients built later start new ones. Never needed for correctness; call it before exit
/// under a leak checker such as valgrind, or when the process is done with nameauth (like
/// `curl_global_cleanup`). Thread-safe.
#[no_mangle]
pub extern "C" fn nameauth_release_pools() {
    let _ = catch_quietly(nameauth::release_pools);
}

/// The library's version, e.g. `"0.1.0"` (the same as `NAMEAUTH_VERSION` for the header
/// this library was built with). Static; never freed.
#[no_mangle]
pub extern "C" fn nameauth_version() -> *const c_char {
    const V: &CStr =
        match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
            Ok(v) => v,
            Err(_) => c"",
        };
    V.as_ptr()
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
    fn the_log_constants_are_the_cores_level_numbers() {
        use nameauth::report::Level;
        assert_eq!(level_number(Level::Error), NAMEAUTH_LOG_ERROR);
        assert_eq!(level_number(Level::Warn), NAMEAUTH_LOG_WARN);
        assert_eq!(level_number(Level::Info), NAMEAUTH_LOG_INFO);
    }

    #[test]
    fn version_matches_cargo() {
        // SAFETY: static NUL-terminated string.
        let v = unsafe { CStr::from_ptr(nameauth_version()) };
        assert_eq!(v.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
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
}
