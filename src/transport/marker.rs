//! The write marker: the last connector of ureq's chain, so the attempt loop knows
//! whether a byte of the request was written (after that, nothing is sent again:
//! docs/SPEC.md §6) and whether the attempt opened a connection. It is also the
//! cancellation point (src/cancel.rs).

use std::cell::Cell;
use std::io;

use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, NextTimeout, Transport as UreqTransport,
};

use crate::cancel;
use crate::error::CANCELLED_MESSAGE;

thread_local! {
    /// Whether the current attempt has written a byte of its request (a call runs on one
    /// thread from start to end).
    pub(super) static REQUEST_WRITTEN: Cell<bool> = const { Cell::new(false) };
    /// Whether the current attempt opened a connection (the pool may be another
    /// client's, so the count is made per attempt, for the client that made it).
    pub(super) static CONNECTED: Cell<bool> = const { Cell::new(false) };
}

/// What a write or a wait stopped by the call's token returns: the attempt loop sees
/// [`cancel::take_stopped`] and reports the call as cancelled. Not `Interrupted`: the
/// layers above (rustls's handshake, `write_all`) retry an `Interrupted` read or write,
/// and would ask again and again until the timeout.
pub(super) fn cancelled() -> ureq::Error {
    ureq::Error::Io(io::Error::other(CANCELLED_MESSAGE))
}

/// The last connector of the chain: wraps the finished transport (TCP, or TLS after its
/// handshake) so that writing the request marks the attempt as written, and marks the
/// attempts that opened a connection.
///
/// Through a proxy, ureq runs the chain twice: once for the connection to the proxy
/// (the tunnel, which carries `CONNECT` and then the TLS handshake with the endpoint),
/// then for the connection to the endpoint on top of it. Only the second carries the
/// request, so only it marks and refuses writes; the tunnel's leg is told apart by its
/// configuration, which ureq gives without the proxy.
#[derive(Debug)]
pub(super) struct MarkWrites {
    /// Whether the client goes through a proxy.
    pub(super) via_proxy: bool,
}

impl<In: UreqTransport> Connector<In> for MarkWrites {
    type Out = Marked;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Marked>, ureq::Error> {
        if chained.is_some() {
            CONNECTED.with(|c| c.set(true));
        }
        let tunnel = self.via_proxy && details.config.proxy().is_none();
        Ok(chained.map(|t| Marked {
            inner: Box::new(t),
            tunnel,
        }))
    }
}

/// A transport whose writes mark the attempt (unless it is the tunnel to a proxy).
#[derive(Debug)]
pub(super) struct Marked {
    inner: Box<dyn UreqTransport>,
    tunnel: bool,
}

impl UreqTransport for Marked {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        if amount > 0 && !self.tunnel && !REQUEST_WRITTEN.with(Cell::get) {
            // The cancellation point (src/cancel.rs): the first byte of a cancelled
            // call's request never reaches the socket; later bytes always follow it.
            if cancel::stop_at_the_write() {
                return Err(cancelled());
            }
            REQUEST_WRITTEN.with(|w| w.set(true));
        }
        self.inner.transmit_output(amount, timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.inner.await_input(timeout)
    }

    fn maybe_await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.inner.maybe_await_input(timeout)
    }

    fn is_open(&mut self) -> bool {
        self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}
