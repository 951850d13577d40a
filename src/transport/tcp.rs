//! The TCP layer under ureq (its `Connector`/`Transport` API; the HTTP is still ureq's):
//! ureq's own TCP transport spends six system calls per request probing a pooled
//! connection (non-blocking on, read, non-blocking off, twice) and two more setting
//! socket timeouts that differ by microseconds from the ones already set. This one
//! probes with one `recv(MSG_PEEK | MSG_DONTWAIT)` and sets a timeout only when it
//! differs from the socket's by more than [`TIMEOUT_SLACK`]. `tools/strace_verifies.sh`
//! counts the difference. Its connections are opened by connect.rs (Happy Eyeballs) and
//! close themselves when idle (idle.rs).
//!
//! Cancelling (src/cancel.rs). A call given a token must be able to stop while its
//! attempt has written nothing: while it connects (connect.rs), and while it waits for a
//! proxy's answer to CONNECT or for the TLS server's handshake (a proxy or server that
//! accepts and never answers would otherwise hold it for the whole connect timeout). For
//! such a call those waits `poll` in slices of [`cancel::POLL`], looking at the token
//! between slices. Calls without a token, and every wait after the request's first byte,
//! are unchanged.

use std::cell::Cell;
use std::io::{self, Read, Write};
use std::mem::MaybeUninit;
use std::net::TcpStream;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use rustix::event::{poll, PollFd, PollFlags, Timespec};
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, ShutdownHandle,
    Transport,
};

use super::connect::connect;
use super::idle::Conn;
use super::marker::{self, REQUEST_WRITTEN};
use crate::cancel;

/// How far a socket timeout already set may be from the one wanted and still be kept: a
/// read or write may end this much before or after the call's deadline, which the
/// transport checks again on its own.
pub(crate) const TIMEOUT_SLACK: Duration = Duration::from_millis(2);

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
    use std::net::SocketAddr;

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
