//! Opening a TCP connection for the layer under ureq (tcp.rs).
//!
//! Connecting to a host with several addresses (Happy Eyeballs, RFC 8305): a host whose
//! first address drops packets (a broken IPv6 path, a dead server) must not cost the whole
//! connect timeout, once per retry. The addresses are tried in turn, IPv6 and IPv4
//! interleaved (starting with the resolver's first), a new attempt starting 250 ms
//! ([`ATTEMPT_DELAY`]) after the previous one, or at once when it fails, without giving
//! up the attempts already under way; all of them share the one `connect_timeout_ms`.
//! The first connection made wins; the others are closed. Every attempt runs on the
//! caller's thread: a non-blocking connect each, and one `poll` (rustix's, safe) over the
//! sockets still connecting, so no thread is started (a thread started from a caller's
//! thread would leave it a destructor of this library's code, see crates/pthread). A
//! single address (an IP literal, the sandbox) is connected with a plain blocking
//! connect as before, and a pooled connection never gets here, so the keep-alive path's
//! system calls are unchanged.
//!
//! A call given a cancel token (src/cancel.rs) always takes the non-blocking path, even to
//! one address, and its `poll` wakes every [`cancel::POLL`] to look at the token, so a
//! connect that hangs stops as soon as the call is cancelled.

use std::collections::VecDeque;
use std::io;
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use rustix::event::{poll, PollFd, PollFlags, Timespec};
use socket2::{Domain, Protocol, Socket, Type};

use super::marker;
use crate::cancel;

/// RFC 8305's "Connection Attempt Delay": how long an attempt runs alone before the
/// next address is tried too.
pub(crate) const ATTEMPT_DELAY: Duration = Duration::from_millis(250);

/// A connection to one of `addrs` within `budget` (`None`: no limit), as the module's
/// comment describes.
pub(crate) fn connect(
    addrs: &[SocketAddr],
    budget: Option<Duration>,
) -> Result<TcpStream, ureq::Error> {
    let deadline = budget.map(|b| Instant::now() + b);
    match addrs {
        [] => Err(ureq::Error::ConnectionFailed),
        [one] if !cancel::watching() => attempt(*one, deadline).map_err(connect_error),
        many => race(&interleave(many), deadline),
    }
}

/// One connection attempt, until `deadline`.
fn attempt(addr: SocketAddr, deadline: Option<Instant>) -> io::Result<TcpStream> {
    match deadline {
        Some(d) => {
            let left = d.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(io::ErrorKind::TimedOut.into());
            }
            TcpStream::connect_timeout(&addr, left)
        }
        None => TcpStream::connect(addr),
    }
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
    )
}

fn connect_error(e: io::Error) -> ureq::Error {
    if is_timeout(&e) {
        ureq::Error::Timeout(ureq::Timeout::Connect)
    } else {
        ureq::Error::Io(e)
    }
}

/// The addresses with the families alternating, the resolver's first family first, each
/// family in the resolver's order (RFC 8305 §4).
fn interleave(addrs: &[SocketAddr]) -> Vec<SocketAddr> {
    let first_v6 = addrs[0].is_ipv6();
    let (mut same, mut other): (VecDeque<SocketAddr>, VecDeque<SocketAddr>) =
        addrs.iter().partition(|a| a.is_ipv6() == first_v6);
    let mut out = Vec::with_capacity(addrs.len());
    while !same.is_empty() || !other.is_empty() {
        out.extend(same.pop_front());
        out.extend(other.pop_front());
    }
    out
}

/// Attempts on `addrs` in order, started [`ATTEMPT_DELAY`] apart or as soon as the
/// previous one failed, all on the caller's thread: each is a non-blocking connect, and
/// one `poll` waits for whichever completes first (or for the next start, or the
/// deadline). The first connection made is returned; the other sockets are closed.
fn race(addrs: &[SocketAddr], deadline: Option<Instant>) -> Result<TcpStream, ureq::Error> {
    let mut pending: Vec<Socket> = Vec::new();
    let mut failures = Failures::default();
    let mut started = 0;
    let mut next_start = Instant::now();
    loop {
        if cancel::stop_if_cancelled() {
            return Err(marker::cancelled());
        }
        let now = Instant::now();
        if deadline.is_some_and(|d| now >= d) {
            return Err(ureq::Error::Timeout(ureq::Timeout::Connect));
        }
        if started < addrs.len() && now >= next_start {
            match start(addrs[started]) {
                Ok(sock) => {
                    pending.push(sock);
                    next_start = now + ATTEMPT_DELAY;
                }
                // A failure starts the next attempt at once.
                Err(e) => failures.note(e),
            }
            started += 1;
        }
        if failures.count == addrs.len() {
            return Err(failures.into_error());
        }
        if pending.is_empty() {
            // Every attempt started so far failed, and each failure set `next_start` to
            // its time: the next one starts at the top of the loop.
            continue;
        }
        let until = match (started < addrs.len(), deadline) {
            (true, Some(d)) => Some(next_start.min(d)),
            (true, None) => Some(next_start),
            (false, d) => d,
        };
        // The earliest-started attempt that connected wins; failures start the next.
        let done = completed(&pending, watch(until))?;
        let mut winner = None;
        for &i in &done {
            match connected(&pending[i]) {
                Ok(()) if winner.is_none() => winner = Some(i),
                Ok(()) => {}
                Err(e) => {
                    failures.note(e);
                    next_start = Instant::now();
                }
            }
        }
        if let Some(i) = winner {
            return into_stream(pending.swap_remove(i));
        }
        for &i in done.iter().rev() {
            pending.remove(i);
        }
    }
}

/// The attempts that failed, and what to report if all do.
#[derive(Default)]
struct Failures {
    count: usize,
    timed_out: bool,
    last: Option<io::Error>,
}

impl Failures {
    fn note(&mut self, e: io::Error) {
        self.count += 1;
        if is_timeout(&e) {
            self.timed_out = true;
        } else {
            self.last = Some(e);
        }
    }

    /// A connect timeout if any attempt timed out, else the last error.
    fn into_error(self) -> ureq::Error {
        if self.timed_out {
            ureq::Error::Timeout(ureq::Timeout::Connect)
        } else {
            self.last
                .map_or(ureq::Error::ConnectionFailed, ureq::Error::Io)
        }
    }
}

/// A socket whose connect to `addr` has started (or, on loopback, may have finished).
fn start(addr: SocketAddr) -> io::Result<Socket> {
    let sock = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    sock.set_nonblocking(true)?;
    match sock.connect(&addr.into()) {
        Ok(()) => Ok(sock),
        Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) => Ok(sock),
        Err(e) => Err(e),
    }
}

/// The indexes of the sockets of `pending` whose connect has completed (made or failed),
/// waiting for one until `until` (`None`: no limit). An interrupted wait completes none.
fn completed(pending: &[Socket], until: Option<Instant>) -> Result<Vec<usize>, ureq::Error> {
    let mut fds: Vec<PollFd<'_>> = pending
        .iter()
        .map(|s| PollFd::new(s, PollFlags::OUT))
        .collect();
    let timeout = match until {
        // A `Duration` too long for a `Timespec` (centuries) cannot come from a timeout
        // the options allow; it would end the connect as a timeout.
        Some(u) => Some(
            Timespec::try_from(u.saturating_duration_since(Instant::now()))
                .map_err(|_| ureq::Error::Timeout(ureq::Timeout::Connect))?,
        ),
        None => None,
    };
    match poll(&mut fds, timeout.as_ref()) {
        Ok(_) => {}
        Err(rustix::io::Errno::INTR) => return Ok(Vec::new()),
        Err(e) => return Err(ureq::Error::Io(e.into())),
    }
    Ok(fds
        .iter()
        .enumerate()
        .filter(|(_, fd)| !fd.revents().is_empty())
        .map(|(i, _)| i)
        .collect())
}

/// `until`, or sooner for a call with a token, which looks at it every [`cancel::POLL`].
fn watch(until: Option<Instant>) -> Option<Instant> {
    if !cancel::watching() {
        return until;
    }
    let slice = Instant::now() + cancel::POLL;
    Some(until.map_or(slice, |u| u.min(slice)))
}

/// Whether a socket whose connect completed is connected: its pending error, or, when a
/// hang-up came without one, "not connected" (as std's `connect_timeout` treats it).
fn connected(sock: &Socket) -> io::Result<()> {
    match sock.take_error()? {
        Some(e) => Err(e),
        None => sock.peer_addr().map(drop),
    }
}

/// A connected socket as a blocking `TcpStream`.
fn into_stream(sock: Socket) -> Result<TcpStream, ureq::Error> {
    sock.set_nonblocking(false)?;
    Ok(sock.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use nameauth_sandbox::{Blackhole, Sandbox};

    /// Issue 17 item 2: the first address drops packets, the second is the sandbox. The
    /// old loop spent the whole connect timeout (5 s) on the first and failed with a
    /// timeout; now the second attempt starts after 250 ms and wins.
    #[test]
    fn a_blackholed_first_address_does_not_cost_the_connect_timeout() {
        let bh = Blackhole::bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let sb = Sandbox::builder().start().unwrap();
        let budget = Duration::from_secs(5);
        let started = Instant::now();
        let stream = connect(&[bh.addr(), sb.addr()], Some(budget)).expect("connected");
        assert_eq!(stream.peer_addr().unwrap(), sb.addr());
        assert!(
            started.elapsed() < budget,
            "took {:?}: the first address took the whole budget",
            started.elapsed()
        );
    }

    #[test]
    fn every_address_blackholed_is_a_connect_timeout_within_the_budget() {
        let a = Blackhole::bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let b = Blackhole::bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let started = Instant::now();
        let e = connect(&[a.addr(), b.addr()], Some(Duration::from_millis(800))).unwrap_err();
        assert!(
            matches!(e, ureq::Error::Timeout(ureq::Timeout::Connect)),
            "{e:?}"
        );
        // Generous: the budget is 0.8 s.
        assert!(started.elapsed() < Duration::from_secs(4));
    }

    #[test]
    fn a_refused_first_address_moves_on_at_once_and_all_refused_is_an_error() {
        let closed = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let sb = Sandbox::builder().start().unwrap();
        let s = connect(&[closed, sb.addr()], Some(Duration::from_secs(5))).unwrap();
        assert_eq!(s.peer_addr().unwrap(), sb.addr());
        let e = connect(&[closed, closed], Some(Duration::from_secs(5))).unwrap_err();
        assert!(matches!(e, ureq::Error::Io(_)), "{e:?}");
    }

    #[test]
    fn families_alternate_starting_with_the_first() {
        let a = |s: &str| s.parse::<SocketAddr>().unwrap();
        let (v6a, v6b, v4a, v4b) = (a("[::1]:1"), a("[::2]:1"), a("1.0.0.1:1"), a("1.0.0.2:1"));
        assert_eq!(interleave(&[v6a, v6b, v4a, v4b]), vec![v6a, v4a, v6b, v4b]);
        assert_eq!(interleave(&[v4a, v4b, v6a]), vec![v4a, v6a, v4b]);
    }
}
