//! docs/SPEC.md §2's signature: MD5 over the six fields sorted by name, then `&key=<key>`.
//!
//! The string to sign is fed to MD5 piece by piece, so the key is never copied into a
//! buffer of ours; MD5's own state is wiped on drop (the `zeroize` feature of `md-5`).

use std::fmt;

use md5::{Digest, Md5};

use crate::error::Error;
use crate::protocol::{Params, SignCase};

/// A signature: 32 hex digits, held inline (no allocation).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signature([u8; 32]);

impl Signature {
    /// The 32 hex digits.
    pub fn as_str(&self) -> &str {
        // Only ever filled with ASCII hex digits by `sign`.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature({})", self.as_str())
    }
}

/// The indexes of `Params::fields` in the ASCII order of the fields' names (appid, creid,
/// cretype, openid, src, truename): the order the signature takes them in. A constant,
/// so that no call sorts them (a test checks it is that order).
const BY_NAME: [usize; 6] = [0, 4, 5, 1, 2, 3];

/// Signs `params` with `key`: MD5 of
/// `appid=…&creid=…&cretype=…&openid=…&src=…&truename=…&key=…` as 32 hex digits.
///
/// This is the bare primitive: values are signed as given, without validation or the
/// `x` → `X` normalisation of the verify path.
pub fn sign(params: &Params<'_>, key: &str, case: SignCase) -> Signature {
    let mut md5 = Md5::new();
    // The fields sorted by name (ASCII order), each as `name=value`, joined by `&`.
    let fields = params.fields();
    for (i, (name, value)) in BY_NAME.map(|f| fields[f]).into_iter().enumerate() {
        if i > 0 {
            md5.update(b"&");
        }
        md5.update(name.as_bytes());
        md5.update(b"=");
        md5.update(value.as_bytes());
    }
    md5.update(b"&key=");
    md5.update(key.as_bytes());
    let digest = md5.finalize();
    let mut out = [0u8; 32];
    let encoded = hex::encode_to_slice(digest, &mut out);
    debug_assert!(encoded.is_ok(), "16 bytes always fit 32 hex digits");
    if case == SignCase::Upper {
        out.make_ascii_uppercase();
    }
    Signature(out)
}

/// [`sign`] for values from outside: every field must pass the generic rules (non-empty,
/// no control characters; an `invalid_input` error naming the field) and so must the key
/// (an `invalid_config` error that never shows it: a trailing newline read from a file
/// would otherwise give a signature the server refuses). Values are signed exactly as
/// given.
pub fn sign_checked(params: &Params<'_>, key: &str, case: SignCase) -> Result<Signature, Error> {
    for (field, value) in params.fields() {
        crate::validate::generic(field, value)?;
    }
    crate::validate::key(key).map_err(Error::into_config)?;
    Ok(sign(params, key, case))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_name_is_the_fields_sorted_by_name() {
        let names = Params::SAMPLE.fields().map(|(name, _)| name);
        let mut sorted = names;
        sorted.sort_unstable();
        assert_eq!(BY_NAME.map(|f| names[f]), sorted);
    }

    #[test]
    fn checked_signing_names_the_empty_field() {
        let p = Params {
            appid: "wx1",
            openid: "",
            src: "s",
            truename: "n",
            creid: "c",
            cretype: "1",
        };
        let e = sign_checked(&p, "k", SignCase::Lower).unwrap_err();
        assert_eq!(e.to_string(), "openid: must not be empty");
        let p = Params { openid: "o", ..p };
        let e = sign_checked(&p, "", SignCase::Lower).unwrap_err();
        assert_eq!(e.to_string(), "key: must not be empty");
        let e = sign_checked(&p, "k3y\n", SignCase::Lower).unwrap_err();
        assert_eq!(e.rule(), Some(crate::Rule::ControlCharacter));
        assert!(!e.to_string().contains("k3y"));
        assert_eq!(
            sign_checked(&p, "k", SignCase::Upper).unwrap(),
            sign(&p, "k", SignCase::Upper)
        );
    }
}
