//! `nameauth`: verify a user, sign a request, run the sandbox, or show the demo.
//!
//! Exit status: 0 on success (for `verify`, whenever the server answered, whatever the
//! verdict), 1 when `demo` saw a verdict it did not expect, 2 on any error (bad usage,
//! bad input or configuration, timeout, transport or protocol failure), 130 or 143 when
//! `batch` was stopped by SIGINT or SIGTERM.

/// `println!` that ends the process quietly when standard output is gone (`nameauth demo
/// | head`), where `println!` would panic. Exit status 141, as a shell reports SIGPIPE.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::write_line(format_args!($($arg)*))
    };
}

mod batch;
mod demo;
mod sandbox_cmd;
mod verify;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The WeChat Pay real-name check (微信支付实名信息验证), from the command line.
#[derive(Parser, Debug)]
#[command(name = "nameauth", version, about, long_about = None, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

const EXIT_CODES: &str = "Exit status: 0 success (for verify: the server answered, whatever the \
verdict); 1 demo saw an unexpected verdict; 2 error (usage, input, configuration, timeout, \
transport, protocol); 130 or 143 batch stopped by SIGINT or SIGTERM.";

#[derive(Subcommand, Debug)]
enum Command {
    /// Verify one user and print one JSON line (CONFORMANCE.md).
    Verify(Box<verify::Args>),
    /// Verify a file of users (JSON lines or CSV), one JSON line out per row, in order.
    Batch(Box<batch::Args>),
    /// Print the 32-hex-digit signature of a request.
    Sign(verify::SignArgs),
    /// Run the sandbox server in the foreground.
    Sandbox(sandbox_cmd::Args),
    /// Start the sandbox in-process and verify sample users covering A-F and Other.
    Demo(demo::Args),
}

/// Writes one line to standard output; a closed pipe ends the process with status 141.
pub(crate) fn write_line(args: std::fmt::Arguments<'_>) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    if writeln!(out, "{args}").and_then(|()| out.flush()).is_err() {
        std::process::exit(141);
    }
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind as K;
            if matches!(e.kind(), K::DisplayHelp | K::DisplayVersion) {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            // clap's own message repeats the offending argument, which may be a key, a
            // name or an ID number: say only what kind of mistake it is.
            let what = e.kind().as_str().unwrap_or("invalid usage");
            let sub = args
                .get(1)
                .and_then(|a| a.to_str())
                .filter(|a| ["verify", "batch", "sign", "sandbox", "demo"].contains(a));
            if sub == Some("verify") {
                // `verify` keeps its contract even for bad usage: one JSON line, exit 2.
                verify::print_error(
                    "invalid_input",
                    &format!(
                        "usage: nameauth verify [OPTIONS] OPENID TRUENAME CREID [CRETYPE] \
                         ({what}; see nameauth verify --help)"
                    ),
                );
            } else {
                let cmd = sub.map_or(String::new(), |s| format!(" {s}"));
                eprintln!("nameauth{cmd}: {what} (see nameauth{cmd} --help)");
            }
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Verify(a) => verify::run(*a),
        Command::Batch(a) => batch::run(*a),
        Command::Sign(a) => verify::sign(a),
        Command::Sandbox(a) => sandbox_cmd::run(a),
        Command::Demo(a) => demo::run(a),
    }
}
