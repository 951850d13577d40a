//! `nameauth batch`: verifies a file of users, one JSON line out per row in, in input
//! order, with personal data only ever in the files (never in a command line).
//!
//! - `input.rs`: the rows of a JSON lines or CSV file, in bounded memory;
//! - `resume.rs`: refs that name one row each, and what an earlier output answered;
//! - `window.rs`: the reorder window (how far ahead of the output rows are sent) and the
//!   stop on SIGINT/SIGTERM (the design is written there);
//! - `job.rs`: the reader, the workers and the in-order writer.

mod input;
mod job;
mod resume;
mod window;

use std::collections::HashSet;
use std::fs::OpenOptions;
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::verify::ClientArgs;
use input::ROW_LIMIT;
use job::{End, Job};
use resume::Source;
use window::{signal_name, Gate, Pace};

/// Bounds of the numeric flags.
const MAX_CONCURRENCY: u64 = 1024;
const MAX_WINDOW: u64 = 1 << 20;
const MIN_RATE: f64 = 0.001;
const MAX_RATE: f64 = 1_000_000.0;

/// Arguments of `nameauth batch`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Input: JSON lines {\"openid\",\"truename\",\"creid\"[,\"cretype\"][,\"ref\"]} \
or CSV with a header row of the same names (chosen by --format, or by the first byte: `{` is \
JSON lines). Output: one JSON line per input row, in input order: \"ref\" (the row's, or its \
line number) and then the keys of `nameauth verify` (a verdict, or an error). A bad row is \
an error line; no row is dropped or repeated. A row longer than 65536 bytes is an error \
line. Every ref must name one row (a row without one has its line number): a repeated ref \
stops the batch before anything is sent. Progress and a summary go to standard error. \
Credentials and options as for `nameauth verify` (flags or NAMEAUTH_* variables).\n\
Ctrl-C or SIGTERM: no new request is sent, the requests in flight end, their answers are \
written in order, and the batch exits 130 (SIGINT) or 143 (SIGTERM); --resume does the \
rest. A second signal exits at once.\n\
Exit status 0 when every row has its line (whatever the verdicts and row errors), 2 when \
the batch cannot run (configuration, files, usage), 130 or 143 when stopped by a signal."
)]
pub struct Args {
    /// Rows to verify; `-` is standard input.
    #[arg(long, short, default_value = "-", value_name = "FILE")]
    pub input: String,
    /// Where the answers go; `-` is standard output. With --resume, appended to.
    #[arg(long, short, default_value = "-", value_name = "FILE")]
    pub output: String,
    /// Requests in flight at once (1 to 1024).
    #[arg(
        long,
        default_value = "16",
        value_name = "N",
        allow_hyphen_values = true
    )]
    pub concurrency: String,
    /// No row is sent while it is N or more rows ahead of the oldest row not yet in the
    /// output (1 to 1048576; default 4 x concurrency): a killed batch has sent at most N
    /// rows that are not in its output, which --resume sends again.
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub window: Option<String>,
    /// At most this many requests per second (the merchant's quota; 0.001 to 1000000);
    /// unlimited if unset.
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub rate: Option<String>,
    /// Skip rows whose ref already has a line in --output (a file), and append.
    #[arg(long)]
    pub resume: bool,
    /// Input format: jsonl, csv or auto.
    #[arg(long, default_value = "auto", value_name = "FORMAT")]
    pub format: String,
    /// Never draw the progress bar (it is drawn only when standard error is a terminal).
    #[arg(long)]
    pub no_progress: bool,
    #[command(flatten)]
    pub client: ClientArgs,
}

fn usage(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("nameauth batch: {msg}");
    ExitCode::from(2)
}

/// A whole number of `flag` from 1 to `max`.
fn count(flag: &str, text: &str, max: u64) -> Result<u64, String> {
    match text.parse::<u64>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(format!("{flag}: must be a whole number from 1 to {max}")),
    }
}

/// A number of requests per second from [`MIN_RATE`] to [`MAX_RATE`].
fn rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(r) if (MIN_RATE..=MAX_RATE).contains(&r) => Ok(r),
        _ => Err(format!(
            "--rate: must be a number of requests per second from {MIN_RATE} to {MAX_RATE}"
        )),
    }
}

pub fn run(a: Args) -> ExitCode {
    let concurrency = match count("--concurrency", &a.concurrency, MAX_CONCURRENCY) {
        Ok(n) => n,
        Err(e) => return usage(e),
    };
    let window = match a
        .window
        .as_deref()
        .map(|w| count("--window", w, MAX_WINDOW))
    {
        None => 4 * concurrency,
        Some(Ok(n)) => n,
        Some(Err(e)) => return usage(e),
    };
    let pace = match a.rate.as_deref().map(rate) {
        None => None,
        Some(Ok(r)) => Some(Pace::new(r)),
        Some(Err(e)) => return usage(e),
    };
    let csv = match a.format.as_str() {
        "auto" => None,
        "jsonl" => Some(false),
        "csv" => Some(true),
        _ => return usage("--format: must be jsonl, csv or auto"),
    };
    if a.resume && a.output == "-" {
        return usage("--resume: needs --output FILE (the file it resumes)");
    }
    let client = match a.client.build() {
        Ok(c) => c,
        Err(e) => return usage(e),
    };
    let source = match Source::new(&a.input) {
        Ok(s) => s,
        Err(e) => return usage(e),
    };
    let done = if a.resume {
        match resume::refs_in(Path::new(&a.output)) {
            Ok(d) => d,
            Err(e) => return usage(format_args!("--output: cannot resume {}: {e}", a.output)),
        }
    } else {
        HashSet::new()
    };
    // Every row is read once before anything is sent: a repeated ref stops the batch.
    let (csv, rows) = match source
        .open()
        .and_then(|i| resume::check_refs(i, csv, &done))
    {
        Ok(x) => x,
        Err(e) => return usage(e),
    };
    let input = match source.open() {
        Ok(i) => i,
        Err(e) => return usage(e),
    };
    let output: Box<dyn Write> = if a.output == "-" {
        Box::new(io::stdout())
    } else {
        let mut o = OpenOptions::new();
        if a.resume {
            o.create(true).append(true);
        } else {
            o.create(true).write(true).truncate(true);
        }
        match o.open(&a.output) {
            Ok(f) => Box::new(f),
            Err(e) => return usage(format_args!("--output: cannot open {}: {e}", a.output)),
        }
    };
    let gate = Arc::new(Gate::default());
    if let Err(e) = window::on_signals(gate.clone()) {
        return usage(e);
    }
    let show = !a.no_progress && !a.client.verbose && io::stderr().is_terminal();
    let job = Job {
        client,
        concurrency: concurrency as usize,
        window,
        pace,
        verbose: a.client.verbose,
        gate,
        handed_out: Default::default(),
        read_all: Default::default(),
    };
    match job.run(input, csv, done, output, progress(rows, show)) {
        Ok(End::Done(summary)) => {
            eprintln!("{summary}");
            ExitCode::SUCCESS
        }
        Ok(End::Stopped(signal, summary)) => {
            let how = if a.output == "-" {
                "with --output FILE, a batch can be resumed with --resume"
            } else {
                "to do the rest, run the same command again with --resume"
            };
            eprintln!(
                "nameauth batch: stopped by {}: {summary}; {how}",
                signal_name(signal)
            );
            ExitCode::from(128 + signal as u8)
        }
        Err(e) => usage(e),
    }
}

fn progress(total: u64, show: bool) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let template = "{bar:30} {pos}/{len} rows  {per_sec}  ETA {eta}";
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

const _: () = assert!(
    ROW_LIMIT == 65536,
    "the --help text and docs/cli-and-batch.md say 65536"
);
