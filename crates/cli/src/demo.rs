//! `nameauth demo`: the sandbox in-process, the real client over loopback, one sample user
//! per verdict, then the errors that are not verdicts.

use std::process::ExitCode;
use std::time::Duration;

use nameauth::{mask, Client, ClientBuilder};
use nameauth_sandbox::{Sandbox, APPID, KEY, SRC};

/// Arguments of `nameauth demo`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Exit status 0 when every sample got the verdict it should, 1 if one \
did not, 2 if the sandbox could not start."
)]
pub struct Args {
    /// Talk to the sandbox over HTTPS (trusting the CA it makes at start).
    #[arg(long)]
    pub tls: bool,
}

/// One sample user and the code it should get.
struct Sample {
    what: &'static str,
    openid: &'static str,
    truename: &'static str,
    creid: &'static str,
    expect: &'static str,
    wrong_key: bool,
}

const fn sample(
    what: &'static str,
    openid: &'static str,
    truename: &'static str,
    creid: &'static str,
    expect: &'static str,
) -> Sample {
    Sample {
        what,
        openid,
        truename,
        creid,
        expect,
        wrong_key: false,
    }
}

const ZS_ID: &str = "110101199003074477";
const OTHER_ID: &str = "440305199912310011";

const SAMPLES: &[Sample] = &[
    sample("name and ID on file", "oZhangSan", "张三", ZS_ID, "A"),
    sample(
        "lower-case x, upper-cased",
        "oLiSi",
        "李四",
        "11010519491231002x",
        "A",
    ),
    sample("wrong name", "oZhangSan", "张四", ZS_ID, "B"),
    sample("wrong ID number", "oZhangSan", "张三", OTHER_ID, "C"),
    sample("both wrong", "oZhangSan", "李四", OTHER_ID, "D"),
    sample("police check only", "oPoliceOnly", "王五", ZS_ID, "E"),
    sample("not a real-name user", "oNotRealname", "王五", ZS_ID, "F"),
    sample("foreign card", "oForeignCard", "王五", ZS_ID, "F"),
    sample("bank unsupported", "oBankUnsupported", "王五", ZS_ID, "F"),
    sample(
        "no Tenpay account",
        "oTenpayUnregistered",
        "王五",
        ZS_ID,
        "F",
    ),
    sample("unknown openid", "oNobodyKnowsThisOne", "王五", ZS_ID, "F"),
    Sample {
        wrong_key: true,
        ..sample("wrong key (config)", "oZhangSan", "张三", ZS_ID, "Other")
    },
    sample(
        "server system error",
        "oSystemError",
        "王五",
        ZS_ID,
        "Other",
    ),
    sample("unknown status", "oOddStatus", "王五", ZS_ID, "Other"),
];

/// Terminal columns a string takes: East Asian wide characters count twice.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0x303E
            | 0x3041..=0x33FF
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xA000..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x20000..=0x3FFFD => 2,
            _ => 1,
        })
        .sum()
}

fn pad(s: &str, cols: usize) -> String {
    let w = width(s);
    format!("{s}{}", " ".repeat(cols.saturating_sub(w)))
}

fn print_row(cells: &[String], widths: &[usize]) {
    let line: Vec<String> = cells.iter().zip(widths).map(|(c, &w)| pad(c, w)).collect();
    outln!("{}", line.join("  ").trim_end());
}

fn print_table(header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(width(c));
        }
    }
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    print_row(&header, &widths);
    let rule: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
    print_row(&rule, &widths);
    for r in rows {
        print_row(r, &widths);
    }
}

fn builder(sb: &Sandbox, key: &str) -> ClientBuilder {
    let b = Client::builder(APPID, SRC, key).endpoint(sb.endpoint());
    match sb.ca_pem() {
        Some(pem) => b.ca_pem(pem),
        None => b,
    }
}

pub fn run(a: Args) -> ExitCode {
    let sb = match Sandbox::builder().tls(a.tls).start() {
        Ok(sb) => sb,
        Err(e) => {
            eprintln!("nameauth demo: cannot start the sandbox: {e}");
            return ExitCode::from(2);
        }
    };
    let client = builder(&sb, KEY).build();
    let wrong = builder(&sb, "not-the-sandbox-key").build();
    let (Ok(client), Ok(wrong)) = (client, wrong) else {
        eprintln!("nameauth demo: cannot configure the client");
        return ExitCode::from(2);
    };
    outln!(
        "nameauth demo: the real client against the built-in sandbox at {}",
        sb.endpoint()
    );
    outln!("Names and ID numbers are shown masked, as everywhere in nameauth.\n");

    let mut unexpected = 0;
    let mut rows = Vec::new();
    for s in SAMPLES {
        let c = if s.wrong_key { &wrong } else { &client };
        let mut row = vec![
            s.what.to_string(),
            format!("{} / {}", mask::name(s.truename), mask::id(s.creid)),
        ];
        match c.verify(s.openid, s.truename, s.creid) {
            Ok(v) => {
                if v.code().as_str() != s.expect {
                    unexpected += 1;
                }
                row.extend([
                    v.code().to_string(),
                    v.reason().id().to_string(),
                    v.error_code().to_string(),
                    v.message_zh().to_string(),
                    v.advice_zh().to_string(),
                ]);
            }
            Err(e) => {
                unexpected += 1;
                row.extend([
                    "error".into(),
                    e.kind().to_string(),
                    String::new(),
                    e.to_string(),
                ]);
            }
        }
        rows.push(row);
    }
    print_table(
        &[
            "sample",
            "name / ID",
            "code",
            "reason",
            "error_code",
            "说明",
            "处理办法",
        ],
        &rows,
    );

    outln!("\nFailures that are not verdicts (nothing is guessed):\n");
    let impatient = builder(&sb, KEY)
        .timeout(Duration::from_millis(300))
        .build();
    let Ok(impatient) = impatient else {
        return ExitCode::from(2);
    };
    let errors: [(&str, &Client, &str, &str, &str, &str); 5] = [
        (
            "bad check character",
            &client,
            "oZhangSan",
            "张三",
            "110101199003074478",
            "invalid_input",
        ),
        (
            "15-digit ID",
            &client,
            "oZhangSan",
            "张三",
            "110105491231002",
            "invalid_input",
        ),
        (
            "server too slow",
            &impatient,
            "oSlow",
            "张三",
            ZS_ID,
            "timeout",
        ),
        (
            "HTTP 503, retried",
            &client,
            "oHttp503",
            "张三",
            ZS_ID,
            "transport",
        ),
        (
            "body over 64 KiB",
            &client,
            "oOversized",
            "张三",
            ZS_ID,
            "protocol",
        ),
    ];
    let mut rows = Vec::new();
    for (what, c, openid, name, creid, expect) in errors {
        let (kind, message) = match c.verify(openid, name, creid) {
            Ok(v) => (format!("verdict {}", v.code()), String::new()),
            Err(e) => (e.kind().to_string(), e.to_string()),
        };
        if kind != expect {
            unexpected += 1;
        }
        rows.push(vec![what.to_string(), kind, message]);
    }
    print_table(&["sample", "error", "message"], &rows);

    let stats = sb.stats();
    outln!(
        "\nThe sandbox saw {} requests over {} connections (keep-alive; invalid input never left the process).",
        stats.requests, stats.connections
    );
    if unexpected > 0 {
        outln!("{unexpected} sample(s) did not get the expected result.");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
