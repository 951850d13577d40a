//! The option-string parser: no input panics, and an error never quotes more of the
//! string than an option name it knows (values may be proxy passwords).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use nameauth::{Options, OPTION_NAMES};

/// Every fixed word an option error can hold: the messages of known bad strings.
fn vocabulary() -> &'static str {
    static V: OnceLock<String> = OnceLock::new();
    V.get_or_init(|| {
        let mut v = OPTION_NAMES.join(" ");
        for bad in [
            "x", "colour=1", "retries=1;retries=1", "timeout_ms=x", "connect_timeout_ms=x",
            "sign_case=x", "retries=x", "id_rules=x", "allow_http=x", "endpoint=",
        ] {
            v.push(' ');
            v.push_str(&Options::parse(bad).unwrap_err().to_string());
        }
        zero_digits(&v)
    })
}

/// The text with every run of digits one 0, so that entry numbers do not count as quoted
/// values.
fn zero_digits(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('0') || out.is_empty() {
            out.push('0');
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = Options::parse(text) {
        let message = zero_digits(&e.to_string());
        // Every value of the string, as the parser splits it.
        for entry in text.split([';', '\n']) {
            let value = zero_digits(entry.split_once('=').map_or(entry, |(_, v)| v).trim());
            let value = value.as_str();
            let quoted =
                value.len() >= 8 && message.contains(value) && !vocabulary().contains(value);
            assert!(!quoted, "an option error quoted a value: {message}");
        }
    }
});
