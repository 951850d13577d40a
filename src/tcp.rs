//! The TCP layer under ureq (its `Connector`/`Transport` API; the HTTP is still ureq's):
//! ureq's own TCP transport spends six system calls per request probing a pooled
//! connection (non-blocking on, read, non-blocking off, twice) and two more setting
//! socket timeouts that differ by microseconds from the ones already set. This one
//! probes with one `recv(MSG_PEEK | MSG_DONTWAIT)` and sets a timeout only when it
//! differs from the socket's by more than [`TIMEOUT_SLACK`]. `tools/strace_verifies.sh`
//! counts the difference.

use std::io::{self, Read, Write};
use std::mem::MaybeUninit;
use std::net::TcpStream;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, ShutdownHandle,
    Transport,
};

/// How far a socket timeout already set may be from the one wanted and still be kept: a
/// read or write may end this much before or after the call's deadline, which the
/// transport checks again on its own.
pub(crate) const TIMEOUT_SLACK: Duration = Duration::from_millis(2);

/// Opens TCP connections; the first of the chain that makes one.
#[derive(Debug, Default)]
pub(crate) struct TcpConnector;

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
        let deadline = budget.map(|b| Instant::now() + b);
        let mut last = None;
        for addr in details.addrs.iter() {
            let attempt = match deadline {
                Some(d) => {
                    let left = d.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(ureq::Error::Timeout(ureq::Timeout::Connect));
                    }
                    TcpStream::connect_timeout(addr, left)
                }
                None => TcpStream::connect(addr),
            };
            match attempt {
                Ok(stream) => {
                    if details.config.no_delay() {
                        stream.set_nodelay(true)?;
                    }
                    let stream = Arc::new(stream);
                    (details.register_shutdown)(
                        Arc::downgrade(&stream) as Weak<dyn ShutdownHandle>
                    )?;
                    let buffers = LazyBuffers::new(
                        details.config.input_buffer_size(),
                        details.config.output_buffer_size(),
                    );
                    return Ok(Some(Either::B(Tcp {
                        stream,
                        buffers,
                        read_timeout: None,
                        write_timeout: None,
                    })));
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
                    ) =>
                {
                    return Err(ureq::Error::Timeout(ureq::Timeout::Connect))
                }
                Err(e) => last = Some(e),
            }
        }
        Err(last.map_or(ureq::Error::ConnectionFailed, ureq::Error::Io))
    }
}

/// A TCP connection.
pub(crate) struct Tcp {
    stream: Arc<TcpStream>,
    buffers: LazyBuffers,
    /// The socket's timeouts as last set (`None`: none set).
    read_timeout: Option<Duration>,
    write_timeout: Option<Duration>,
}

impl std::fmt::Debug for Tcp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tcp")
            .field("peer", &self.stream.peer_addr().ok())
            .finish()
    }
}

/// Whether a socket whose timeout is `set` needs `want` set instead.
fn needs_update(set: Option<Duration>, want: Option<Duration>) -> bool {
    match (set, want) {
        (Some(s), Some(w)) => s.abs_diff(w) > TIMEOUT_SLACK,
        (None, None) => false,
        _ => true,
    }
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
        if needs_update(self.write_timeout, want) {
            self.stream.set_write_timeout(want)?;
            self.write_timeout = want;
        }
        let output = &self.buffers.output()[..amount];
        (&*self.stream)
            .write_all(output)
            .map_err(|e| io_error(e, t))
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        let t = timeout.for_read();
        let want = budget(t)?;
        if needs_update(self.read_timeout, want) {
            self.stream.set_read_timeout(want)?;
            self.read_timeout = want;
        }
        let started = Instant::now();
        let input = self.buffers.input_append_buf();
        let amount = loop {
            match (&*self.stream).read(input) {
                // A signal (SO_RCVTIMEO reads are not restarted): go on with what is left.
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                    let Some(w) = want else {
                        return Err(ureq::Error::Io(e));
                    };
                    let left = w.saturating_sub(started.elapsed());
                    if left.is_zero() {
                        return Err(ureq::Error::Timeout(t.reason));
                    }
                    self.stream.set_read_timeout(Some(left))?;
                    self.read_timeout = Some(left);
                }
                result => break result.map_err(|e| io_error(e, t))?,
            }
        };
        self.buffers.input_appended(amount);
        Ok(amount > 0)
    }

    /// A pooled connection is usable if the peer has neither closed it nor sent anything
    /// unasked: one non-blocking peek.
    fn is_open(&mut self) -> bool {
        let mut byte = [MaybeUninit::<u8>::uninit()];
        let sock = socket2::SockRef::from(&*self.stream);
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
