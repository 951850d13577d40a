//! `nameauth`: verify a user, sign a request, run the sandbox, or show the demo.
//!
//! Exit status: 0 on success (for `verify`, whenever the server answered, whatever the
//! verdict), 1 when `demo` saw a verdict it did not expect, 2 on any error (bad usage,
//! bad input or configuration, timeout, transport or protocol failure).

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
transport, protocol).";

#[derive(Subcommand, Debug)]
enum Command {
    /// Verify one user and print one JSON line (CONFORMANCE.md).
    Verify(verify::Args),
    /// Print the 32-hex-digit signature of a request.
    Sign(verify::SignArgs),
    /// Run the sandbox server in the foreground.
    Sandbox(sandbox_cmd::Args),
    /// Start the sandbox in-process and verify sample users covering A-F and Other.
    Demo(demo::Args),
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind as K;
            let is_verify = args.get(1).is_some_and(|a| a == "verify");
            let informational = matches!(e.kind(), K::DisplayHelp | K::DisplayVersion);
            if is_verify && !informational {
                // `verify` keeps its contract even for bad usage: one JSON line, exit 2.
                // The message is fixed so that no argument (a name, an ID) is echoed.
                verify::print_error(
                    "invalid_input",
                    "usage: nameauth verify [OPTIONS] OPENID TRUENAME CREID [CRETYPE] \
                     (see nameauth verify --help)",
                );
                eprint!("{}", e.render());
                return ExitCode::from(2);
            }
            let _ = e.print();
            return ExitCode::from(if informational { 0 } else { 2 });
        }
    };
    match cli.command {
        Command::Verify(a) => verify::run(a),
        Command::Sign(a) => verify::sign(a),
        Command::Sandbox(a) => sandbox_cmd::run(a),
        Command::Demo(a) => demo::run(a),
    }
}
