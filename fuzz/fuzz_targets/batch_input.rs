//! The batch input reader (crates/cli/src/batch/input.rs, compiled here as it is): JSON
//! lines and CSV, a byte order mark, the row limit. No input panics; rows come in line
//! order; every row error names its line; no field is longer than the row limit; and the
//! rows do not depend on how the input is cut into reads.
#![no_main]

// input.rs names the core `nameauth`, as the CLI does.

#[path = "../../crates/cli/src/batch/input.rs"]
#[allow(dead_code)]
mod input;

use std::io::{BufRead, BufReader};

use input::{Row, Rows, ROW_LIMIT};
use libfuzzer_sys::fuzz_target;

type Seen = (u64, String, Result<[String; 4], String>);

fn seen(row: Row) -> Seen {
    let user = row.user.map(|u| [u.openid, u.truename, u.creid, u.cretype]);
    (row.line, row.reference.to_string(), user)
}

/// The rows, or the error that stopped the reading.
fn rows(input: impl BufRead, csv: Option<bool>) -> Result<Vec<Seen>, String> {
    let mut out = Vec::new();
    for row in Rows::new(input, csv)? {
        out.push(seen(row?));
    }
    Ok(out)
}

fuzz_target!(|data: &[u8]| {
    // Cheap long rows: a first byte 0xFF repeats the rest past the row limit.
    let long;
    let data = match data.split_first() {
        Some((0xFF, rest)) if !rest.is_empty() => {
            long = rest.repeat(ROW_LIMIT / rest.len() + 2);
            &long[..]
        }
        _ => data,
    };
    let newlines = data.iter().filter(|b| **b == b'\n' || **b == b'\r').count() as u64;
    for csv in [None, Some(false), Some(true)] {
        let Ok(all) = rows(data, csv) else { continue };
        let mut last = 0;
        for (line, _, user) in &all {
            assert!(
                *line > last && *line <= newlines + 1,
                "line {line} after {last}"
            );
            last = *line;
            match user {
                Err(m) => assert!(m.starts_with(&format!("line {line}: ")), "{m}"),
                Ok(fields) => assert!(fields.iter().all(|f| f.len() <= ROW_LIMIT)),
            }
        }
        if csv.is_some() {
            // Reads of 3 bytes at a time give the same rows.
            let small = rows(BufReader::with_capacity(3, data), csv);
            assert_eq!(small.as_ref().ok(), Some(&all));
        }
    }
});
