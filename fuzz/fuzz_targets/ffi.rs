//! The C ABI's string entry points, with arbitrary bytes (bad UTF-8, NUL, any length):
//! no input crashes, panics across the boundary or reports success for a bad string. The
//! ABI's source is compiled in as a module, as the C library compiles it.
#![no_main]

#[allow(dead_code, unused_imports, clippy::all)]
#[path = "../../crates/ffi/src/lib.rs"]
mod ffi;
// The ABI's modules refer to each other as `crate::args`, `crate::result`, ...: here
// they live under `ffi`, so they are named at this crate's root too.
#[allow(unused_imports)]
use ffi::*;

use std::ffi::{c_char, CString};
use std::ptr;

use libfuzzer_sys::fuzz_target;

fn c(bytes: &[u8]) -> CString {
    CString::new(
        bytes
            .iter()
            .copied()
            .filter(|b| *b != 0)
            .collect::<Vec<u8>>(),
    )
    .unwrap()
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|b| *b == 0x1f);
    let mut next = || c(parts.next().unwrap_or(b""));
    let (a, b, s, t, id, k) = (next(), next(), next(), next(), next(), next());
    let mut out = [0 as c_char; ffi::NAMEAUTH_SIGN_LEN];
    // SAFETY: every string is NUL-terminated; `out` holds NAMEAUTH_SIGN_LEN bytes.
    let r = unsafe {
        ffi::nameauth_sign(
            a.as_ptr(),
            b.as_ptr(),
            s.as_ptr(),
            t.as_ptr(),
            id.as_ptr(),
            ptr::null(),
            k.as_ptr(),
            (data.len() % 3) as u32,
            out.as_mut_ptr(),
            out.len(),
        )
    };
    assert_ne!(r, ffi::NAMEAUTH_PANIC);
    // SAFETY: NUL-terminated.
    let r = unsafe { ffi::nameauth_validate_id(id.as_ptr()) };
    assert_ne!(r, ffi::NAMEAUTH_PANIC);
    let mut o = ptr::null_mut();
    // SAFETY: valid out-pointer; then a live handle and NUL-terminated strings.
    unsafe {
        assert_eq!(ffi::nameauth_options_new(&mut o), ffi::NAMEAUTH_OK);
        let r = ffi::nameauth_options_set(o, a.as_ptr(), b.as_ptr());
        assert_ne!(r, ffi::NAMEAUTH_PANIC);
        let mut client = ptr::null_mut();
        let r = ffi::nameauth_client_new(s.as_ptr(), t.as_ptr(), k.as_ptr(), o, &mut client);
        assert_ne!(r, ffi::NAMEAUTH_PANIC);
        ffi::nameauth_client_free(client);
        ffi::nameauth_options_free(o);
        let mut client = ptr::null_mut();
        let r =
            ffi::nameauth_client_new(a.as_ptr(), s.as_ptr(), k.as_ptr(), ptr::null(), &mut client);
        assert_ne!(r, ffi::NAMEAUTH_PANIC);
        assert_eq!(r == ffi::NAMEAUTH_OK, !client.is_null());
        ffi::nameauth_client_free(client);
        let mut buf = [0 as c_char; 8];
        let n = ffi::nameauth_last_error(buf.as_mut_ptr(), buf.len());
        assert!(n < 4096);
    }
});
