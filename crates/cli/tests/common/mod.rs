//! What the CLI's test binaries share: the `nameauth` binary, a command for it that sees
//! only the `NAMEAUTH_*` variables a test gives, a sandbox's variables, and JSON lines.
//! Each test binary `mod`s this file and uses the part it needs, hence the `dead_code`
//! allowance.
#![allow(dead_code)]

use std::process::Command;

use nameauth_sandbox::{Sandbox, APPID, KEY, SRC};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_nameauth");

/// On file for oZhangSan (张三).
pub const ZS_ID: &str = "110101199003074477";

/// `nameauth args...` with none of the caller's `NAMEAUTH_*` variables.
pub fn nameauth(args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args);
    for (k, _) in std::env::vars() {
        if k.starts_with("NAMEAUTH_") {
            cmd.env_remove(k);
        }
    }
    cmd
}

/// The variables of a client of `sb`: its endpoint and the three credentials.
pub fn sandbox_env(sb: &Sandbox) -> Vec<(&'static str, String)> {
    vec![
        ("NAMEAUTH_ENDPOINT", sb.endpoint()),
        ("NAMEAUTH_APPID", APPID.to_string()),
        ("NAMEAUTH_SRC", SRC.to_string()),
        ("NAMEAUTH_KEY", KEY.to_string()),
    ]
}

/// Standard output, one JSON value a line.
pub fn json_lines(out: &str) -> Vec<serde_json::Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}
