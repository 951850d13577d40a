//! The checks docs/SPEC.md §3 asks for before anything is sent.
//!
//! Generic rules (non-empty, no control characters) apply to every field and cannot be
//! switched off; the resident-ID rules live in [`crate::idcard`] and can be. No message
//! repeats the value it refuses.

use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};

use crate::error::{Error, Rule};
use crate::idcard;
use crate::protocol::RESIDENT_ID_CARD;

/// Longest accepted `openid`, in characters.
pub const OPENID_MAX_CHARS: usize = 128;
/// Longest accepted `truename`, in characters.
pub const TRUENAME_MAX_CHARS: usize = 64;
/// Longest accepted `creid` and `cretype` for document types other than `1`.
pub const OTHER_DOCUMENT_MAX_CHARS: usize = 32;

/// Non-empty, no control characters (NUL, C0, DEL, C1).
pub fn generic(field: &'static str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::input(field, Rule::Empty, "must not be empty"));
    }
    if let Some(pos) = value.chars().position(char::is_control) {
        return Err(Error::input(
            field,
            Rule::ControlCharacter,
            format_args!("character {} is a control character", pos + 1),
        ));
    }
    Ok(())
}

fn max_chars(field: &'static str, value: &str, max: usize) -> Result<(), Error> {
    let n = value.chars().count();
    if n > max {
        return Err(Error::input(
            field,
            Rule::TooLong,
            format_args!("must be at most {max} characters (got {n})"),
        ));
    }
    Ok(())
}

/// `openid`: 1–128 characters of `A-Z a-z 0-9 _ -`.
pub fn openid(value: &str) -> Result<(), Error> {
    generic("openid", value)?;
    max_chars("openid", value, OPENID_MAX_CHARS)?;
    if let Some(pos) = value
        .chars()
        .position(|c| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
    {
        return Err(Error::input(
            "openid",
            Rule::Charset,
            format_args!("character {} is not one of A-Z a-z 0-9 _ -", pos + 1),
        ));
    }
    Ok(())
}

/// The ideographic zero, a letter-like number used in real Chinese names (docs/SPEC.md §3).
const IDEOGRAPHIC_ZERO: char = '\u{3007}';

/// Separators a name may hold besides letters, marks and single inner spaces.
const NAME_SEPARATORS: [char; 5] = ['\u{00B7}', '\u{2022}', '.', '-', '\''];

/// `truename`: 1–64 characters of letters and combining marks of any script, the name
/// separators `·` `•` `.` `-` `'`, and single inner spaces; no digits; at least one letter.
pub fn truename(value: &str) -> Result<(), Error> {
    const FIELD: &str = "truename";
    generic(FIELD, value)?;
    max_chars(FIELD, value, TRUENAME_MAX_CHARS)?;
    if value.starts_with(char::is_whitespace) || value.ends_with(char::is_whitespace) {
        return Err(Error::input(
            FIELD,
            Rule::Whitespace,
            "must not start or end with white space",
        ));
    }
    let mut letters = 0usize;
    let mut prev_space = false;
    for (i, c) in value.chars().enumerate() {
        let pos = i + 1;
        if c == ' ' {
            if prev_space {
                return Err(Error::input(
                    FIELD,
                    Rule::Whitespace,
                    format_args!("two spaces in a row at character {pos}; use single spaces"),
                ));
            }
            prev_space = true;
            continue;
        }
        prev_space = false;
        match c.general_category_group() {
            GeneralCategoryGroup::Letter => letters += 1,
            _ if c == IDEOGRAPHIC_ZERO => letters += 1,
            GeneralCategoryGroup::Mark => {}
            GeneralCategoryGroup::Number
                if c.general_category() == GeneralCategory::DecimalNumber =>
            {
                return Err(Error::input(
                    FIELD,
                    Rule::Digit,
                    format_args!("character {pos} is a digit; names hold no digits"),
                ))
            }
            _ if NAME_SEPARATORS.contains(&c) => {}
            _ => {
                // The position, never the character: it is part of a person's name.
                return Err(Error::input(
                    FIELD,
                    Rule::Charset,
                    format_args!(
                        "character {pos} is not allowed; use letters, combining marks, \
                         \u{3007} \u{00B7} \u{2022} . - ' and single inner spaces"
                    ),
                ));
            }
        }
    }
    if letters == 0 {
        return Err(Error::input(
            FIELD,
            Rule::NoLetter,
            "must contain at least one letter",
        ));
    }
    Ok(())
}

/// `cretype`: generic checks, at most 32 characters, no white space, no invisible
/// formatting character, and one spelling per number.
///
/// Only the exact value `1` gets the resident-ID rules (docs/SPEC.md §3), and the value is
/// sent as given (§2: what is signed is what is sent), so another spelling of 1 cannot be
/// rewritten to `1`: it is refused. A server that reads the field the lenient way (C's
/// `atoi`, PHP's `intval`, Unicode NFKC) sees `01`, `+1`, `1.0`, `1e0`, `1a`, fullwidth
/// `１` or `1` followed by U+200B as a resident ID card while the ID rules were skipped.
/// Hence: a value that starts as a number does (a number character of any script or
/// form, a sign or a point, ASCII or fullwidth) must be a plain ASCII decimal number without a leading
/// zero, so `1` is the only value that reads as 1.
pub fn cretype(value: &str) -> Result<(), Error> {
    const FIELD: &str = "cretype";
    generic(FIELD, value)?;
    max_chars(FIELD, value, OTHER_DOCUMENT_MAX_CHARS)?;
    if let Some(pos) = value.chars().position(char::is_whitespace) {
        return Err(Error::input(
            FIELD,
            Rule::Whitespace,
            format_args!(
                "character {} is white space; document types hold none",
                pos + 1
            ),
        ));
    }
    if let Some(pos) = value
        .chars()
        .position(|c| c.general_category() == GeneralCategory::Format)
    {
        return Err(Error::input(
            FIELD,
            Rule::Charset,
            format_args!(
                "character {} is an invisible formatting character (such as U+200B); \
                 document types hold none",
                pos + 1
            ),
        ));
    }
    if starts_as_a_number(value) && !plain_number(value) {
        return Err(Error::input(
            FIELD,
            Rule::Charset,
            "a numeric document type is ASCII digits alone, without sign, point, exponent, \
             leading zero or other characters: write 1 (a resident ID card), not 01, +1, \
             1.0, 1e0, 1a or a fullwidth digit",
        ));
    }
    Ok(())
}

/// Whether a lenient number reader would start reading `value` as a number: a number
/// character of any script or form (decimal digits, and also `¹` or `①`, which NFKC
/// turns into `1`), or a sign or point (ASCII or fullwidth) before one.
fn starts_as_a_number(value: &str) -> bool {
    value.chars().next().is_some_and(|c| {
        c.general_category_group() == GeneralCategoryGroup::Number
            || matches!(c, '+' | '-' | '.' | '\u{FF0B}' | '\u{FF0D}' | '\u{FF0E}')
    })
}

/// The key's rules: non-empty, no control character (a stray newline from a file is the
/// usual cause). Never echoed. An `invalid_input` error; configuration readers turn it
/// into `invalid_config`.
pub fn key(key: &str) -> Result<(), Error> {
    if key.is_empty() {
        return Err(Error::input("key", Rule::Empty, "must not be empty"));
    }
    if key.chars().any(char::is_control) {
        return Err(Error::input(
            "key",
            Rule::ControlCharacter,
            "contains a control character (a trailing newline from a file?)",
        ));
    }
    Ok(())
}

/// `0`, or ASCII digits without a leading zero.
fn plain_number(value: &str) -> bool {
    value.bytes().all(|b| b.is_ascii_digit()) && (value == "0" || !value.starts_with('0'))
}

/// A resident ID number (`cretype=1`): every rule of docs/SPEC.md §3, the generic ones
/// included. The one check every binding calls.
pub fn resident_id(value: &str) -> Result<(), Error> {
    creid(value, RESIDENT_ID_CARD, true)
}

/// `creid` for the given `cretype`. With `id_rules` false only the generic checks run.
pub fn creid(value: &str, cretype: &str, id_rules: bool) -> Result<(), Error> {
    generic("creid", value)?;
    if cretype == "1" && id_rules {
        idcard::validate(value, idcard::Date::today_china())
    } else {
        max_chars("creid", value, OTHER_DOCUMENT_MAX_CHARS)
    }
}

/// Every check of docs/SPEC.md §3 for one user, in the order the fields appear in a request.
pub fn user(
    openid_v: &str,
    truename_v: &str,
    creid_v: &str,
    cretype_v: &str,
    id_rules: bool,
) -> Result<(), Error> {
    openid(openid_v)?;
    truename(truename_v)?;
    cretype(cretype_v)?;
    creid(creid_v, cretype_v, id_rules)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn rule_of(r: Result<(), Error>) -> Rule {
        let e = r.expect_err("expected a refusal");
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        e.rule().unwrap()
    }

    #[test]
    fn generic_refuses_empty_and_control_characters() {
        assert_eq!(rule_of(generic("appid", "")), Rule::Empty);
        assert_eq!(rule_of(generic("appid", "a\0b")), Rule::ControlCharacter);
        assert_eq!(rule_of(generic("appid", "a\u{7f}")), Rule::ControlCharacter);
        assert_eq!(rule_of(generic("appid", "a\u{85}")), Rule::ControlCharacter);
        assert_eq!(rule_of(generic("appid", "\t")), Rule::ControlCharacter);
        assert!(generic("appid", "wx1234567890abcdef").is_ok());
    }

    #[test]
    fn openid_accepts_its_alphabet_up_to_128() {
        assert!(openid("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o").is_ok());
        assert!(openid("a").is_ok());
        assert!(openid("-_").is_ok());
        assert!(openid(&"a".repeat(128)).is_ok());
    }

    #[test]
    fn openid_refuses_other_characters_and_lengths() {
        for (value, rule) in [
            ("", Rule::Empty),
            (&"a".repeat(129), Rule::TooLong),
            ("o.1", Rule::Charset),
            ("o 1", Rule::Charset),
            ("o+1", Rule::Charset),
            ("о1", Rule::Charset), // Cyrillic о
            ("o\n", Rule::ControlCharacter),
        ] {
            assert_eq!(rule_of(openid(value)), rule, "{value:?}");
        }
    }

    #[test]
    fn truename_accepts_real_names_of_many_scripts() {
        for name in [
            "张三",
            "ZHANG SAN",
            "阿卜杜热合曼·买买提",
            "阿卜杜热合曼•买买提",
            "𠮷野家",
            "陳大文",
            "O'Brien",
            "Jean-Luc Picard",
            "J. R. R. Tolkien",
            "Zoë",
            "Zoe\u{0308}", // combining diaeresis
            "Маргарита",
            "محمد",
            "김민준",
            "たなか",
            "李〇",
            "王〇〇",
        ] {
            assert!(truename(name).is_ok(), "{name:?} should be accepted");
        }
        assert!(truename(&"名".repeat(64)).is_ok());
    }

    #[test]
    fn truename_refuses_what_no_name_holds() {
        for (value, rule) in [
            ("", Rule::Empty),
            (&"名".repeat(65), Rule::TooLong),
            ("张三1", Rule::Digit),
            ("张三١", Rule::Digit), // Arabic-Indic one
            (" 张三", Rule::Whitespace),
            ("张三 ", Rule::Whitespace),
            ("张三\u{3000}", Rule::Whitespace),
            ("ZHANG  SAN", Rule::Whitespace),
            ("张\u{3000}三", Rule::Charset),
            ("张_三", Rule::Charset),
            ("张三!", Rule::Charset),
            ("阿卜杜・买买提", Rule::Charset), // U+30FB
            ("张\t三", Rule::ControlCharacter),
            ("·-.", Rule::NoLetter),
        ] {
            assert_eq!(rule_of(truename(value)), rule, "{value:?}");
        }
    }

    #[test]
    fn truename_messages_never_repeat_the_name() {
        for bad in ["张三1", " 张三", "张_三", "张三!"] {
            let e = truename(bad).unwrap_err();
            assert!(!e.message().contains("张"), "{}", e.message());
            assert!(e.message().starts_with("truename: "));
        }
        let e = truename("阿卜杜・买买提").unwrap_err();
        assert_eq!(
            e.message(),
            "truename: character 4 is not allowed; use letters, combining marks, \u{3007} \
             \u{00B7} \u{2022} . - ' and single inner spaces"
        );
        assert!(!e.message().contains('\u{30FB}'));
    }

    #[test]
    fn cretype_and_other_documents_get_generic_checks_only() {
        assert!(cretype("1").is_ok());
        assert!(cretype("2").is_ok());
        assert_eq!(rule_of(cretype("")), Rule::Empty);
        assert_eq!(rule_of(cretype(&"9".repeat(33))), Rule::TooLong);
        // Other spellings of 1 would skip the resident-ID rules.
        assert_eq!(rule_of(cretype(" 1")), Rule::Whitespace);
        assert_eq!(rule_of(cretype("1 ")), Rule::Whitespace);
        assert_eq!(rule_of(cretype("1\u{3000}")), Rule::Whitespace);
        assert_eq!(rule_of(cretype("01")), Rule::Charset);
        assert_eq!(rule_of(cretype("0001")), Rule::Charset);
        assert!(cretype("0").is_ok() && cretype("10").is_ok() && cretype("A1").is_ok());
        assert!(cretype("ID").is_ok() && cretype("2").is_ok() && cretype("99").is_ok());
        assert!(creid("E12345678", "2", true).is_ok());
        assert!(creid("G-1234 5678", "3", true).is_ok());
        assert_eq!(rule_of(creid(&"A".repeat(33), "2", true)), Rule::TooLong);
        assert_eq!(rule_of(creid("E1\u{1}", "2", true)), Rule::ControlCharacter);
    }

    /// Issue 17 item 13: every spelling that a lenient reader takes for 1, refused with
    /// the field and the rule, so none of them skips the resident-ID rules.
    #[test]
    fn other_spellings_of_one_are_refused() {
        for spelling in [
            "+1",
            "1.0",
            "1a",
            "1e0",
            "1\u{200B}",
            "\u{FF11}",
            "01",
            "-1",
            ".1e1",
            "1.",
            "\u{FF0B}1",
            "\u{0661}",
            "1\u{FEFF}",
            "\u{200B}1",
            "1\u{20E3}",
            "10a",
            "0x1",
            "\u{00B9}",
            "\u{2460}",
            "\u{1D7CF}",
        ] {
            let e = cretype(spelling).expect_err(spelling);
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{spelling:?}");
            assert_eq!(e.field(), Some("cretype"), "{spelling:?}");
            assert_eq!(e.rule(), Some(Rule::Charset), "{spelling:?}");
            let m = e.message();
            assert!(
                m.starts_with("cretype: ")
                    && (m.contains("write 1 (a resident ID card)") || m.contains("invisible")),
                "{spelling:?}: {m}"
            );
        }
        // And the whole check of a user refuses them before the ID rules would be skipped.
        for spelling in ["+1", "1.0", "1a", "1e0", "1\u{200B}", "\u{FF11}"] {
            let e = user("o1", "张三", "110101199003074478", spelling, true).unwrap_err();
            assert_eq!(e.field(), Some("cretype"), "{spelling:?}");
        }
    }

    #[test]
    fn id_rules_can_be_switched_off_but_generic_ones_cannot() {
        assert_eq!(
            rule_of(creid("110101199003074478", "1", true)),
            Rule::IdCheckCharacter
        );
        assert!(creid("110101199003074478", "1", false).is_ok());
        assert!(creid("12345", "1", false).is_ok());
        assert_eq!(rule_of(creid("", "1", false)), Rule::Empty);
        assert_eq!(rule_of(creid("1\u{0}", "1", false)), Rule::ControlCharacter);
        assert_eq!(rule_of(creid(&"1".repeat(33), "1", false)), Rule::TooLong);
    }
}
