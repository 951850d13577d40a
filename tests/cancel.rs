//! Issue 17 item 4 and issue 19: a call cancelled before its request is written is never
//! written (src/cancel.rs), and the caller's deadline bounds the call with the timeout.
//! Against the real sandbox over loopback; every order of events is forced through the
//! sandbox's request counters or through the HTTP stack's own log lines (a logger runs on
//! the calling thread, in the middle of the call: between the transport's last early
//! check and the write, or between a 503 and the retry's backoff), never by sleeps racing
//! each other.

use std::cell::RefCell;
use std::sync::Once;
use std::thread;
use std::time::{Duration, Instant};

use nameauth::{
    CallOptions, CancelToken, Client, Error, ErrorKind, Report, Verdict, CANCELLED_MESSAGE,
};
use nameauth_sandbox::Sandbox;

mod sandbox_client;
use sandbox_client::{builder, sandbox_with, wait_for, ZS_ID};

/// A first attempt that meets a 503, then the fixture's verdict (E).
const ONE_503: &str = r#"{"fault": "http_503", "fail_times": 1, "status": 2}"#;

/// An answer (E) after `ms` milliseconds.
fn slow(ms: u32) -> String {
    format!(r#"{{"fault": "slow", "delay_ms": {ms}, "status": 2}}"#)
}

fn client(sb: &Sandbox, timeout: Duration, retries: u32) -> Client {
    builder(sb)
        .timeout(timeout)
        .retries(retries)
        .build()
        .expect("client builds")
}

fn cancelled() -> (CancelToken, CallOptions) {
    let token = CancelToken::new();
    let options = CallOptions::new().with_cancel(token.clone());
    (token, options)
}

thread_local! {
    /// The token the test logger cancels, on this thread, when ureq logs the `n`th line
    /// starting with the given text.
    static CANCEL_AT_LINE: RefCell<Option<(CancelToken, &'static str, u32)>> =
        const { RefCell::new(None) };
}

/// ureq's line for a request, logged after the transport's early checks and before it
/// connects and writes: the hostile moment for the write point.
const REQUEST_LINE: &str = "GET ";
/// ureq's line for a response head, logged before the transport decides on a retry.
const RESPONSE_LINE: &str = "Response {";

/// Cancels the armed token when ureq logs a chosen line on the thread of the call (a
/// logger runs on the calling thread, in the middle of the call). Debug only: at Trace
/// the transport refuses to send at all.
struct CancelAtLine;

impl log::Log for CancelAtLine {
    fn enabled(&self, m: &log::Metadata<'_>) -> bool {
        m.level() <= log::Level::Debug
    }

    fn log(&self, r: &log::Record<'_>) {
        if r.target() != "ureq::run" {
            return;
        }
        CANCEL_AT_LINE.with(|c| {
            let mut c = c.borrow_mut();
            if let Some((token, start, left)) = c.as_mut() {
                if !r.args().to_string().starts_with(*start) {
                    return;
                }
                *left -= 1;
                if *left == 0 {
                    token.cancel();
                    *c = None;
                }
            }
        });
    }

    fn flush(&self) {}
}

static LOGGER: CancelAtLine = CancelAtLine;
static INSTALL: Once = Once::new();

/// Cancels `token` when ureq logs the `nth` line starting with `start` on this thread.
fn cancel_at_line(token: &CancelToken, start: &'static str, nth: u32) {
    INSTALL.call_once(|| {
        log::set_logger(&LOGGER).expect("no other logger in this test binary");
        log::set_max_level(log::LevelFilter::Debug);
    });
    CANCEL_AT_LINE.with(|c| *c.borrow_mut() = Some((token.clone(), start, nth)));
}

#[test]
fn a_call_cancelled_before_it_starts_sends_nothing() {
    let sb = Sandbox::builder().start().unwrap();
    let c = client(&sb, Duration::from_secs(5), 2);
    let (token, options) = cancelled();
    token.cancel();
    let (r, report) = c.verify_with("oZhangSan", "张三", ZS_ID, "1", &options);
    let e = r.expect_err("a cancelled call has no verdict");
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert_eq!(e.kind().as_str(), "cancelled");
    assert_eq!(e.message(), CANCELLED_MESSAGE);
    assert_eq!(report.attempts, 0);
    assert_eq!(sb.stats().requests, 0, "nothing reached the server");
    let s = c.stats();
    assert_eq!(s.calls, 1);
    assert_eq!(s.requests, 0);
    assert_eq!(s.error_count(ErrorKind::Cancelled), 1);
    assert_eq!(
        s.errors.iter().sum::<u64>(),
        1,
        "one error, of kind cancelled"
    );
    assert_eq!(s.latency_p50, Duration::ZERO, "no request, no latency");
}

/// The point itself: the token is cancelled after every early check, on a fresh
/// connection and on a pooled one; the write is refused either way.
#[test]
fn a_call_cancelled_just_before_the_write_is_never_written() {
    let sb = Sandbox::builder().start().unwrap();
    let c = client(&sb, Duration::from_secs(5), 2);
    for pooled in [false, true] {
        let before = sb.stats().requests;
        let (token, options) = cancelled();
        cancel_at_line(&token, REQUEST_LINE, 1);
        let (r, report) = c.verify_with("oZhangSan", "张三", ZS_ID, "1", &options);
        assert!(token.is_cancelled(), "the logger saw the request line");
        let e = r.expect_err("cancelled before the write");
        assert_eq!(e.kind(), ErrorKind::Cancelled, "pooled {pooled}: {e}");
        assert_eq!(e.message(), CANCELLED_MESSAGE);
        assert_eq!(
            report.attempts, 1,
            "the attempt began, and stopped at the write"
        );
        assert_eq!(
            sb.stats().requests,
            before,
            "pooled {pooled}: nothing was sent"
        );
        // A call with no token opens (or reuses) the connection for the next round.
        let v = c
            .verify("oZhangSan", "张三", ZS_ID)
            .expect("a plain call works");
        assert_eq!(v.code().as_str(), "A");
        assert_eq!(sb.stats().requests, before + 1);
    }
    assert_eq!(c.stats().error_count(ErrorKind::Cancelled), 2);
}

/// A call for `openid`, whose first attempt meets a 503, by a client with one retry and a
/// `timeout_s` timeout, with a token cancelled at the `nth` ureq line starting with `line`:
/// the sandbox, the client, the token and what the call returned.
fn one_503_cancelled_at(
    openid: &str,
    timeout_s: u64,
    line: &'static str,
    nth: u32,
) -> (
    Sandbox,
    Client,
    CancelToken,
    (Result<Verdict, Error>, Report),
) {
    let sb = sandbox_with(openid, ONE_503);
    let c = client(&sb, Duration::from_secs(timeout_s), 1);
    let (token, options) = cancelled();
    cancel_at_line(&token, line, nth);
    let call = c.verify_with(openid, "张三", ZS_ID, "1", &options);
    (sb, c, token, call)
}

/// The call (`why` it has no verdict) was cancelled before attempt 2 was sent, after
/// `attempts` attempts.
fn assert_retry_cancelled(r: Result<Verdict, Error>, why: &str, report: &Report, attempts: u32) {
    let e = r.expect_err(why);
    assert_eq!(e.kind(), ErrorKind::Cancelled, "{e}");
    assert!(e.message().contains("before attempt 2 was sent"), "{e}");
    assert_eq!(report.attempts, attempts);
}

/// A retry is a new write: cancelled before it, it is never sent, even though the first
/// attempt was.
#[test]
fn a_retry_cancelled_before_its_write_is_never_sent() {
    let (sb, c, _, (r, report)) = one_503_cancelled_at("oRetry", 5, REQUEST_LINE, 2);
    assert_retry_cancelled(r, "the retry was cancelled", &report, 2);
    assert_eq!(
        sb.hits("oRetry"),
        1,
        "the second attempt never reached the server"
    );
    // Without a token the same fixture recovers on the retry: the test above could fail.
    sb.add_fixture("oRetry", ONE_503).unwrap();
    let v = c
        .verify("oRetry", "张三", ZS_ID)
        .expect("the retry succeeds");
    assert_eq!(v.code().as_str(), "E");
    assert_eq!(sb.hits("oRetry"), 2);
}

/// Cancelled once the first attempt's 503 arrived, before the backoff that precedes the
/// retry: the call stops there and the retry is never sent.
#[test]
fn a_call_cancelled_before_its_backoff_sends_no_retry() {
    let (sb, c, token, (r, report)) = one_503_cancelled_at("oBackoff", 20, RESPONSE_LINE, 1);
    assert!(token.is_cancelled(), "the logger saw the 503's head");
    assert_retry_cancelled(r, "cancelled before the retry", &report, 1);
    assert_eq!(sb.hits("oBackoff"), 1, "no second attempt");
    assert_eq!(c.stats().retries, 0);
}

/// Once a byte was written the server may be running the check: cancelling changes
/// nothing, and the answer is returned.
#[test]
fn a_call_cancelled_after_its_request_was_written_returns_the_verdict() {
    let sb = sandbox_with("oSlowCancel", &slow(1500));
    let c = client(&sb, Duration::from_secs(20), 2);
    let (token, options) = cancelled();
    let call = {
        let c = c.clone();
        thread::spawn(move || c.verify_with("oSlowCancel", "张三", ZS_ID, "1", &options))
    };
    wait_for("the request for oSlowCancel", || {
        sb.hits("oSlowCancel") >= 1
    });
    token.cancel();
    // What a front end that gives up reads: the request was written, so it waits for
    // the answer, which is never lost.
    assert!(token.reached_the_write());
    let (r, _) = call.join().expect("no panic");
    let v = r.expect("the server's answer is returned");
    assert_eq!(v.code().as_str(), "E");
    assert_eq!(sb.hits("oSlowCancel"), 1);
    assert_eq!(c.stats().error_count(ErrorKind::Cancelled), 0);
}

/// A call for `openid`, answered after 8 s, by a client with a `timeout_ms` timeout and a
/// caller's deadline `deadline_ms` from now: it ends as a timeout, well before the answer
/// (the bound under test: far below the answer's 8 s), after one request (a timeout is
/// never retried). Returns the error, whose message says which bound ended the call.
fn slow_call(openid: &str, timeout_ms: u64, deadline_ms: u64) -> Error {
    let sb = sandbox_with(openid, &slow(8000));
    let c = client(&sb, Duration::from_millis(timeout_ms), 2);
    let start = Instant::now();
    let options = CallOptions::new().with_deadline(start + Duration::from_millis(deadline_ms));
    let (r, _) = c.verify_with(openid, "张三", ZS_ID, "1", &options);
    let took = start.elapsed();
    let e = r.expect_err("no answer before the first bound");
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert!(took < Duration::from_secs(6), "took {took:?}");
    assert_eq!(sb.hits(openid), 1, "a timeout is never retried");
    e
}

#[test]
fn the_callers_deadline_ends_the_call_when_it_comes_before_the_timeout() {
    let e = slow_call("oSlowDeadline", 30_000, 300);
    assert!(e.message().contains("caller's deadline"), "{e}");
}

#[test]
fn the_timeout_ends_the_call_when_it_comes_before_the_callers_deadline() {
    let e = slow_call("oSlowTimeout", 300, 60_000);
    assert!(e.message().contains("300 ms timeout"), "{e}");
    assert!(!e.message().contains("deadline"), "{e}");
}

#[test]
fn default_options_and_an_unused_token_change_nothing() {
    let sb = Sandbox::builder().start().unwrap();
    let c = client(&sb, Duration::from_secs(5), 2);
    let (token, options) = cancelled();
    let (r, _) = c.verify_with("oZhangSan", "张三", ZS_ID, "1", &options);
    assert_eq!(r.expect("verdict").code().as_str(), "A");
    // Cancelling after the call ended does nothing to it, and the next call with the
    // token stops.
    token.cancel();
    let (r, _) = c.verify_with("oZhangSan", "张三", ZS_ID, "1", &options);
    assert_eq!(r.unwrap_err().kind(), ErrorKind::Cancelled);
    let (r, _) = c.verify_with("oZhangSan", "张三", ZS_ID, "1", &CallOptions::default());
    assert_eq!(r.expect("verdict").code().as_str(), "A");
    assert_eq!(sb.stats().requests, 2);
}

/// A builder with the sandbox's credentials and no endpoint yet.
fn sandbox_credentials() -> nameauth::ClientBuilder {
    Client::builder(
        nameauth_sandbox::APPID,
        nameauth_sandbox::SRC,
        nameauth_sandbox::KEY,
    )
}

/// A listener that accepts connections and never says a word: a TLS server whose
/// handshake never comes, or a proxy that never answers CONNECT.
fn silent_peer() -> (std::net::TcpListener, String) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let addr = listener.local_addr().unwrap().to_string();
    (listener, addr)
}

/// Runs a call with a token on another thread, cancels the token once `cancel_when`
/// returns, and gives the call's error and how long the call took. The client's connect
/// timeout and timeout are a minute or more, so a call that ignored the token would
/// end as a timeout after a minute instead of `cancelled` at once.
fn cancelled_while_unwritten(
    builder: nameauth::ClientBuilder,
    cancel_when: impl FnOnce(),
) -> (Error, Duration) {
    let c = builder
        .connect_timeout(Duration::from_secs(60))
        .timeout(Duration::from_secs(90))
        .retries(0)
        .build()
        .expect("client builds");
    let (token, options) = cancelled();
    let call = thread::spawn(move || {
        let started = Instant::now();
        let (r, _) = c.verify_with("oZhangSan", "张三", ZS_ID, "1", &options);
        (r.expect_err("no verdict"), started.elapsed())
    });
    cancel_when();
    token.cancel();
    let ended = call.join().expect("the call returns");
    // What a front end that gives up reads: nothing will be written, so it need not
    // wait for an answer.
    assert!(!token.reached_the_write(), "{}", ended.0);
    ended
}

fn assert_cancelled_at_once(e: &Error, took: Duration, waiting_for: &str) {
    assert_eq!(e.kind(), ErrorKind::Cancelled, "{waiting_for}: {e}");
    assert_eq!(e.message(), CANCELLED_MESSAGE);
    // Generous: the call ignoring the token would take the 60 s connect timeout.
    assert!(
        took < Duration::from_secs(30),
        "{waiting_for}: the cancel was seen only after {took:?}"
    );
}

/// A call to a peer that accepts the connection and never says a word (`builder` gets
/// its address), cancelled once it is connected: `cancelled` at once.
fn cancelled_while_a_silent_peer_waits(
    builder: impl FnOnce(&str) -> nameauth::ClientBuilder,
    waiting_for: &str,
) {
    let (listener, addr) = silent_peer();
    let mut held = None;
    let (e, took) = cancelled_while_unwritten(builder(&addr), || {
        held = Some(listener.accept().expect("the call connects"));
    });
    assert_cancelled_at_once(&e, took, waiting_for);
}

/// A TLS server that accepts and never answers the handshake: nothing of the request was
/// written, so a cancel ends the wait and the call is `cancelled`, not a timeout a
/// minute later (the Go binding's report: cancelling during a connection was ignored).
#[test]
fn a_call_cancelled_while_the_tls_handshake_hangs_ends_cancelled() {
    cancelled_while_a_silent_peer_waits(
        |addr| sandbox_credentials().endpoint(format!("https://{addr}/nameauth")),
        "the TLS handshake",
    );
}

/// The same with a proxy that accepts and never answers CONNECT.
#[test]
fn a_call_cancelled_while_the_proxy_never_answers_connect_ends_cancelled() {
    cancelled_while_a_silent_peer_waits(
        |addr| {
            sandbox_credentials()
                .endpoint("https://api.mch.weixin.qq.com/cgi-bin/nameauth/nameautheasy")
                .proxy(format!("http://{addr}"))
        },
        "the proxy's answer to CONNECT",
    );
}

/// A connect that hangs (the SYN dropped): cancelled during the connect, or, if the
/// cancel comes first, before it; `cancelled` either way, never the connect timeout.
#[test]
fn a_call_cancelled_while_its_connect_hangs_ends_cancelled() {
    let bh = nameauth_sandbox::Blackhole::bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let b = sandbox_credentials().endpoint(format!("http://{}/nameauth", bh.addr()));
    let (e, took) = cancelled_while_unwritten(b, || thread::sleep(Duration::from_millis(300)));
    assert_cancelled_at_once(&e, took, "the connect");
}
