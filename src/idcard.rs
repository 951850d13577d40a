//! Resident identity card numbers (`cretype=1`): GB 11643-1999.
//!
//! 18 characters: a 6-digit region code, the birth date `YYYYMMDD`, a 3-digit sequence
//! number and a check character. Residence permits for Hong Kong, Macao and Taiwan
//! residents (region `810000`, `820000`, `830000`) follow the same rule.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{Error, Rule};

const FIELD: &str = "creid";
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [u8; 11] = *b"10X98765432";

/// A calendar date, for the birth-date rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year, e.g. 1990.
    pub year: u32,
    /// Month, 1–12.
    pub month: u32,
    /// Day of the month, 1–31.
    pub day: u32,
}

impl Date {
    /// The date if it exists on the Gregorian calendar (leap years included).
    pub fn new(year: u32, month: u32, day: u32) -> Option<Date> {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// Today in China (UTC+8), where the numbers are issued: a child born just after
    /// midnight in Beijing is not "born in the future".
    pub fn today_china() -> Date {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Date::from_days_since_epoch((secs + 8 * 3600) / 86_400)
    }

    /// The civil date `days` days after 1970-01-01 (Howard Hinnant's algorithm).
    fn from_days_since_epoch(days: u64) -> Date {
        let z = days as i64 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u32;
        Date { year, month, day }
    }
}

/// The GB 11643-1999 check character for the first 17 digits.
///
/// `first17` must be 17 ASCII digits; anything else gives `None`.
pub fn check_character(first17: &str) -> Option<char> {
    let b = first17.as_bytes();
    if b.len() != 17 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = b
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    Some(CHECK[(sum % 11) as usize] as char)
}

/// Province-level codes of GB/T 2260 an ID number may start with, including 71 (Taiwan)
/// and 81, 82, 83 (residence permits for Hong Kong, Macao and Taiwan residents).
const PROVINCES: &[std::ops::RangeInclusive<u8>] = &[
    11..=15,
    21..=23,
    31..=37,
    41..=46,
    50..=54,
    61..=65,
    71..=71,
    81..=83,
];

/// Whether `b` (at least 3 ASCII digits) starts with a province-level code, or with `9`
/// and such a code (the 2023 foreign permanent-resident card).
fn province_code(b: &[u8]) -> bool {
    let start = usize::from(b[0] == b'9');
    let code = (b[start] - b'0') * 10 + (b[start + 1] - b'0');
    PROVINCES.iter().any(|r| r.contains(&code))
}

/// The 18-digit form of a 15-digit first-generation number: `19` inserted before the
/// two-digit birth year and the check character appended. `None` unless given 15 digits.
pub fn upgrade_15(id15: &str) -> Option<String> {
    if id15.len() != 15 || !id15.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut s = String::with_capacity(18);
    s.push_str(&id15[..6]);
    s.push_str("19");
    s.push_str(&id15[6..]);
    let check = check_character(&s)?;
    s.push(check);
    Some(s)
}

/// Every rule of docs/SPEC.md §3 for a resident ID number, with `today` as the latest birth date.
///
/// Accepts a lower-case `x` as check character (the verify path upper-cases it before
/// signing). No message contains the number.
pub fn validate(creid: &str, today: Date) -> Result<(), Error> {
    let b = creid.as_bytes();
    if b.len() == 15 && b.iter().all(u8::is_ascii_digit) {
        // Say how to write the 18-digit form, never what it is: that would be a derived
        // copy of the person's number.
        return Err(Error::input(
            FIELD,
            Rule::IdFirstGeneration,
            "15-digit first-generation ID numbers have not been valid since 2013; ask for \
             the 18-digit number on the current card (it inserts \"19\" after the 6th digit \
             and appends a GB 11643-1999 check character)",
        ));
    }
    let chars = creid.chars().count();
    if chars != 18 {
        return Err(Error::input(
            FIELD,
            Rule::IdLength,
            format_args!("a resident ID number (cretype 1) has 18 characters (got {chars})"),
        ));
    }
    // 18 characters and, from here on, known to be ASCII or caught by the digit rule.
    if !b.is_ascii() || !b[..17].iter().all(u8::is_ascii_digit) {
        return Err(Error::input(
            FIELD,
            Rule::IdDigits,
            "the first 17 characters of a resident ID number must be digits",
        ));
    }
    if !province_code(b) {
        return Err(Error::input(
            FIELD,
            Rule::IdRegion,
            "the first two digits are not a province-level code of GB/T 2260 (nor 9 and \
             such a code, for a foreign permanent-resident card)",
        ));
    }
    let last = b[17].to_ascii_uppercase();
    if !(last.is_ascii_digit() || last == b'X') {
        return Err(Error::input(
            FIELD,
            Rule::IdDigits,
            "the 18th character of a resident ID number must be a digit or X",
        ));
    }
    let num = |r: std::ops::Range<usize>| creid[r].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (num(6..10), num(10..12), num(12..14));
    let Some(born) = Date::new(year, month, day) else {
        return Err(Error::input(
            FIELD,
            Rule::IdBirthDate,
            "the birth date (characters 7-14) is not a calendar date",
        ));
    };
    if year < 1900 {
        return Err(Error::input(
            FIELD,
            Rule::IdBirthDateBefore1900,
            "the birth date (characters 7-14) is before 1900",
        ));
    }
    if born > today {
        return Err(Error::input(
            FIELD,
            Rule::IdBirthDateFuture,
            "the birth date (characters 7-14) is in the future",
        ));
    }
    if check_character(&creid[..17]) != Some(last as char) {
        return Err(Error::input(
            FIELD,
            Rule::IdCheckCharacter,
            "the check character (18th) does not match the first 17 digits (GB 11643-1999)",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    const TODAY: Date = Date {
        year: 2026,
        month: 11,
        day: 26,
    };

    /// A valid number for a region, birth date and sequence.
    fn make(region: &str, date: &str, seq: &str) -> String {
        let first17 = format!("{region}{date}{seq}");
        let c = check_character(&first17).unwrap();
        format!("{first17}{c}")
    }

    fn rule_of(id: &str) -> Rule {
        let e = validate(id, TODAY).expect_err("expected a refusal");
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert_eq!(e.field(), Some("creid"));
        assert!(!e.message().contains(id), "message echoes the number");
        e.rule().unwrap()
    }

    #[test]
    fn check_character_follows_gb11643() {
        // Published example from GB 11643-1999.
        assert_eq!(check_character("11010519491231002"), Some('X'));
        assert_eq!(check_character("11010119900307447"), Some('7'));
        assert_eq!(check_character("1101011990030744"), None);
        assert_eq!(check_character("1101011990030744a"), None);
    }

    #[test]
    fn accepts_valid_numbers_and_lower_case_x() {
        assert!(validate("11010519491231002X", TODAY).is_ok());
        assert!(validate("11010519491231002x", TODAY).is_ok());
        assert!(validate("110101199003074477", TODAY).is_ok());
        assert!(validate("650102198506151232", TODAY).is_ok());
    }

    #[test]
    fn every_check_value_is_reachable_and_checked() {
        // Walk sequence numbers until each of the 11 check characters has been seen; for
        // each, every other last character must be refused.
        let mut seen = std::collections::BTreeSet::new();
        for seq in 0..200 {
            let id = make("110101", "19900307", &format!("{seq:03}"));
            let good = id.chars().last().unwrap();
            seen.insert(good);
            assert!(validate(&id, TODAY).is_ok(), "{id}");
            for wrong in "0123456789X".chars().filter(|&c| c != good) {
                let bad = format!("{}{wrong}", &id[..17]);
                assert_eq!(rule_of(&bad), Rule::IdCheckCharacter);
            }
        }
        assert_eq!(seen.len(), 11);
    }

    #[test]
    fn hong_kong_macao_taiwan_permits_follow_the_same_rule() {
        for region in ["810000", "820000", "830000"] {
            let id = make(region, "19940823", "002");
            assert!(validate(&id, TODAY).is_ok(), "{id}");
            let bad = format!("{}{}", &id[..17], if id.ends_with('0') { '1' } else { '0' });
            assert_eq!(rule_of(&bad), Rule::IdCheckCharacter);
        }
        assert!(validate("810000199408230021", TODAY).is_ok());
    }

    #[test]
    fn birth_dates_must_be_real_with_leap_years() {
        assert!(validate(&make("110101", "20000229", "001"), TODAY).is_ok()); // 400-year leap
        assert!(validate(&make("110101", "19960229", "001"), TODAY).is_ok());
        // 1900: no leap year (a century not divisible by 400).
        for date in [
            "19000229", "19970229", "19900230", "19900431", "19901301", "19900001", "19900100",
        ] {
            assert_eq!(
                rule_of(&make("110101", date, "001")),
                Rule::IdBirthDate,
                "{date}"
            );
        }
    }

    #[test]
    fn birth_dates_between_1900_and_today() {
        assert!(validate(&make("110101", "19000101", "001"), TODAY).is_ok());
        assert!(validate(&make("110101", "20261126", "001"), TODAY).is_ok());
        for (date, rule) in [
            ("18991231", Rule::IdBirthDateBefore1900),
            ("20261127", Rule::IdBirthDateFuture),
            ("20990101", Rule::IdBirthDateFuture),
        ] {
            assert_eq!(rule_of(&make("110101", date, "001")), rule, "{date}");
        }
    }

    #[test]
    fn lengths_and_digits() {
        assert_eq!(rule_of("11010519491231002"), Rule::IdLength);
        assert_eq!(rule_of("11010519491231002X1"), Rule::IdLength);
        assert_eq!(rule_of("1101051949123100"), Rule::IdLength); // 16
        assert_eq!(rule_of("11010519491231002Y"), Rule::IdDigits);
        assert_eq!(rule_of("1101051949123100XX"), Rule::IdDigits);
        assert_eq!(rule_of("11010519491231002Ｘ"), Rule::IdDigits); // full-width X
        assert_eq!(rule_of("１10519491231002X10"), Rule::IdDigits); // full-width 1
        assert_eq!(rule_of(" 1010519491231002X"), Rule::IdDigits);
    }

    #[test]
    fn fifteen_digit_numbers_are_refused_with_how_to_upgrade_but_never_the_result() {
        let id15 = "110105491231002";
        assert_eq!(upgrade_15(id15).as_deref(), Some("11010519491231002X"));
        let e = validate(id15, TODAY).unwrap_err();
        assert_eq!(e.rule(), Some(Rule::IdFirstGeneration));
        let m = e.message();
        assert!(m.contains("2013"), "{m}");
        assert!(m.contains("\"19\" after the 6th digit"), "{m}");
        // The derived number, or its check character, is never computed into the text.
        assert!(
            !m.contains("'X'") && !m.contains("11010519491231002X"),
            "{m}"
        );
        assert!(!m.contains(id15) && !m.contains("110105"), "{m}");
        for id15 in ["110105491231003", "440301850101004"] {
            assert_eq!(
                validate(id15, TODAY).unwrap_err().message(),
                m,
                "the message must not depend on the number"
            );
        }
        assert_eq!(upgrade_15("11010549123100"), None);
        assert_eq!(upgrade_15("11010549123100a"), None);
    }

    #[test]
    fn the_first_two_digits_are_a_province_level_code() {
        for region in [
            "110101", "150102", "460100", "540102", "650102", "710000", "810000", "820000",
            "830000", "911010", "965010",
        ] {
            let id = make(region, "19900307", "447");
            assert!(validate(&id, TODAY).is_ok(), "{region}: {id}");
        }
        for region in [
            "000000", "999999", "100000", "160000", "240000", "380000", "470000", "550000",
            "660000", "720000", "800000", "840000", "900000", "991010",
        ] {
            let id = make(region, "19900307", "447");
            assert_eq!(rule_of(&id), Rule::IdRegion, "{region}");
        }
    }

    #[test]
    fn days_since_epoch_to_civil_date() {
        assert_eq!(
            Date::from_days_since_epoch(0),
            Date::new(1970, 1, 1).unwrap()
        );
        assert_eq!(
            Date::from_days_since_epoch(11_016),
            Date::new(2000, 2, 29).unwrap()
        );
        assert_eq!(
            Date::from_days_since_epoch(20_418),
            Date::new(2025, 11, 26).unwrap()
        );
        let today = Date::today_china();
        assert!(today.year >= 2025 && Date::new(today.year, today.month, today.day).is_some());
    }
}
