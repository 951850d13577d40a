//! The protocol's own words (docs/SPEC.md §1 and §2): the six signed fields, the case of
//! the signature's hex digits, the resident-ID document type and the real endpoint.
//!
//! The bottom layer of the core (docs/architecture.md): plain data, no checks, no I/O;
//! every other module may use it, and it uses only [`crate::mask`] (for `Debug`).

use std::fmt;

/// The real WeChat Pay endpoint.
pub const DEFAULT_ENDPOINT: &str = "https://api.mch.weixin.qq.com/cgi-bin/nameauth/nameautheasy";

/// Letter case of the hex digits of a signature.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SignCase {
    /// `0-9a-f`, the default (what PHP's `md5()` gives, and the sandbox's default rule).
    #[default]
    Lower,
    /// `0-9A-F`, as other WeChat Pay APIs of that era expect.
    Upper,
}

impl SignCase {
    /// Parses `lower` or `upper` (the spellings of options and environment variables).
    pub fn parse(s: &str) -> Option<SignCase> {
        match s {
            "lower" => Some(SignCase::Lower),
            "upper" => Some(SignCase::Upper),
            _ => None,
        }
    }

    /// `"lower"` or `"upper"`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignCase::Lower => "lower",
            SignCase::Upper => "upper",
        }
    }
}

/// The document type of a resident ID card (居民身份证), `cretype=1`, the default.
pub const RESIDENT_ID_CARD: &str = "1";

/// The six signed fields of one request, borrowed. Values are signed exactly as given.
#[derive(Clone, Copy)]
pub struct Params<'a> {
    /// Merchant app id.
    pub appid: &'a str,
    /// The user's openid under that app id.
    pub openid: &'a str,
    /// `src`, issued by WeChat Pay.
    pub src: &'a str,
    /// The user's real name (UTF-8, not percent-encoded).
    pub truename: &'a str,
    /// ID document number.
    pub creid: &'a str,
    /// Document type, `"1"` for a resident ID card.
    pub cretype: &'a str,
}

impl<'a> Params<'a> {
    /// The six fields by name, in the order of the query (the original document's
    /// example): what the query writer, the signer (which sorts them by name) and the
    /// checks of `sign_checked` walk, so the field list is written once.
    pub fn fields(&self) -> [(&'static str, &'a str); 6] {
        [
            ("appid", self.appid),
            ("openid", self.openid),
            ("src", self.src),
            ("truename", self.truename),
            ("creid", self.creid),
            ("cretype", self.cretype),
        ]
    }
}

impl fmt::Debug for Params<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Params")
            .field("appid", &self.appid)
            .field("openid", &self.openid)
            .field("src", &self.src)
            .field("truename", &crate::mask::name(self.truename))
            .field("creid", &crate::mask::id(self.creid))
            .field("cretype", &self.cretype)
            .finish()
    }
}

/// The parameters the unit tests of this module and `frontend::sign` share: a valid
/// resident ID card holder (张三, a well-formed number).
#[cfg(test)]
impl Params<'static> {
    pub(crate) const SAMPLE: Params<'static> = Params {
        appid: "wx1",
        openid: "o1",
        src: "s",
        truename: "张三",
        creid: "110101199003074477",
        cretype: "1",
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_spellings() {
        assert_eq!(SignCase::parse("lower"), Some(SignCase::Lower));
        assert_eq!(SignCase::parse("upper"), Some(SignCase::Upper));
        assert_eq!(SignCase::parse("Upper"), None);
        assert_eq!(SignCase::Upper.as_str(), "upper");
    }

    #[test]
    fn debug_of_params_masks_name_and_id() {
        let p = Params::SAMPLE;
        let d = format!("{p:?}");
        assert!(
            !d.contains("张三") && !d.contains("110101199003074477"),
            "{d}"
        );
    }
}
