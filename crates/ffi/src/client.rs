//! `nameauth_client`: building one (from credentials and options, or from the
//! environment), freeing it, and `nameauth_verify` (with a token and a deadline:
//! `nameauth_verify_with`).

use std::ffi::c_char;
use std::ptr;
use std::time::{Duration, Instant};

use nameauth::{CallOptions, Client, ClientBuilder, RESIDENT_ID_CARD};

use crate::args::{arg_str, free_handle, give, live, opt_str, put};
use crate::cancel::nameauth_cancel;
use crate::cstr::c_string;
use crate::logs::{forget_captured, log_call};
use crate::options::nameauth_options;
use crate::result::{boundary, fail, nameauth_result, null};
use crate::verdict::nameauth_verdict;

/// A configured client: credentials, endpoint, timeouts and one keep-alive connection
/// pool. Opaque. Created by `nameauth_client_new` or `nameauth_client_new_from_env`,
/// freed by `nameauth_client_free`. One client may be used by many threads at once.
pub struct nameauth_client {
    pub(crate) client: Client,
}

/// Creates a client from the three credentials WeChat Pay issues and options (`opts` may
/// be NULL for every default; it is copied, so it may be freed or reused at once).
///
/// On success `*out` receives a client to free with `nameauth_client_free`; on failure
/// `*out` is set to NULL and the last error (message, field, rule) says what is wrong,
/// never showing the key. The key is copied; the caller may wipe its own copy at once.
///
/// # Safety
/// Non-NULL strings are NUL-terminated; `opts` is NULL or a live options handle; `out`
/// is NULL or valid for one write.
#[no_mangle]
pub unsafe extern "C" fn nameauth_client_new(
    appid: *const c_char,
    src: *const c_char,
    key: *const c_char,
    opts: *const nameauth_options,
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
        if let Some(o) = unsafe { opts.as_ref() } {
            builder = builder.with_options(o.options.clone());
        }
        finish_client(builder, out)
    })
}

/// Creates a client from the environment: `NAMEAUTH_APPID`, `NAMEAUTH_SRC`,
/// `NAMEAUTH_KEY`, and for each option of `nameauth_options_set` its variable
/// (`NAMEAUTH_` and the name in capitals: `NAMEAUTH_ENDPOINT`, `NAMEAUTH_TIMEOUT_MS`,
/// ...). A missing credential is `NAMEAUTH_INVALID_CONFIG` naming the variable; so is an
/// empty `NAMEAUTH_ENDPOINT` (unset means the real WeChat Pay endpoint, empty is a
/// mistake).
///
/// On success `*out` receives a client to free with `nameauth_client_free`; on failure
/// `*out` is set to NULL.
///
/// # Safety
/// `out` is NULL or valid for one write.
#[no_mangle]
pub unsafe extern "C" fn nameauth_client_new_from_env(
    out: *mut *mut nameauth_client,
) -> nameauth_result {
    boundary(|| {
        if out.is_null() {
            return Err(null("out"));
        }
        // SAFETY: `out` is non-NULL and valid for one write.
        unsafe { out.write(ptr::null_mut()) };
        finish_client(ClientBuilder::from_env(), out)
    })
}

fn finish_client(
    builder: ClientBuilder,
    out: *mut *mut nameauth_client,
) -> Result<(), nameauth_result> {
    let client = builder.build().map_err(|e| fail(&e))?;
    // SAFETY: `out` was checked non-NULL by the caller of this function.
    unsafe { give(out, nameauth_client { client }) }
}

/// Frees a client: closes its connections and wipes its key. NULL is a no-op. The client
/// must not be in use by another thread, nor used afterwards.
///
/// # Safety
/// `client` is NULL or a client from `nameauth_client_new*` not yet freed.
#[no_mangle]
pub unsafe extern "C" fn nameauth_client_free(client: *mut nameauth_client) {
    // SAFETY: a client from `finish_client` (`give`) or NULL, freed once.
    unsafe { free_handle(client) }
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
    // SAFETY: forwarded contract; no token, no deadline.
    unsafe {
        nameauth_verify_with(
            client,
            openid,
            truename,
            creid,
            cretype,
            ptr::null(),
            0,
            out,
        )
    }
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
    boundary(|| {
        forget_captured();
        // SAFETY: `out` is NULL or valid for one write.
        unsafe { put(out, ptr::null_mut()) };
        // SAFETY: a live client per the contract, or NULL (checked).
        let client = unsafe { live(client, "client") }?;
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
        // SAFETY: `out` checked non-NULL above.
        unsafe { give(out, nameauth_verdict { verdict, raw }) }
    })
}
