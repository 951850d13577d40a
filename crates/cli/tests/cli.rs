//! The `nameauth` binary against the sandbox: CONFORMANCE.md's one JSON line and exit
//! status, the `sign` known answers, `--help` everywhere, and the demo.

use std::process::Output;

use nameauth_sandbox::{Sandbox, APPID, KEY, SRC};

mod common;
use common::{nameauth, sandbox_env, ZS_ID};

/// `nameauth args...` with exactly the given NAMEAUTH_* environment.
fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = nameauth(args);
    cmd.envs(env.iter().copied());
    cmd.output().expect("nameauth runs")
}

/// `nameauth sign` with every field but the key.
fn sign_args<'a>(appid: &'a str, truename: &'a str, creid: &'a str) -> Vec<&'a str> {
    vec![
        "sign",
        "--appid",
        appid,
        "--openid",
        "o",
        "--src",
        "s",
        "--truename",
        truename,
        "--creid",
        creid,
    ]
}

/// `nameauth verify oZhangSan 张三 <ZS_ID>` against `sb`, as [`verify`] does.
fn verify_zs(sb: &Sandbox, extra: &[(&str, &str)]) -> (String, i32) {
    verify(sb, &["oZhangSan", "张三", ZS_ID], extra)
}

fn verify(sb: &Sandbox, args: &[&str], extra: &[(&str, &str)]) -> (String, i32) {
    let env = sandbox_env(sb);
    let mut all: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    all.extend_from_slice(extra);
    let mut full = vec!["verify"];
    full.extend_from_slice(args);
    let out = run(&full, &all);
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    assert_eq!(
        stdout.matches('\n').count(),
        1,
        "exactly one line: {stdout:?}"
    );
    assert!(!stdout.contains(KEY), "key in output: {stdout}");
    (stdout.trim_end().to_string(), out.status.code().unwrap())
}

#[test]
fn verdicts_print_one_exact_json_line_and_exit_0() {
    let sb = Sandbox::builder().start().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &["oZhangSan", "张三", ZS_ID],
            r#"{"code":"A","reason":"verified","error_code":0,"nameauth_status":"1","notmatch_param":"","name_mask":"*三"}"#,
        ),
        (
            &["oZhangSan", "李四", ZS_ID, "1"],
            r#"{"code":"B","reason":"name_mismatch","error_code":0,"nameauth_status":"1","notmatch_param":"1","name_mask":"*三"}"#,
        ),
        (
            &["oZhaoLiu", "李四", ZS_ID],
            r#"{"code":"D","reason":"name_and_id_mismatch","error_code":0,"nameauth_status":"1","notmatch_param":"1|2","name_mask":"*六"}"#,
        ),
        (
            &["oPoliceOnly", "张三", ZS_ID],
            r#"{"code":"E","reason":"police_check_only","error_code":0,"nameauth_status":"2","notmatch_param":"","name_mask":""}"#,
        ),
        (
            &["oRealnameUnverified", "张三", ZS_ID],
            r#"{"code":"F","reason":"realname_unverified","error_code":51100002,"nameauth_status":"","notmatch_param":"","name_mask":""}"#,
        ),
        (
            &["oSystemError", "张三", ZS_ID],
            r#"{"code":"Other","reason":"system_error","error_code":9999,"nameauth_status":"","notmatch_param":"","name_mask":""}"#,
        ),
        (
            &["oPassport", "JOHN SMITH", "E12345678", "2"],
            r#"{"code":"A","reason":"verified","error_code":0,"nameauth_status":"1","notmatch_param":"","name_mask":"*OHN SMITH"}"#,
        ),
    ];
    for (args, expected) in cases {
        assert_eq!(
            verify(&sb, args, &[]),
            (expected.to_string(), 0),
            "{args:?}"
        );
    }
}

fn error_of(line: &str) -> (String, String) {
    let v: serde_json::Value = serde_json::from_str(line).expect("JSON");
    let obj = v.as_object().unwrap();
    assert_eq!(
        obj.keys().collect::<Vec<_>>(),
        ["error", "message"],
        "{line}"
    );
    (
        v["error"].as_str().unwrap().to_string(),
        v["message"].as_str().unwrap().to_string(),
    )
}

/// An error's line: kind `invalid_input`, exit status 2, the usage in the message. The
/// other errors and their messages are the conformance table's (tests/conformance/cases.json,
/// through the CLI by `make test-conformance`, through the core by tests/conformance.rs).
#[test]
fn a_wrong_number_of_arguments_is_invalid_input_with_the_usage() {
    let sb = Sandbox::builder().start().unwrap();
    for (args, words) in [
        (&["oZhangSan", "张三"][..], "usage: nameauth verify"),
        (&["oZhangSan", "张三", ZS_ID, "1", "extra"][..], "usage"),
    ] {
        let (line, code) = verify(&sb, args, &[]);
        assert_eq!(code, 2, "{args:?}: {line}");
        let (k, m) = error_of(&line);
        assert_eq!(k, "invalid_input", "{args:?}: {line}");
        assert!(m.contains(words), "{args:?}: {line}");
        assert!(!m.contains("张三") && !m.contains(ZS_ID), "{line}");
    }
}

#[test]
fn usage_errors_never_echo_an_argument() {
    let mut key_as_flag = sign_args("a", "n", "c");
    key_as_flag.extend(["--key", "--S3cretKey"]);
    // A key given where a value was expected, and an ID number among extra arguments.
    for (args, secret) in [
        (&key_as_flag[..], "S3cret"),
        (&["verify", "oX", "Ouyang", "Xiu", "Mei", ZS_ID][..], ZS_ID),
        (&["verify", "--colour", ZS_ID, "oX", "n", "c"][..], ZS_ID),
        (&["sign", "--bogus", "S3cretKey"][..], "S3cret"),
    ] {
        let out = run(args, &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!all.contains(secret), "{args:?} echoed: {all}");
        assert!(all.contains("--help"), "{all}");
    }
}

#[test]
fn every_option_has_a_flag_whose_errors_name_the_flag() {
    let sb = Sandbox::builder().start().unwrap();
    let help = String::from_utf8(run(&["verify", "--help"], &[]).stdout).unwrap();
    for o in nameauth::OPTIONS {
        assert!(help.contains(o.flag), "no {} in --help", o.flag);
        assert!(help.contains(o.var), "no {} in --help", o.var);
    }
    for (flag, value) in [
        ("--timeout-ms", "0"),
        ("--connect-timeout-ms", "x"),
        ("--idle-timeout-ms", "600001"),
        ("--retries", "11"),
        ("--sign-case", "loud"),
        ("--id-rules", "maybe"),
        ("--allow-http", "maybe"),
        ("--proxy", "socks5://127.0.0.1:1"),
        ("--endpoint", ""),
    ] {
        let (line, code) = verify(&sb, &[flag, value, "oZhangSan", "张三", ZS_ID], &[]);
        assert_eq!(code, 2, "{flag}: {line}");
        let (k, m) = error_of(&line);
        assert_eq!(k, "invalid_config", "{line}");
        let named =
            m.starts_with(&format!("{flag}: ")) || (flag == "--proxy" && m.starts_with("proxy: "));
        assert!(named, "{flag}: {m}");
    }
    // Flags and variables of every option are read.
    let (line, code) = verify(
        &sb,
        &[
            "--retries",
            "0",
            "--id-rules",
            "false",
            "oZhangSan",
            "张三",
            "110101199003074478",
        ],
        &[
            ("NAMEAUTH_CONNECT_TIMEOUT_MS", "1000"),
            ("NAMEAUTH_ALLOW_HTTP", "false"),
        ],
    );
    assert_eq!(
        code, 0,
        "id_rules=false lets the number reach the sandbox: {line}"
    );
    let (line, code) = verify_zs(&sb, &[("NAMEAUTH_RETRIES", "99")]);
    assert_eq!(code, 2);
    assert!(
        error_of(&line).1.starts_with("NAMEAUTH_RETRIES: "),
        "{line}"
    );
}

#[test]
fn an_empty_endpoint_is_an_error_not_production() {
    let out = run(
        &["verify", "oZhangSan", "张三", ZS_ID],
        &[
            ("NAMEAUTH_APPID", APPID),
            ("NAMEAUTH_SRC", SRC),
            ("NAMEAUTH_KEY", KEY),
            ("NAMEAUTH_ENDPOINT", ""),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let (k, m) = error_of(String::from_utf8(out.stdout).unwrap().trim_end());
    assert_eq!(k, "invalid_config");
    assert!(m.starts_with("NAMEAUTH_ENDPOINT: must not be empty"), "{m}");
}

#[test]
fn missing_credentials_are_invalid_config() {
    let out = run(&["verify", "oZhangSan", "张三", ZS_ID], &[]);
    assert_eq!(out.status.code(), Some(2));
    let (k, m) = error_of(String::from_utf8(out.stdout).unwrap().trim_end());
    assert_eq!(k, "invalid_config");
    assert_eq!(
        m,
        "appid: not set (set NAMEAUTH_APPID or pass it explicitly)"
    );
}

#[test]
fn flags_override_the_environment() {
    let sb = Sandbox::builder().start().unwrap();
    let endpoint = sb.endpoint();
    let out = run(
        &[
            "verify",
            "--endpoint",
            &endpoint,
            "--appid",
            APPID,
            "--src",
            SRC,
            "--key",
            KEY,
            "--timeout-ms",
            "2000",
            "--sign-case",
            "lower",
            "oZhangSan",
            "张三",
            ZS_ID,
        ],
        &[
            ("NAMEAUTH_KEY", "a-wrong-key"),
            ("NAMEAUTH_TIMEOUT_MS", "nonsense"),
        ],
    );
    let line = String::from_utf8(out.stdout).unwrap();
    assert!(line.starts_with(r#"{"code":"A""#), "{line}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn https_sandbox_with_ca_file() {
    let sb = Sandbox::builder().tls(true).start().unwrap();
    let ca = sb.ca_file().unwrap().to_str().unwrap().to_string();
    let (line, code) = verify_zs(&sb, &[("NAMEAUTH_CA_FILE", &ca)]);
    assert_eq!(code, 0, "{line}");
    let (line, code) = verify_zs(&sb, &[]);
    assert_eq!(code, 2);
    assert_eq!(error_of(&line).0, "transport");
}

#[test]
fn upper_sign_case_against_a_lower_case_server_is_a_verdict() {
    let sb = Sandbox::builder().start().unwrap();
    let (line, code) = verify_zs(&sb, &[("NAMEAUTH_SIGN_CASE", "upper")]);
    assert_eq!(code, 0);
    assert!(
        line.contains(r#""reason":"sign_invalid","error_code":1002"#),
        "{line}"
    );
}

#[test]
fn sign_prints_the_known_answers() {
    let text = include_str!("../../../docs/sign-vectors.json");
    let vectors: serde_json::Value = serde_json::from_str(text).unwrap();
    for v in vectors.as_array().unwrap() {
        let p = &v["params"];
        let s = |k: &str| p[k].as_str().unwrap().to_string();
        let args = [
            "sign".to_string(),
            "--appid".into(),
            s("appid"),
            "--openid".into(),
            s("openid"),
            "--src".into(),
            s("src"),
            "--truename".into(),
            s("truename"),
            "--creid".into(),
            s("creid"),
            "--cretype".into(),
            s("cretype"),
        ];
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let key = v["key"].as_str().unwrap();
        let out = run(&args, &[("NAMEAUTH_KEY", key)]);
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(
            String::from_utf8(out.stdout).unwrap().trim_end(),
            v["sign_lower"].as_str().unwrap()
        );
        let mut upper = args.clone();
        upper.extend(["--sign-case", "upper", "--key", key]);
        let out = run(&upper, &[]);
        assert_eq!(
            String::from_utf8(out.stdout).unwrap().trim_end(),
            v["sign_upper"].as_str().unwrap()
        );
    }
    let out = run(&sign_args("a", "n", "c"), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("key: not set"));
    // One spelling of the case (issue 18): `--upper` is gone, a bad case names the rule.
    let mut old_flag = sign_args("a", "n", "c");
    old_flag.extend(["--upper", "--key", "k"]);
    assert_eq!(run(&old_flag, &[]).status.code(), Some(2));
    let mut bad_case = sign_args("a", "n", "c");
    bad_case.extend(["--sign-case", "Upper", "--key", "k"]);
    let out = run(&bad_case, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("--sign-case: expected lower or upper"));
    let mut empty_appid = sign_args("", "n", "c");
    empty_appid.extend(["--key", "k"]);
    let out = run(&empty_appid, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("appid: must not be empty"));
}

#[test]
fn help_everywhere() {
    for args in [
        vec!["--help"],
        vec!["verify", "--help"],
        vec!["batch", "--help"],
        vec!["sign", "--help"],
        vec!["sandbox", "--help"],
        vec!["demo", "--help"],
    ] {
        let out = run(&args, &[]);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Usage: nameauth"), "{args:?}: {text}");
    }
    let out = run(&["verify", "--help"], &[]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("NAMEAUTH_ENDPOINT") && text.contains("Exit status"),
        "{text}"
    );
    let out = run(&["frobnicate"], &[]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn demo_covers_a_to_f_and_other() {
    for args in [vec!["demo"], vec!["demo", "--tls"]] {
        let out = run(&args, &[]);
        let text = String::from_utf8(out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(0), "{text}");
        for code in [
            "  A  ",
            "  B  ",
            "  C  ",
            "  D  ",
            "  E  ",
            "  F  ",
            "  Other  ",
        ] {
            assert!(text.contains(code), "{code:?} missing:\n{text}");
        }
        for kind in ["invalid_input", "timeout", "transport", "protocol"] {
            assert!(text.contains(kind), "{kind} missing");
        }
        assert!(
            !text.contains("张三") && !text.contains(ZS_ID),
            "clear PII in the demo"
        );
    }
}

#[test]
fn sandbox_command_prints_its_settings_and_serves() {
    use std::io::{BufRead, BufReader};
    let mut child = nameauth(&[
        "sandbox",
        "--listen",
        "127.0.0.1:0",
        "--sign-case",
        "either",
    ])
    .stdout(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut endpoint = String::new();
    for _ in 0..4 {
        let line = lines.next().unwrap().unwrap();
        if let Some(e) = line.strip_prefix("export NAMEAUTH_ENDPOINT=") {
            endpoint = e.to_string();
        }
    }
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{endpoint}");
    let out = run(
        &[
            "verify",
            "--sign-case",
            "upper",
            "oNotRealname",
            "张三",
            ZS_ID,
        ],
        &[
            ("NAMEAUTH_ENDPOINT", &endpoint),
            ("NAMEAUTH_APPID", APPID),
            ("NAMEAUTH_SRC", SRC),
            ("NAMEAUTH_KEY", KEY),
        ],
    );
    child.kill().unwrap();
    let _ = child.wait();
    let line = String::from_utf8(out.stdout).unwrap();
    assert!(
        line.starts_with(r#"{"code":"F","reason":"not_realname""#),
        "{line}"
    );
}

#[test]
fn a_closed_pipe_ends_the_demo_quietly() {
    use std::io::Read;
    let mut child = nameauth(&["demo"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("nameauth runs");
    // Read one line, as `head -1` would, then close the pipe.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(141), "{stderr}");
}

#[test]
fn no_channel_of_the_cli_carries_a_secret() {
    let sb = Sandbox::builder().start().unwrap();
    let name = "欧阳修梅";
    let password = "pr0xy-pa55word";
    let bare_proxy = format!("u:{password}");
    let mut all = String::new();
    // (arguments, variables set or replaced)
    type Run<'a> = (Vec<&'a str>, Vec<(&'a str, String)>);
    let runs: Vec<Run> = vec![
        (vec!["verify", "oZhangSan", name, ZS_ID], vec![]),
        (vec!["verify", "oZhangSan", "欧阳修梅1", ZS_ID], vec![]),
        (vec!["verify", "oReset", name, ZS_ID], vec![]),
        (vec!["verify", "oDuplicateKeys", name, ZS_ID], vec![]),
        (
            vec!["verify", "oZhangSan", name, ZS_ID],
            vec![(
                "NAMEAUTH_PROXY",
                format!("socks5://u:{password}@127.0.0.1:1"),
            )],
        ),
        (
            vec!["verify", "oZhangSan", name, ZS_ID],
            vec![("NAMEAUTH_PROXY", format!("http://u:{password}@127.0.0.1:1"))],
        ),
        (
            vec!["verify", "oZhangSan", name, ZS_ID],
            vec![("NAMEAUTH_KEY", format!("{KEY}\n"))],
        ),
        (
            vec!["verify", "--proxy", &bare_proxy, "oZhangSan", name, ZS_ID],
            vec![],
        ),
        (
            [sign_args("a", name, ZS_ID), vec!["--key"]].concat(),
            vec![],
        ),
    ];
    for (args, extra) in runs {
        let mut env: Vec<(&str, String)> = sandbox_env(&sb);
        env.retain(|(k, _)| !extra.iter().any(|(e, _)| e == k));
        env.extend(extra);
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let out = run(&args, &env);
        all.push_str(&String::from_utf8_lossy(&out.stdout));
        all.push_str(&String::from_utf8_lossy(&out.stderr));
    }
    for secret in [KEY, password, name, ZS_ID] {
        assert!(!all.contains(secret), "{secret} leaked:\n{all}");
    }
}
