//! Issue 17 item 20: the pool lets an idle connection go before the server does
//! (`idle_timeout_ms`, default 7 s under WeChat Pay's 8 s), against the sandbox's
//! `idle_close` fault (a server that closes idle keep-alive connections).

use std::time::Duration;

use nameauth::{Client, ErrorKind};
use nameauth_sandbox::{Sandbox, APPID, KEY, SRC};

mod sandbox_client;
use sandbox_client::{builder, client, wait_for, ZS_ID};

fn verify(c: &Client) {
    let v = c.verify("oZhangSan", "张三", ZS_ID).expect("a verdict");
    assert!(v.passed());
}

/// A sandbox that closes a keep-alive connection idle for `idle`.
fn closing_idle_connections_after(idle: Duration) -> Sandbox {
    Sandbox::builder()
        .idle_close(idle)
        .start()
        .expect("sandbox starts")
}

#[test]
fn a_verify_after_the_server_closed_the_idle_connection_succeeds_and_is_sent_once() {
    let sb = closing_idle_connections_after(Duration::from_millis(200));
    // The default idle timeout (7 s) is longer than this server's 200 ms.
    let client = client(&sb);
    for round in 1..=3 {
        verify(&client);
        wait_for("the server's idle close", || sb.idle_closed() == round);
        // Let the FIN reach the client's socket.
        std::thread::sleep(Duration::from_millis(100));
    }
    verify(&client);
    let stats = sb.stats();
    assert_eq!(stats.requests, 4, "no request was sent twice");
    assert_eq!(stats.connections, 4, "no closed connection was reused");
    assert_eq!(client.stats().retries, 0);
}

#[test]
fn with_the_idle_timeout_below_the_servers_the_client_closes_first() {
    let sb = closing_idle_connections_after(Duration::from_millis(3000));
    let client = builder(&sb)
        .idle_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    verify(&client);
    // Well past both idle timeouts: the client let go first, so the server never had
    // an idle connection of this client to close, and no request can meet one it
    // closed.
    std::thread::sleep(Duration::from_millis(4000));
    assert_eq!(
        sb.idle_closed(),
        0,
        "the server closed an idle connection first"
    );
    verify(&client);
    assert_eq!(sb.stats().requests, 2);
    assert_eq!(sb.stats().connections, 2);
    assert_eq!(sb.idle_closed(), 0);
}

#[test]
fn idle_timeout_ms_is_an_option_with_limits() {
    assert!(nameauth::DEFAULT_IDLE_TIMEOUT < Duration::from_secs(8));
    assert!(nameauth::OPTION_NAMES.contains(&"idle_timeout_ms"));
    let b = || Client::builder(APPID, SRC, KEY).endpoint("http://127.0.0.1:9/x");
    assert!(b()
        .option("idle_timeout_ms", "7000")
        .unwrap()
        .build()
        .is_ok());
    assert!(b().options("idle_timeout_ms=1").unwrap().build().is_ok());
    for bad in ["0", "600001", "-1", "7s", ""] {
        let e = b().option("idle_timeout_ms", bad).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidConfig, "{bad}");
        assert_eq!(e.field(), Some("idle_timeout_ms"), "{bad}");
        assert!(!e.to_string().contains(&format!("\"{bad}\"")));
    }
    let e = b()
        .idle_timeout(Duration::from_secs(601))
        .build()
        .unwrap_err();
    assert_eq!(e.field(), Some("idle_timeout_ms"));
}

thread_local! {
    /// The start of the ureq log line at which [`PauseAtLine`] pauses this thread, and
    /// for how long.
    static PAUSE_AT: std::cell::Cell<Option<(&'static str, Duration)>> =
        const { std::cell::Cell::new(None) };
}

/// Pauses the calling thread when ureq logs the line this thread chose: a moment in the
/// middle of a call when the connection does no I/O (a logger runs on the calling thread).
struct PauseAtLine;

impl log::Log for PauseAtLine {
    fn enabled(&self, m: &log::Metadata<'_>) -> bool {
        m.target().starts_with("ureq")
    }
    fn log(&self, r: &log::Record<'_>) {
        if let Some((start, pause)) = PAUSE_AT.get() {
            if r.target().starts_with("ureq") && r.args().to_string().starts_with(start) {
                std::thread::sleep(pause);
            }
        }
    }
    fn flush(&self) {}
}

/// Makes ureq's line starting with `start` pause this thread for `pause`.
fn pause_at(start: &'static str, pause: Duration) {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        log::set_logger(&PauseAtLine).expect("the only logger of this test binary");
        log::set_max_level(log::LevelFilter::Debug);
    });
    PAUSE_AT.set(Some((start, pause)));
}

/// A connection being opened is not idle: with a 1 ms idle timeout and a 100 ms pause
/// between the TLS handshake and the request (forced through ureq's log line), the
/// reaper used to close it there, and the call failed with "idle connection closed".
#[test]
fn a_connection_is_never_reaped_between_its_handshake_and_its_first_request() {
    pause_at("Wrapped TLS", Duration::from_millis(100));
    let sb = Sandbox::builder().tls(true).start().unwrap();
    let c = builder(&sb)
        .idle_timeout(Duration::from_millis(1))
        .build()
        .unwrap();
    for _ in 0..3 {
        let v = c
            .verify("oZhangSan", "张三", ZS_ID)
            .expect("a verdict on a new connection");
        assert_eq!(v.code().as_str(), "A");
        // Long enough for the reaper to close the idle one: the next call opens anew.
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(sb.stats().requests, 3);
}

/// A pooled connection the reaper closes after ureq took it from the pool and before the
/// request's first byte (a 300 ms pause there, forced through ureq's "Use pooled" line,
/// against a 100 ms idle timeout): nothing was sent, so the attempt is retried on a new
/// connection and the call gets its verdict, each request sent once. It used to fail
/// with "idle connection closed", counted as written.
#[test]
fn a_pooled_connection_closed_before_its_request_is_retried_unsent() {
    for tls in [false, true] {
        let sb = Sandbox::builder().tls(tls).start().unwrap();
        let c = builder(&sb)
            .idle_timeout(Duration::from_millis(100))
            .build()
            .unwrap();
        verify(&c);
        pause_at("Use pooled", Duration::from_millis(300));
        let v = c.verify("oZhangSan", "张三", ZS_ID);
        PAUSE_AT.set(None);
        assert_eq!(v.expect("a verdict").code().as_str(), "A", "tls={tls}");
        assert_eq!(sb.stats().requests, 2, "tls={tls}: each request sent once");
        assert_eq!(sb.stats().connections, 2, "tls={tls}");
    }
}
