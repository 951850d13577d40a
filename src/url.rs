//! URL rules (docs/SPEC.md §6): which endpoint and proxy routes are allowed, the proxy
//! URL as the HTTP stack parses it, and URLs redacted for messages and `Debug`.
//!
//! Pure functions over strings: no I/O, nothing but [`crate::error`] below it
//! (docs/architecture.md). The configuration check and the transport both use it.

use zeroize::Zeroizing;

use crate::error::{Error, Rule};

/// docs/SPEC.md §6's route rules: the endpoint is `https://`, or `http://` to a loopback
/// address when no proxy is in the way; any other plain `http://` route (a remote host,
/// or any host through a proxy, which would see the query in clear) needs `allow_http`.
/// The proxy itself must be `http://` (the only proxy scheme the transport serves). No
/// `#fragment`; a `?query` is kept and the signed query follows it after `&`.
pub(crate) fn check_route(
    field: &'static str,
    endpoint: &str,
    proxy: Option<&str>,
    allow_http: bool,
) -> Result<(), Error> {
    let bad = |text: &str| Error::config(field, Rule::BadValue, text);
    // The signed query is appended to the endpoint as written: after a `#` it would be a
    // fragment, which is never sent (the server would see a request without its fields).
    if endpoint.contains('#') {
        return Err(bad(
            "must not hold a #fragment: the signed query would be appended after it and \
             never sent; remove the # and what follows (a ?query is allowed)",
        ));
    }
    let uri: ureq::http::Uri = endpoint
        .parse()
        .map_err(|_| bad("is not a valid URL (expected https://host/path)"))?;
    let host = uri
        .host()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| bad("has no host (expected https://host/path)"))?;
    if let Some(p) = proxy {
        check_proxy(p)?;
    }
    match uri.scheme_str() {
        Some("https") => Ok(()),
        Some("http") if allow_http => Ok(()),
        Some("http") if proxy.is_some() => Err(bad(
            "plain http:// through a proxy would show the name and ID number to the proxy; \
             use https:// (or the allow_http opt-in for a test rig you control)",
        )),
        Some("http") if is_loopback(host) => Ok(()),
        Some("http") => Err(bad(
            "plain http:// is only allowed to a loopback address; use https:// \
             (or the allow_http opt-in for a test rig you control)",
        )),
        _ => Err(bad(
            "must start with https:// (or http:// to a loopback address)",
        )),
    }
}

/// A proxy URL the transport can serve: `http://[user:password@]host:port` (or
/// `host:port`). Other schemes (SOCKS, https) are refused here rather than failing on
/// every request. The message never shows the URL (it may hold a password).
fn check_proxy(proxy: &str) -> Result<(), Error> {
    let bad = |text: &str| Error::config("proxy", Rule::BadValue, text);
    let scheme = proxy.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    match scheme.as_deref() {
        None | Some("http") => {}
        Some(_) => {
            return Err(bad(
                "only http:// proxies are supported (SOCKS and https:// proxies are not)",
            ))
        }
    }
    ureq::Proxy::new(&proxy_url(proxy))
        .map(|_| ())
        .map_err(|_| bad("is not a valid proxy URL (http://[user:password@]host:port)"))
}

/// Characters a URL's user and password may hold as they are (RFC 3986 unreserved and
/// sub-delims, `:` and `%` escapes); every other byte is percent-encoded.
const USERINFO: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'%');

/// The proxy URL as ureq parses it: the user and password (everything before the last
/// `@`) percent-encoded where they hold characters a URL cannot, so a password with `\`,
/// `#`, `?`, `/` or a space works as written. `%` still starts an escape, as in any URL.
pub(crate) fn proxy_url(proxy: &str) -> Zeroizing<String> {
    let (scheme, rest) = match proxy.split_once("://") {
        Some((s, r)) => (Some(s), r),
        None => (None, proxy),
    };
    let mut out = Zeroizing::new(String::with_capacity(proxy.len() + 16));
    if let Some(s) = scheme {
        out.push_str(s);
        out.push_str("://");
    }
    match rest.rfind('@') {
        Some(at) => {
            out.extend(percent_encoding::utf8_percent_encode(&rest[..at], USERINFO));
            out.push_str(&rest[at..]);
        }
        None => out.push_str(rest),
    }
    out
}

/// `scheme://host:port/path` with any `user:password@` and any query or fragment removed,
/// for messages and `Debug`. Everything up to the last `@` counts as credentials, so a
/// password holding `/`, `?`, `#` or `@` is removed whole.
pub(crate) fn redact_url(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let (creds, rest) = match rest.rfind('@') {
        Some(i) => ("***@", &rest[i + 1..]),
        None => ("", rest),
    };
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let sep = if scheme.is_empty() { "" } else { "://" };
    format!("{scheme}{sep}{creds}{rest}")
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_credentials_and_queries() {
        assert_eq!(
            redact_url("https://u:p@h.test:1/a/b?x=1#f"),
            "https://***@h.test:1/a/b"
        );
        assert_eq!(redact_url("http://h/x"), "http://h/x");
        assert_eq!(redact_url("h:8080"), "h:8080");
        for tricky in [
            "http://user:pa/ss@proxy.test:3128",
            "http://user:pa?ss@proxy.test:3128",
            "http://user:pa#ss@proxy.test:3128",
            "http://user:pa@ss@proxy.test:3128",
        ] {
            assert_eq!(redact_url(tricky), "http://***@proxy.test:3128", "{tricky}");
        }
    }

    #[test]
    fn proxy_passwords_may_hold_any_character() {
        for (raw, user, password) in [
            ("http://u:p;a=s\\s@127.0.0.1:9", "u", "p;a=s\\s"),
            ("http://u:p#a?s/s @127.0.0.1:9", "u", "p#a?s/s "),
            ("http://u:p@ss@127.0.0.1:9", "u", "p@ss"),
            ("http://u:p%25s@127.0.0.1:9", "u", "p%s"),
        ] {
            let p = ureq::Proxy::new(&proxy_url(raw)).expect(raw);
            assert_eq!(
                (p.username(), p.password()),
                (Some(user), Some(password)),
                "{raw}"
            );
            assert_eq!(p.host(), "127.0.0.1");
        }
    }

    #[test]
    fn plain_http_through_a_proxy_needs_the_opt_in() {
        let proxy = Some("http://127.0.0.1:3128");
        let e = check_route("endpoint", "http://localhost:9/x", proxy, false).unwrap_err();
        assert_eq!(e.field(), Some("endpoint"));
        assert!(check_route("endpoint", "http://localhost:9/x", proxy, true).is_ok());
        assert!(check_route("endpoint", "https://h.test/x", proxy, false).is_ok());
    }

    #[test]
    fn only_http_proxies_are_accepted() {
        for bad in [
            "socks5://127.0.0.1:1080",
            "socks4://h:1",
            "https://h:1",
            "ftp://h:1",
        ] {
            let e = check_route("endpoint", "https://h.test/x", Some(bad), false).unwrap_err();
            assert_eq!(e.field(), Some("proxy"), "{bad}");
        }
        assert!(check_route(
            "endpoint",
            "https://h.test/x",
            Some("proxy.test:3128"),
            false
        )
        .is_ok());
    }

    #[test]
    fn endpoints_must_be_https_or_loopback_http() {
        for ok in [
            "https://api.mch.weixin.qq.com/cgi-bin/nameauth/nameautheasy",
            "http://127.0.0.1:8080/x",
            "http://127.8.9.10/x",
            "http://localhost:1/x",
            "http://[::1]:1/x",
        ] {
            assert!(check_route("endpoint", ok, None, false).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.test/x",
            "http://10.0.0.1/x",
            "ftp://h/x",
            "not a url",
            "",
            "/relative",
        ] {
            let e = check_route("endpoint", bad, None, false).unwrap_err();
            assert_eq!(e.field(), Some("endpoint"), "{bad}");
        }
        assert!(check_route("endpoint", "http://example.test/x", None, true).is_ok());
    }

    /// Issue 17 item 14: a `#fragment` would swallow the signed query.
    #[test]
    fn an_endpoint_with_a_fragment_is_refused() {
        for field in ["endpoint", "fallback_endpoint"] {
            for bad in [
                "https://h.test/x#frag",
                "https://h.test/x#",
                "https://h.test/x?a=b#frag",
                "http://127.0.0.1:9/x#frag",
            ] {
                let e = check_route(field, bad, None, false).unwrap_err();
                assert_eq!(e.field(), Some(field), "{bad}");
                assert_eq!(e.rule(), Some(Rule::BadValue), "{bad}");
                assert!(e.to_string().contains("#fragment"), "{e}");
                let m = e.to_string();
                assert!(!m.contains("h.test") && !m.contains("127.0"), "{m}");
            }
        }
        for ok in [
            "https://h.test/x?a=b",
            "https://h.test/x?",
            "http://[::1]:9/x?t=1",
        ] {
            assert!(check_route("endpoint", ok, None, false).is_ok(), "{ok}");
        }
    }
}
