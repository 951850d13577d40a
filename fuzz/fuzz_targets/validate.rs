//! Input validation, every rule: no input panics, a refusal names a field and a rule and
//! never repeats the name or the ID number, and what is accepted keeps the promises of
//! docs/SPEC.md §3 (lengths, no control characters, a valid resident ID).
#![no_main]

use libfuzzer_sys::fuzz_target;
use nameauth::{idcard, validate, RESIDENT_ID_CARD};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.splitn(4, '\u{1f}');
    let (openid, truename, creid) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    let cretype = parts.next().unwrap_or(RESIDENT_ID_CARD);
    for id_rules in [true, false] {
        match validate::user(openid, truename, creid, cretype, id_rules) {
            Ok(()) => {
                for v in [openid, truename, creid, cretype] {
                    assert!(!v.is_empty() && !v.chars().any(char::is_control));
                }
                assert!(openid.chars().count() <= 128 && truename.chars().count() <= 64);
                if cretype == RESIDENT_ID_CARD && id_rules {
                    let first17 = &creid[..17];
                    let check = idcard::check_character(first17).unwrap();
                    assert_eq!(creid[17..].to_ascii_uppercase(), check.to_string());
                }
            }
            Err(e) => {
                assert!(e.field().is_some() && e.rule().is_some(), "{e}");
                // Messages are the rules' own words and numbers: a name with a Chinese
                // character, or six digits in a row of an ID number, never appear in them.
                let m = e.message();
                let chinese = truename.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
                if chinese {
                    assert!(!m.contains(truename), "{m}");
                }
                let digits = creid.as_bytes().windows(6).any(|w| w.iter().all(u8::is_ascii_digit));
                if digits {
                    assert!(!m.contains(creid), "{m}");
                }
            }
        }
    }
});
