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

/// The last connector of the chain: wraps the finished transport (TCP, or TLS after its
/// handshake) so that writing the request marks the attempt as written, and marks the
/// attempts that opened a connection.
#[derive(Debug)]
pub(super) struct MarkWrites;

impl<In: UreqTransport> Connector<In> for MarkWrites {
    type Out = Marked;

    fn connect(
        &self,
        _: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Marked>, ureq::Error> {
        if chained.is_some() {
            CONNECTED.with(|c| c.set(true));
        }
        Ok(chained.map(|t| Marked(Box::new(t))))
    }
}

/// A transport whose writes mark the attempt.
#[derive(Debug)]
pub(super) struct Marked(Box<dyn UreqTransport>);

impl UreqTransport for Marked {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.0.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        if amount > 0 {
            // The cancellation point (src/cancel.rs): the first byte of a cancelled
            // call's request never reaches the socket; later bytes always follow it.
            if !REQUEST_WRITTEN.with(Cell::get) && cancel::refuse_first_write() {
                return Err(ureq::Error::Io(io::Error::new(
                    io::ErrorKind::Interrupted,
                    CANCELLED_MESSAGE,
                )));
            }
            REQUEST_WRITTEN.with(|w| w.set(true));
        }
        self.0.transmit_output(amount, timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.0.await_input(timeout)
    }

    fn maybe_await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.0.maybe_await_input(timeout)
    }

    fn is_open(&mut self) -> bool {
        self.0.is_open()
    }

    fn is_tls(&self) -> bool {
        self.0.is_tls()
    }
}
