//! What the server answers to one request, decided without any I/O: docs/SPEC.md §7's checks in
//! order (presence 1000, appid/src 1001, sign 1002, IP 1007), then the openid's record.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Duration;

use md5::{Digest, Md5};
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use crate::fixtures::{Fault, Fixtures, NotMatchFormat, Outcome, Record};

/// The path of the real endpoint; anything else is a 404.
pub const PATH: &str = "/cgi-bin/nameauth/nameautheasy";

/// Which letter case of the hex signature the sandbox accepts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SignRule {
    /// Lower-case hex only (the default, as PHP's `md5()` writes it).
    #[default]
    Lower,
    /// Upper-case hex only.
    Upper,
    /// Either.
    Either,
}

impl SignRule {
    /// Parses `lower`, `upper` or `either`.
    pub fn parse(s: &str) -> Option<SignRule> {
        match s {
            "lower" => Some(SignRule::Lower),
            "upper" => Some(SignRule::Upper),
            "either" => Some(SignRule::Either),
            _ => None,
        }
    }
}

/// The merchant account the sandbox accepts, and its rules.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The app id it accepts.
    pub appid: String,
    /// The `src` it accepts.
    pub src: String,
    /// The key it signs with.
    pub key: String,
    /// Which signature case it accepts.
    pub sign_rule: SignRule,
    /// If set, only these peers are served; others get 1007.
    pub allow_ips: Option<Vec<IpAddr>>,
    /// Added to every answer.
    pub latency: Duration,
}

/// What to do with the connection.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Send this response.
    Respond {
        /// HTTP status.
        status: u16,
        /// `Content-Type`.
        content_type: &'static str,
        /// Body.
        body: Vec<u8>,
        /// More headers (`Location`, `Content-Encoding`).
        headers: Vec<(&'static str, String)>,
    },
    /// Send this response with its body one byte at a time, `pause` apart.
    Trickle {
        /// `Content-Type`.
        content_type: &'static str,
        /// Body.
        body: Vec<u8>,
        /// The pause before each byte.
        pause: Duration,
    },
    /// Write these bytes to the socket as they are (under TLS: not as TLS records),
    /// `pause` apart, then close.
    Raw {
        /// What to write, one write each.
        chunks: Vec<Vec<u8>>,
        /// The pause between two writes.
        pause: Duration,
    },
    /// Reset the connection (TCP RST).
    Reset,
    /// Close the connection (FIN).
    Hangup,
}

/// The decision for one request: what to do, after how long.
#[derive(Debug, PartialEq)]
pub struct Reply {
    /// What to do.
    pub action: Action,
    /// How long to wait first.
    pub delay: Duration,
}

/// Decodes a query string (`+` is a space, as CGI servers read it). First value wins.
fn parse_query(query: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |s: &str| {
            percent_decode_str(&s.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned()
        };
        out.entry(decode(k)).or_insert_with(|| decode(v));
    }
    out
}

fn md5_hex(text: &str) -> String {
    hex::encode(Md5::digest(text.as_bytes()))
}

/// The sandbox's own rendering of docs/SPEC.md §2's signature, independent of the client's.
fn expected_sign(q: &HashMap<String, String>, key: &str) -> String {
    let f = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    md5_hex(&format!(
        "appid={}&creid={}&cretype={}&openid={}&src={}&truename={}&key={}",
        f("appid"),
        f("creid"),
        f("cretype"),
        f("openid"),
        f("src"),
        f("truename"),
        key
    ))
}

/// An answer object with the four fields of docs/SPEC.md §4.
fn answer(error_code: i64, status: &str, name_mask: &str, notmatch: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("error_code".into(), error_code.into());
    m.insert("nameauth_status".into(), status.into());
    m.insert("name_mask".into(), name_mask.into());
    m.insert("notmatch_param".into(), notmatch.into());
    m
}

fn error_body(code: i64) -> Map<String, Value> {
    answer(code, "", "", "")
}

fn status_body(status: u8, name_mask: &str, notmatch: &str) -> Map<String, Value> {
    answer(0, &status.to_string(), name_mask, notmatch)
}

/// The answer body for a record that has no (more) fault to apply.
fn record_body(rec: &Record, q: &HashMap<String, String>) -> Map<String, Value> {
    let mut body = match &rec.outcome {
        Outcome::OnFile {
            truename,
            creid,
            name_mask,
        } => {
            let name_ok = q.get("truename") == Some(truename);
            let id_ok = q.get("creid") == Some(creid);
            let notmatch = match (name_ok, id_ok, rec.notmatch_format) {
                (true, true, _) => "",
                (false, true, _) => "1",
                (true, false, _) => "2",
                (false, false, NotMatchFormat::Encoded) => "1%7C2",
                (false, false, NotMatchFormat::Pipe) => "1|2",
                (false, false, NotMatchFormat::Reversed) => "2|1",
            };
            status_body(1, name_mask, notmatch)
        }
        Outcome::Status(s) => status_body(*s, "", ""),
        Outcome::ErrorCode(code) => error_body(*code),
        Outcome::Answer(m) => return m.clone(),
        Outcome::FaultOnly | Outcome::Raw(_) => error_body(-1),
    };
    if rec.swap_types {
        if let Some(Value::Number(n)) = body.get("error_code").cloned() {
            body.insert("error_code".into(), Value::String(n.to_string()));
        }
        if let Some(Value::String(s)) = body.get("nameauth_status").cloned() {
            if let Ok(n) = s.parse::<u64>() {
                body.insert("nameauth_status".into(), Value::from(n));
            }
        }
    }
    body
}

fn respond(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Action {
    Action::Respond {
        status,
        content_type,
        body: body.into(),
        headers: Vec::new(),
    }
}

/// An HTTP/1.1 response head that closes the connection, declaring `length` bytes.
fn head(content_type: &str, length: usize) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ncontent-length: {length}\r\n\
         connection: close\r\n\r\n"
    )
    .into_bytes()
}

/// What a fault that changes the delivery does to the normal answer.
fn wrap(fault: Fault, answer: Action, pause: Duration) -> Action {
    let Action::Respond {
        status,
        content_type,
        body,
        ..
    } = answer
    else {
        return answer;
    };
    match fault {
        Fault::Trickle => Action::Trickle {
            content_type,
            body,
            pause,
        },
        Fault::LengthLong => {
            let mut bytes = head(content_type, body.len() + 50);
            bytes.extend_from_slice(&body);
            Action::Raw {
                chunks: vec![bytes],
                pause,
            }
        }
        Fault::LengthShort => {
            let mut bytes = head(content_type, body.len() / 2);
            bytes.extend_from_slice(&body);
            Action::Raw {
                chunks: vec![bytes],
                pause,
            }
        }
        Fault::Gzip => {
            use std::io::Write as _;
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            let _ = gz.write_all(&body);
            Action::Respond {
                status,
                content_type,
                body: gz.finish().unwrap_or_default(),
                headers: vec![("content-encoding", "gzip".to_owned())],
            }
        }
        Fault::Close => Action::Respond {
            status,
            content_type,
            body,
            headers: vec![("connection", "close".to_owned())],
        },
        Fault::HugeHeader => Action::Respond {
            status,
            content_type,
            body,
            headers: vec![("x-padding", "x".repeat(1024 * 1024))],
        },
        _ => Action::Respond {
            status,
            content_type,
            body,
            headers: Vec::new(),
        },
    }
}

/// What a fault does instead of answering; `None` for the faults that answer normally
/// after a delay (`slow`) or deliver the normal answer their own way (see [`wrap`]).
fn fault_action(fault: Fault) -> Option<Action> {
    Some(match fault {
        Fault::Slow
        | Fault::Trickle
        | Fault::Gzip
        | Fault::LengthLong
        | Fault::LengthShort
        | Fault::Close
        | Fault::HugeHeader => return None,
        Fault::Redirect => Action::Respond {
            status: 302,
            content_type: "text/html; charset=utf-8",
            body: b"<html><body>moved</body></html>".to_vec(),
            headers: vec![("location", "https://example.invalid/elsewhere".to_owned())],
        },
        Fault::BadRecord => Action::Raw {
            chunks: vec![b"HTTP/1.1 200 OK\r\n\r\nthis is not a TLS record".to_vec()],
            pause: Duration::ZERO,
        },
        Fault::Reset => Action::Reset,
        Fault::Hangup => Action::Hangup,
        Fault::HttpStatus(code) => respond(
            code,
            "text/html; charset=utf-8",
            format!("<html><body><h1>{code}</h1>sandbox fault</body></html>"),
        ),
        Fault::Garbage => respond(
            200,
            "text/html; charset=utf-8",
            "<html><body>502 Bad Gateway (a proxy's error page)</body></html>",
        ),
        Fault::Oversized => {
            let mut body = br#"{"error_code":0,"nameauth_status":"1","padding":""#.to_vec();
            body.resize(body.len() + 80 * 1024, b'x');
            body.extend_from_slice(b"\"}");
            respond(200, "application/json", body)
        }
        Fault::Truncated => respond(
            200,
            "application/json",
            r#"{"error_code":0,"nameauth_status":"1","notmatch_par"#,
        ),
        Fault::Empty => respond(200, "application/json", ""),
    })
}

/// One request as the sandbox sees it.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// `GET`, say.
    pub method: &'a str,
    /// The path of the URL.
    pub path: &'a str,
    /// The query string, without `?` (`""` when there is none).
    pub query: &'a str,
    /// Where it came from (for the IP allow-list).
    pub peer: IpAddr,
}

/// Decides the reply to `req`. `hit` is how many requests for this openid have arrived,
/// this one included (for `fail_times`).
pub fn decide(
    settings: &Settings,
    fixtures: &Fixtures,
    req: Request<'_>,
    hit: impl FnOnce(&str) -> u64,
) -> Reply {
    let Request {
        method,
        path,
        query,
        peer,
    } = req;
    let mut delay = settings.latency;
    if path != PATH {
        return Reply {
            action: respond(404, "text/plain", "not found"),
            delay,
        };
    }
    if method != "GET" {
        return Reply {
            action: respond(405, "text/plain", "method not allowed"),
            delay,
        };
    }
    let q = parse_query(query);
    let hits = q.get("openid").map(|o| hit(o)).unwrap_or(0);
    let mut wrapping: Option<Fault> = None;
    let mut pause_of = Duration::ZERO;
    let pause = |rec: &Record| Duration::from_millis(rec.delay_ms);
    let present = [
        "appid", "openid", "src", "truename", "creid", "cretype", "sign",
    ]
    .iter()
    .all(|k| q.get(*k).is_some_and(|v| !v.is_empty()));
    let body = if !present {
        error_body(1000)
    } else if q["appid"] != settings.appid || q["src"] != settings.src {
        error_body(1001)
    } else if !sign_ok(
        &q["sign"],
        &expected_sign(&q, &settings.key),
        settings.sign_rule,
    ) {
        error_body(1002)
    } else if settings
        .allow_ips
        .as_ref()
        .is_some_and(|ips| !ips.contains(&peer))
    {
        error_body(1007)
    } else {
        match fixtures.get(&q["openid"]) {
            None => error_body(51_068_401),
            Some(rec) => {
                let faulty = rec
                    .fault
                    .filter(|_| rec.fail_times.is_none_or(|n| hits <= n));
                if let Some(fault) = faulty {
                    match fault_action(fault) {
                        Some(action) => return Reply { action, delay },
                        None if fault == Fault::Slow => {
                            delay += Duration::from_millis(rec.delay_ms)
                        }
                        None => wrapping = Some(fault),
                    }
                }
                if let Outcome::Raw(raw) = &rec.outcome {
                    let answer = respond(200, "application/json", raw.as_bytes());
                    return Reply {
                        action: wrapping.map_or(answer.clone(), |f| wrap(f, answer, pause(rec))),
                        delay,
                    };
                }
                pause_of = pause(rec);
                record_body(rec, &q)
            }
        }
    };
    let json = Value::Object(body).to_string();
    let action = if q.get("type").map(String::as_str) == Some("jsonp") {
        let cb = q
            .get("callback")
            .filter(|c| {
                !c.is_empty()
                    && c.len() <= 64
                    && c.chars()
                        .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '$' | '.'))
            })
            .map_or("callback", String::as_str);
        respond(200, "application/javascript", format!("{cb}({json});"))
    } else {
        respond(200, "application/json", json)
    };
    let action = match wrapping {
        Some(f) => wrap(f, action, pause_of),
        None => action,
    };
    Reply { action, delay }
}

fn sign_ok(got: &str, expected_lower: &str, rule: SignRule) -> bool {
    match rule {
        SignRule::Lower => got == expected_lower,
        SignRule::Upper => got == expected_lower.to_ascii_uppercase(),
        SignRule::Either => got.eq_ignore_ascii_case(expected_lower),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings {
            appid: "wx1".into(),
            src: "s".into(),
            key: "k".into(),
            sign_rule: SignRule::Lower,
            allow_ips: None,
            latency: Duration::ZERO,
        }
    }

    fn query(openid: &str, name: &str, creid: &str, upper: bool) -> String {
        let mut q = HashMap::new();
        for (k, v) in [
            ("appid", "wx1"),
            ("openid", openid),
            ("src", "s"),
            ("truename", name),
            ("creid", creid),
            ("cretype", "1"),
        ] {
            q.insert(k.to_string(), v.to_string());
        }
        let mut sign = expected_sign(&q, "k");
        if upper {
            sign = sign.to_ascii_uppercase();
        }
        let enc = |s: &str| {
            percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
        };
        format!(
            "appid=wx1&openid={}&src=s&truename={}&creid={}&cretype=1&sign={sign}&type=json",
            enc(openid),
            enc(name),
            enc(creid)
        )
    }

    fn body(s: &Settings, q: &str) -> String {
        let req = Request {
            method: "GET",
            path: PATH,
            query: q,
            peer: [127, 0, 0, 1].into(),
        };
        let r = decide(s, &Fixtures::builtin(), req, |_| 1);
        match r.action {
            Action::Respond { body, .. } => String::from_utf8(body).unwrap(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn status_one_compares_name_and_id() {
        let s = settings();
        let a = body(&s, &query("oZhangSan", "张三", "110101199003074477", false));
        assert_eq!(
            a,
            r#"{"error_code":0,"name_mask":"*三","nameauth_status":"1","notmatch_param":""}"#
        );
        let d = body(&s, &query("oZhangSan", "李四", "110101199003074478", false));
        assert!(d.contains(r#""notmatch_param":"1%7C2""#), "{d}");
    }

    #[test]
    fn checks_come_in_the_documented_order() {
        let mut s = settings();
        assert!(body(&s, "appid=wx1&openid=o").contains("1000"));
        let q = query("oZhangSan", "张三", "110101199003074477", false);
        assert!(body(&s, &q.replace("src=s", "src=t")).contains("1001"));
        assert!(body(&s, &q.replace("appid=wx1", "appid=wx2")).contains("1001"));
        let upper = query("oZhangSan", "张三", "110101199003074477", true);
        assert!(body(&s, &upper).contains("1002"));
        s.sign_rule = SignRule::Either;
        assert!(!body(&s, &upper).contains("1002"));
        s.sign_rule = SignRule::Upper;
        assert!(body(&s, &q).contains("1002"));
        s.sign_rule = SignRule::Lower;
        s.allow_ips = Some(vec!["10.0.0.1".parse().unwrap()]);
        assert!(body(&s, &q).contains("1007"));
    }

    #[test]
    fn jsonp_wraps_the_answer() {
        let q = query("oPoliceOnly", "张三", "110101199003074477", false)
            .replace("type=json", "type=jsonp&callback=cb_1");
        let b = body(&settings(), &q);
        assert!(b.starts_with("cb_1({") && b.ends_with("});"), "{b}");
    }

    #[test]
    fn plus_decodes_to_space() {
        assert_eq!(parse_query("a=x+y%20z")["a"], "x y z");
    }
}
