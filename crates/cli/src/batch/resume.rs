//! What makes `--resume` safe: refs that name one row each, and an earlier output read
//! for the rows it really answered.
//!
//! `--resume` skips a row when the output already has a line with its ref, so a ref must
//! name one row. Before anything is sent, the whole input is read once ([`check_refs`]):
//! a ref given twice, or a ref equal to the line number of a row without one (the ref
//! such a row gets), is an input error that stops the batch. Standard input is copied to
//! an unnamed temporary file for that, so it can be read twice ([`Source`]).

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use serde_json::Value;

use super::input::{Rows, ROW_LIMIT};

/// The input, readable more than once.
pub enum Source {
    Path(String),
    Spool(File),
}

impl Source {
    /// A regular file is read where it is; `-` (standard input) and anything else that
    /// can be read only once (a pipe, `<(...)`, a device) is copied to a temporary file.
    pub fn new(input: &str) -> Result<Source, String> {
        let mut once: Box<dyn Read> = if input == "-" {
            Box::new(io::stdin().lock())
        } else {
            let f = File::open(input).map_err(|e| format!("--input: cannot open {input}: {e}"))?;
            if f.metadata().is_ok_and(|m| m.is_file()) {
                return Ok(Source::Path(input.to_owned()));
            }
            Box::new(f)
        };
        let mut copy = || -> io::Result<File> {
            let mut f = tempfile::tempfile()?;
            io::copy(&mut once, &mut f)?;
            Ok(f)
        };
        copy()
            .map(Source::Spool)
            .map_err(|e| format!("--input: cannot read {input}: {e}"))
    }

    pub fn open(&self) -> Result<Box<dyn Read + Send>, String> {
        let opened = match self {
            Source::Path(p) => File::open(p),
            Source::Spool(f) => f.try_clone().and_then(|mut f| {
                f.seek(SeekFrom::Start(0))?;
                Ok(f)
            }),
        };
        match opened {
            Ok(f) => Ok(Box::new(f)),
            Err(e) => Err(format!("--input: cannot read it: {e}")),
        }
    }
}

/// Reads every row once: the format (`None`: the first byte decides), and the number of
/// rows to do (those whose ref is not in `done`) if every ref names one row.
pub fn check_refs(
    input: Box<dyn Read + Send>,
    csv: Option<bool>,
    done: &HashSet<String>,
) -> Result<(bool, u64), String> {
    let input = BufReader::with_capacity(1 << 16, input);
    let mut rows = Rows::new(input, csv)?;
    let csv = rows.is_csv();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut n = 0;
    for row in &mut rows {
        let row = row?;
        let reference = row.reference.to_string();
        if !done.contains(&reference) {
            n += 1;
        }
        if let Some(first) = seen.insert(reference, row.line) {
            return Err(format!(
                "--input: line {}: ref: the same as the ref of line {first} (a row without \
                 a ref has its line number as ref; every ref must name one row, or \
                 --resume could not tell the rows apart); nothing was sent",
                row.line
            ));
        }
    }
    Ok((csv, n))
}

/// The refs (as JSON text) of every line of an earlier output that answers a row: a
/// verdict (`code`) or an error (`error`, such as a timeout: the server may have checked
/// that person). A last line cut short by a crash is removed, so its row is done again.
/// Read a line at a time; a line longer than any we write (over the row limit plus room
/// for the answer) is no answer of ours and is skipped in bounded memory.
pub fn refs_in(path: &Path) -> io::Result<HashSet<String>> {
    let mut done = HashSet::new();
    let file = match OpenOptions::new().read(true).write(true).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(done),
        Err(e) => return Err(e),
    };
    let limit = 2 * ROW_LIMIT;
    let mut input = BufReader::with_capacity(1 << 16, &file);
    let mut line = Vec::new();
    let (mut at, mut start, mut long) = (0u64, 0u64, false);
    loop {
        let avail = input.fill_buf()?;
        if avail.is_empty() {
            break;
        }
        let newline = avail.iter().position(|b| *b == b'\n');
        let take = newline.map_or(avail.len(), |i| i + 1);
        let keep = take.min(limit.saturating_sub(line.len()));
        long |= keep < take;
        line.extend_from_slice(&avail[..keep]);
        input.consume(take);
        at += take as u64;
        if newline.is_some() {
            if !long {
                answered(&line, &mut done);
            }
            line.clear();
            (start, long) = (at, false);
        }
    }
    drop(input);
    if start < at {
        // The last line has no line ending: cut short by a crash.
        file.set_len(start)?;
    }
    Ok(done)
}

/// Adds the ref of `line` to `done` if the line answers a row.
fn answered(line: &[u8], done: &mut HashSet<String>) {
    if let Ok(Value::Object(m)) = serde_json::from_slice::<Value>(line) {
        let answered = m.get("code").is_some_and(Value::is_string)
            || m.get("error").is_some_and(Value::is_string);
        match m.get("ref") {
            Some(r @ (Value::String(_) | Value::Number(_))) if answered => {
                done.insert(r.to_string());
            }
            _ => {}
        }
    }
}
