//! docs/SPEC.md §6: the HTTP stack's own log never carries the request line (name, ID
//! number, sign). ureq writes it at Trace level; with a logger that records ureq at Trace
//! nothing is sent, and at every lower level nothing personal is logged. Its own binary,
//! because a process has one logger.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use log::{Level, LevelFilter, Log, Metadata, Record};
use nameauth::{Client, ErrorKind};
use nameauth_sandbox::{Sandbox, APPID, KEY, SRC};

/// Records every line at or above the level in `LEVEL` (1 Error ... 5 Trace).
struct Capture;

static LEVEL: AtomicUsize = AtomicUsize::new(5);
static LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());

impl Log for Capture {
    fn enabled(&self, m: &Metadata<'_>) -> bool {
        (m.level() as usize) <= LEVEL.load(Ordering::Relaxed)
    }

    fn log(&self, r: &Record<'_>) {
        if self.enabled(r.metadata()) {
            let line = format!("{} {} {}", r.level(), r.target(), r.args());
            LINES.lock().unwrap().push(line);
        }
    }

    fn flush(&self) {}
}

#[test]
fn the_request_line_never_reaches_a_log() {
    log::set_logger(&Capture).unwrap();
    log::set_max_level(LevelFilter::Trace);
    let sb = Sandbox::builder().start().unwrap();
    let client = Client::builder(APPID, SRC, KEY)
        .endpoint(sb.endpoint())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let id = "110101199003074477";

    // At Trace, ureq would log the query: nothing is sent.
    let e = client.verify("oZhangSan", "张三", id).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidConfig, "{e}");
    assert_eq!(e.field(), Some("logging"));
    assert_eq!(sb.stats().requests, 0);

    // At Debug and below, verifies work and nothing personal is logged.
    for level in [Level::Debug, Level::Info, Level::Warn] {
        LEVEL.store(level as usize, Ordering::Relaxed);
        let v = client.verify("oZhangSan", "张三", id).unwrap();
        assert!(v.passed());
    }
    let lines = LINES.lock().unwrap();
    assert!(
        lines.iter().any(|l| l.contains("ureq")),
        "ureq logged nothing at Debug: this test would prove nothing"
    );
    // The library's own event, once per call while the logger takes Info (Trace, Debug,
    // Info), masked; the refused first call's too.
    let events: Vec<_> = lines
        .iter()
        .filter(|l| l.starts_with("INFO nameauth verify "))
        .collect();
    assert_eq!(events.len(), 3, "{lines:?}");
    assert!(events[0].contains("outcome=invalid_config"), "{events:?}");
    assert!(
        events[1].contains("openid=oZh****an truename=*三 creid=110*************77 outcome=A"),
        "{events:?}"
    );
    let sign_shape = |l: &str| l.contains("sign=");
    for l in lines.iter() {
        assert!(
            !l.contains(id) && !l.contains("张三") && !l.contains("%E5%BC%A0") && !sign_shape(l),
            "personal data in a log line: {l}"
        );
        assert!(!l.contains(KEY), "{l}");
    }
}
