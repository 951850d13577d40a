//! Known-answer signatures from an independent MD5 (`docs/sign-vectors.json`, the
//! copy of the spec's `sign-vectors.json`), lower and upper case, and their query encoding.

use nameauth::request::{build_url, encode_value};
use nameauth::{sign, Params, SignCase};
use serde_json::Value;

fn vectors() -> Vec<Value> {
    let text = include_str!("../docs/sign-vectors.json");
    match serde_json::from_str(text).expect("vectors parse") {
        Value::Array(v) => v,
        _ => panic!("vectors must be an array"),
    }
}

fn field<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    let mut cur = v;
    for p in path {
        cur = &cur[*p];
    }
    cur.as_str()
        .unwrap_or_else(|| panic!("missing {path:?} in {v}"))
}

fn params(v: &Value) -> Params<'_> {
    Params {
        appid: field(v, &["params", "appid"]),
        openid: field(v, &["params", "openid"]),
        src: field(v, &["params", "src"]),
        truename: field(v, &["params", "truename"]),
        creid: field(v, &["params", "creid"]),
        cretype: field(v, &["params", "cretype"]),
    }
}

#[test]
fn every_vector_signs_to_its_known_answer_in_both_cases() {
    let all = vectors();
    assert!(all.len() >= 6, "the vector file lost entries");
    for v in &all {
        let name = field(v, &["name"]);
        let key = field(v, &["key"]);
        let p = params(v);
        assert_eq!(
            sign(&p, key, SignCase::Lower).as_str(),
            field(v, &["sign_lower"]),
            "{name} lower"
        );
        assert_eq!(
            sign(&p, key, SignCase::Upper).as_str(),
            field(v, &["sign_upper"]),
            "{name} upper"
        );
    }
}

#[test]
fn every_vector_encodes_creid_and_truename_as_expected() {
    for v in &vectors() {
        let name = field(v, &["name"]);
        let p = params(v);
        let expected = field(v, &["query_creid_truename"]);
        let ours = format!(
            "creid={}&truename={}",
            encode_value(p.creid),
            encode_value(p.truename)
        );
        assert_eq!(ours, expected, "{name}");
        // And the full URL carries exactly those encodings and the vector's sign.
        let url = build_url("https://h/x", &p, field(v, &["key"]), SignCase::Lower);
        let (creid, truename) = expected.split_once('&').unwrap();
        assert!(url.contains(&format!("&{creid}&")), "{name}: {url}");
        assert!(url.contains(&format!("&{truename}&")), "{name}: {url}");
        assert!(
            url.contains(&format!("&sign={}&", field(v, &["sign_lower"]))),
            "{name}"
        );
    }
}

#[test]
fn the_bare_primitive_signs_a_lower_case_x_as_given() {
    let v = vectors()
        .into_iter()
        .find(|v| v["name"] == "lowercase-x-signed-as-given")
        .expect("vector present");
    let p = params(&v);
    assert!(p.creid.ends_with('x'));
    assert_eq!(
        sign(&p, field(&v, &["key"]), SignCase::Lower).as_str(),
        field(&v, &["sign_lower"])
    );
}
