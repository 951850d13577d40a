//! docs/SPEC.md §2's query string: what is signed is exactly what is sent.

use std::borrow::Cow;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::protocol::{Params, SignCase};
use crate::signing::sign;

/// Everything but the RFC 3986 unreserved characters `A-Z a-z 0-9 - . _ ~` is encoded,
/// so a space is `%20`, `+` is `%2B` and `·` is `%C2%B7`.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one query value as docs/SPEC.md §2 asks.
pub fn encode_value(value: &str) -> impl std::fmt::Display + '_ {
    utf8_percent_encode(value, QUERY_VALUE)
}

/// The verify path's only normalisation: for `cretype=1` a trailing `x` becomes `X`.
pub fn normalise_creid<'a>(creid: &'a str, cretype: &str) -> Cow<'a, str> {
    match creid.strip_suffix('x') {
        Some(head) if cretype == "1" => Cow::Owned(format!("{head}X")),
        _ => Cow::Borrowed(creid),
    }
}

/// Appends the signed query for `params` to `out`:
/// `appid=…&openid=…&src=…&truename=…&creid=…&cretype=…&sign=…&type=json`,
/// in the order of the original document's example.
pub fn write_query(out: &mut String, params: &Params<'_>, key: &str, case: SignCase) {
    let signature = sign(params, key, case);
    let signature = [("sign", signature.as_str())];
    for (i, (name, value)) in params.fields().into_iter().chain(signature).enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        // The encoder yields slices; pushing them skips the formatting machinery.
        utf8_percent_encode(value, QUERY_VALUE).for_each(|piece| out.push_str(piece));
    }
    out.push_str("&type=json");
}

/// The full URL for `params`: `endpoint`, then `?` (or `&` if it already has a query),
/// then the signed query.
pub fn build_url(endpoint: &str, params: &Params<'_>, key: &str, case: SignCase) -> String {
    let mut url = String::with_capacity(endpoint.len() + 256);
    url.push_str(endpoint);
    url.push(if endpoint.contains('?') { '&' } else { '?' });
    write_query(&mut url, params, key, case);
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unreserved_characters_stay() {
        assert_eq!(encode_value("a Z0-._~").to_string(), "a%20Z0-._~");
        assert_eq!(encode_value("+&=?/%#").to_string(), "%2B%26%3D%3F%2F%25%23");
        assert_eq!(encode_value("·").to_string(), "%C2%B7");
        assert_eq!(encode_value("张三").to_string(), "%E5%BC%A0%E4%B8%89");
    }

    #[test]
    fn trailing_x_becomes_upper_case_for_resident_ids_only() {
        assert_eq!(
            normalise_creid("11010519491231002x", "1"),
            "11010519491231002X"
        );
        assert_eq!(
            normalise_creid("11010519491231002X", "1"),
            "11010519491231002X"
        );
        assert_eq!(normalise_creid("E1234x", "2"), "E1234x");
        assert_eq!(normalise_creid("x1", "1"), "x1");
    }

    #[test]
    fn query_has_every_parameter_once_in_order() {
        let p = Params {
            appid: "wx1",
            openid: "o_1",
            src: "s",
            truename: "ZHANG SAN",
            creid: "11010519491231002X",
            cretype: "1",
        };
        let url = build_url("http://127.0.0.1:1/x", &p, "k", SignCase::Lower);
        let sig = sign(&p, "k", SignCase::Lower);
        assert_eq!(
            url,
            format!(
                "http://127.0.0.1:1/x?appid=wx1&openid=o_1&src=s&truename=ZHANG%20SAN\
                 &creid=11010519491231002X&cretype=1&sign={sig}&type=json"
            )
        );
        let joined = build_url("http://h/x?a=b", &p, "k", SignCase::Upper);
        assert!(joined.starts_with("http://h/x?a=b&appid=wx1&"), "{joined}");
        assert!(joined.contains(&format!("&sign={}&", sign(&p, "k", SignCase::Upper))));
    }
}
