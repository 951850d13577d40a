//! The batch input reader: JSON lines or CSV in, one [`Row`] per input row, in order.
//!
//! Bounded memory: no row is held past [`ROW_LIMIT`] bytes. A longer JSON line, or a
//! longer CSV record (its quoted newlines included), is read on in pieces that are thrown
//! away up to its end, and becomes that row's `invalid_input` error; the next row is read
//! as usual. A UTF-8 byte order mark at the start is skipped (it says nothing about the
//! format). Blank lines are no rows but count as lines, so a row's line number (its `ref`
//! when it has none) is the line it starts on in the file, in both formats.
//!
//! This file needs only std, serde_json, csv_core and `nameauth::RESIDENT_ID_CARD`: the
//! `batch_input` fuzz target compiles it as it is.

use std::io::{self, BufRead};

use nameauth::RESIDENT_ID_CARD;
use serde_json::Value;

/// The longest row, in bytes, its line ending not counted.
pub const ROW_LIMIT: usize = 64 * 1024;

const BOM: &[u8] = b"\xef\xbb\xbf";

/// One input row, parsed or not.
pub struct Row {
    /// The line it starts on, from 1.
    pub line: u64,
    /// The row's ref as JSON (a string or number from the row, or its line number).
    pub reference: Value,
    pub user: Result<User, String>,
}

pub struct User {
    pub openid: String,
    pub truename: String,
    pub creid: String,
    pub cretype: String,
}

/// The rows of an input. `next` gives `Err` only for what stops the whole batch (a read
/// error, a CSV header without a needed column); a bad row is a row with an error.
pub struct Rows<R> {
    input: R,
    line: u64,
    csv: Option<Csv>,
    buf: Vec<u8>,
    failed: bool,
    /// CSV: the last byte counted was a `\r` (a `\n` right after it ends no new line).
    after_cr: bool,
}

/// The CSV state: the parser and the header's columns.
struct Csv {
    core: csv_core::Reader,
    /// openid, truename, creid, cretype, ref.
    cols: [Option<usize>; 5],
    out: Vec<u8>,
    ends: Vec<usize>,
}

/// One CSV record: its first line and its fields, or why it has none.
struct Record {
    line: u64,
    fields: Result<Vec<String>, String>,
}

impl<R: BufRead> Rows<R> {
    /// Reads past a byte order mark, picks the format (`None`: JSON lines when the first
    /// byte that is not white space is `{`) and, for CSV, reads the header.
    pub fn new(mut input: R, csv: Option<bool>) -> Result<Rows<R>, String> {
        let read_err = |e: io::Error| format!("cannot read the input: {e}");
        let head = input.fill_buf().map_err(read_err)?;
        if head.starts_with(BOM) {
            input.consume(BOM.len());
        }
        let csv = match csv {
            Some(c) => c,
            None => {
                let head = input.fill_buf().map_err(read_err)?;
                let first = head.iter().find(|b| !b.is_ascii_whitespace());
                first.is_some_and(|b| *b != b'{')
            }
        };
        let mut rows = Rows {
            input,
            line: 0,
            csv: None,
            buf: Vec::new(),
            failed: false,
            after_cr: false,
        };
        if csv {
            let mut c = Csv {
                core: csv_core::Reader::new(),
                cols: [None; 5],
                out: vec![0; 1024],
                ends: vec![0; 16],
            };
            let header = match rows.record(&mut c)? {
                Some(r) => r
                    .fields
                    .map_err(|e| format!("--input: the CSV header: {e}"))?,
                None => Vec::new(),
            };
            let column = |name: &str| header.iter().position(|h| h.trim() == name);
            c.cols = ["openid", "truename", "creid", "cretype", "ref"].map(column);
            for (name, col) in ["openid", "truename", "creid"].iter().zip(&c.cols) {
                if col.is_none() {
                    return Err(format!("--input: the CSV header has no \"{name}\" column"));
                }
            }
            rows.csv = Some(c);
        }
        Ok(rows)
    }

    /// Whether the input is read as CSV.
    pub fn is_csv(&self) -> bool {
        self.csv.is_some()
    }

    /// Reads one line of at most [`ROW_LIMIT`] bytes into `buf` (without its line
    /// ending); the rest of a longer line is skipped. `None` at the end of the input;
    /// otherwise whether the line was too long.
    fn read_line(&mut self) -> io::Result<Option<bool>> {
        self.buf.clear();
        let mut any = false;
        let mut long = false;
        loop {
            let avail = self.input.fill_buf()?;
            if avail.is_empty() {
                break;
            }
            any = true;
            let newline = avail.iter().position(|b| *b == b'\n');
            let take = newline.map_or(avail.len(), |i| i + 1);
            let room = (ROW_LIMIT + 2).saturating_sub(self.buf.len());
            if take > room {
                long = true;
            }
            self.buf.extend_from_slice(&avail[..take.min(room)]);
            self.input.consume(take);
            if newline.is_some() {
                break;
            }
        }
        if !any {
            return Ok(None);
        }
        self.line += 1;
        for end in [b'\n', b'\r'] {
            if self.buf.last() == Some(&end) {
                self.buf.pop();
            }
        }
        Ok(Some(long || self.buf.len() > ROW_LIMIT))
    }

    /// Reads one CSV record, skipping blank lines before it.
    fn record(&mut self, c: &mut Csv) -> Result<Option<Record>, String> {
        let read_err = |e: io::Error| format!("cannot read the input: {e}");
        // Skip the line endings before the record (csv_core would skip them too), so
        // that `start` is the line of its first byte.
        loop {
            let avail = self.input.fill_buf().map_err(read_err)?;
            let n = avail
                .iter()
                .take_while(|b| **b == b'\n' || **b == b'\r')
                .count();
            let done = n < avail.len() || avail.is_empty();
            count_lines(&mut self.line, &mut self.after_cr, &avail[..n]);
            self.input.consume(n);
            if done {
                break;
            }
        }
        let start = self.line + 1;
        let (mut nout, mut nend, mut bytes) = (0usize, 0usize, 0usize);
        let mut long = false;
        loop {
            let avail = self.input.fill_buf().map_err(read_err)?;
            let (res, nin, o, e) =
                c.core
                    .read_record(avail, &mut c.out[nout..], &mut c.ends[nend..]);
            count_lines(&mut self.line, &mut self.after_cr, &avail[..nin]);
            self.input.consume(nin);
            bytes += nin;
            nout += o;
            nend += e;
            if bytes > ROW_LIMIT + 2 {
                long = true;
            }
            use csv_core::ReadRecordResult as R;
            match res {
                R::InputEmpty => {}
                // A record past the limit keeps being parsed (to find its end), into
                // buffers that are emptied instead of grown.
                R::OutputFull if long => nout = 0,
                R::OutputFull => c.out.resize(c.out.len() * 2, 0),
                R::OutputEndsFull if long => nend = 0,
                R::OutputEndsFull => c.ends.resize(c.ends.len() * 2, 0),
                R::Record => break,
                R::End => return Ok(None),
            }
        }
        if long {
            return Ok(Some(Record {
                line: start,
                fields: Err(too_long()),
            }));
        }
        let mut fields = Vec::with_capacity(nend);
        let mut from = 0;
        for &to in &c.ends[..nend] {
            match std::str::from_utf8(&c.out[from..to]) {
                Ok(s) => fields.push(s.to_owned()),
                Err(_) => {
                    return Ok(Some(Record {
                        line: start,
                        fields: Err("not valid UTF-8".to_owned()),
                    }))
                }
            }
            from = to;
        }
        Ok(Some(Record {
            line: start,
            fields: Ok(fields),
        }))
    }

    fn next_row(&mut self) -> Result<Option<Row>, String> {
        if let Some(mut c) = self.csv.take() {
            let got = self.record(&mut c);
            let cols = c.cols;
            self.csv = Some(c);
            return Ok(got?.map(|r| match r.fields {
                Ok(f) => csv_row(&f, &cols, r.line),
                Err(e) => Row {
                    line: r.line,
                    reference: Value::from(r.line),
                    user: Err(format!("line {}: {e}", r.line)),
                },
            }));
        }
        loop {
            let long = match self.read_line() {
                Ok(None) => return Ok(None),
                Ok(Some(long)) => long,
                Err(e) => return Err(format!("cannot read the input: {e}")),
            };
            let line = self.line;
            if long {
                return Ok(Some(Row {
                    line,
                    reference: Value::from(line),
                    user: Err(format!("line {line}: {}", too_long())),
                }));
            }
            if !self.buf.iter().all(u8::is_ascii_whitespace) {
                return Ok(Some(json_row(&self.buf, line)));
            }
        }
    }
}

impl<R: BufRead> Iterator for Rows<R> {
    type Item = Result<Row, String>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let got = self.next_row();
        self.failed = got.is_err();
        got.transpose()
    }
}

/// Counts the line endings of CSV bytes: `\n`, `\r\n` and a lone `\r` (csv_core ends
/// a record on each).
fn count_lines(line: &mut u64, after_cr: &mut bool, bytes: &[u8]) {
    for b in bytes {
        match b {
            b'\r' => *line += 1,
            b'\n' if !*after_cr => *line += 1,
            _ => {}
        }
        *after_cr = *b == b'\r';
    }
}

fn too_long() -> String {
    format!("longer than {ROW_LIMIT} bytes (the limit of a row)")
}

fn csv_row(record: &[String], cols: &[Option<usize>; 5], line: u64) -> Row {
    let get = |i: usize| cols[i].and_then(|c| record.get(c)).map(String::as_str);
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
        line,
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
    let failed = |message: String| Row {
        line,
        reference: Value::from(line),
        user: Err(message),
    };
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            let what = if std::str::from_utf8(bytes).is_err() {
                "not valid UTF-8".to_owned()
            } else {
                format!("not valid JSON (column {})", e.column())
            };
            return failed(format!("line {line}: {what}"));
        }
    };
    let Value::Object(map) = value else {
        return failed(format!("line {line}: not a JSON object"));
    };
    let reference = match map.get("ref") {
        Some(r @ (Value::String(_) | Value::Number(_))) => r.clone(),
        Some(Value::Null) | None => fallback,
        Some(_) => return failed(format!("line {line}: ref: must be a string or a number")),
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
    Row {
        line,
        reference,
        user,
    }
}
