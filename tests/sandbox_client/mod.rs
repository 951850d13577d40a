//! What the integration tests against the sandbox share: a client built for a running
//! sandbox (its endpoint, a 5 s timeout, its CA when it speaks TLS), a sandbox started
//! with one fixture, the ID number on file for oZhangSan, and a bounded wait. Each test
//! binary `mod`s this file and uses the part it needs, hence the `dead_code` allowance.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use nameauth::{Client, ClientBuilder, Verdict};
use nameauth_sandbox::{Sandbox, APPID, KEY, SRC};

/// On file for oZhangSan (张三).
pub const ZS_ID: &str = "110101199003074477";

/// A builder for the sandbox: its endpoint, a 5 s timeout, and its CA when it has one.
pub fn builder(sb: &Sandbox) -> ClientBuilder {
    let b = Client::builder(APPID, SRC, KEY)
        .endpoint(sb.endpoint())
        .timeout(Duration::from_secs(5));
    match sb.ca_pem() {
        Some(pem) => b.ca_pem(pem),
        None => b,
    }
}

/// [`builder`], built.
pub fn client(sb: &Sandbox) -> Client {
    builder(sb).build().expect("client builds")
}

/// [`builder`] with another timeout, built.
pub fn client_with_timeout(sb: &Sandbox, timeout: Duration) -> Client {
    builder(sb).timeout(timeout).build().expect("client builds")
}

/// `c`'s verdict for oZhangSan (张三, [`ZS_ID`]): a pass where the sandbox lets it.
pub fn verify_zhang_san(c: &Client) -> Verdict {
    c.verify("oZhangSan", "张三", ZS_ID)
        .expect("a verdict for oZhangSan")
}

/// A plain sandbox that answers `openid` with `fixture` (a JSON fixture, see
/// crates/sandbox).
pub fn sandbox_with(openid: &str, fixture: &str) -> Sandbox {
    let sb = Sandbox::builder().start().expect("sandbox starts");
    sb.add_fixture(openid, fixture).expect("fixture is valid");
    sb
}

/// A plain sandbox whose every answer waits `latency`.
pub fn sandbox_with_latency(latency: Duration) -> Sandbox {
    Sandbox::builder()
        .latency(latency)
        .start()
        .expect("sandbox starts")
}

/// Waits until `done` holds. Bounded (30 s), so a broken client fails the test instead
/// of hanging it.
pub fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let end = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < end, "waited 30 s for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}
