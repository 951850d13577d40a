//! The query builder: decoded by an independent decoder, the query holds exactly the
//! values given, and its sign is the MD5 of those decoded values (what is signed is
//! exactly what is sent).
#![no_main]

use libfuzzer_sys::fuzz_target;
use md5::{Digest, Md5};
use nameauth::request::build_url;
use nameauth::{Params, SignCase};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut f = text.split('\u{1f}');
    let mut next = || f.next().unwrap_or("x");
    let (appid, openid, src, truename, creid, cretype, key) =
        (next(), next(), next(), next(), next(), next(), next());
    let p = Params {
        appid,
        openid,
        src,
        truename,
        creid,
        cretype,
    };
    let url = build_url("https://h.test/x", &p, key, SignCase::Lower);
    let query = url.split_once('?').unwrap().1;
    // Only the unreserved characters may stand unencoded.
    assert!(query
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~%&=".contains(&b)));
    let got: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let get = |name: &str| {
        got.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap()
    };
    for (name, value) in [
        ("appid", appid),
        ("openid", openid),
        ("src", src),
        ("truename", truename),
        ("creid", creid),
        ("cretype", cretype),
    ] {
        assert_eq!(get(name), value, "{name}");
    }
    let mut md5 = Md5::new();
    md5.update(format!(
        "appid={}&creid={}&cretype={}&openid={}&src={}&truename={}&key={key}",
        get("appid"),
        get("creid"),
        get("cretype"),
        get("openid"),
        get("src"),
        get("truename")
    ));
    assert_eq!(get("sign"), hex::encode(md5.finalize()));
    assert_eq!(get("type"), "json");
});
