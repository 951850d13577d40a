//! Errors found early and named rightly (issue 17, items 13, 14 and 17): look-alikes of
//! `cretype` 1, an endpoint with a `#fragment`, a `ca_file` block that is not DER, a
//! server that speaks only TLS 1.1, a 1 MiB response head, and a proxy that asks for
//! authentication. Each against a real server over loopback: the sandbox, or for the TLS
//! version and the proxy a small server in this file that answers the way such servers do.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use nameauth::{CallOptions, CancelToken, Client, ClientBuilder, ErrorKind, Rule};
use nameauth_sandbox::{Sandbox, APPID, KEY, SRC};

mod sandbox_client;
use sandbox_client::{builder, wait_for, ZS_ID};

/// A resident ID number whose check character is wrong: only the ID rules refuse it.
const BAD_ID: &str = "110101199003074478";

// ---- item 13: cretype ----------------------------------------------------------------

/// Every spelling of 1 that a lenient reader (atoi, intval, NFKC) takes for 1 is refused
/// before anything is sent, naming `cretype`; with the exact `1` the ID rules refuse the
/// bad ID number, so no spelling lets it through unchecked.
#[test]
fn look_alikes_of_cretype_1_are_refused_and_nothing_is_sent() {
    let sb = Sandbox::builder().start().unwrap();
    let c = builder(&sb).build().unwrap();
    for spelling in ["+1", "1.0", "1a", "1e0", "1\u{200B}", "\u{FF11}"] {
        let e = c
            .verify_with_cretype("oZhangSan", "张三", BAD_ID, spelling)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{spelling:?}: {e}");
        assert_eq!(e.field(), Some("cretype"), "{spelling:?}: {e}");
        assert_eq!(e.rule(), Some(Rule::Charset), "{spelling:?}: {e}");
        assert!(e.message().starts_with("cretype: "), "{e}");
        assert!(!e.message().contains(BAD_ID), "{e}");
        assert!(c.validate("oZhangSan", "张三", BAD_ID, spelling).is_err());
    }
    let e = c
        .verify_with_cretype("oZhangSan", "张三", BAD_ID, "1")
        .unwrap_err();
    assert_eq!(e.rule(), Some(Rule::IdCheckCharacter), "{e}");
    assert_eq!(sb.stats().requests, 0, "a refused input reached the server");
    // Other document types still pass with the generic checks only.
    let v = c
        .verify_with_cretype("oPassport", "JOHN SMITH", "E12345678", "2")
        .unwrap();
    assert_eq!(v.code().as_str(), "A");
    // The exact value still gets the ID rules and goes through when they hold.
    let v = c
        .verify_with_cretype("oZhangSan", "张三", ZS_ID, "1")
        .unwrap();
    assert_eq!(v.code().as_str(), "A");
}

// ---- item 14: endpoint fragments -------------------------------------------------------

#[test]
fn an_endpoint_with_a_fragment_is_a_configuration_error() {
    let sb = Sandbox::builder().start().unwrap();
    for tail in ["#section", "?type=json#"] {
        let e = builder(&sb)
            .endpoint(format!("{}{tail}", sb.endpoint()))
            .build()
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidConfig, "{e}");
        assert_eq!(e.field(), Some("endpoint"), "{e}");
        assert!(e.message().contains("#fragment"), "{e}");
    }
    let e = builder(&sb)
        .fallback_endpoint(format!("{}#f", sb.endpoint()))
        .build()
        .unwrap_err();
    assert_eq!(e.field(), Some("fallback_endpoint"), "{e}");
    // The environment's spelling too, named by its variable's option.
    let e = ClientBuilder::from_lookup(|name| match name {
        "NAMEAUTH_APPID" => Some(APPID.into()),
        "NAMEAUTH_SRC" => Some(SRC.into()),
        "NAMEAUTH_KEY" => Some(KEY.into()),
        "NAMEAUTH_ENDPOINT" => Some(format!("{}#x", sb.endpoint()).into()),
        _ => None,
    })
    .build()
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidConfig, "{e}");
    assert_eq!(sb.stats().requests, 0);
}

/// An endpoint that already has a query keeps it, and the signed query follows after `&`:
/// the server sees every field and the verdict is the right one.
#[test]
fn an_endpoint_with_a_query_still_works() {
    let sb = Sandbox::builder().start().unwrap();
    for tail in ["?from=test", "?"] {
        let endpoint = format!("{}{tail}", sb.endpoint());
        let c = builder(&sb).endpoint(endpoint).build().unwrap();
        let v = c.verify("oZhangSan", "张三", ZS_ID).unwrap();
        assert_eq!(v.code().as_str(), "A");
        assert_eq!(v.error_code(), 0);
    }
    assert_eq!(sb.hits("oZhangSan"), 2);
}

// ---- item 17: ca_file ------------------------------------------------------------------

/// A PEM block whose base64 decodes to bytes that are no DER certificate.
const NOT_DER: &str = "-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQsIG5vdCBhIGNlcnRpZmljYXRl\n-----END CERTIFICATE-----\n";

#[test]
fn a_ca_file_block_that_is_not_der_is_refused_when_the_client_is_built() {
    let sb = Sandbox::builder().tls(true).start().unwrap();
    let dir = std::env::temp_dir().join(format!("nameauth-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("ca.pem");
    // The good CA first: the bad block must not hide behind a good one.
    std::fs::write(&file, format!("{}{NOT_DER}", sb.ca_pem().unwrap())).unwrap();
    let e = Client::builder(APPID, SRC, KEY)
        .endpoint(sb.endpoint())
        .ca_file(&file)
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidConfig, "{e}");
    assert_eq!(e.field(), Some("ca_file"), "{e}");
    assert!(e.message().contains("certificate 2"), "{e}");
    assert!(e.message().contains("DER"), "{e}");
    // The same through ca_pem.
    let e = Client::builder(APPID, SRC, KEY)
        .endpoint(sb.endpoint())
        .ca_pem(NOT_DER)
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidConfig, "{e}");
    assert_eq!(e.field(), Some("ca_pem"), "{e}");
    // The good CA alone still works.
    std::fs::write(&file, sb.ca_pem().unwrap()).unwrap();
    let c = Client::builder(APPID, SRC, KEY)
        .endpoint(sb.endpoint())
        .ca_file(&file)
        .build()
        .unwrap();
    assert_eq!(
        c.verify("oZhangSan", "张三", ZS_ID)
            .unwrap()
            .code()
            .as_str(),
        "A"
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(sb.stats().requests, 1);
}

// ---- item 17: a server that speaks only TLS 1.1 ----------------------------------------

/// How the small TLS server below answers a ClientHello.
#[derive(Clone, Copy, Debug)]
enum OldTls {
    /// A ServerHello choosing TLS 1.1, what a server whose newest version is TLS 1.1
    /// answers to a client that offers 1.2 and 1.3 (OpenSSL with `MaxProtocol TLSv1.1`).
    ServerHello11,
    /// A fatal `protocol_version` alert, what a server answers when it supports none of
    /// the versions offered.
    ProtocolVersionAlert,
}

/// A listener that reads one TLS record (the ClientHello) per connection and answers as
/// `how` says, counting connections. rustls speaks no TLS 1.1, so the server side is
/// written out byte for byte: only its first flight matters, since the client must give
/// up on it.
fn old_tls_server(how: OldTls) -> (String, Arc<AtomicU64>) {
    let (port, count) = serve_counting(move |mut s| {
        let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
        let mut head = [0u8; 5];
        if s.read_exact(&mut head).is_err() || head[0] != 0x16 {
            return;
        }
        let mut hello = vec![0u8; usize::from(u16::from_be_bytes([head[3], head[4]]))];
        if s.read_exact(&mut hello).is_err() {
            return;
        }
        let answer: Vec<u8> = match how {
            OldTls::ServerHello11 => {
                // ServerHello: version 3.2, 32 random bytes, empty session id,
                // TLS_RSA_WITH_AES_128_CBC_SHA, no compression, no extensions.
                let mut body = vec![0x03, 0x02];
                body.extend_from_slice(&[0x5a; 32]);
                body.extend_from_slice(&[0x00, 0x00, 0x2f, 0x00]);
                let mut hs = vec![0x02, 0x00, 0x00, body.len() as u8];
                hs.extend_from_slice(&body);
                let mut rec = vec![0x16, 0x03, 0x02, 0x00, hs.len() as u8];
                rec.extend_from_slice(&hs);
                rec
            }
            // Alert record: level fatal (2), protocol_version (70).
            OldTls::ProtocolVersionAlert => vec![0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46],
        };
        let _ = s.write_all(&answer);
        // Let the client read it and hang up first.
        let _ = s.read(&mut [0u8; 64]);
    });
    (format!("https://127.0.0.1:{port}/nameauth"), count)
}

/// A loopback listener that hands each connection to `each` in turn and counts them.
fn serve_counting(mut each: impl FnMut(TcpStream) + Send + 'static) -> (u16, Arc<AtomicU64>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let count = Arc::new(AtomicU64::new(0));
    let counted = count.clone();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            counted.fetch_add(1, Ordering::SeqCst);
            each(stream);
        }
    });
    (port, count)
}

/// A version mismatch never heals: one connection, one request, no retry, and the
/// message names the protocol version.
#[test]
fn a_tls_version_mismatch_is_tried_once_and_named() {
    for how in [OldTls::ServerHello11, OldTls::ProtocolVersionAlert] {
        let (endpoint, connections) = old_tls_server(how);
        let c = Client::builder(APPID, SRC, KEY)
            .endpoint(endpoint)
            .retries(2)
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        let e = c.verify("oZhangSan", "张三", ZS_ID).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Transport, "{how:?}: {e}");
        assert!(e.message().contains("TLS 1.2"), "{how:?}: {e}");
        assert!(e.message().contains("version"), "{how:?}: {e}");
        assert_eq!(connections.load(Ordering::SeqCst), 1, "{how:?}: retried");
        let s = c.stats();
        assert_eq!((s.requests, s.retries), (1, 0), "{how:?}: retried");
    }
}

// ---- item 17: a 1 MiB response head ------------------------------------------------------

#[test]
fn a_huge_response_head_is_a_protocol_error_naming_the_limit() {
    for tls in [false, true] {
        let sb = Sandbox::builder().tls(tls).start().unwrap();
        let c = builder(&sb).retries(2).build().unwrap();
        let e = c.verify("oHugeHeader", "张三", ZS_ID).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Protocol, "tls={tls}: {e}");
        assert!(e.message().contains("head"), "tls={tls}: {e}");
        assert!(e.message().contains("16 KiB"), "tls={tls}: {e}");
        assert!(!e.message().contains("closed"), "tls={tls}: {e}");
        // The request was written: never sent again.
        assert_eq!(sb.hits("oHugeHeader"), 1, "tls={tls}");
        assert_eq!(sb.stats().requests, 1, "tls={tls}");
    }
}

// ---- item 17: a proxy that asks for authentication ---------------------------------------

/// A proxy that answers every CONNECT with 407 and keeps the request heads it got.
fn proxy_407() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let heads = Arc::new(Mutex::new(Vec::new()));
    let seen = heads.clone();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let head = read_head(&mut s);
            seen.lock().unwrap().push(head);
            let _ = s.write_all(
                b"HTTP/1.1 407 Proxy Authentication Required\r\n\
                  Proxy-Authenticate: Basic realm=\"test\"\r\n\
                  Content-Length: 0\r\n\r\n",
            );
            let _ = s.read(&mut [0u8; 64]);
        }
    });
    (port, heads)
}

fn read_head(s: &mut TcpStream) -> String {
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
        match s.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

#[test]
fn a_proxy_asking_for_authentication_is_named_without_its_credentials() {
    let sb = Sandbox::builder().tls(true).start().unwrap();
    let (port, heads) = proxy_407();
    for (proxy, words) in [
        (
            format!("http://127.0.0.1:{port}"),
            "requires authentication",
        ),
        (
            format!("http://alice:s3cret-pw@127.0.0.1:{port}"),
            "refused the user and password",
        ),
    ] {
        let c = builder(&sb).proxy(proxy).retries(2).build().unwrap();
        let e = c.verify("oZhangSan", "张三", ZS_ID).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
        assert!(e.message().contains("407"), "{e}");
        assert!(e.message().contains(words), "{e}");
        assert!(e.message().contains("proxy"), "{e}");
        for secret in ["alice", "s3cret-pw", "YWxpY2U6czNjcmV0LXB3"] {
            assert!(!e.message().contains(secret), "{e}");
            assert!(!format!("{e:?}").contains(secret), "{e:?}");
        }
        assert_eq!(c.stats().retries, 0, "a 407 does not heal: {e}");
    }
    let heads = heads.lock().unwrap();
    assert_eq!(heads.len(), 2, "one CONNECT per call: {heads:?}");
    assert!(heads.iter().all(|h| h.starts_with("CONNECT 127.0.0.1:")));
    // The second call did send its credentials, so the proxy really refused them.
    assert!(heads[1].contains("Proxy-Authorization: Basic YWxpY2U6czNjcmV0LXB3"));
    assert_eq!(sb.stats().requests, 0);
}

// ---- a request through a proxy's tunnel ---------------------------------------------

/// A CONNECT proxy that tunnels every connection to `to`, and counts the connections.
fn tunnel_proxy(to: std::net::SocketAddr) -> (u16, Arc<AtomicU64>) {
    serve_counting(move |mut client| {
        let head = read_head(&mut client);
        let _ = client.set_read_timeout(None);
        if !head.starts_with("CONNECT ") {
            return;
        }
        let Ok(server) = TcpStream::connect(to) else {
            return;
        };
        let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
        let (mut c2, mut s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
        thread::spawn(move || {
            let _ = std::io::copy(&mut c2, &mut s2);
            let _ = s2.shutdown(std::net::Shutdown::Write);
        });
        let (mut client, mut server) = (client, server);
        thread::spawn(move || {
            let _ = std::io::copy(&mut server, &mut client);
            let _ = client.shutdown(std::net::Shutdown::Write);
        });
    })
}

/// Through a proxy, ureq's chain runs twice (the tunnel, then the endpoint on top of it):
/// only the request itself counts as written (src/transport/marker.rs). A call whose
/// token is cancelled once the server has its request keeps waiting and returns the
/// verdict: were the request not counted as written, the wait would end `cancelled`,
/// the verdict lost although the person was checked.
#[test]
fn through_a_proxy_a_written_request_keeps_its_verdict_when_cancelled() {
    let sb = Sandbox::builder().tls(true).start().unwrap();
    sb.add_fixture(
        "oSlowProxy",
        r#"{"fault": "slow", "delay_ms": 800, "status": 2}"#,
    )
    .unwrap();
    let (port, tunnels) = tunnel_proxy(sb.addr());
    let c = builder(&sb)
        .proxy(format!("http://127.0.0.1:{port}"))
        .build()
        .unwrap();
    let v = c.verify("oZhangSan", "张三", ZS_ID).expect("a verdict");
    assert_eq!(v.code().as_str(), "A");
    assert_eq!(tunnels.load(Ordering::SeqCst), 1);
    let token = CancelToken::new();
    let options = CallOptions::new().with_cancel(token.clone());
    let call = thread::scope(|s| {
        let call = s.spawn(|| c.verify_with("oSlowProxy", "张三", ZS_ID, "1", &options).0);
        wait_for("the request at the sandbox", || sb.hits("oSlowProxy") == 1);
        token.cancel();
        call.join().unwrap()
    });
    assert_eq!(call.expect("the verdict").code().as_str(), "E");
    assert_eq!(sb.hits("oSlowProxy"), 1);
}
