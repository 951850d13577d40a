//! `nameauth batch`: verifies a file of users, one JSON line out per row in, in input
//! order, with personal data only ever in the files (never in a command line).
//!
//! A reader thread parses rows and hands them to `--concurrency` workers that share one
//! client (one keep-alive pool); the main thread puts the answers back in input order and
//! writes them, flushing whenever it has caught up, so a killed job loses at most the rows
//! in flight. `--resume` skips the rows whose `ref` the output already holds.

use std::collections::{BTreeMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use nameauth::stats::{CODES, ERROR_KINDS};
use nameauth::{Client, Error, RESIDENT_ID_CARD};
use serde_json::Value;

use crate::verify::{log_events, verdict_line, ClientArgs};

/// Arguments of `nameauth batch`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Input: JSON lines {\"openid\",\"truename\",\"creid\"[,\"cretype\"][,\"ref\"]} \
or CSV with a header row of the same names (chosen by --format, or by the first byte: `{` is \
JSON lines). Output: one JSON line per input row, in input order: \"ref\" (the row's, or its \
line number) and then the keys of `nameauth verify` (a verdict, or an error). A bad row is \
an error line; no row is dropped or repeated. Progress and a summary go to standard error. \
Credentials and options as for `nameauth verify` (flags or NAMEAUTH_* variables).\n\
Exit status 0 when every row has its line (whatever the verdicts and row errors), 2 when \
the batch cannot run (configuration, files, usage)."
)]
pub struct Args {
    /// Rows to verify; `-` is standard input.
    #[arg(long, short, default_value = "-", value_name = "FILE")]
    pub input: String,
    /// Where the answers go; `-` is standard output. With --resume, appended to.
    #[arg(long, short, default_value = "-", value_name = "FILE")]
    pub output: String,
    /// Requests in flight at once (1 to 1024).
    #[arg(long, default_value_t = 16, value_name = "N")]
    pub concurrency: usize,
    /// At most this many requests per second (the merchant's quota); unlimited if unset.
    #[arg(long, value_name = "N")]
    pub rate: Option<f64>,
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

/// One input row, parsed or not.
struct Row {
    /// The row's ref as JSON (a string or number from the row, or its line number).
    reference: Value,
    user: Result<User, String>,
}

struct User {
    openid: String,
    truename: String,
    creid: String,
    cretype: String,
}

fn usage(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("nameauth batch: {msg}");
    ExitCode::from(2)
}

pub fn run(a: Args) -> ExitCode {
    if !(1..=1024).contains(&a.concurrency) {
        return usage("--concurrency: must be 1 to 1024");
    }
    if let Some(r) = a.rate {
        if !(r.is_finite() && r > 0.0) {
            return usage("--rate: must be a positive number of requests per second");
        }
    }
    let format = match a.format.as_str() {
        "auto" | "jsonl" | "csv" => a.format.clone(),
        _ => return usage("--format: must be jsonl, csv or auto"),
    };
    if a.resume && a.output == "-" {
        return usage("--resume: needs --output FILE (the file it resumes)");
    }
    let client = match a.client.build() {
        Ok(c) => c,
        Err(e) => return usage(e),
    };
    let input: Box<dyn Read + Send> = if a.input == "-" {
        Box::new(io::stdin())
    } else {
        match File::open(&a.input) {
            Ok(f) => Box::new(f),
            Err(e) => return usage(format_args!("--input: cannot open {}: {e}", a.input)),
        }
    };
    let show = !a.no_progress && !a.client.verbose && io::stderr().is_terminal();
    // The bar's length costs a read of the whole file: only for a bar that is drawn.
    let total = (show && a.input != "-")
        .then(|| count_lines(&a.input))
        .flatten();
    let done = if a.resume {
        match refs_in(&PathBuf::from(&a.output)) {
            Ok(d) => d,
            Err(e) => return usage(format_args!("--output: cannot resume {}: {e}", a.output)),
        }
    } else {
        HashSet::new()
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
    let job = Job {
        client,
        concurrency: a.concurrency,
        pace: a.rate.map(Pace::new),
        verbose: a.client.verbose,
    };
    match job.run(input, &format, done, output, total, show) {
        Ok(summary) => {
            eprintln!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => usage(e),
    }
}

struct Job {
    client: Client,
    concurrency: usize,
    pace: Option<Pace>,
    verbose: bool,
}

impl Job {
    fn run(
        self,
        input: Box<dyn Read + Send>,
        format: &str,
        done: HashSet<String>,
        output: Box<dyn Write>,
        total: Option<u64>,
        show: bool,
    ) -> Result<String, String> {
        let started = Instant::now();
        let job = Arc::new(self);
        let (row_tx, row_rx) = mpsc::sync_channel::<(u64, Row)>(job.concurrency * 4);
        let (line_tx, line_rx) = mpsc::channel::<(u64, Answer)>();
        let format = format.to_owned();
        // The reader: rows in, in order, numbered; resumed rows are counted and skipped.
        let reader = thread::Builder::new()
            .name("nameauth-batch-reader".into())
            .spawn(move || read_rows(input, &format, &done, row_tx))
            .map_err(|e| format!("cannot start the reader: {e}"))?;
        let row_rx = Arc::new(Mutex::new(row_rx));
        let mut workers = Vec::new();
        for i in 0..job.concurrency {
            let (job, rows, lines) = (job.clone(), row_rx.clone(), line_tx.clone());
            let w = thread::Builder::new()
                .name(format!("nameauth-batch-{i}"))
                .spawn(move || job.work(&rows, &lines))
                .map_err(|e| format!("cannot start worker {i}: {e}"))?;
            workers.push(w);
        }
        drop(line_tx);

        let bar = progress(total, show);
        let mut out = BufWriter::with_capacity(1 << 16, output);
        let mut pending: BTreeMap<u64, Answer> = BTreeMap::new();
        let mut next = 0u64;
        let mut tally = Tally::default();
        let mut write_error = None;
        loop {
            let got = match line_rx.try_recv() {
                Ok(x) => Some(x),
                Err(mpsc::TryRecvError::Empty) => {
                    // Caught up: what is written is on disk before waiting for more.
                    if let Err(e) = out.flush() {
                        write_error = Some(e);
                        break;
                    }
                    line_rx.recv().ok()
                }
                Err(mpsc::TryRecvError::Disconnected) => None,
            };
            let Some((index, answer)) = got else { break };
            pending.insert(index, answer);
            while let Some(answer) = pending.remove(&next) {
                tally.add(&answer);
                if let Err(e) = writeln!(out, "{}", answer.line) {
                    write_error = Some(e);
                    break;
                }
                next += 1;
                bar.inc(1);
            }
            if write_error.is_some() {
                break;
            }
        }
        if let Some(e) = write_error.or_else(|| out.flush().err()) {
            // Workers stop when their channel closes; the reader when its does.
            drop(line_rx);
            return Err(if e.kind() == io::ErrorKind::BrokenPipe {
                "the output was closed before every row was written".to_owned()
            } else {
                format!("cannot write the output: {e}")
            });
        }
        for w in workers {
            let _ = w.join();
        }
        let read = reader
            .join()
            .map_err(|_| "the reader stopped unexpectedly".to_owned())??;
        bar.finish_and_clear();
        if next != read.rows {
            return Err(format!(
                "{} rows read but {next} written; the output is incomplete",
                read.rows
            ));
        }
        Ok(tally.summary(&read, started.elapsed(), &job.client))
    }

    /// A worker: takes rows until there are none, verifies, hands back the line.
    fn work(&self, rows: &Mutex<mpsc::Receiver<(u64, Row)>>, lines: &mpsc::Sender<(u64, Answer)>) {
        loop {
            let next = rows.lock().unwrap_or_else(|p| p.into_inner()).recv();
            let Ok((index, row)) = next else { return };
            let answer = self.answer(row);
            if lines.send((index, answer)).is_err() {
                return;
            }
        }
    }

    fn answer(&self, row: Row) -> Answer {
        let user = match row.user {
            Ok(u) => u,
            Err(message) => return Answer::error(&row.reference, "invalid_input", &message),
        };
        // A refused input is answered at once and costs none of the rate.
        if let Err(e) =
            self.client
                .validate(&user.openid, &user.truename, &user.creid, &user.cretype)
        {
            return Answer::failed(&row.reference, &e);
        }
        if let Some(p) = &self.pace {
            p.wait();
        }
        let (result, report) =
            self.client
                .verify_reported(&user.openid, &user.truename, &user.creid, &user.cretype);
        if self.verbose {
            log_events(
                &report,
                &user.openid,
                &user.truename,
                &user.creid,
                result.as_ref(),
            );
        }
        match result {
            Ok(v) => Answer {
                line: with_ref(&row.reference, &verdict_line(&v)),
                outcome: v.code().as_str(),
            },
            Err(e) => Answer::failed(&row.reference, &e),
        }
    }
}

/// One output line and what it counts as.
struct Answer {
    line: String,
    /// The verdict code or the error kind.
    outcome: &'static str,
}

impl Answer {
    fn failed(reference: &Value, e: &Error) -> Answer {
        Answer::error(reference, e.kind().as_str(), e.message())
    }

    fn error(reference: &Value, kind: &'static str, message: &str) -> Answer {
        let body = serde_json::json!({ "error": kind, "message": message }).to_string();
        Answer {
            line: with_ref(reference, &body),
            outcome: kind,
        }
    }
}

/// `{"ref":…,` followed by the rest of a CONFORMANCE line.
fn with_ref(reference: &Value, line: &str) -> String {
    format!("{{\"ref\":{},{}", reference, &line[1..])
}

/// Spaces requests `1/rate` seconds apart, across every worker.
struct Pace {
    gap: Duration,
    next: Mutex<Instant>,
}

impl Pace {
    fn new(rate: f64) -> Pace {
        Pace {
            gap: Duration::from_secs_f64(1.0 / rate),
            next: Mutex::new(Instant::now()),
        }
    }

    fn wait(&self) {
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
            let slot = (*next).max(Instant::now());
            *next = slot + self.gap;
            slot
        };
        let now = Instant::now();
        if slot > now {
            thread::sleep(slot - now);
        }
    }
}

/// What the reader saw.
struct Seen {
    rows: u64,
    skipped: u64,
}

/// Reads every row, numbering the ones to do from 0, and sends them in order.
fn read_rows(
    input: Box<dyn Read + Send>,
    format: &str,
    done: &HashSet<String>,
    tx: mpsc::SyncSender<(u64, Row)>,
) -> Result<Seen, String> {
    let mut input = BufReader::with_capacity(1 << 16, input);
    let csv = match format {
        "csv" => true,
        "jsonl" => false,
        _ => {
            let head = input
                .fill_buf()
                .map_err(|e| format!("cannot read the input: {e}"))?;
            let first = head.iter().find(|b| !b.is_ascii_whitespace());
            first.is_some_and(|b| *b != b'{')
        }
    };
    let mut seen = Seen {
        rows: 0,
        skipped: 0,
    };
    let send = |row: Row, seen: &mut Seen| -> bool {
        if done.contains(&row.reference.to_string()) {
            seen.skipped += 1;
            return true;
        }
        let index = seen.rows;
        seen.rows += 1;
        tx.send((index, row)).is_ok()
    };
    if csv {
        let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(input);
        let header = r
            .headers()
            .map_err(|e| format!("--input: the CSV header cannot be read: {}", csv_error(&e)))?
            .clone();
        let column = |name: &str| header.iter().position(|h| h.trim() == name);
        let cols = [
            column("openid"),
            column("truename"),
            column("creid"),
            column("cretype"),
            column("ref"),
        ];
        for (name, col) in ["openid", "truename", "creid"].iter().zip(&cols) {
            if col.is_none() {
                return Err(format!("--input: the CSV header has no \"{name}\" column"));
            }
        }
        let mut record = csv::StringRecord::new();
        loop {
            let line = r.position().line();
            let row = match r.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => csv_row(&record, &cols, line),
                Err(e) => Row {
                    reference: Value::from(line),
                    user: Err(format!("line {line}: {}", csv_error(&e))),
                },
            };
            if !send(row, &mut seen) {
                break;
            }
        }
    } else {
        let mut buf = Vec::new();
        let mut line = 0u64;
        loop {
            buf.clear();
            let n = input
                .read_until(b'\n', &mut buf)
                .map_err(|e| format!("cannot read the input: {e}"))?;
            if n == 0 {
                break;
            }
            line += 1;
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            if !send(json_row(&buf, line), &mut seen) {
                break;
            }
        }
    }
    Ok(seen)
}

/// A CSV error without the record's text (it may hold a name or an ID number).
fn csv_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".to_owned(),
        csv::ErrorKind::Io(e) => format!("cannot read the input: {e}"),
        _ => "malformed CSV".to_owned(),
    }
}

fn csv_row(record: &csv::StringRecord, cols: &[Option<usize>; 5], line: u64) -> Row {
    let get = |i: usize| cols[i].and_then(|c| record.get(c));
    let reference = match get(4) {
        Some(r) if !r.is_empty() => Value::from(r),
        _ => Value::from(line),
    };
    let mut missing = None;
    let mut field = |i: usize, name: &'static str| -> String {
        match get(i) {
            Some(v) => v.to_owned(),
            None => {
                missing.get_or_insert(name);
                String::new()
            }
        }
    };
    let user = User {
        openid: field(0, "openid"),
        truename: field(1, "truename"),
        creid: field(2, "creid"),
        cretype: get(3)
            .filter(|c| !c.is_empty())
            .unwrap_or(RESIDENT_ID_CARD)
            .to_owned(),
    };
    Row {
        reference,
        user: match missing {
            Some(name) => Err(format!(
                "line {line}: {name}: missing (the row is too short)"
            )),
            None => Ok(user),
        },
    }
}

/// One JSON line. Messages name the line and the field, never a value.
fn json_row(bytes: &[u8], line: u64) -> Row {
    let fallback = Value::from(line);
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            let what = if std::str::from_utf8(bytes).is_err() {
                "not valid UTF-8".to_owned()
            } else {
                format!("not valid JSON (column {})", e.column())
            };
            return Row {
                reference: fallback,
                user: Err(format!("line {line}: {what}")),
            };
        }
    };
    let Value::Object(map) = value else {
        return Row {
            reference: fallback,
            user: Err(format!("line {line}: not a JSON object")),
        };
    };
    let reference = match map.get("ref") {
        Some(r @ (Value::String(_) | Value::Number(_))) => r.clone(),
        Some(Value::Null) | None => fallback,
        Some(_) => {
            return Row {
                reference: fallback,
                user: Err(format!("line {line}: ref: must be a string or a number")),
            }
        }
    };
    let text = |name: &'static str, required: bool| -> Result<Option<String>, String> {
        match map.get(name) {
            Some(Value::String(s)) => Ok(Some(s.clone())),
            None if !required => Ok(None),
            None => Err(format!("line {line}: {name}: missing")),
            Some(_) => Err(format!("line {line}: {name}: must be a string")),
        }
    };
    let user = (|| {
        Ok(User {
            openid: text("openid", true)?.unwrap_or_default(),
            truename: text("truename", true)?.unwrap_or_default(),
            creid: text("creid", true)?.unwrap_or_default(),
            cretype: text("cretype", false)?.unwrap_or_else(|| RESIDENT_ID_CARD.to_owned()),
        })
    })();
    Row { reference, user }
}

/// The refs (as JSON text) of every complete line of an earlier output. A last line cut
/// short by a crash is removed, so its row is done again.
fn refs_in(path: &PathBuf) -> io::Result<HashSet<String>> {
    let mut done = HashSet::new();
    let mut file = match OpenOptions::new().read(true).write(true).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(done),
        Err(e) => return Err(e),
    };
    let mut text = Vec::new();
    file.read_to_end(&mut text)?;
    let complete = text.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    if complete < text.len() {
        file.set_len(complete as u64)?;
        file.seek(SeekFrom::End(0))?;
    }
    for line in text[..complete].split(|b| *b == b'\n') {
        if let Ok(Value::Object(m)) = serde_json::from_slice::<Value>(line) {
            if let Some(r) = m.get("ref") {
                done.insert(r.to_string());
            }
        }
    }
    Ok(done)
}

/// Lines in a regular file (the bar's length), if it can be counted quickly.
fn count_lines(path: &str) -> Option<u64> {
    let f = File::open(path).ok()?;
    if !f.metadata().ok()?.is_file() {
        return None;
    }
    let mut r = BufReader::with_capacity(1 << 16, f);
    let mut n = 0;
    loop {
        let buf = r.fill_buf().ok()?;
        if buf.is_empty() {
            return Some(n);
        }
        n += buf.iter().filter(|b| **b == b'\n').count() as u64;
        let len = buf.len();
        r.consume(len);
    }
}

fn progress(total: Option<u64>, show: bool) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = match total {
        Some(n) => ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr()),
        None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
    };
    let template = if total.is_some() {
        "{bar:30} {pos}/{len} rows  {per_sec}  ETA {eta}"
    } else {
        "{spinner} {pos} rows  {per_sec}"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

/// Counts per verdict code and error kind.
#[derive(Default)]
struct Tally {
    counts: BTreeMap<&'static str, u64>,
}

impl Tally {
    fn add(&mut self, a: &Answer) {
        *self.counts.entry(a.outcome).or_insert(0) += 1;
    }

    fn summary(&self, read: &Seen, elapsed: Duration, client: &Client) -> String {
        let secs = elapsed.as_secs_f64();
        let list = |names: &mut dyn Iterator<Item = &'static str>| -> String {
            let parts: Vec<String> = names
                .filter_map(|n| self.counts.get(n).map(|c| format!("{n} {c}")))
                .collect();
            if parts.is_empty() {
                "none".to_owned()
            } else {
                parts.join(", ")
            }
        };
        let codes = list(&mut CODES.iter().map(|c| c.as_str()));
        let errors = list(&mut ERROR_KINDS.iter().map(|k| k.as_str()));
        let s = client.stats();
        format!(
            "nameauth batch: {} rows in {:.1} s ({:.0} rows/s); verdicts: {codes}; errors: \
             {errors}; skipped (already in the output): {}; requests {}, retries {}, \
             connections {}, failovers {}, latency p50 {:.1} ms p99 {:.1} ms",
            read.rows,
            secs,
            read.rows as f64 / secs.max(1e-9),
            read.skipped,
            s.requests,
            s.retries,
            s.connections_opened,
            s.failovers,
            s.latency_p50.as_secs_f64() * 1000.0,
            s.latency_p99.as_secs_f64() * 1000.0,
        )
    }
}
