//! The client against the real sandbox over loopback: HTTPS and its certificates,
//! retries, keep-alive, threads, masking of every personal field, and requests that must
//! never leave the process. (The conformance table's verdict rows and error cases:
//! tests/conformance.rs.)

use std::sync::Arc;
use std::time::{Duration, Instant};

use nameauth::error::SENT_NOTE;
use nameauth::{Client, ClientBuilder, ErrorKind, SignCase};
use nameauth_sandbox::{Builder as SandboxBuilder, Sandbox, SignRule, APPID, KEY, SRC};

mod sandbox_client;
use sandbox_client::{
    builder, client, client_with_timeout, sandbox_with_latency, verify_zhang_san, ZS_ID,
};

#[test]
fn https_to_an_untrusted_certificate_is_a_transport_error_not_retried() {
    let sb = Sandbox::builder().tls(true).start().unwrap();
    let c = Client::builder(APPID, SRC, KEY)
        .endpoint(sb.endpoint())
        .build()
        .unwrap();
    let e = c.verify("oZhangSan", "张三", ZS_ID).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
    assert!(e.to_string().contains("TLS"), "{e}");
    assert_eq!(
        sb.stats().connections,
        1,
        "a certificate failure is not retried"
    );
    assert_eq!(sb.stats().requests, 0);
}

#[test]
fn https_checks_the_host_name() {
    // The certificate names localhost, 127.0.0.1 and ::1; Linux serves all of 127/8.
    let sb = Sandbox::builder()
        .tls(true)
        .listen("127.0.0.2:0".parse().unwrap())
        .start()
        .unwrap();
    assert!(sb.endpoint().starts_with("https://127.0.0.2:"));
    let e = client(&sb).verify("oZhangSan", "张三", ZS_ID).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
    assert!(e.to_string().contains("TLS failure"), "{e}");
    assert!(e.to_string().contains("not valid for name"), "{e}");
    assert_eq!(sb.stats().requests, 0);
}

/// A client of `sb` with `timeout` gets a timeout, not a verdict, for `openid`.
fn assert_times_out(sb: &Sandbox, timeout: Duration, openid: &str) {
    let c = client_with_timeout(sb, timeout);
    let e = c.verify(openid, "张三", ZS_ID).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
}

#[test]
fn a_trickled_answer_is_read_whole_and_sent_once() {
    let sb = Sandbox::builder().start().unwrap();
    let v = client(&sb).verify("oTrickle", "张三", ZS_ID).unwrap();
    assert_eq!((v.code().as_str(), v.reason().id()), ("F", "not_realname"));
    assert_eq!(sb.hits("oTrickle"), 1);
    // Cut short by the timeout, it is a timeout, and still never sent again.
    assert_times_out(&sb, Duration::from_millis(200), "oTrickle");
    assert_eq!(sb.hits("oTrickle"), 2);
}

#[test]
fn an_answer_after_the_deadline_is_a_timeout_not_a_verdict() {
    let sb = sandbox_with_latency(Duration::from_millis(700));
    let e = client_with_timeout(&sb, Duration::from_millis(650))
        .verify("oZhangSan", "张三", ZS_ID)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    // The request was out when the time ran out: the message says the server may have
    // run the check.
    assert!(e.message().ends_with(SENT_NOTE), "{e}");
    assert_eq!(sb.hits("oZhangSan"), 1);
}

#[test]
fn retries_recover_from_a_passing_503() {
    let sb = Sandbox::builder().start().unwrap();
    let v = client(&sb).verify("oFlaky503", "张三", ZS_ID).unwrap();
    assert_eq!(v.code().as_str(), "E");
    assert_eq!(sb.hits("oFlaky503"), 3);
}

#[test]
fn no_retries_when_configured_so() {
    let sb = Sandbox::builder().start().unwrap();
    let c = builder(&sb).retries(0).build().unwrap();
    let e = c.verify("oFlaky503", "张三", ZS_ID).unwrap_err();
    assert_eq!(e.http_status(), Some(503));
    assert_eq!(sb.hits("oFlaky503"), 1);
}

#[test]
fn connection_refused_is_a_transport_error_after_bounded_retries() {
    // Bind and drop to get a port that nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let c = Client::builder(APPID, SRC, KEY)
        .endpoint(format!(
            "http://127.0.0.1:{port}/cgi-bin/nameauth/nameautheasy"
        ))
        .timeout(Duration::from_secs(3))
        .build()
        .unwrap();
    let started = Instant::now();
    let e = c.verify("oZhangSan", "张三", ZS_ID).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
    assert!(e.to_string().contains("connection refused"), "{e}");
    assert!(!e.message().ends_with(SENT_NOTE), "nothing was sent: {e}");
    // Two retries with backoff of at least 50 ms and 100 ms happened.
    assert!(started.elapsed() >= Duration::from_millis(150));
}

/// A fresh sandbox, over HTTP or HTTPS, and one client of it that verified `openid` (on
/// file for 张三) `n` times, each a pass.
fn passed_n_times(tls: bool, openid: &str, n: usize) -> (Sandbox, Client) {
    let sb = Sandbox::builder().tls(tls).start().unwrap();
    let c = client(&sb);
    for _ in 0..n {
        assert!(c.verify(openid, "张三", ZS_ID).unwrap().passed());
    }
    (sb, c)
}

#[test]
fn a_server_that_closes_each_connection_gets_each_request_once_on_a_new_one() {
    for tls in [false, true] {
        let (sb, c) = passed_n_times(tls, "oClose", 10);
        // The closed connection is never reused, so nothing needed a retry: each check
        // reached the server once.
        assert_eq!(sb.hits("oClose"), 10, "tls={tls}");
        assert_eq!(sb.stats().connections, 10, "tls={tls}");
        let s = c.stats();
        assert_eq!((s.requests, s.retries, s.connections_opened), (10, 0, 10));
    }
}

#[test]
fn the_longest_inputs_the_rules_allow_fit_the_request_buffer() {
    // 128 openid characters and 64 four-byte name characters (each %XX%XX%XX%XX in the
    // query): the longest request head a verify can send.
    let sb = Sandbox::builder().start().unwrap();
    let c = client(&sb);
    let openid = "o".repeat(128);
    let name = "\u{20000}".repeat(64);
    let v = c.verify(&openid, &name, ZS_ID).unwrap();
    assert_eq!(v.code(), nameauth::Code::F, "{v:?}");
    assert_eq!(sb.hits(&openid), 1);
}

#[test]
fn sequential_verifies_reuse_one_connection() {
    for tls in [false, true] {
        let (sb, _) = passed_n_times(tls, "oZhangSan", 20);
        assert_eq!(sb.stats().requests, 20);
        assert_eq!(sb.stats().connections, 1, "tls={tls}: keep-alive not used");
    }
}

#[test]
fn threads_share_one_client() {
    let sb = Sandbox::builder().start().unwrap();
    let c = Arc::new(client(&sb));
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let c = Arc::clone(&c);
            std::thread::spawn(move || {
                for i in 0..50 {
                    let (name, code) = if (t + i) % 2 == 0 {
                        ("张三", "A")
                    } else {
                        ("李四", "B")
                    };
                    let v = c.verify("oZhangSan", name, ZS_ID).unwrap();
                    assert_eq!(v.code().as_str(), code);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(sb.stats().requests, 400);
    assert!(
        sb.stats().connections <= 8,
        "pool not shared: {:?}",
        sb.stats()
    );
}

#[test]
fn locally_invalid_requests_never_reach_the_sandbox() {
    let sb = Sandbox::builder().start().unwrap();
    let c = client(&sb);
    let bad: &[(&str, &str, &str, &str, &str)] = &[
        ("", "张三", ZS_ID, "1", "openid"),
        ("o.1", "张三", ZS_ID, "1", "openid"),
        ("oZhangSan", "", ZS_ID, "1", "truename"),
        ("oZhangSan", "张三3", ZS_ID, "1", "truename"),
        ("oZhangSan", "张三", "110101199003074478", "1", "creid"),
        ("oZhangSan", "张三", "110101900307447", "1", "creid"),
        ("oZhangSan", "张三", "110101209903074471", "1", "creid"),
        ("oZhangSan", "张三", "", "2", "creid"),
        ("oZhangSan", "张三", ZS_ID, "", "cretype"),
        ("oZhangSan", "张\0三", ZS_ID, "1", "truename"),
    ];
    for &(openid, name, creid, cretype, field) in bad {
        let e = c
            .verify_with_cretype(openid, name, creid, cretype)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
        assert_eq!(e.field(), Some(field), "{e}");
        let m = e.to_string();
        assert!(!m.contains("张三") && !m.contains(ZS_ID), "{m}");
    }
    assert_eq!(sb.stats(), Default::default(), "something was sent");
}

#[test]
fn id_validation_can_be_switched_off() {
    let sb = Sandbox::builder().start().unwrap();
    let c = builder(&sb).id_rules(false).build().unwrap();
    // A wrong check character reaches the server, which says the ID does not match.
    let v = c.verify("oZhangSan", "张三", "110101199003074478").unwrap();
    assert_eq!(v.code().as_str(), "C");
}

/// A plain sandbox started with `f` applied to its builder.
fn sandbox(f: impl FnOnce(SandboxBuilder) -> SandboxBuilder) -> Sandbox {
    f(Sandbox::builder()).start().expect("sandbox starts")
}

#[test]
fn sign_case_follows_the_configuration() {
    let upper_only = sandbox(|b| b.sign_rule(SignRule::Upper));
    let v = verify_zhang_san(&client(&upper_only));
    assert_eq!(v.reason().id(), "sign_invalid");
    assert!(v.is_config_problem());
    let upper = |sb: &Sandbox| builder(sb).sign_case(SignCase::Upper).build().unwrap();
    assert!(verify_zhang_san(&upper(&upper_only)).passed());
    let either = sandbox(|b| b.sign_rule(SignRule::Either));
    assert!(verify_zhang_san(&upper(&either)).passed());
}

#[test]
fn wrong_credentials_and_ip_get_their_real_error_codes() {
    let sb = Sandbox::builder().start().unwrap();
    let with = |src: &str, key: &str| {
        Client::builder(APPID, src, key)
            .endpoint(sb.endpoint())
            .build()
            .unwrap()
    };
    let fenced = sandbox(|b| b.allow_ips(["192.0.2.1".parse().unwrap()]));
    for (c, error_code, reason) in [
        (with(SRC, "not-the-key"), 1002, "sign_invalid"),
        (with("other", KEY), 1001, "src_invalid"),
        (client(&fenced), 1007, "ip_unauthorized"),
    ] {
        let v = verify_zhang_san(&c);
        assert_eq!((v.error_code(), v.reason().id()), (error_code, reason));
    }
    let open = sandbox(|b| b.allow_ips(["127.0.0.1".parse().unwrap()]));
    assert!(verify_zhang_san(&client(&open)).passed());
}

#[test]
fn configuration_errors_are_reported_before_anything_is_sent() {
    let sb = Sandbox::builder().start().unwrap();
    for (b, field) in [
        (Client::builder("", SRC, KEY), "appid"),
        (Client::builder(APPID, "", KEY), "src"),
        (Client::builder(APPID, SRC, ""), "key"),
        (
            Client::builder(APPID, SRC, KEY).endpoint("http://192.0.2.1/x"),
            "endpoint",
        ),
        (Client::builder(APPID, SRC, KEY).proxy("::::"), "proxy"),
        (
            Client::builder(APPID, SRC, KEY).ca_file("/nonexistent/ca.pem"),
            "ca_file",
        ),
        (
            Client::builder(APPID, SRC, KEY).timeout(Duration::ZERO),
            "timeout_ms",
        ),
        (
            Client::builder(APPID, SRC, KEY).timeout(Duration::MAX),
            "timeout_ms",
        ),
        (
            Client::builder(APPID, SRC, KEY).connect_timeout(Duration::MAX),
            "connect_timeout_ms",
        ),
        (Client::builder(APPID, SRC, KEY).retries(11), "retries"),
        (
            Client::builder(APPID, SRC, KEY).proxy("socks5://127.0.0.1:1080"),
            "proxy",
        ),
    ] {
        let e = b.endpoint_if_default(&sb).build().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidConfig, "{e}");
        assert_eq!(e.field(), Some(field), "{e}");
        assert!(!e.to_string().contains(KEY));
    }
    assert_eq!(sb.stats(), Default::default());
}

trait EndpointIfDefault {
    fn endpoint_if_default(self, sb: &Sandbox) -> Self;
}

impl EndpointIfDefault for ClientBuilder {
    /// Points builders that kept the default endpoint at the sandbox, so that nothing in
    /// this test could reach the real server.
    fn endpoint_if_default(self, sb: &Sandbox) -> Self {
        if format!("{self:?}").contains(nameauth::DEFAULT_ENDPOINT) {
            self.endpoint(sb.endpoint())
        } else {
            self
        }
    }
}

#[test]
fn a_proxy_that_is_not_there_is_a_transport_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let sb = Sandbox::builder().start().unwrap();
    let proxy = format!("http://user:pw-secret@127.0.0.1:{port}");
    // The sandbox speaks plain http, which a proxy would see in clear: refused unless
    // the caller opts in.
    let e = builder(&sb).proxy(&proxy).build().unwrap_err();
    assert_eq!(e.field(), Some("endpoint"), "{e}");
    let c = builder(&sb)
        .proxy(proxy)
        .allow_http(true)
        .retries(0)
        .build()
        .unwrap();
    let e = c.verify("oZhangSan", "张三", ZS_ID).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
    assert!(
        e.to_string().contains("proxy"),
        "a dead proxy is named as such: {e}"
    );
    assert!(!e.to_string().contains("pw-secret"), "{e}");
    assert!(!format!("{c:?}").contains("pw-secret"));
    assert_eq!(sb.stats().requests, 0);
}

#[test]
fn the_stats_endpoint_reports_counters_without_counting_itself() {
    let sb = Sandbox::builder().start().unwrap();
    let c = client(&sb);
    c.verify("oZhangSan", "张三", ZS_ID).unwrap();
    c.verify("oPoliceOnly", "张三", ZS_ID).unwrap();
    let url = format!("http://{}{}", sb.addr(), nameauth_sandbox::STATS_PATH);
    for _ in 0..2 {
        let mut resp = ureq::get(&url).call().unwrap();
        let v: serde_json::Value =
            serde_json::from_str(&resp.body_mut().read_to_string().unwrap()).unwrap();
        assert_eq!(v["requests"], 2);
        assert_eq!(v["hits"]["oZhangSan"], 1);
        assert_eq!(v["hits"]["oPoliceOnly"], 1);
    }
    assert_eq!(sb.stats().requests, 2);
}

#[test]
fn sandbox_latency_applies_to_every_answer() {
    let sb = sandbox_with_latency(Duration::from_millis(400));
    assert_times_out(&sb, Duration::from_millis(100), "oZhangSan");
    let patient = client(&sb);
    let started = Instant::now();
    assert!(patient.verify("oZhangSan", "张三", ZS_ID).unwrap().passed());
    assert!(started.elapsed() >= Duration::from_millis(400));
}

#[test]
fn the_sandbox_serves_many_concurrent_keep_alive_connections() {
    let sb = Arc::new(Sandbox::builder().start().unwrap());
    let barrier = Arc::new(std::sync::Barrier::new(48));
    let threads: Vec<_> = (0..48)
        .map(|i| {
            let (sb, barrier) = (Arc::clone(&sb), Arc::clone(&barrier));
            std::thread::spawn(move || {
                // One client each, with settings (and so a pool) of its own, so each
                // holds a connection of its own.
                let c = builder(&sb)
                    .timeout(Duration::from_millis(5000 + i))
                    .build()
                    .unwrap();
                assert!(c.verify("oZhangSan", "张三", ZS_ID).unwrap().passed());
                barrier.wait(); // all 48 connections are open at once here
                for _ in 0..5 {
                    assert!(c.verify("oZhangSan", "张三", ZS_ID).unwrap().passed());
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(sb.stats().requests, 48 * 6);
    assert_eq!(sb.stats().connections, 48);
}

/// A loopback port nobody listens on.
fn dead_endpoint() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("http://127.0.0.1:{port}/cgi-bin/nameauth/nameautheasy")
}

#[test]
fn the_fallback_endpoint_takes_over_when_the_primary_refuses() {
    let sb = Sandbox::builder().start().unwrap();
    let c = Client::builder(APPID, SRC, KEY)
        .endpoint(dead_endpoint())
        .fallback_endpoint(sb.endpoint())
        .build()
        .unwrap();
    let (v, report) = c.verify_reported("oZhangSan", "张三", ZS_ID, "1");
    assert!(v.as_ref().unwrap().passed());
    assert_eq!((report.attempts, report.failovers), (2, 1));
    assert_eq!(sb.hits("oZhangSan"), 1);
    let s = c.stats();
    assert_eq!((s.calls, s.requests, s.failovers, s.retries), (1, 2, 1, 0));
    let events = report.events("oZhangSan", "张三", ZS_ID, v.as_ref());
    assert!(
        events[0].message.starts_with("failover: http://127.0.0.1:"),
        "{events:?}"
    );
    assert!(
        events[0].message.contains("connection refused"),
        "{events:?}"
    );
}

#[test]
fn the_fallback_is_never_used_once_the_primary_was_reached() {
    // The primary answers 502 (it may have run the check): no failover, no retry.
    let sb = Sandbox::builder().start().unwrap();
    let other = Sandbox::builder().start().unwrap();
    let c = builder(&sb)
        .fallback_endpoint(other.endpoint())
        .build()
        .unwrap();
    for openid in ["oHttp502", "oReset", "oSlow"] {
        let quick = builder(&sb)
            .fallback_endpoint(other.endpoint())
            .timeout(Duration::from_millis(400))
            .build()
            .unwrap();
        let c = if openid == "oSlow" { &quick } else { &c };
        assert!(c.verify(openid, "张三", ZS_ID).is_err(), "{openid}");
    }
    assert_eq!(other.stats().requests, 0, "the fallback was used");
    assert_eq!(c.stats().failovers, 0);
}

#[test]
fn both_endpoints_down_is_one_transport_error_within_the_retry_rule() {
    let c = Client::builder(APPID, SRC, KEY)
        .endpoint(dead_endpoint())
        .fallback_endpoint(dead_endpoint())
        .retries(1)
        .build()
        .unwrap();
    let (r, report) = c.verify_reported("oZhangSan", "张三", ZS_ID, "1");
    let e = r.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
    // Primary, fallback; a retry: primary, fallback.
    assert_eq!((report.attempts, report.failovers), (4, 2));
    let s = c.stats();
    assert_eq!((s.requests, s.retries, s.failovers), (4, 1, 2));
    assert_eq!(s.error_count(ErrorKind::Transport), 1);
}

#[test]
fn a_fallback_endpoint_follows_the_route_rules() {
    let e = Client::builder(APPID, SRC, KEY)
        .fallback_endpoint("http://example.test/x")
        .build()
        .unwrap_err();
    assert_eq!(e.field(), Some("fallback_endpoint"), "{e}");
    let e = Client::builder(APPID, SRC, KEY)
        .option("fallback_endpoint", "")
        .unwrap_err();
    assert_eq!(e.field(), Some("fallback_endpoint"), "{e}");
}

#[test]
fn stats_count_requests_connections_verdicts_errors_and_latency() {
    let sb = sandbox_with_latency(Duration::from_millis(20));
    let c = client(&sb);
    for _ in 0..5 {
        assert!(c.verify("oZhangSan", "张三", ZS_ID).unwrap().passed());
    }
    assert_eq!(
        c.verify("oZhangSan", "李四", ZS_ID)
            .unwrap()
            .code()
            .as_str(),
        "B"
    );
    assert!(c.verify("oZhangSan", "", ZS_ID).is_err());
    let v = c.verify("oFlaky503", "张三", ZS_ID).unwrap();
    assert_eq!(v.code().as_str(), "E");
    let s = c.clone().stats();
    assert_eq!(s.calls, 8);
    // The refused input sent nothing; the flaky one took three requests.
    assert_eq!(s.requests, 5 + 1 + 3);
    assert_eq!(s.retries, 2);
    assert_eq!(s.connections_opened, sb.stats().connections);
    assert_eq!(s.verdict_count(nameauth::Code::A), 5);
    assert_eq!(s.verdict_count(nameauth::Code::B), 1);
    assert_eq!(s.verdict_count(nameauth::Code::E), 1);
    assert_eq!(s.error_count(ErrorKind::InvalidInput), 1);
    assert!(s.latency_p50 >= Duration::from_millis(20), "{s:?}");
    assert!(s.latency_p99 >= s.latency_p90 && s.latency_p90 >= s.latency_p50);
}

#[test]
fn reports_mask_every_personal_field() {
    let sb = Sandbox::builder().start().unwrap();
    let c = client(&sb);
    let (r, report) = c.verify_reported("oFlaky503", "张三", ZS_ID, "1");
    let events = report.events("oFlaky503", "张三", ZS_ID, r.as_ref());
    assert_eq!(events.len(), 3, "{events:?}");
    assert!(
        events[0]
            .message
            .starts_with("retry: attempt 1 failed (HTTP status 503"),
        "{events:?}"
    );
    let last = &events[2].message;
    assert!(
        last.starts_with("verify openid=oFl****03 truename=*三 creid=110*************77 outcome=E attempts=3 failovers=0 duration_ms="),
        "{last}"
    );
    for e in &events {
        for secret in [KEY, ZS_ID, "张三", "oFlaky503", "sign="] {
            assert!(!e.message.contains(secret), "{secret} in {e:?}");
        }
    }
}

#[test]
fn clients_built_with_the_same_settings_share_one_pool() {
    // A client per request (a php-fpm page, a per-call Java client) still reuses the
    // connection: the pool belongs to the process and outlives the clients.
    for tls in [false, true] {
        let sb = Sandbox::builder().tls(tls).start().unwrap();
        for _ in 0..5 {
            let c = client(&sb);
            assert!(c.verify("oZhangSan", "张三", ZS_ID).unwrap().passed());
        }
        assert_eq!(sb.stats().connections, 1, "tls={tls}");
        // Other settings, another pool.
        let other = builder(&sb)
            .timeout(Duration::from_secs(6))
            .build()
            .unwrap();
        assert!(other.verify("oZhangSan", "张三", ZS_ID).unwrap().passed());
        assert_eq!(sb.stats().connections, 2, "tls={tls}");
        // Each client counts the connections it opened itself.
        assert_eq!(other.stats().connections_opened, 1);
        assert_eq!(client(&sb).stats().connections_opened, 0);
    }
}
