//! The response parser and the verdict table: no input panics, and no answer that is not
//! exactly error_code 0, nameauth_status "1" and an empty notmatch_param is ever A.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nameauth::{Code, Verdict};

fuzz_target!(|body: &[u8]| {
    if let Ok(v) = Verdict::from_body(body) {
        if v.code() == Code::A {
            assert_eq!(v.error_code(), 0);
            assert_eq!(v.nameauth_status(), "1");
            assert_eq!(v.notmatch_param(), "");
        }
        if v.error_code() != 0 {
            assert!(matches!(v.code(), Code::F | Code::Other));
        }
    }
});
