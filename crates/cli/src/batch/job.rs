//! The run: a reader thread hands numbered rows to `--concurrency` workers that share one
//! client (one keep-alive pool); the main thread puts the answers back in input order and
//! writes them. The reorder window and the stop are in `window.rs`.

use std::collections::{BTreeMap, HashSet};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use indicatif::ProgressBar;
use nameauth::stats::{CODES, ERROR_KINDS};
use nameauth::{Client, Error};
use serde_json::Value;

use super::input::{Row, Rows};
use super::window::{Gate, Pace};
use crate::verify::{log_events, verdict_line};

/// One `nameauth batch` run: the client, settings and counters its workers share.
pub struct Job {
    pub(super) client: Client,
    pub(super) concurrency: usize,
    pub(super) window: u64,
    pub(super) pace: Option<Pace>,
    pub(super) verbose: bool,
    pub(super) gate: Arc<Gate>,
    /// Rows handed to the workers so far, and whether that was every row (the reader's
    /// count, for telling a stop from a signal that came after the end).
    pub(super) handed_out: AtomicU64,
    pub(super) read_all: AtomicBool,
}

/// How a run ended.
pub enum End {
    /// Every row has its line: the summary.
    Done(String),
    /// A signal stopped it: the signal and the summary.
    Stopped(i32, String),
}

impl Job {
    pub fn run(
        self,
        input: Box<dyn Read + Send>,
        csv: bool,
        done: HashSet<String>,
        output: Box<dyn Write>,
        bar: ProgressBar,
    ) -> Result<End, String> {
        let started = Instant::now();
        let job = Arc::new(self);
        // Rows handed out but not yet taken: never more than the window allows anyway.
        let queue = (job.concurrency * 4).min(job.window as usize);
        let (row_tx, row_rx) = mpsc::sync_channel::<(u64, Row)>(queue);
        let (line_tx, line_rx) = mpsc::channel::<(u64, Answer)>();
        // The reader: rows in, in order, numbered; resumed rows are counted and skipped.
        let reader = {
            let job = job.clone();
            thread::Builder::new()
                .name("nameauth-batch-reader".into())
                .spawn(move || job.read(input, csv, &done, &row_tx))
                .map_err(|e| format!("cannot start the reader: {e}"))?
        };
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
        // Only the workers hold these now: when they are gone, the reader's sends fail
        // and the loop below sees the end.
        drop((line_tx, row_rx));

        let mut out = BufWriter::with_capacity(1 << 16, output);
        let mut pending: BTreeMap<u64, Answer> = BTreeMap::new();
        let mut next = 0u64;
        let mut unflushed = 0u64;
        let mut tally = Tally::default();
        let flush = |out: &mut BufWriter<_>, next: u64, unflushed: &mut u64| {
            let r = out.flush();
            if r.is_ok() {
                job.gate.advance(next);
                *unflushed = 0;
            }
            r
        };
        let mut write_error = None;
        loop {
            let got = match line_rx.try_recv() {
                Ok(x) => Some(x),
                Err(mpsc::TryRecvError::Empty) => {
                    // Caught up: what is written is in the file before waiting for more.
                    if let Err(e) = flush(&mut out, next, &mut unflushed) {
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
                unflushed += 1;
                bar.inc(1);
            }
            if write_error.is_none() && unflushed * 2 >= job.window {
                write_error = flush(&mut out, next, &mut unflushed).err();
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
        bar.finish_and_clear();
        for w in workers {
            let _ = w.join();
        }
        // A signal that came after the last row was handed out stopped nothing.
        let stopped = job.gate.stopped().filter(|_| {
            !(reader.is_finished()
                && job.read_all.load(Ordering::SeqCst)
                && next == job.handed_out.load(Ordering::SeqCst))
        });
        if let Some(signal) = stopped {
            // The reader may be reading on; it is not waited for.
            let stats = tally.stats(&job.client);
            let summary = format!(
                "{next} rows written in order, {} answered but not written (behind a row \
                 that was not); {stats}",
                pending.len()
            );
            return Ok(End::Stopped(signal, summary));
        }
        let read = reader
            .join()
            .map_err(|_| "the reader stopped unexpectedly".to_owned())??;
        if next != read.rows {
            return Err(format!(
                "{} rows read but {next} written; the output is incomplete",
                read.rows
            ));
        }
        Ok(End::Done(tally.summary(
            &read,
            started.elapsed(),
            &job.client,
        )))
    }

    /// Reads every row, numbering the ones to do from 0, and hands each one out once it
    /// is inside the window.
    fn read(
        &self,
        input: Box<dyn Read + Send>,
        csv: bool,
        done: &HashSet<String>,
        tx: &mpsc::SyncSender<(u64, Row)>,
    ) -> Result<Seen, String> {
        let input = BufReader::with_capacity(1 << 16, input);
        let mut seen = Seen {
            rows: 0,
            skipped: 0,
        };
        for row in Rows::new(input, Some(csv))? {
            let row = row?;
            if done.contains(&row.reference.to_string()) {
                seen.skipped += 1;
                continue;
            }
            let index = seen.rows;
            if !self.gate.admit(index, self.window) {
                return Ok(seen);
            }
            seen.rows += 1;
            self.handed_out.store(seen.rows, Ordering::SeqCst);
            if tx.send((index, row)).is_err() {
                return Ok(seen);
            }
        }
        self.read_all.store(true, Ordering::SeqCst);
        Ok(seen)
    }

    /// A worker: takes rows until there are none or the run stops, verifies, hands back
    /// the line.
    fn work(&self, rows: &Mutex<mpsc::Receiver<(u64, Row)>>, lines: &mpsc::Sender<(u64, Answer)>) {
        while self.gate.stopped().is_none() {
            let next = rows.lock().unwrap_or_else(|p| p.into_inner()).recv();
            let Ok((index, row)) = next else { return };
            let Some(answer) = self.answer(row) else {
                return;
            };
            if lines.send((index, answer)).is_err() {
                return;
            }
        }
    }

    /// The row's line; `None` when the run stopped before its request was sent.
    fn answer(&self, row: Row) -> Option<Answer> {
        let user = match row.user {
            Ok(u) => u,
            Err(message) => return Some(Answer::error(&row.reference, "invalid_input", &message)),
        };
        // A refused input is answered at once and costs none of the rate.
        if let Err(e) =
            self.client
                .validate(&user.openid, &user.truename, &user.creid, &user.cretype)
        {
            return Some(Answer::failed(&row.reference, &e));
        }
        if let Some(p) = &self.pace {
            if !p.wait(&self.gate) {
                return None;
            }
        }
        if self.gate.stopped().is_some() {
            return None;
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
        Some(match result {
            Ok(v) => Answer {
                line: with_ref(&row.reference, &verdict_line(&v)),
                outcome: v.code().as_str(),
            },
            Err(e) => Answer::failed(&row.reference, &e),
        })
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

/// What the reader saw.
struct Seen {
    rows: u64,
    skipped: u64,
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

    fn list(&self, names: &mut dyn Iterator<Item = &'static str>) -> String {
        let parts: Vec<String> = names
            .filter_map(|n| self.counts.get(n).map(|c| format!("{n} {c}")))
            .collect();
        if parts.is_empty() {
            "none".to_owned()
        } else {
            parts.join(", ")
        }
    }

    /// Verdicts and errors.
    fn outcomes(&self) -> String {
        format!(
            "verdicts: {}; errors: {}",
            self.list(&mut CODES.iter().map(|c| c.as_str())),
            self.list(&mut ERROR_KINDS.iter().map(|k| k.as_str())),
        )
    }

    /// Verdicts, errors and the client's counters.
    fn stats(&self, client: &Client) -> String {
        format!("{}; {}", self.outcomes(), counters(client))
    }

    fn summary(&self, read: &Seen, elapsed: Duration, client: &Client) -> String {
        let secs = elapsed.as_secs_f64();
        format!(
            "nameauth batch: {} rows in {:.1} s ({:.0} rows/s); {}; skipped (already in the \
             output): {}; {}",
            read.rows,
            secs,
            read.rows as f64 / secs.max(1e-9),
            self.outcomes(),
            read.skipped,
            counters(client),
        )
    }
}

fn counters(client: &Client) -> String {
    let s = client.stats();
    format!(
        "requests {}, retries {}, connections {}, failovers {}, latency p50 {:.1} ms p99 \
         {:.1} ms",
        s.requests,
        s.retries,
        s.connections_opened,
        s.failovers,
        s.latency_p50.as_secs_f64() * 1000.0,
        s.latency_p99.as_secs_f64() * 1000.0,
    )
}
