//! C strings made for the caller (verdict fields, messages, kind names). The bottom of
//! the crate: it imports nothing of ours.

use std::ffi::CString;

/// A C string of `s`, with any NUL (impossible in our own texts, possible in a server's
/// field) replaced so that nothing after it is lost.
pub(crate) fn c_string(s: &str) -> CString {
    CString::new(s.replace('\0', "\u{FFFD}")).unwrap_or_default()
}
