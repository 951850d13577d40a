//! docs/SPEC.md §4: the answer's body, JSON or JSONP, read tolerantly into its four raw fields.

use std::fmt;

use percent_encoding::percent_decode_str;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

use crate::error::Error;

/// The largest body accepted, in bytes (64 KiB). Anything longer is a `protocol` error.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Which inputs the server says did not match (`notmatch_param`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NotMatch {
    /// Empty or absent: nothing reported.
    None,
    /// `1`: the name.
    Name,
    /// `2`: the ID number.
    Id,
    /// `1|2` (or `2|1`, or `1%7C2`): both.
    Both,
    /// Anything else.
    Unknown,
}

/// The four raw fields of an answer, normalised as CONFORMANCE.md shows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// `error_code`, 0 when the query ran.
    pub error_code: i64,
    /// `nameauth_status` as a string, `""` when absent.
    pub nameauth_status: String,
    /// `notmatch_param` decoded and normalised to `1`, `2` or `1|2`; any other value is
    /// kept as it arrived (percent-decoded), `""` when absent.
    pub notmatch_param: String,
    /// What `notmatch_param` means.
    pub notmatch: NotMatch,
    /// `name_mask`, `""` when absent.
    pub name_mask: String,
}

/// Parses a response body: a JSON object, or a JSONP call `name({...})` with optional
/// `;` and white space around.
pub fn parse(body: &[u8]) -> Result<Answer, Error> {
    if body.len() > MAX_BODY_BYTES {
        return Err(Error::protocol(format!(
            "response body exceeds the {} KiB limit",
            MAX_BODY_BYTES / 1024
        )));
    }
    let text = std::str::from_utf8(body)
        .map_err(|_| Error::protocol("response body is not valid UTF-8"))?;
    let text = text.trim_start_matches('\u{feff}').trim();
    if text.is_empty() {
        return Err(Error::protocol("empty response body"));
    }
    let json = if text.starts_with('{') {
        text
    } else {
        unwrap_jsonp(text)?
    };
    let mut de = serde_json::Deserializer::from_str(json);
    let fields = de
        .deserialize_map(FieldsVisitor)
        .and_then(|f| de.end().map(|()| f))
        .map_err(|e| match e.to_string() {
            m if m.starts_with(DUPLICATE) => {
                // The key is one of the four names, never data from the body.
                let key = m[DUPLICATE.len()..].split(' ').next().unwrap_or("a field");
                Error::protocol(format!(
                    "response names {key} twice (the copies could disagree)"
                ))
            }
            _ => Error::protocol(
                "response body is neither a JSON object nor a JSONP call wrapping one",
            ),
        })?;
    let error_code = fields
        .error_code
        .as_ref()
        .and_then(integer)
        .ok_or_else(|| {
            Error::protocol("response has no error_code that is an integer or a string of digits")
        })?;
    let nameauth_status = text_of(fields.nameauth_status.as_ref());
    let raw_notmatch = text_of(fields.notmatch_param.as_ref());
    let (notmatch, notmatch_param) = normalise_notmatch(&raw_notmatch);
    Ok(Answer {
        error_code,
        nameauth_status,
        notmatch_param,
        notmatch,
        name_mask: text_of(fields.name_mask.as_ref()),
    })
}

/// The start of the error a key named twice gives.
const DUPLICATE: &str = "duplicate field ";

/// The four fields of docs/SPEC.md §4, each at most once; other keys are skipped.
#[derive(Default)]
struct Fields {
    error_code: Option<Value>,
    nameauth_status: Option<Value>,
    notmatch_param: Option<Value>,
    name_mask: Option<Value>,
}

struct FieldsVisitor;

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Fields;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
        let mut out = Fields::default();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let (slot, name) = match key.as_ref() {
                "error_code" => (&mut out.error_code, "error_code"),
                "nameauth_status" => (&mut out.nameauth_status, "nameauth_status"),
                "notmatch_param" => (&mut out.notmatch_param, "notmatch_param"),
                "name_mask" => (&mut out.name_mask, "name_mask"),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            if slot.is_some() {
                return Err(de::Error::custom(format_args!("{DUPLICATE}{name} ")));
            }
            *slot = Some(map.next_value::<Value>()?);
        }
        Ok(out)
    }
}

/// The inside of `callback( ... )`, with an optional `;`. The callback must be a
/// JavaScript-style name (letters, digits, `_`, `$`, `.`).
fn unwrap_jsonp(text: &str) -> Result<&str, Error> {
    let malformed =
        || Error::protocol("response body is neither a JSON object nor a JSONP call wrapping one");
    let open = text.find('(').ok_or_else(malformed)?;
    let name = text[..open].trim_end();
    let valid_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '.'));
    if !valid_name {
        return Err(malformed());
    }
    let rest = text[open + 1..].trim_end();
    let rest = rest.strip_suffix(';').unwrap_or(rest).trim_end();
    rest.strip_suffix(')').map(str::trim).ok_or_else(malformed)
}

/// `error_code` as docs/SPEC.md §4 allows it: a JSON integer, or a string of ASCII digits
/// with an optional leading `-`. Nothing else (`"+0"`, `" 0"`, `0.0`, `true`) is a number.
fn integer(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => {
            let digits = s.strip_prefix('-').unwrap_or(s);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            s.parse().ok()
        }
        _ => None,
    }
}

/// A field as text: strings as they are, numbers written out, null or absent as `""`,
/// anything else as its JSON text (which then matches no row of the verdict table).
fn text_of(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// `1`, `2`, `1|2`, `2|1`, `1%7C2` → (meaning, normal form). Unknown values keep their
/// decoded text so the caller can see what arrived.
pub fn normalise_notmatch(raw: &str) -> (NotMatch, String) {
    let decoded = percent_decode_str(raw).decode_utf8_lossy();
    let mut name = false;
    let mut id = false;
    if decoded.is_empty() {
        return (NotMatch::None, String::new());
    }
    for part in decoded.split('|') {
        match part {
            "1" if !name => name = true,
            "2" if !id => id = true,
            _ => return (NotMatch::Unknown, decoded.into_owned()),
        }
    }
    match (name, id) {
        (true, true) => (NotMatch::Both, "1|2".to_owned()),
        (true, false) => (NotMatch::Name, "1".to_owned()),
        _ => (NotMatch::Id, "2".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn ok(body: &str) -> Answer {
        parse(body.as_bytes()).unwrap_or_else(|e| panic!("{body}: {e}"))
    }

    fn protocol(body: &[u8]) -> String {
        let e = parse(body).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Protocol);
        e.to_string()
    }

    #[test]
    fn the_documented_example() {
        let a =
            ok(r#"{ "error_code":0,"nameauth_status":"1","name_mask":"","notmatch_param":"1"}"#);
        assert_eq!(a.error_code, 0);
        assert_eq!(a.nameauth_status, "1");
        assert_eq!(a.notmatch, NotMatch::Name);
        assert_eq!(a.notmatch_param, "1");
        assert_eq!(a.name_mask, "");
    }

    #[test]
    fn numbers_and_numeric_strings_are_both_accepted() {
        let a = ok(r#"{"error_code":"0","nameauth_status":1,"notmatch_param":2}"#);
        assert_eq!(
            (a.error_code, a.nameauth_status.as_str(), a.notmatch),
            (0, "1", NotMatch::Id)
        );
        assert_eq!(ok(r#"{"error_code":"51100001"}"#).error_code, 51_100_001);
        assert_eq!(ok(r#"{"error_code":-1}"#).error_code, -1);
    }

    #[test]
    fn jsonp_with_optional_semicolon_and_space() {
        for body in [
            r#"cb({"error_code":0,"nameauth_status":"2"})"#,
            r#"cb({"error_code":0,"nameauth_status":"2"});"#,
            " \n jQuery.cb_1$ ( {\"error_code\":0,\"nameauth_status\":\"2\"} ) ; \n",
        ] {
            let a = ok(body);
            assert_eq!((a.error_code, a.nameauth_status.as_str()), (0, "2"));
        }
    }

    #[test]
    fn both_mismatch_spellings_normalise_to_1_pipe_2() {
        for raw in ["1|2", "2|1", "1%7C2", "1%7c2", "2%7C1"] {
            assert_eq!(
                normalise_notmatch(raw),
                (NotMatch::Both, "1|2".to_owned()),
                "{raw}"
            );
        }
        assert_eq!(normalise_notmatch(""), (NotMatch::None, String::new()));
        assert_eq!(normalise_notmatch("3"), (NotMatch::Unknown, "3".to_owned()));
        assert_eq!(
            normalise_notmatch("1|1"),
            (NotMatch::Unknown, "1|1".to_owned())
        );
        assert_eq!(
            normalise_notmatch("1%7C3"),
            (NotMatch::Unknown, "1|3".to_owned())
        );
        let a = ok(r#"{"error_code":0,"nameauth_status":"1","notmatch_param":"1%7C2"}"#);
        assert_eq!(a.notmatch_param, "1|2");
    }

    #[test]
    fn unknown_fields_are_ignored_and_absent_ones_are_empty() {
        let a = ok(r#"{"error_code":1002,"extra":[1,2],"name_mask":null}"#);
        assert_eq!(a.error_code, 1002);
        assert_eq!(a.nameauth_status, "");
        assert_eq!(a.notmatch, NotMatch::None);
        assert_eq!(a.name_mask, "");
    }

    #[test]
    fn malformed_bodies_are_protocol_errors() {
        assert!(protocol(b"").contains("empty"));
        assert!(protocol(b"  \n").contains("empty"));
        assert!(protocol(b"<html>502 Bad Gateway</html>").contains("JSON"));
        assert!(protocol(br#"{"error_code":0,"nameauth_sta"#).contains("JSON"));
        assert!(protocol(br#"[{"error_code":0}]"#).contains("JSON"));
        assert!(protocol(br#"cb({"error_code":0}"#).contains("JSON"));
        assert!(protocol(br#"a b({"error_code":0})"#).contains("JSON"));
        assert!(protocol(br#"cb([1])"#).contains("JSON"));
        assert!(protocol(b"\xff\xfe").contains("UTF-8"));
        assert!(protocol(br#"{"nameauth_status":"1"}"#).contains("error_code"));
        assert!(protocol(br#"{"error_code":"zero"}"#).contains("error_code"));
        assert!(protocol(br#"{"error_code":0.5}"#).contains("error_code"));
        assert!(protocol(br#"{"error_code":null}"#).contains("error_code"));
        assert!(protocol(br#"{"error_code":true}"#).contains("error_code"));
    }

    #[test]
    fn a_field_named_twice_is_malformed_never_a_verdict() {
        for (body, key) in [
            (
                r#"{"error_code":1002,"nameauth_status":"1","error_code":0}"#,
                "error_code",
            ),
            (
                r#"{"error_code":0,"nameauth_status":"3","nameauth_status":"1"}"#,
                "nameauth_status",
            ),
            (
                r#"{"error_code":0,"notmatch_param":"1","notmatch_param":""}"#,
                "notmatch_param",
            ),
            (
                r#"{"error_code":0,"name_mask":"a","name_mask":"b"}"#,
                "name_mask",
            ),
            (r#"cb({"error_code":1002,"error_code":0})"#, "error_code"),
            (r#"{"error_code":1002,"error\u005fcode":0}"#, "error_code"),
        ] {
            let m = protocol(body.as_bytes());
            assert_eq!(
                m,
                format!("response names {key} twice (the copies could disagree)")
            );
        }
        // Unknown keys may repeat; they are ignored.
        assert_eq!(ok(r#"{"x":1,"x":2,"error_code":0}"#).error_code, 0);
    }

    #[test]
    fn error_code_is_strict() {
        for bad in [
            r#""+0""#,
            r#"" 0""#,
            r#""0 ""#,
            "0.0",
            "1e0",
            "true",
            r#""0x0""#,
            r#""""#,
            r#""-""#,
            r#""--1""#,
            r#""١""#,
            "null",
            "[0]",
            "99999999999999999999",
        ] {
            let body = format!(r#"{{"error_code":{bad},"nameauth_status":"1"}}"#);
            assert!(protocol(body.as_bytes()).contains("error_code"), "{body}");
        }
        for (good, want) in [(r#""-1""#, -1), (r#""007""#, 7), (r#""0""#, 0)] {
            let body = format!(r#"{{"error_code":{good}}}"#);
            assert_eq!(ok(&body).error_code, want, "{body}");
        }
    }

    #[test]
    fn trailing_text_after_the_object_is_malformed() {
        assert!(protocol(br#"{"error_code":0} {"error_code":1}"#).contains("JSON"));
    }

    #[test]
    fn bodies_over_64_kib_are_refused() {
        let mut big = br#"{"error_code":0,"pad":""#.to_vec();
        big.resize(MAX_BODY_BYTES + 1 - 2, b'a');
        big.extend_from_slice(b"\"}");
        assert_eq!(big.len(), MAX_BODY_BYTES + 1);
        assert!(protocol(&big).contains("64 KiB"));
        big.truncate(MAX_BODY_BYTES - 2);
        big.extend_from_slice(b"\"}");
        assert!(parse(&big).is_ok());
    }
}
