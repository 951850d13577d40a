//! What the sandbox knows: a JSON object mapping openids to records.
//!
//! ```json
//! {
//!   "oZhangSan":   {"status": 1, "truename": "张三", "creid": "110101199003074477"},
//!   "oPolice":     {"status": 2},
//!   "oNoAccount":  {"error_code": 51100001},
//!   "oOdd":        {"answer": {"error_code": 0, "nameauth_status": "7"}},
//!   "oSlow":       {"fault": "slow", "delay_ms": 5000, "status": 3},
//!   "oFlaky":      {"fault": "http_503", "fail_times": 2, "status": 2}
//! }
//! ```
//!
//! A record is one of: `status` 1 with the `truename` and `creid` on file (the answer
//! compares them with the request: A, B, C or D), `status` 2–5, an `error_code`, a
//! literal `answer` object, or a `raw` body sent byte for byte (for answers JSON objects
//! cannot hold, such as a key named twice). `fault` makes the sandbox misbehave instead of answering
//! (always, or for the first `fail_times` requests). Optional: `name_mask` (default: the
//! name on file with its first character masked), `notmatch_format` (`"encoded"`, the
//! default `1%7C2`; `"pipe"`, `1|2`; `"reversed"`, `2|1`), `swap_types` (send
//! `error_code` as a string and `nameauth_status` as a number), and `note` (ignored).

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

/// The built-in fixtures: every row of the verdict table and every fault.
pub const BUILTIN_JSON: &str = include_str!("../fixtures/default.json");

/// How the sandbox misbehaves for an openid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Answer only after `delay_ms` (default 5000 ms).
    Slow,
    /// Reset the connection (TCP RST) without answering.
    Reset,
    /// Close the connection (FIN) without answering.
    Hangup,
    /// Answer with this HTTP status and an HTML body.
    HttpStatus(u16),
    /// Answer 200 with an HTML page instead of JSON.
    Garbage,
    /// Answer 200 with a JSON body over 64 KiB.
    Oversized,
    /// Answer 200 with JSON cut off in the middle.
    Truncated,
    /// Answer 200 with an empty body.
    Empty,
    /// Send the normal answer one byte at a time, `delay_ms` apart (default 10 ms).
    Trickle,
    /// Answer 302 with a `Location` (a client must not follow it).
    Redirect,
    /// Send the normal answer gzip-compressed with `Content-Encoding: gzip`, unasked.
    Gzip,
    /// Declare a `Content-Length` 50 bytes longer than the answer, then close.
    LengthLong,
    /// Declare a `Content-Length` shorter than the answer (cutting its JSON), then close.
    LengthShort,
    /// After reading the request, write bytes that are not a TLS record under the TLS
    /// session (on the HTTPS sandbox: a TLS error once the request was sent), then close.
    BadRecord,
    /// Send the normal answer with `Connection: close`, then close: a server (or proxy)
    /// without keep-alive, so every request needs a new connection.
    Close,
    /// Send the normal answer with a 1 MiB response header (`x-padding`): a head far over
    /// any client's limit.
    HugeHeader,
}

impl Fault {
    fn parse(s: &str) -> Result<Fault, String> {
        Ok(match s {
            "slow" => Fault::Slow,
            "reset" => Fault::Reset,
            "hangup" => Fault::Hangup,
            "garbage" => Fault::Garbage,
            "oversized" => Fault::Oversized,
            "truncated" => Fault::Truncated,
            "empty" => Fault::Empty,
            "trickle" => Fault::Trickle,
            "redirect" => Fault::Redirect,
            "gzip" => Fault::Gzip,
            "length_long" => Fault::LengthLong,
            "length_short" => Fault::LengthShort,
            "bad_record" => Fault::BadRecord,
            "close" => Fault::Close,
            "huge_header" => Fault::HugeHeader,
            _ => match s.strip_prefix("http_").and_then(|c| c.parse::<u16>().ok()) {
                Some(code) if (400..600).contains(&code) => Fault::HttpStatus(code),
                _ => {
                    return Err(format!(
                        "unknown fault {s:?} (slow, reset, hangup, http_4xx/http_5xx, \
                         garbage, oversized, truncated, empty, trickle, redirect, gzip, \
                         length_long, length_short, bad_record, close, huge_header)"
                    ))
                }
            },
        })
    }
}

/// How a both-mismatch `notmatch_param` is spelled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NotMatchFormat {
    /// `1%7C2`, as the original document shows it.
    #[default]
    Encoded,
    /// `1|2`.
    Pipe,
    /// `2|1`.
    Reversed,
}

/// One openid's record, as written in a fixtures file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRecord {
    status: Option<u8>,
    truename: Option<String>,
    creid: Option<String>,
    name_mask: Option<String>,
    error_code: Option<i64>,
    answer: Option<serde_json::Map<String, serde_json::Value>>,
    raw: Option<String>,
    fault: Option<String>,
    delay_ms: Option<u64>,
    fail_times: Option<u64>,
    #[serde(default)]
    notmatch_format: NotMatchFormat,
    #[serde(default)]
    swap_types: bool,
    #[allow(dead_code)]
    note: Option<String>,
}

/// What the sandbox answers for an openid, once any fault has passed.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Status 1: compare the request with the name and ID on file.
    OnFile {
        /// The name on file.
        truename: String,
        /// The ID number on file.
        creid: String,
        /// `name_mask` to send.
        name_mask: String,
    },
    /// Status 2–5.
    Status(u8),
    /// A non-zero error code.
    ErrorCode(i64),
    /// This exact JSON object.
    Answer(serde_json::Map<String, serde_json::Value>),
    /// This exact body.
    Raw(String),
    /// No answer at all: the fault applies to every request.
    FaultOnly,
}

/// One openid's record, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// What to answer.
    pub outcome: Outcome,
    /// How to misbehave, if at all.
    pub fault: Option<Fault>,
    /// Delay of a `slow` fault.
    pub delay_ms: u64,
    /// If set, the fault applies only to the first this many requests.
    pub fail_times: Option<u64>,
    /// Spelling of a both-mismatch answer.
    pub notmatch_format: NotMatchFormat,
    /// Send `error_code` as a string and `nameauth_status` as a number.
    pub swap_types: bool,
}

impl Record {
    fn check(openid: &str, raw: RawRecord) -> Result<Record, String> {
        let err = |m: &str| format!("fixture {openid:?}: {m}");
        let fault = raw
            .fault
            .as_deref()
            .map(Fault::parse)
            .transpose()
            .map_err(|e| err(&e))?;
        let kinds = [
            raw.status.is_some(),
            raw.error_code.is_some(),
            raw.answer.is_some(),
            raw.raw.is_some(),
        ]
        .iter()
        .filter(|&&b| b)
        .count();
        if kinds > 1 {
            return Err(err("give only one of status, error_code, answer, raw"));
        }
        if let Some(body) = raw.raw {
            return Ok(Record {
                outcome: Outcome::Raw(body),
                fault,
                delay_ms: raw.delay_ms.unwrap_or(5000),
                fail_times: raw.fail_times,
                notmatch_format: raw.notmatch_format,
                swap_types: raw.swap_types,
            });
        }
        let outcome = match (raw.status, raw.error_code, raw.answer) {
            (Some(1), _, _) => {
                let (Some(truename), Some(creid)) = (raw.truename, raw.creid) else {
                    return Err(err("status 1 needs the truename and creid on file"));
                };
                let name_mask = raw.name_mask.unwrap_or_else(|| mask_first(&truename));
                Outcome::OnFile {
                    truename,
                    creid,
                    name_mask,
                }
            }
            (Some(s @ 2..=5), _, _) => Outcome::Status(s),
            (Some(s), _, _) => return Err(err(&format!("status {s} is not 1-5 (use answer)"))),
            (_, Some(0), _) => return Err(err("error_code 0 needs a status (use status)")),
            (_, Some(code), _) => Outcome::ErrorCode(code),
            (_, _, Some(answer)) => Outcome::Answer(answer),
            (None, None, None) if fault.is_some() && raw.fail_times.is_none() => Outcome::FaultOnly,
            _ => return Err(err("needs one of status, error_code, answer (or a fault)")),
        };
        if raw.fail_times.is_some() && fault.is_none() {
            return Err(err("fail_times needs a fault"));
        }
        Ok(Record {
            outcome,
            fault,
            delay_ms: raw.delay_ms.unwrap_or(if fault == Some(Fault::Trickle) {
                10
            } else {
                5000
            }),
            fail_times: raw.fail_times,
            notmatch_format: raw.notmatch_format,
            swap_types: raw.swap_types,
        })
    }
}

/// The name with its first character replaced by `*` (`张小明` → `*小明`).
fn mask_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(_) => format!("*{}", chars.as_str()),
        None => String::new(),
    }
}

/// Every openid the sandbox knows. Unknown openids get error 51068401 (no such user).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fixtures {
    records: HashMap<String, Record>,
}

impl Fixtures {
    /// The built-in set (see `fixtures/default.json`).
    pub fn builtin() -> Fixtures {
        Fixtures::from_json(BUILTIN_JSON).expect("the built-in fixtures are valid")
    }

    /// Parses a fixtures document.
    pub fn from_json(text: &str) -> Result<Fixtures, String> {
        let raw: HashMap<String, RawRecord> =
            serde_json::from_str(text).map_err(|e| format!("fixtures: {e}"))?;
        let records = raw
            .into_iter()
            .map(|(openid, r)| Record::check(&openid, r).map(|rec| (openid, rec)))
            .collect::<Result<_, _>>()?;
        Ok(Fixtures { records })
    }

    /// Reads and parses a fixtures file.
    pub fn load(path: &Path) -> Result<Fixtures, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Fixtures::from_json(&text)
    }

    /// The record for an openid.
    pub fn get(&self, openid: &str) -> Option<&Record> {
        self.records.get(openid)
    }

    /// Adds or replaces one record, given as the JSON of a fixtures file entry.
    pub fn insert_json(&mut self, openid: &str, record: &str) -> Result<(), String> {
        let raw: RawRecord =
            serde_json::from_str(record).map_err(|e| format!("fixture {openid:?}: {e}"))?;
        let rec = Record::check(openid, raw)?;
        self.records.insert(openid.to_owned(), rec);
        Ok(())
    }

    /// Every openid, sorted.
    pub fn openids(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.records.keys().map(String::as_str).collect();
        v.sort_unstable();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_fixtures_parse() {
        let f = Fixtures::builtin();
        assert!(f.openids().len() > 20);
        assert!(matches!(
            f.get("oZhangSan").unwrap().outcome,
            Outcome::OnFile { .. }
        ));
    }

    #[test]
    fn bad_records_are_refused_with_the_openid() {
        for (json, words) in [
            (r#"{"o":{"status":1}}"#, "truename and creid"),
            (r#"{"o":{"status":7}}"#, "not 1-5"),
            (r#"{"o":{"status":2,"error_code":5}}"#, "only one"),
            (r#"{"o":{"fault":"melt"}}"#, "unknown fault"),
            (r#"{"o":{"fail_times":1,"status":2}}"#, "needs a fault"),
            (r#"{"o":{}}"#, "needs one of"),
            (r#"{"o":{"colour":"red"}}"#, "unknown field"),
        ] {
            let e = Fixtures::from_json(json).unwrap_err();
            assert!(e.contains(words), "{json}: {e}");
        }
    }

    #[test]
    fn names_are_masked_on_their_first_character() {
        assert_eq!(mask_first("张小明"), "*小明");
        assert_eq!(mask_first("Z"), "*");
    }
}
