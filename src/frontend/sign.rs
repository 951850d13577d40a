//! Signing from a front end's strings: the sign case as front ends spell it (`"lower"` or
//! `"upper"`, or the C enum's number), and one function that assembles the signed fields,
//! so that no front end repeats the `Params` and `SignCase` assembly.

use crate::{sign_checked, Error, Params, Rule, SignCase, Signature, RESIDENT_ID_CARD};

/// The sign case of a front end's `sign_case` argument: `None` is the default (lower
/// case), `"lower"` or `"upper"`; anything else is an `invalid_input` error naming
/// `sign_case`.
pub fn sign_case(value: Option<&str>) -> Result<SignCase, Error> {
    match value {
        None => Ok(SignCase::Lower),
        Some(v) => SignCase::parse(v).ok_or_else(bad_sign_case),
    }
}

/// The sign case of the C enum `nameauth_sign_case` (0 lower, 1 upper); another number is
/// an `invalid_input` error naming `sign_case`.
pub fn sign_case_number(n: u32) -> Result<SignCase, Error> {
    match n {
        0 => Ok(SignCase::Lower),
        1 => Ok(SignCase::Upper),
        _ => Err(bad_sign_case()),
    }
}

fn bad_sign_case() -> Error {
    Error::front_end_input("sign_case", Rule::BadValue, "must be lower or upper")
}

/// Signs a request from a front end's strings (docs/SPEC.md §2): `cretype` `None` is a
/// resident ID card (`"1"`), `sign_case` as [`sign_case`] reads it. Every value is
/// checked as [`sign_checked`] checks it (the error names the field, and never shows the
/// key) and signed exactly as given.
#[allow(clippy::too_many_arguments)] // the six signed fields, the key and the case
pub fn sign_strings(
    appid: &str,
    openid: &str,
    src: &str,
    truename: &str,
    creid: &str,
    cretype: Option<&str>,
    key: &str,
    sign_case: Option<&str>,
) -> Result<Signature, Error> {
    let case = self::sign_case(sign_case)?;
    let params = Params {
        appid,
        openid,
        src,
        truename,
        creid,
        cretype: cretype.unwrap_or(RESIDENT_ID_CARD),
    };
    sign_checked(&params, key, case)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn signs_as_the_core_does_with_the_default_cretype() {
        let p = Params::SAMPLE;
        let want = crate::sign(&p, "k", SignCase::Upper);
        let got = sign_strings(
            "wx1",
            "o1",
            "s",
            "张三",
            "110101199003074477",
            None,
            "k",
            Some("upper"),
        )
        .unwrap();
        assert_eq!(got.as_str(), want.as_str());
        let lower = sign_strings(
            "wx1",
            "o1",
            "s",
            "张三",
            "110101199003074477",
            Some("1"),
            "k",
            None,
        );
        assert_eq!(
            lower.unwrap().as_str(),
            crate::sign(&p, "k", SignCase::Lower).as_str()
        );
    }

    #[test]
    fn a_bad_sign_case_or_field_names_it() {
        let e = sign_strings("a", "o", "s", "n", "c", None, "k", Some("Upper")).unwrap_err();
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::InvalidInput, Some("sign_case"))
        );
        let e = sign_case_number(2).unwrap_err();
        assert_eq!(e.rule(), Some(Rule::BadValue));
        assert_eq!(sign_case_number(1).unwrap(), SignCase::Upper);
        let e = sign_strings("a", "", "s", "n", "c", None, "k", None).unwrap_err();
        assert_eq!(e.field(), Some("openid"));
    }
}
