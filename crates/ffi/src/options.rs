//! `nameauth_options`: client options set one by one, by name.

use std::ffi::{c_char, CStr};

use nameauth::error::{Error, Rule};
use nameauth::{Options, OPTIONS};

use crate::args::{arg_str, free_handle, new_handle};
use crate::result::{boundary, fail, nameauth_result, null};

/// Client options set one by one, by name: any value may hold any character (a proxy
/// password with `;`, `=` or `\\`). Opaque. Created by `nameauth_options_new`, filled by
/// `nameauth_options_set`, used by `nameauth_client_new` (which copies it), freed by
/// `nameauth_options_free`. Not for use by two threads at once.
#[derive(Default)]
pub struct nameauth_options {
    pub(crate) options: Options,
}

/// Creates an empty set of options (every default). On success `*out` receives it, to
/// fill with `nameauth_options_set` and free with `nameauth_options_free`.
///
/// # Safety
/// `out` is NULL or valid for one write.
#[no_mangle]
pub unsafe extern "C" fn nameauth_options_new(out: *mut *mut nameauth_options) -> nameauth_result {
    // SAFETY: `out` is NULL or valid for one write per the contract.
    unsafe { new_handle(out) }
}

/// Sets one option by name; `value` is taken whole, whatever characters it holds. The
/// names: `endpoint` (default the real WeChat Pay URL), `timeout_ms` (10000, the whole
/// call including retries; 1 to 86400000), `connect_timeout_ms` (3000; same range),
/// `sign_case` (`lower`|`upper`), `retries` (2; 0 to 10), `proxy`
/// (`http://[user:password@]host:port`), `ca_file` (PEM file of extra root certificates),
/// `id_rules` (`true`|`false`), `allow_http` (`true`|`false`: plain http:// to a
/// non-loopback host or through a proxy), `fallback_endpoint`, `idle_timeout_ms` (7000,
/// how long an unused keep-alive connection is kept; 1 to 600000). An unknown name or a
/// bad value is `NAMEAUTH_INVALID_CONFIG` (a value that is not valid UTF-8,
/// `NAMEAUTH_INVALID_UTF8`), and `nameauth_last_error_field` names the option; the value
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
        let name = unsafe { arg_str(name, "name")? };
        if value.is_null() {
            return Err(null("value"));
        }
        // SAFETY: non-NULL and NUL-terminated per the contract.
        let Ok(value) = std::str::from_utf8(unsafe { CStr::from_ptr(value) }.to_bytes()) else {
            // `NAMEAUTH_INVALID_UTF8` as for every string argument, but named by its
            // option, as every bad value is (an unknown name is reported as unknown).
            let e = match OPTIONS.iter().find(|spec| spec.name == name) {
                Some(spec) => {
                    Error::front_end_input(spec.name, Rule::InvalidUtf8, "is not valid UTF-8")
                }
                None => (o.options.set(name, "").err())
                    .unwrap_or_else(|| Error::front_end_config("name", "is not an option")),
            };
            return Err(fail(&e));
        };
        o.options.set(name, value).map_err(|e| fail(&e))
    })
}

/// Frees options (and wipes a proxy password they hold). NULL is a no-op.
///
/// # Safety
/// `options` is NULL or an options handle from `nameauth_options_new` not yet freed.
#[no_mangle]
pub unsafe extern "C" fn nameauth_options_free(options: *mut nameauth_options) {
    // SAFETY: options from `nameauth_options_new` (`give`) or NULL, freed once.
    unsafe { free_handle(options) }
}
