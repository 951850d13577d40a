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

/// The names of `sign`'s arguments in every front end, in their order: the six signed
/// fields of docs/SPEC.md §2, the key and the sign case. A front end reads its arguments
/// in this order, names each by its entry here in its own errors, and hands them to
/// [`sign_args`].
pub const SIGN_ARGS: [&str; 8] = [
    "appid",
    "openid",
    "src",
    "truename",
    "creid",
    "cretype",
    "key",
    "sign_case",
];

/// Signs a request from a front end's arguments, in the order of [`SIGN_ARGS`]
/// (docs/SPEC.md §2). `None` is the default for `cretype` (a resident ID card, `"1"`) and
/// for `sign_case` (as [`sign_case`] reads it); for the others it is checked as an empty
/// value. Every value is checked as [`sign_checked`] checks it (the error names the
/// field, and never shows the key) and signed exactly as given.
pub fn sign_args(args: [Option<&str>; 8]) -> Result<Signature, Error> {
    let [appid, openid, src, truename, creid, cretype, key, case] = args;
    let case = self::sign_case(case)?;
    // A required argument not given is checked as an empty one.
    fn given(value: Option<&str>) -> &str {
        value.unwrap_or("")
    }
    let params = Params {
        appid: given(appid),
        openid: given(openid),
        src: given(src),
        truename: given(truename),
        creid: given(creid),
        cretype: cretype.unwrap_or(RESIDENT_ID_CARD),
    };
    sign_checked(&params, given(key), case)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    /// The arguments of the sample request, as a front end passes them.
    fn sample(
        cretype: Option<&'static str>,
        case: Option<&'static str>,
    ) -> [Option<&'static str>; 8] {
        // SIGN_ARGS starts with the six fields in the order of `Params::fields`.
        let mut args = [None; 8];
        for (arg, (_, value)) in args.iter_mut().zip(Params::SAMPLE.fields()) {
            *arg = Some(value);
        }
        [args[5], args[6], args[7]] = [cretype, Some("k"), case];
        args
    }

    #[test]
    fn signs_as_the_core_does_with_the_default_cretype() {
        let p = Params::SAMPLE;
        assert_eq!(p.cretype, RESIDENT_ID_CARD);
        let want = crate::sign(&p, "k", SignCase::Upper);
        let got = sign_args(sample(None, Some("upper"))).unwrap();
        assert_eq!(got.as_str(), want.as_str());
        let lower = sign_args(sample(Some("1"), None)).unwrap();
        assert_eq!(
            lower.as_str(),
            crate::sign(&p, "k", SignCase::Lower).as_str()
        );
    }

    #[test]
    fn a_bad_sign_case_or_field_names_it() {
        let e = sign_args(sample(None, Some("Upper"))).unwrap_err();
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::InvalidInput, Some("sign_case"))
        );
        let e = sign_case_number(2).unwrap_err();
        assert_eq!(e.rule(), Some(Rule::BadValue));
        assert_eq!(sign_case_number(1).unwrap(), SignCase::Upper);
        for (i, name) in SIGN_ARGS.iter().enumerate().take(5) {
            let mut args = sample(None, None);
            args[i] = None;
            let e = sign_args(args).unwrap_err();
            assert_eq!((e.field(), e.rule()), (Some(*name), Some(Rule::Empty)));
        }
        let mut args = sample(None, None);
        args[6] = None;
        let e = sign_args(args).unwrap_err();
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::InvalidConfig, Some("key"))
        );
    }
}
