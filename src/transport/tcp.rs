//! The TCP layer under ureq (its `Connector`/`Transport` API; the HTTP is still ureq's):
//! ureq's own TCP transport spends six system calls per request probing a pooled
//! connection (non-blocking on, read, non-blocking off, twice) and two more setting
//! socket timeouts that differ by microseconds from the ones already set. This one
//! probes with one `recv(MSG_PEEK | MSG_DONTWAIT)` and sets a timeout only when it
//! differs from the socket's by more than [`TIMEOUT_SLACK`]. `tools/strace_verifies.sh`
//! counts the difference. Its connections close themselves when idle (idle.rs).
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
//! Cancelling (src/cancel.rs). A call given a token must be able to stop while its
//! attempt has written nothing: while it connects, and while it waits for a proxy's answer
//! to CONNECT or for the TLS server's handshake (a proxy or server that accepts and never
//! answers would otherwise hold it for the whole connect timeout). For such a call the
//! connect always takes the non-blocking path, even to one address, and those waits
//! `poll` in slices of [`cancel::POLL`], looking at the token between slices. Calls
//! without a token, and every wait after the request's first byte, are unchanged.

use std::cell::Cell;
use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::mem::MaybeUninit;
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use rustix::event::{poll, PollFd, PollFlags, Timespec};
use socket2::{Domain, Protocol, Socket, Type};
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, ShutdownHandle,
    Transport,
};

use super::idle::Conn;
use super::marker::{self, REQUEST_WRITTEN};
use crate::cancel;

/// How far a socket timeout already set may be from the one wanted and still be kept: a
/// read or write may end this much before or after the call's deadline, which the
/// transport checks again on its own.
pub(crate) const TIMEOUT_SLACK: Duration = Duration::from_millis(2);

/// RFC 8305's "Connection Attempt Delay": how long an attempt runs alone before the
/// next address is tried too.
pub(crate) const ATTEMPT_DELAY: Duration = Duration::from_millis(250);

/// Opens TCP connections; the first of the chain that makes one. Its connections close
/// themselves after `idle_timeout` unused.
#[derive(Debug)]
pub(crate) struct TcpConnector {
    pub(crate) idle_timeout: Duration,
}

impl<In: Transport> Connector<In> for TcpConnector {
    type Out = Either<In, Tcp>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        if chained.is_some() {
            return Ok(chained.map(Either::A));
        }
        let budget = details.timeout.not_zero().map(|d| *d);
        let stream = connect(&details.addrs, budget)?;
        if details.config.no_delay() {
            stream.set_nodelay(true)?;
        }
        let conn = Conn::new(stream, self.idle_timeout);
        (details.register_shutdown)(Arc::downgrade(&conn) as Weak<dyn ShutdownHandle>)?;
        let buffers = LazyBuffers::new(
            details.config.input_buffer_size(),
            details.config.output_buffer_size(),
        );
        Ok(Some(Either::B(Tcp {
            conn,
            buffers,
            carried: false,
            request_out: false,
            read_timeout: None,
            write_timeout: None,
        })))
    }
}

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

/// Waits until `stream` has something to read, for a call with a token whose attempt has
/// written nothing yet (a proxy's answer to CONNECT, a TLS handshake): in slices, looking
/// at the token between them. The read that follows then returns at once; `want`
/// running out is the read's timeout, reported as `reason`.
fn readable_unless_cancelled(
    stream: &TcpStream,
    want: Option<Duration>,
    reason: ureq::Timeout,
) -> Result<(), ureq::Error> {
    let end = want.map(|w| Instant::now() + w);
    loop {
        if cancel::stop_if_cancelled() {
            return Err(marker::cancelled());
        }
        let now = Instant::now();
        if end.is_some_and(|e| now >= e) {
            return Err(ureq::Error::Timeout(reason));
        }
        let slice = end.map_or(cancel::POLL, |e| (e - now).min(cancel::POLL));
        let slice = Timespec::try_from(slice).map_err(|_| ureq::Error::Timeout(reason))?;
        let mut fds = [PollFd::new(stream, PollFlags::IN)];
        match poll(&mut fds, Some(&slice)) {
            Ok(0) | Err(rustix::io::Errno::INTR) => {}
            Ok(_) => return Ok(()),
            Err(e) => return Err(ureq::Error::Io(e.into())),
        }
    }
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

/// A TCP connection.
pub(crate) struct Tcp {
    conn: Arc<Conn>,
    buffers: LazyBuffers,
    /// Whether it has carried a request ([`Conn::carried_a_request`]).
    carried: bool,
    /// Whether a byte of the current request reached the socket (since ureq took the
    /// connection from its pool or made it): a connection the reaper closed before then
    /// sent nothing of it ([`begin`]).
    request_out: bool,
    /// The socket's timeouts as last set (`None`: none set).
    read_timeout: Option<Duration>,
    write_timeout: Option<Duration>,
}

impl std::fmt::Debug for Tcp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tcp")
            .field("peer", &self.conn.peek().and_then(|s| s.peer_addr().ok()))
            .finish()
    }
}

/// The socket for one I/O call ([`Conn::begin`]). A connection the reaper closed is the
/// reaper's error (idle.rs: nothing of the request sent, so it may be retried) only while
/// no byte of the current request is out (`request_out`); after that, a connection closed
/// under the call is an aborted one, never retried.
fn begin(conn: &Conn, request_out: bool) -> io::Result<super::idle::InUse<'_>> {
    conn.begin().map_err(|e| {
        if request_out && super::idle::is_reaped(&e) {
            io::Error::new(io::ErrorKind::ConnectionAborted, "closed while in use")
        } else {
            e
        }
    })
}

/// Whether a socket whose timeout is `set` needs `want` set instead.
fn needs_update(set: Option<Duration>, want: Option<Duration>) -> bool {
    match (set, want) {
        (Some(s), Some(w)) => s.abs_diff(w) > TIMEOUT_SLACK,
        (None, None) => false,
        _ => true,
    }
}

/// Applies `want` to a socket whose timeout is `*set` (with `apply`, the read or write
/// setter) unless [`needs_update`] says it is close enough already, and records it.
fn update_timeout(
    set: &mut Option<Duration>,
    want: Option<Duration>,
    apply: impl FnOnce(Option<Duration>) -> io::Result<()>,
) -> io::Result<()> {
    if needs_update(*set, want) {
        apply(want)?;
        *set = want;
    }
    Ok(())
}

/// The timeout this I/O may wait, or the timeout error if none is left.
fn budget(t: NextTimeout) -> Result<Option<Duration>, ureq::Error> {
    if t.after.is_zero() {
        return Err(ureq::Error::Timeout(t.reason));
    }
    Ok(t.not_zero().map(|d| *d))
}

fn io_error(e: io::Error, t: NextTimeout) -> ureq::Error {
    match e.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => ureq::Error::Timeout(t.reason),
        _ => ureq::Error::Io(e),
    }
}

impl Transport for Tcp {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        let t = timeout.for_write();
        let want = budget(t)?;
        let stream = begin(&self.conn, self.request_out)?;
        if !self.carried && REQUEST_WRITTEN.with(Cell::get) {
            // The request itself (the marker above counted it): the connection is open.
            self.conn.carried_a_request();
            self.carried = true;
        }
        update_timeout(&mut self.write_timeout, want, |d| {
            stream.set_write_timeout(d)
        })?;
        let output = &self.buffers.output()[..amount];
        let written = (&*stream).write_all(output);
        if self.carried {
            // Some of the request may be out even if the write failed; held until its
            // answer is read (idle.rs).
            self.request_out = true;
            self.conn.hold();
        }
        written.map_err(|e| io_error(e, t))
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        let t = timeout.for_read();
        let want = budget(t)?;
        let stream = begin(&self.conn, self.request_out)?;
        if cancel::watching() && !REQUEST_WRITTEN.with(Cell::get) {
            readable_unless_cancelled(&stream, want, t.reason)?;
        }
        update_timeout(&mut self.read_timeout, want, |d| stream.set_read_timeout(d))?;
        let started = Instant::now();
        let input = self.buffers.input_append_buf();
        let amount = loop {
            match (&*stream).read(input) {
                // A signal (SO_RCVTIMEO reads are not restarted): go on with what is left.
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                    let Some(w) = want else {
                        return Err(ureq::Error::Io(e));
                    };
                    let left = w.saturating_sub(started.elapsed());
                    if left.is_zero() {
                        return Err(ureq::Error::Timeout(t.reason));
                    }
                    stream.set_read_timeout(Some(left))?;
                    self.read_timeout = Some(left);
                }
                result => break result.map_err(|e| io_error(e, t))?,
            }
        };
        self.buffers.input_appended(amount);
        Ok(amount > 0)
    }

    /// A pooled connection is usable if the peer has neither closed it nor sent anything
    /// unasked: one non-blocking peek. (ureq probes both when it takes a connection from
    /// its pool and when it puts one back.)
    fn is_open(&mut self) -> bool {
        // Taken from the pool or put back: no byte of a request is out on it now.
        self.request_out = false;
        let Ok(stream) = self.conn.begin() else {
            return false;
        };
        let mut byte = [MaybeUninit::<u8>::uninit()];
        let sock = socket2::SockRef::from(&*stream);
        match sock.recv_with_flags(&mut byte, libc::MSG_PEEK | libc::MSG_DONTWAIT) {
            Err(e) => e.kind() == io::ErrorKind::WouldBlock,
            // 0: closed by the peer; more: bytes nobody asked for.
            Ok(_) => false,
        }
    }
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

    /// Also through the connector ureq calls, with the families as a dual-stack host
    /// resolves: a dead IPv6 address first, the sandbox on IPv4.
    #[test]
    fn a_dead_ipv6_address_falls_back_to_ipv4_through_the_connector() {
        let Ok(bh) = Blackhole::bind("[::1]:0".parse().unwrap()) else {
            eprintln!("no IPv6 loopback here: skipped");
            return;
        };
        let sb = Sandbox::builder().start().unwrap();
        let agent = ureq::Agent::with_parts(
            ureq::Agent::config_builder()
                .timeout_connect(Some(Duration::from_secs(5)))
                .build(),
            ().chain(TcpConnector {
                idle_timeout: Duration::from_secs(1),
            }),
            TwoAddresses(bh.addr(), sb.addr()),
        );
        let started = Instant::now();
        let mut answer = agent
            .get(format!(
                "http://dual-stack.test:{}/__sandbox/stats",
                sb.addr().port()
            ))
            .call()
            .expect("answered");
        assert_eq!(answer.status(), 200);
        assert!(answer
            .body_mut()
            .read_to_string()
            .unwrap()
            .contains("requests"));
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    /// Resolves every name to a dead IPv6 address then the sandbox's IPv4 one (its port:
    /// the URL's port must reach the sandbox).
    #[derive(Debug)]
    struct TwoAddresses(SocketAddr, SocketAddr);

    impl ureq::unversioned::resolver::Resolver for TwoAddresses {
        fn resolve(
            &self,
            _: &ureq::http::Uri,
            _: &ureq::config::Config,
            _: NextTimeout,
        ) -> Result<ureq::unversioned::resolver::ResolvedSocketAddrs, ureq::Error> {
            let mut addrs = self.empty();
            addrs.push(self.0);
            addrs.push(self.1);
            Ok(addrs)
        }
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

    #[test]
    fn timeouts_are_set_only_when_they_differ_by_more_than_the_slack() {
        let s = |ms| Some(Duration::from_millis(ms));
        assert!(needs_update(None, s(10_000)));
        assert!(needs_update(s(10_000), None));
        assert!(!needs_update(None, None));
        assert!(!needs_update(
            s(10_000),
            Some(Duration::from_micros(9_999_200))
        ));
        assert!(needs_update(s(10_000), s(9_000)));
        assert!(needs_update(s(100), s(10_000)));
    }
}
