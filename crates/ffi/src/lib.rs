//! The C ABI of nameauth: `include/nameauth.h` is generated from these files by cbindgen
//! (see `build.rs`). Every function runs inside one panic boundary, checks its pointers
//! and its UTF-8, and reports failure through a `nameauth_result` plus a per-thread error
//! (message, field and rule). Only translation lives here; every rule is the core's, and
//! what every front end shares (the panic boundary, the result numbers, the log levels,
//! the sign case) is the core's `nameauth::frontend` kit.
//!
//! One file per C type:
//!
//! | module | C |
//! |---|---|
//! | [`result`] | `nameauth_result`, `nameauth_result_str`/`_kind`, `nameauth_last_error*` |
//! | [`cstr`] | (C strings out; imports nothing of ours) |
//! | [`args`] | (C strings in, out-pointers) |
//! | [`options`] | `nameauth_options` |
//! | [`client`] | `nameauth_client`, `nameauth_verify` |
//! | [`verdict`] | `nameauth_verdict` |
//! | [`stats`] | `nameauth_stats` |
//! | [`logs`] | `nameauth_set_log_callback`, `nameauth_log_capture` |
//! | [`sign`] | `nameauth_sign_case`, `nameauth_sign`, `nameauth_validate_id` |
//! | [`cancel`] | `nameauth_cancel`, `nameauth_verify_with` |
//! | [`pools`] | `nameauth_release_pools` |

#![allow(non_camel_case_types)]

use std::ffi::{c_char, CStr};

pub mod args;
pub mod cancel;
pub mod client;
pub mod cstr;
pub mod logs;
pub mod options;
pub mod pools;
pub mod result;
pub mod sign;
pub mod stats;
pub mod verdict;

pub use cancel::*;
pub use client::*;
pub use logs::*;
pub use options::*;
pub use pools::*;
pub use result::*;
pub use sign::*;
pub use stats::*;
pub use verdict::*;

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

    #[test]
    fn version_matches_cargo() {
        // SAFETY: static NUL-terminated string.
        let v = unsafe { CStr::from_ptr(nameauth_version()) };
        assert_eq!(v.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
    }
}
