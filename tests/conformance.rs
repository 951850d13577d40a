//! The conformance table (tests/conformance/cases.json) through the core itself, against
//! the real sandbox over loopback: every verdict row over HTTP, HTTPS and JSONP, and every
//! error case (over HTTP, and over HTTPS unless it names the HTTPS sandbox itself) with its
//! kind, the words its message must hold (`says`), no key, name or ID number in it, an end
//! within its timeout, and how many requests reach the server (`requests`; none for a
//! refused input or configuration). `make test-conformance` runs the same table through
//! every front end.

use std::collections::HashMap;
use std::ffi::OsString;
use std::time::{Duration, Instant};

use nameauth::error::SENT_NOTE;
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

/// The variables a client of `sb` reads from its environment, with a 2 s timeout (a case
/// may set its own).
fn vars_of(sb: &Sandbox) -> HashMap<String, String> {
    let mut vars = HashMap::from([
        ("NAMEAUTH_ENDPOINT".to_owned(), sb.endpoint()),
        ("NAMEAUTH_APPID".to_owned(), APPID.to_owned()),
        ("NAMEAUTH_SRC".to_owned(), SRC.to_owned()),
        ("NAMEAUTH_KEY".to_owned(), KEY.to_owned()),
        ("NAMEAUTH_TIMEOUT_MS".to_owned(), "2000".to_owned()),
    ]);
    if let Some(ca) = sb.ca_file() {
        vars.insert("NAMEAUTH_CA_FILE".to_owned(), ca.display().to_string());
    }
    vars
}

/// Whether `case` names the HTTPS sandbox (`{tls_endpoint}` or `{ca_file}` in a value).
fn uses_placeholders(case: &Value) -> bool {
    let env = case["env"].as_object().expect("env");
    env.values()
        .filter_map(Value::as_str)
        .any(|v| v.contains("{tls_endpoint}") || v.contains("{ca_file}"))
}

/// The variables of `case`'s client, as run.py makes them: `base`'s, then the case's own
/// (`null` unsets one; `{tls_endpoint}` and `{ca_file}` in a value name `tls`'s), and
/// the sandbox its endpoint is.
fn environment<'a>(
    case: &Value,
    base: &'a Sandbox,
    tls: &'a Sandbox,
) -> (HashMap<String, String>, &'a Sandbox) {
    let mut vars = vars_of(base);
    let mut target = base;
    for (k, v) in case["env"].as_object().expect("env") {
        let Some(value) = v.as_str() else {
            vars.remove(k);
            continue;
        };
        if value.contains("{tls_endpoint}") {
            target = tls;
        }
        let value = value
            .replace("{tls_endpoint}", &tls.endpoint())
            .replace("{ca_file}", &vars_of(tls)["NAMEAUTH_CA_FILE"]);
        vars.insert(k.clone(), value);
    }
    (vars, target)
}

/// Runs the error case `case` (see [`environment`]) and checks what it gives: the kind,
/// the words of `says` (and the HTTP status they name), no key, name or ID number in the
/// message, an end within its timeout, nothing sent for a refused input or configuration,
/// `requests` requests at the sandbox, and [`SENT_NOTE`] exactly when they reached it.
fn check_error_case(case: &Value, base: &Sandbox, tls: &Sandbox, how: &str) {
    let name = format!("{how} {}", case["name"]);
    let (vars, target) = environment(case, base, tls);
    let args = args_of(case);
    let (hits, requests) = (target.hits(&args[0]), target.stats().requests);
    let started = Instant::now();
    let e = ClientBuilder::from_lookup(|k| vars.get(k).map(OsString::from))
        .build()
        .and_then(|c| match args.get(3) {
            Some(cretype) => c.verify_with_cretype(&args[0], &args[1], &args[2], cretype),
            None => c.verify(&args[0], &args[1], &args[2]),
        })
        .expect_err(&name);
    let took = started.elapsed();
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
    for secret in personal_data(&args).iter().chain([&KEY.to_owned()]) {
        assert!(!m.contains(secret.as_str()), "{name}: {m}");
    }
    // Generous: this proves the call is bounded by its timeout, not how fast it is.
    let timeout_ms = vars.get("NAMEAUTH_TIMEOUT_MS").and_then(|t| t.parse().ok());
    let timeout: u64 = timeout_ms.unwrap_or(10_000);
    assert!(
        took < Duration::from_millis(timeout + 2000),
        "{name} took {took:?}"
    );
    if matches!(e.kind(), ErrorKind::InvalidInput | ErrorKind::InvalidConfig) {
        assert_eq!(target.stats().requests, requests, "{name}: sent");
    }
    if let Some(n) = case["requests"].as_u64() {
        assert_eq!(target.hits(&args[0]) - hits, n, "{name}: requests");
    }
    // A timeout or transport error whose request reached the server (which did not say it
    // left it alone, as a 503 does) says the request was sent; no other error does (a case
    // with a request count says which; one without counts as none reached).
    let reached = case["requests"].as_u64().is_some_and(|n| n > 0);
    let says_sent = matches!(e.kind(), ErrorKind::Timeout | ErrorKind::Transport)
        && reached
        && e.http_status() != Some(503);
    assert_eq!(m.ends_with(SENT_NOTE), says_sent, "{name}: {m}");
}

/// What no message may show of a case's name and ID number: each whole, and each run of
/// two or more letters of the name (`张三` of `张三1`).
fn personal_data(args: &[String]) -> Vec<String> {
    let (name, id) = (&args[1], &args[2]);
    let runs = name.split(|c: char| !c.is_alphabetic()).map(str::to_owned);
    [name.clone(), id.clone()]
        .into_iter()
        .chain(runs)
        .filter(|s| s.chars().count() >= 2)
        .collect()
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

/// Every case that does not name the HTTPS sandbox itself, now with it as the endpoint
/// (but the faults that write on the socket themselves, which are TLS errors there).
#[test]
fn every_error_case_over_https() {
    let tls = Sandbox::builder().tls(true).start().unwrap();
    for case in error_cases() {
        if !uses_placeholders(&case) && case["http_only"] != true {
            check_error_case(&case, &tls, &tls, "https");
        }
    }
}
