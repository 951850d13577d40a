//! The `blackhole` fault: a listener that never accepts, so that a connection to it
//! neither completes nor is refused (the address of a host whose path drops packets).

use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

/// A TCP listener whose accept queue is full and never drained: the kernel drops every
/// further SYN, so a connect to [`addr`](Self::addr) hangs until the client's own timeout
/// (checked on Linux, gVisor's netstack included). Closed when dropped.
pub struct Blackhole {
    addr: SocketAddr,
    _listener: TcpListener,
    /// The connections that fill the queue, kept open and never accepted.
    _fill: Vec<TcpStream>,
}

impl Blackhole {
    /// Listens on `addr` (port 0 picks a free one) with the smallest queue, then fills
    /// the queue with connections of its own until one of them hangs.
    pub fn bind(addr: SocketAddr) -> io::Result<Blackhole> {
        let socket = socket2::Socket::new(
            socket2::Domain::for_address(addr),
            socket2::Type::STREAM,
            None,
        )?;
        socket.bind(&addr.into())?;
        socket.listen(0)?;
        let listener: TcpListener = socket.into();
        let addr = listener.local_addr()?;
        let mut fill = Vec::new();
        loop {
            match TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
                Ok(s) => fill.push(s),
                Err(e) if e.kind() == io::ErrorKind::TimedOut => break,
                Err(e) => return Err(e),
            }
            if fill.len() > 64 {
                return Err(io::Error::other(
                    "the accept queue never filled: connections are not dropped here",
                ));
            }
        }
        Ok(Blackhole {
            addr,
            _listener: listener,
            _fill: fill,
        })
    }

    /// The address that never answers.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn a_connect_to_a_blackhole_neither_completes_nor_is_refused() {
        let bh = Blackhole::bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let started = Instant::now();
        let e = TcpStream::connect_timeout(&bh.addr(), Duration::from_millis(700)).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::TimedOut, "{e}");
        assert!(started.elapsed() >= Duration::from_millis(600));
    }
}
