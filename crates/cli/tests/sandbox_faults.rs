//! `nameauth sandbox --blackhole ADDR --idle-close-ms N`: the two connection faults of
//! issue 17 (items 2 and 20), usable from any language through the CLI.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::BIN;

/// Kills the sandbox when the test ends, passed or not.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_cli_sandbox_has_a_blackhole_and_closes_idle_connections() {
    let mut child = Child(
        Command::new(BIN)
            .args(["sandbox", "--listen", "127.0.0.1:0"])
            .args(["--blackhole", "127.0.0.1:0", "--idle-close-ms", "300"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let (mut serving, mut blackhole) = (None, None);
    for line in BufReader::new(child.0.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        if let Some(url) = line.strip_prefix("nameauth sandbox serving http://") {
            serving = url
                .split('/')
                .next()
                .map(|a| a.parse::<SocketAddr>().unwrap());
        }
        if let Some(addr) = line.strip_prefix("blackhole (never accepts) at ") {
            blackhole = Some(addr.parse::<SocketAddr>().unwrap());
        }
        if line.starts_with("# try") {
            break;
        }
    }
    let (serving, blackhole) = (serving.expect("endpoint"), blackhole.expect("blackhole"));

    // A connect to the blackhole neither completes nor is refused.
    let e = TcpStream::connect_timeout(&blackhole, Duration::from_millis(500)).unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::TimedOut, "{e}");

    // A kept-alive connection left idle is closed by the server.
    let mut s = TcpStream::connect(serving).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.write_all(b"GET /__sandbox/stats HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut answer = [0u8; 4096];
    let n = s.read(&mut answer).unwrap();
    assert!(answer[..n].starts_with(b"HTTP/1.1 200"));
    let started = Instant::now();
    let mut rest = Vec::new();
    s.read_to_end(&mut rest)
        .expect("closed by the server, not timed out");
    assert!(started.elapsed() >= Duration::from_millis(250));
}
