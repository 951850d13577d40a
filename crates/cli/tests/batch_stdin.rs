//! `nameauth batch` reading its rows from standard input: one answer per row, in order,
//! JSON and CSV, `--resume`, `--rate`, and masked `-v` logs. (batch.rs: the hostile orders
//! and limits.)

use std::io::Write as _;
use std::process::Stdio;

use nameauth_sandbox::{Sandbox, KEY};

mod common;
use common::{json_lines, nameauth, sandbox_env, ZS_ID};

/// `nameauth batch args...` against `sb`, with `stdin`; (stdout, stderr, status).
fn batch(sb: &Sandbox, args: &[&str], stdin: &str) -> (String, String, i32) {
    let mut cmd = nameauth(&["batch"]);
    cmd.args(args).envs(sandbox_env(sb));
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("nameauth runs");
    let mut input = child.stdin.take().unwrap();
    let text = stdin.to_owned();
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(text.as_bytes());
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    for secret in [KEY, ZS_ID, "张三", "李四", "oZhangSan"] {
        assert!(!stderr.contains(secret), "{secret} on stderr: {stderr}");
    }
    assert!(!stdout.contains(KEY));
    (stdout, stderr, out.status.code().unwrap())
}

#[test]
fn batch_answers_every_json_row_once_in_order() {
    let sb = Sandbox::builder().start().unwrap();
    let rows = [
        format!(r#"{{"openid":"oZhangSan","truename":"张三","creid":"{ZS_ID}","ref":"u1"}}"#),
        format!(r#"{{"openid":"oZhangSan","truename":"李四","creid":"{ZS_ID}"}}"#),
        "not json".to_owned(),
        format!(r#"{{"openid":"oFlaky503","truename":"张三","creid":"{ZS_ID}","ref":70}}"#),
        format!(r#"{{"openid":"oZhangSan","truename":"","creid":"{ZS_ID}"}}"#),
        r#"{"openid":"oZhangSan","truename":"张三","creid":110101199003074477}"#.to_owned(),
        format!(r#"{{"openid":"oHttp502","truename":"张三","creid":"{ZS_ID}"}}"#),
        "[1,2]".to_owned(),
        r#"{"openid":"oPassport","truename":"JOHN SMITH","creid":"E12345678","cretype":"2"}"#
            .to_owned(),
    ];
    let (out, err, code) = batch(&sb, &["--concurrency", "4"], &rows.join("\n"));
    assert_eq!(code, 0, "{err}");
    let got = json_lines(&out);
    let refs: Vec<String> = got.iter().map(|l| l["ref"].to_string()).collect();
    assert_eq!(refs, ["\"u1\"", "2", "3", "70", "5", "6", "7", "8", "9"]);
    let outcome = |l: &serde_json::Value| {
        l.get("code")
            .or_else(|| l.get("error"))
            .and_then(|v| v.as_str())
            .unwrap()
            .to_owned()
    };
    let outcomes: Vec<String> = got.iter().map(outcome).collect();
    assert_eq!(
        outcomes,
        [
            "A",
            "B",
            "invalid_input",
            "E",
            "invalid_input",
            "invalid_input",
            "transport",
            "invalid_input",
            "A"
        ]
    );
    // The keys of a verdict line: ref, then CONFORMANCE.md's, in order.
    assert!(out
        .lines()
        .next()
        .unwrap()
        .starts_with(r#"{"ref":"u1","code":"A","reason":"verified","error_code":0,"#));
    assert_eq!(got[5]["message"], "line 6: creid: must be a string");
    // Each row reached the sandbox once (the 503s were retried: the check never ran).
    assert_eq!(sb.hits("oZhangSan"), 2);
    assert_eq!(sb.hits("oHttp502"), 1);
    assert_eq!(sb.hits("oFlaky503"), 3);
    assert!(err.contains("nameauth batch: 9 rows"), "{err}");
    assert!(
        err.contains("verdicts: A 2, B 1, E 1; errors: invalid_input 4, transport 1"),
        "{err}"
    );
}

#[test]
fn batch_reads_csv_with_a_header() {
    let sb = Sandbox::builder().start().unwrap();
    let csv = format!(
        "ref,openid,truename,creid,cretype\n\
         r1,oZhangSan,张三,{ZS_ID},1\n\
         ,oLiSi,\"李四\",11010519491231002x,\n\
         r3,oPassport,\"JOHN SMITH\",E12345678,2\n\
         r5,oZhangSan\n"
    );
    let (out, err, code) = batch(&sb, &["--format", "csv"], &csv);
    assert_eq!(code, 0, "{err}");
    let got = json_lines(&out);
    assert_eq!(got.len(), 4, "{out}");
    assert_eq!(
        (got[0]["ref"].as_str(), got[0]["code"].as_str()),
        (Some("r1"), Some("A"))
    );
    // No ref: the line number; the lower-case x was upper-cased before sending.
    assert_eq!(
        (got[1]["ref"].as_u64(), got[1]["code"].as_str()),
        (Some(3), Some("A"))
    );
    assert_eq!(got[2]["code"], "A");
    assert_eq!(got[3]["ref"], "r5");
    assert_eq!(
        got[3]["message"],
        "line 5: truename: missing (the row is too short)"
    );
    // A header without a needed column stops the batch before anything is sent.
    let (out, err, code) = batch(&sb, &[], "openid,name,creid\noZhangSan,张三,1\n");
    assert_eq!((out.as_str(), code), ("", 2));
    assert!(err.contains("no \"truename\" column"), "{err}");
    assert_eq!(sb.stats().requests, 3);
}

#[test]
fn batch_resume_skips_rows_already_answered() {
    let sb = Sandbox::builder().start().unwrap();
    let dir = std::env::temp_dir().join(format!("nameauth-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let output = dir.join("out.jsonl");
    let out_arg = output.to_str().unwrap();
    let row = |i: usize| {
        format!(r#"{{"openid":"oZhangSan","truename":"张三","creid":"{ZS_ID}","ref":"r{i}"}}"#)
    };
    let all: Vec<String> = (1..=6).map(row).collect();
    // A first run did rows 1-3, and was killed while writing row 4.
    std::fs::write(
        &output,
        "{\"ref\":\"r1\",\"code\":\"A\"}\n{\"ref\":\"r2\",\"code\":\"A\"}\n\
         {\"ref\":\"r3\",\"error\":\"timeout\",\"message\":\"m\"}\n{\"ref\":\"r4\",\"co",
    )
    .unwrap();
    let (_, err, code) = batch(&sb, &["--resume", "-o", out_arg], &all.join("\n"));
    assert_eq!(code, 0, "{err}");
    let got = json_lines(&std::fs::read_to_string(&output).unwrap());
    let refs: Vec<&str> = got.iter().map(|l| l["ref"].as_str().unwrap()).collect();
    assert_eq!(refs, ["r1", "r2", "r3", "r4", "r5", "r6"]);
    assert_eq!(sb.hits("oZhangSan"), 3);
    assert!(err.contains("skipped (already in the output): 3"), "{err}");
    // Everything done: a second resume sends nothing.
    let (_, err, code) = batch(&sb, &["--resume", "-o", out_arg], &all.join("\n"));
    assert_eq!(code, 0, "{err}");
    assert_eq!(sb.hits("oZhangSan"), 3);
    // --resume without a file to resume is a usage error.
    let (_, err, code) = batch(&sb, &["--resume"], "");
    assert_eq!(code, 2);
    assert!(err.contains("--resume: needs --output FILE"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn batch_rate_spaces_the_requests() {
    let sb = Sandbox::builder().start().unwrap();
    let rows: Vec<String> = (0..5)
        .map(|_| format!(r#"{{"openid":"oZhangSan","truename":"张三","creid":"{ZS_ID}"}}"#))
        .collect();
    let started = std::time::Instant::now();
    let (out, err, code) = batch(
        &sb,
        &["--rate", "20", "--concurrency", "8"],
        &rows.join("\n"),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(json_lines(&out).len(), 5);
    // Five requests 50 ms apart take at least 200 ms, however many workers there are.
    assert!(started.elapsed() >= std::time::Duration::from_millis(200));
    for bad in [["--rate", "0"], ["--concurrency", "0"], ["--format", "xml"]] {
        let (_, err, code) = batch(&sb, &bad, "");
        assert_eq!(code, 2, "{bad:?}");
        assert!(err.contains(bad[0]), "{err}");
    }
}

#[test]
fn verbose_logs_are_masked_on_stderr() {
    let sb = Sandbox::builder().start().unwrap();
    let rows = format!(r#"{{"openid":"oFlaky503","truename":"张三","creid":"{ZS_ID}"}}"#);
    let (_, err, code) = batch(&sb, &["-v"], &rows);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("WARN: retry: attempt 1 failed (HTTP status 503"),
        "{err}"
    );
    assert!(
        err.contains("INFO: verify openid=oFl****03 truename=*三 creid=110*************77 outcome=E attempts=3"),
        "{err}"
    );
}
