//! The library-wide functions: `sign`, `validateId`, `version`.

use napi::bindgen_prelude::Either;
use napi_derive::napi;

use crate::outcome::{guarded, Failure};

/// The request signature of docs/SPEC.md §2, in the argument order of every front end:
/// appid, openid, src, truename, creid, cretype (`None`: `"1"`), key, sign case
/// (`"lower"`, the default, or `"upper"`).
#[napi]
#[allow(clippy::too_many_arguments)] // the six signed fields, the key and the case
pub fn sign(
    appid: String,
    openid: String,
    src: String,
    truename: String,
    creid: String,
    cretype: Option<String>,
    key: String,
    sign_case: Option<String>,
) -> Either<String, Failure> {
    match guarded(|| {
        // In the order of `SIGN_ARGS`.
        let [appid, openid, src, truename, creid, key] =
            [&appid, &openid, &src, &truename, &creid, &key].map(|v| Some(v.as_str()));
        let (cretype, case) = (cretype.as_deref(), sign_case.as_deref());
        nameauth::frontend::sign_args([appid, openid, src, truename, creid, cretype, key, case])
            .map(|sig| sig.as_str().to_owned())
    }) {
        Ok(s) => Either::A(s),
        Err(f) => Either::B(f),
    }
}

/// Checks one resident ID number (docs/SPEC.md §3): `null` when it is valid, else the
/// failure naming the rule it breaks.
#[napi]
pub fn validate_id(creid: String) -> Option<Failure> {
    guarded(|| nameauth::validate::resident_id(&creid)).err()
}

/// The core's version, e.g. `"0.1.0"`.
#[napi]
pub fn version() -> String {
    nameauth::VERSION.to_owned()
}
