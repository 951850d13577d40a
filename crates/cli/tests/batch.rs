//! `nameauth batch` against the sandbox: the reorder window and signals (counted with the
//! sandbox's request counter), refs that name one row, the row limit, every flag's usage
//! error, and the byte order mark.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use nameauth_sandbox::{Sandbox, KEY};

mod common;
use common::{json_lines, nameauth, sandbox_env, BIN, ZS_ID};

/// A private directory for one test's files.
fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("nameauth-batch-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A fresh sandbox, a private directory named `name`, and the path of an input file in it.
fn setup(name: &str) -> (Sandbox, PathBuf, PathBuf) {
    let d = dir(name);
    let input = d.join("in");
    (Sandbox::builder().start().unwrap(), d, input)
}

/// Writes `text` to `input` and runs `nameauth batch -i input args...` to the end.
fn batch_rows(sb: &Sandbox, input: &Path, text: &str, args: &[&str]) -> (String, String, i32) {
    std::fs::write(input, text).unwrap();
    let mut all = vec!["-i", input.to_str().unwrap()];
    all.extend(args);
    batch(sb, &all)
}

/// `nameauth batch args...` for a client of `sb` with a 60 s timeout, its input closed.
fn command(sb: &Sandbox, args: &[&str]) -> Command {
    let mut cmd = nameauth(&["batch"]);
    cmd.args(args)
        .envs(sandbox_env(sb))
        .env("NAMEAUTH_TIMEOUT_MS", "60000");
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Runs `nameauth batch args...` to the end: (stdout, stderr, status).
fn batch(sb: &Sandbox, args: &[&str]) -> (String, String, i32) {
    let out = command(sb, args).output().expect("nameauth runs");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    for secret in [KEY, ZS_ID, "张三"] {
        assert!(!stderr.contains(secret), "{secret} on stderr: {stderr}");
    }
    (
        String::from_utf8(out.stdout).unwrap(),
        stderr,
        out.status.code().unwrap_or(-1),
    )
}

fn user(openid: &str, reference: &str) -> String {
    format!(r#"{{"openid":"{openid}","truename":"张三","creid":"{ZS_ID}","ref":"{reference}"}}"#)
}

fn refs(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            assert!(v.get("code").is_some() || v.get("error").is_some(), "{l}");
            v["ref"].as_str().unwrap().to_owned()
        })
        .collect()
}

fn signal(child: &Child, name: &str) {
    let ok = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -{name}");
}

/// Waits (up to a generous minute) until the sandbox has seen `n` requests.
fn wait_for_requests(sb: &Sandbox, n: u64) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while sb.stats().requests < n {
        assert!(
            Instant::now() < deadline,
            "{} requests",
            sb.stats().requests
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Reads standard error until a line containing `what`; every line read so far.
fn read_until(err: &mut impl BufRead, what: &str) -> String {
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        assert!(
            err.read_line(&mut line).unwrap() > 0,
            "no {what:?} in {seen}"
        );
        seen.push_str(&line);
        if line.contains(what) {
            return seen;
        }
    }
}

const ROWS: usize = 120;
/// The default window: 4 x --concurrency 2.
const DEFAULT_WINDOW: u64 = 8;

/// A batch of ROWS rows whose row `slow` answers after `delay_ms`, stopped by `signals`
/// once the sandbox has seen the rows up to the slow one and a window of rows; then
/// `--resume` (with the slow row fast). The rows the sandbox saw twice are at most the
/// window, and every row has exactly one line, in order.
/// `window`: a --window to give (else the default).
fn kill_and_resume(name: &str, slow: usize, delay_ms: u64, signals: &[&str], window: Option<u64>) {
    let sb = Sandbox::builder().start().unwrap();
    let hold = format!(
        r#"{{"fault":"slow","delay_ms":{delay_ms},"status":1,"truename":"张三","creid":"{ZS_ID}"}}"#
    );
    sb.add_fixture("oHold", &hold).unwrap();
    let d = dir(name);
    let (input, output) = (d.join("in.jsonl"), d.join("out.jsonl"));
    let rows: Vec<String> = (0..ROWS)
        .map(|i| {
            user(
                if i == slow { "oHold" } else { "oZhangSan" },
                &format!("r{i}"),
            )
        })
        .collect();
    std::fs::write(&input, rows.join("\n")).unwrap();
    let (i, o) = (input.to_str().unwrap(), output.to_str().unwrap());
    let w = window.unwrap_or(DEFAULT_WINDOW);
    let ws = w.to_string();
    let mut args = vec!["-i", i, "-o", o, "--concurrency", "2"];
    if window.is_some() {
        args.extend(["--window", &ws]);
    }
    let mut child = command(&sb, &args).spawn().unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    // The rows before the slow one, the slow one, and the window behind it.
    wait_for_requests(&sb, slow as u64 + w);
    let mut stderr = String::new();
    for (n, s) in signals.iter().enumerate() {
        signal(&child, s);
        let what = if n == 0 { "stopping" } else { "at once" };
        stderr += &read_until(&mut err, what);
    }
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut err, &mut rest).unwrap();
    stderr += &rest;
    let status = child.wait().unwrap();
    let expected = if signals[0] == "INT" { 130 } else { 143 };
    assert_eq!(status.code(), Some(expected), "{stderr}");
    if signals.len() == 1 {
        assert!(
            stderr.contains("run the same command again with --resume"),
            "{stderr}"
        );
        assert!(stderr.contains("rows written in order"), "{stderr}");
    }
    let first = refs(&output);
    let sent = sb.stats().requests;
    // Nothing sent is more than a window ahead of what is in the file.
    assert!(
        sent <= first.len() as u64 + w,
        "{sent} sent, {} written",
        first.len()
    );
    sb.add_fixture(
        "oHold",
        r#"{"status":1,"truename":"张三","creid":"110101199003074477"}"#,
    )
    .unwrap();
    args.push("--resume");
    let (_, stderr, code) = batch(&sb, &args);
    assert_eq!(code, 0, "{stderr}");
    let all = refs(&output);
    let expected: Vec<String> = (0..ROWS).map(|i| format!("r{i}")).collect();
    assert_eq!(all, expected);
    let twice = sb.stats().requests - ROWS as u64;
    eprintln!(
        "{name}: {sent} sent and {} written before the stop; {twice} sent twice",
        first.len()
    );
    assert!(twice <= w, "{twice} rows sent twice (window {w})");
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn sigint_behind_a_slow_first_row_resends_at_most_the_window() {
    kill_and_resume("int-first", 0, 1500, &["INT"], None);
}

#[test]
fn sigterm_behind_a_slow_middle_row_resends_at_most_the_window() {
    kill_and_resume("term-middle", 40, 1500, &["TERM"], Some(5));
}

#[test]
fn a_second_sigint_exits_at_once_and_resume_resends_at_most_the_window() {
    // The slow row would take 20 s; the second signal does not wait for it.
    let started = Instant::now();
    kill_and_resume("int-twice", 30, 20_000, &["INT", "INT"], None);
    assert!(started.elapsed() < Duration::from_secs(18));
}

#[test]
fn a_repeated_ref_stops_the_batch_before_anything_is_sent() {
    let (sb, d, input) = setup("refs");
    let plain = format!(r#"{{"openid":"oZhangSan","truename":"张三","creid":"{ZS_ID}"}}"#);
    let cases = [
        // The same ref twice.
        (
            format!(
                "{}\n{}\n{}\n",
                user("oZhangSan", "order-1"),
                user("oZhangSan", "order-2"),
                user("oZhangSan", "order-1")
            ),
            "line 3: ref: the same as the ref of line 1",
        ),
        // A ref that is the line number of a row without one.
        (
            format!(
                "{}\n{}\n{plain}\n",
                r#"{"openid":"oZhangSan","truename":"张三","creid":"110101199003074477","ref":3}"#,
                user("oZhangSan", "x")
            ),
            "line 3: ref: the same as the ref of line 1",
        ),
        // CSV too.
        (
            format!(
                "ref,openid,truename,creid\na,oZhangSan,张三,{ZS_ID}\na,oZhangSan,张三,{ZS_ID}\n"
            ),
            "line 3: ref: the same as the ref of line 2",
        ),
    ];
    for (text, message) in cases {
        let (out, err, code) = batch_rows(&sb, &input, &text, &[]);
        assert_eq!((out.as_str(), code), ("", 2), "{err}");
        assert!(err.contains(message), "{err}");
        assert!(err.contains("nothing was sent"), "{err}");
    }
    assert_eq!(sb.stats().requests, 0);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn resume_counts_only_lines_that_answer_a_row() {
    let sb = Sandbox::builder().start().unwrap();
    let d = dir("done");
    let (input, output) = (d.join("in.jsonl"), d.join("out.jsonl"));
    let rows: Vec<String> = (1..=4)
        .map(|i| user("oZhangSan", &format!("r{i}")))
        .collect();
    std::fs::write(&input, rows.join("\n")).unwrap();
    // r1 answered, r2 an error line (the server may have seen it), r3 a line with a ref
    // and nothing else, r4 a ref in a line that is no object of ours, r5 in a line longer
    // than any we write.
    let pad = "x".repeat(200_000);
    std::fs::write(
        &output,
        format!(
            "{{\"ref\":\"r1\",\"code\":\"A\"}}\n{{\"ref\":\"r2\",\"error\":\"timeout\",\"message\":\"m\"}}\n\
             {{\"ref\":\"r3\"}}\n[\"r4\"]\n{{\"ref\":\"r5\",\"code\":\"A\",\"pad\":\"{pad}\"}}\n"
        ),
    )
    .unwrap();
    let (i, o) = (input.to_str().unwrap(), output.to_str().unwrap());
    let (_, err, code) = batch(&sb, &["--resume", "-i", i, "-o", o]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        sb.hits("oZhangSan"),
        2,
        "r3 and r4 are sent, r1 and r2 not again"
    );
    assert!(err.contains("skipped (already in the output): 2"), "{err}");
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn a_row_over_the_limit_is_its_own_error_and_the_next_rows_go_on() {
    let (sb, d, input) = setup("limit");
    let long = "x".repeat(70_000);
    // JSON lines: a long line (valid JSON, a long openid) between two good rows.
    let text = format!(
        "{}\n{{\"openid\":\"{long}\",\"truename\":\"张三\",\"creid\":\"{ZS_ID}\"}}\n{}\n",
        user("oZhangSan", "a"),
        user("oZhangSan", "c")
    );
    let (out, err, code) = batch_rows(&sb, &input, &text, &[]);
    assert_eq!(code, 0, "{err}");
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 3, "{out}");
    assert_eq!(lines[1]["ref"], 2);
    assert_eq!(lines[1]["error"], "invalid_input");
    assert_eq!(
        lines[1]["message"],
        "line 2: longer than 65536 bytes (the limit of a row)"
    );
    assert_eq!(
        (lines[2]["ref"].as_str(), lines[2]["code"].as_str()),
        (Some("c"), Some("A"))
    );
    // CSV: a quoted field over the limit, with newlines in it; the next row keeps its
    // line number.
    let field = "y\n".repeat(40_000);
    let text = format!(
        "openid,truename,creid\noZhangSan,张三,{ZS_ID}\noZhangSan,\"{field}\",{ZS_ID}\n\
         oZhangSan,张三,{ZS_ID}\n"
    );
    let (out, err, code) = batch_rows(&sb, &input, &text, &["--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 3, "{out}");
    assert_eq!(
        lines[1]["message"],
        "line 3: longer than 65536 bytes (the limit of a row)"
    );
    assert_eq!(
        (lines[2]["ref"].as_u64(), lines[2]["code"].as_str()),
        (Some(40_004), Some("A"))
    );
    assert_eq!(sb.stats().requests, 4);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn every_bad_flag_value_is_a_usage_error_naming_the_flag() {
    let sb = Sandbox::builder().start().unwrap();
    let huge = "99999999999999999999999";
    let cases: &[(&str, &str)] = &[
        ("--rate", "1e-300"),
        ("--rate", "1e300"),
        ("--rate", "0"),
        ("--rate", "-1"),
        ("--rate", "NaN"),
        ("--rate", "inf"),
        ("--rate", "fast"),
        ("--concurrency", "0"),
        ("--concurrency", "1025"),
        ("--concurrency", "-1"),
        ("--concurrency", "NaN"),
        ("--concurrency", "inf"),
        ("--concurrency", huge),
        ("--window", "0"),
        ("--window", "-1"),
        ("--window", "NaN"),
        ("--window", "inf"),
        ("--window", "1.5"),
        ("--window", huge),
    ];
    for (flag, value) in cases {
        let (out, err, code) = batch(&sb, &[flag, value]);
        assert_eq!((out.as_str(), code), ("", 2), "{flag} {value}: {err}");
        assert!(
            err.starts_with(&format!("nameauth batch: {flag}: must be")),
            "{flag} {value}: {err}"
        );
    }
    assert_eq!(sb.stats().requests, 0);
}

#[test]
fn a_byte_order_mark_and_blank_lines_keep_the_rows_and_their_line_numbers() {
    let (sb, d, input) = setup("bom");
    let plain = format!(r#"{{"openid":"oZhangSan","truename":"张三","creid":"{ZS_ID}"}}"#);
    // JSON lines with a BOM, read with --format auto.
    let text = format!("\u{feff}{plain}\n\n{plain}\n");
    let (out, err, code) = batch_rows(&sb, &input, &text, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.matches("\"code\":\"A\"").count(), 2, "{out}");
    assert!(
        out.starts_with("{\"ref\":1,") && out.contains("{\"ref\":3,"),
        "{out}"
    );
    // CSV with a BOM and blank lines: a row's ref is the line it is on.
    let text = format!(
        "\u{feff}openid,truename,creid\n\noZhangSan,张三,{ZS_ID}\n\n\n\
         oZhangSan,张三,{ZS_ID}\r\n\r\noZhangSan,\"张\n三\",{ZS_ID}\n\noZhangSan,张三,{ZS_ID}\n"
    );
    let (out, err, code) = batch_rows(&sb, &input, &text, &[]);
    assert_eq!(code, 0, "{err}");
    let refs: Vec<u64> = json_lines(&out)
        .iter()
        .map(|l| l["ref"].as_u64().unwrap())
        .collect();
    assert_eq!(refs, [3, 6, 8, 11], "{out}");
    // Lines ended by a lone CR (csv_core ends a record on it) are lines too.
    let text = format!("openid,truename,creid\roZhangSan,张三,{ZS_ID}\r\roZhangSan,张三,{ZS_ID}\r");
    let (out, err, code) = batch_rows(&sb, &input, &text, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("{\"ref\":2,") && out.contains("{\"ref\":4,"),
        "{out}"
    );
    std::fs::remove_dir_all(&d).unwrap();
}

/// `nameauth batch args...` with its data segment limited to `kib` KiB (`ulimit -d`, which
/// malloc's memory counts against): (stdout, stderr, status).
fn batch_in(sb: &Sandbox, kib: u64, args: &[&str]) -> (String, String, i32) {
    let env = command(sb, &[]);
    let mut sh = Command::new("sh");
    sh.arg("-c")
        .arg(format!("ulimit -d {kib} && exec \"$0\" batch \"$@\""))
        .arg(BIN)
        .args(args)
        .stdin(Stdio::null());
    for (k, v) in env.get_envs() {
        match v {
            Some(v) => sh.env(k, v),
            None => sh.env_remove(k),
        };
    }
    let out = sh.output().expect("sh runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn a_row_of_96_mib_is_read_in_bounded_memory() {
    let (sb, d, input) = setup("huge");
    let i = input.to_str().unwrap();
    let huge = "x".repeat(96 << 20);
    let (before, after) = (user("oZhangSan", "before"), user("oZhangSan", "after"));
    for (format, text, line) in [
        (
            "jsonl",
            format!(
                "{before}\n{{\"openid\":\"{huge}\",\"truename\":\"t\",\"creid\":\"c\"}}\n{after}\n"
            ),
            2,
        ),
        (
            "csv",
            format!(
                "ref,openid,truename,creid\nbefore,oZhangSan,张三,{ZS_ID}\n,\"{huge}\",t,c\n\
                 after,oZhangSan,张三,{ZS_ID}\n"
            ),
            3,
        ),
    ] {
        std::fs::write(&input, text).unwrap();
        // 48 MiB: the program and its threads fit, half of the row does not.
        let args = ["-i", i, "--format", format, "--concurrency", "2"];
        let (out, err, code) = batch_in(&sb, 48 << 10, &args);
        assert_eq!(code, 0, "{format}: {err}");
        let lines = json_lines(&out);
        let refs: Vec<String> = lines.iter().map(|l| l["ref"].to_string()).collect();
        assert_eq!(
            refs,
            ["\"before\"", &line.to_string(), "\"after\""],
            "{format}"
        );
        assert_eq!(
            lines[1]["message"],
            format!("line {line}: longer than 65536 bytes (the limit of a row)"),
            "{format}"
        );
        assert_eq!(
            (lines[0]["code"].as_str(), lines[2]["code"].as_str()),
            (Some("A"), Some("A"))
        );
    }
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn input_that_can_be_read_only_once_is_read_whole() {
    // A named pipe (as `-i <(command)` gives): the check of refs and the run read it once.
    let sb = Sandbox::builder().start().unwrap();
    let d = dir("fifo");
    let fifo = d.join("rows");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let rows: Vec<String> = (0..5)
        .map(|i| user("oZhangSan", &format!("p{i}")))
        .collect();
    let writer = {
        let (fifo, text) = (fifo.clone(), rows.join("\n"));
        std::thread::spawn(move || std::fs::write(fifo, text).unwrap())
    };
    let (out, err, code) = batch(&sb, &["-i", fifo.to_str().unwrap()]);
    writer.join().unwrap();
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 5, "{out}");
    assert_eq!(sb.hits("oZhangSan"), 5);
    std::fs::remove_dir_all(&d).unwrap();
}
