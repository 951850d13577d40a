//! The conformance table (tests/conformance/cases.json) through the core itself, against
//! the real sandbox over loopback: every verdict row over HTTP, HTTPS and JSONP, and every
//! error case with its kind, the words its message must hold (`says`), no name or ID number
//! in it, and how many requests reach the server (`requests`; none for a refused input or
//! configuration). `make test-conformance` runs the same table through every front end.

use std::collections::HashMap;
use std::ffi::OsString;

use nameauth::{Client, ClientBuilder, ErrorKind};
use nameauth_sandbox::{Sandbox, APPID, KEY, SRC};
use serde_json::Value;

mod sandbox_client;
use sandbox_client::client;

/// The cases of the table.
fn cases() -> Vec<Value> {
    let cases: Value =
        serde_json::from_str(include_str!("conformance/cases.json")).expect("cases parse");
    cases.as_array().expect("a list").clone()
}

fn args_of(case: &Value) -> Vec<String> {
    let args = case["args"].as_array().expect("args").iter();
    args.map(|a| a.as_str().expect("string").to_owned())
        .collect()
}

/// The verdict cases that need no change to the environment: every row of docs/SPEC.md §5.
fn verdict_cases() -> Vec<(Vec<String>, Value)> {
    let rows: Vec<_> = cases()
        .iter()
        .filter(|c| c["expect"].get("code").is_some() && c["env"] == serde_json::json!({}))
        .map(|c| (args_of(c), c["expect"].clone()))
        .collect();
    assert!(rows.len() >= 25, "the case table lost its verdict rows");
    rows
}

fn check_every_row(c: &Client, how: &str) {
    for (args, expect) in verdict_cases() {
        let cretype = args.get(3).map_or("1", String::as_str);
        let v = c
            .verify_with_cretype(&args[0], &args[1], &args[2], cretype)
            .unwrap_or_else(|e| panic!("{how} {args:?}: {e}"));
        let got = serde_json::json!({
            "code": v.code().as_str(),
            "reason": v.reason().id(),
            "error_code": v.error_code(),
            "nameauth_status": v.nameauth_status(),
            "notmatch_param": v.notmatch_param(),
            "name_mask": v.name_mask(),
        });
        assert_eq!(got, expect, "{how} {args:?}");
        assert_eq!(v.passed(), expect["code"] == "A");
        assert_eq!(
            v.is_config_problem(),
            [1000, 1001, 1002, 1007].contains(&v.error_code())
        );
    }
}

#[test]
fn every_verdict_row_over_http() {
    let sb = Sandbox::builder().start().unwrap();
    check_every_row(&client(&sb), "http");
}

#[test]
fn every_verdict_row_over_https_with_the_sandbox_ca() {
    let sb = Sandbox::builder().tls(true).start().unwrap();
    assert!(sb.endpoint().starts_with("https://127.0.0.1:"));
    check_every_row(&client(&sb), "https (ca_pem)");
    // The same through the CA file the sandbox wrote.
    let by_file = Client::builder(APPID, SRC, KEY)
        .endpoint(sb.endpoint())
        .ca_file(sb.ca_file().unwrap())
        .build()
        .unwrap();
    check_every_row(&by_file, "https (ca_file)");
}

#[test]
fn every_verdict_row_over_jsonp() {
    let sb = Sandbox::builder().start().unwrap();
    // The sandbox takes the first `type`; the endpoint's own query asks for JSONP.
    let c = Client::builder(APPID, SRC, KEY)
        .endpoint(format!("{}?type=jsonp&callback=jQuery_17", sb.endpoint()))
        .build()
        .unwrap();
    check_every_row(&c, "jsonp");
}

/// The variables a client of `sb` reads from its environment.
fn vars_of(sb: &Sandbox) -> HashMap<String, String> {
    let mut vars = HashMap::from([
        ("NAMEAUTH_ENDPOINT".to_owned(), sb.endpoint()),
        ("NAMEAUTH_APPID".to_owned(), APPID.to_owned()),
        ("NAMEAUTH_SRC".to_owned(), SRC.to_owned()),
        ("NAMEAUTH_KEY".to_owned(), KEY.to_owned()),
    ]);
    if let Some(ca) = sb.ca_file() {
        vars.insert("NAMEAUTH_CA_FILE".to_owned(), ca.display().to_string());
    }
    vars
}

/// Runs the error case `case` with the variables of `base`, then the case's own (`null`
/// unsets one; `{tls_endpoint}` and `{ca_file}` name `tls`'s), and checks what it gives.
fn check_error_case(case: &Value, base: &Sandbox, tls: &Sandbox, how: &str) {
    let name = format!("{how} {}", case["name"]);
    let mut vars = vars_of(base);
    let mut target = base;
    for (k, v) in case["env"].as_object().expect("env") {
        let value = match v.as_str() {
            None => {
                vars.remove(k);
                continue;
            }
            Some("{tls_endpoint}") => {
                target = tls;
                tls.endpoint()
            }
            Some("{ca_file}") => vars_of(tls)["NAMEAUTH_CA_FILE"].clone(),
            Some(value) => value.to_owned(),
        };
        vars.insert(k.clone(), value);
    }
    let args = args_of(case);
    let (hits, requests) = (target.hits(&args[0]), target.stats().requests);
    let e = ClientBuilder::from_lookup(|k| vars.get(k).map(OsString::from))
        .build()
        .and_then(|c| match args.get(3) {
            Some(cretype) => c.verify_with_cretype(&args[0], &args[1], &args[2], cretype),
            None => c.verify(&args[0], &args[1], &args[2]),
        })
        .expect_err(&name);
    let m = e.to_string();
    assert_eq!(e.kind().as_str(), case["expect"]["error"], "{name}: {m}");
    if let Some(words) = case["says"].as_str() {
        assert!(m.contains(words), "{name}: {m}");
        if let Some(status) = words.strip_prefix("HTTP status ") {
            assert_eq!(
                e.http_status().map(|s| s.to_string()).as_deref(),
                Some(status)
            );
        }
    }
    for secret in [KEY, &args[1], &args[2]] {
        assert!(
            secret.chars().count() < 2 || !m.contains(secret),
            "{name}: {m}"
        );
    }
    if matches!(e.kind(), ErrorKind::InvalidInput | ErrorKind::InvalidConfig) {
        assert_eq!(target.stats().requests, requests, "{name}: sent");
    }
    if let Some(n) = case["requests"].as_u64() {
        assert_eq!(target.hits(&args[0]) - hits, n, "{name}: requests");
    }
}

fn error_cases() -> Vec<Value> {
    let cases: Vec<Value> = cases()
        .into_iter()
        .filter(|c| c["expect"].get("error").is_some())
        .collect();
    assert!(cases.len() >= 50, "the case table lost its error cases");
    cases
}

#[test]
fn every_error_case_over_http() {
    let sb = Sandbox::builder().start().unwrap();
    let tls = Sandbox::builder().tls(true).start().unwrap();
    for case in error_cases() {
        check_error_case(&case, &sb, &tls, "http");
    }
}

#[test]
fn every_error_case_that_sets_nothing_over_https() {
    let tls = Sandbox::builder().tls(true).start().unwrap();
    let http_only = |c: &Value| c["http_only"] == true;
    for case in error_cases() {
        if case["env"] == serde_json::json!({}) && !http_only(&case) {
            check_error_case(&case, &tls, &tls, "https");
        }
    }
}
