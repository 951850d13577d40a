//! Idle connections are closed on time, even in a pool that is never used again.
//!
//! ureq closes a pooled connection that is too old only when its pool is next used, so a
//! pool nobody uses again (a client per test against a sandbox per test, a client built
//! once for a job that is over) would keep its sockets until the process ends. Design:
//! every TCP connection ([`Conn`]) notes when its last I/O call ended; one reaper thread
//! per process, started by the first connection and ending when none is left, sleeps
//! until the oldest idle connection reaches its idle timeout and closes it (drops the
//! socket, so the descriptor is freed). ureq's own `max_idle_age` is the same timeout, so
//! the reaper only closes what ureq would never hand out again; a connection it closed
//! answers ureq's probe (`is_open`) with "closed" and is thrown away. A connection being
//! opened (before its first request) and one whose request was written (until its answer
//! is read) are not idle, whatever pause the calling thread takes there (a logger, the
//! scheduler): the reaper leaves them alone, so it never closes a connection under an
//! answer on its way. Between the probe that takes a pooled connection and its request's
//! first byte the reaper may still close it (ureq probes connections it puts back, so a
//! hold there could last for ever); the write then fails before anything is sent
//! ([`is_reaped`]), and the attempt counts as unwritten and is retried.
//!
//! `fork`: a child inherits the registry but not the thread. It gets a registry of its own
//! instead ([`PerProcess`]), lock included, whatever the parent's reaper was doing (a lock
//! it held at `fork` would never be let go in the child): the parent's entries are never
//! touched there (the sockets stay the parent's), and the child starts its own thread for
//! its own connections.
//! The thread is made by `nameauth_pthread::spawn`, not `std::thread::spawn`, so the
//! caller's thread that happens to start it keeps nothing of this library's (a JVM request
//! thread would otherwise keep every redeployed copy of the library mapped).
//!
//! Exit: the process never waits for the thread, which touches nothing but its own
//! sockets, so it neither keeps the process alive nor runs into an interpreter's or a
//! JVM's shutdown;
//! [`stop`] (called by `release_pools`) ends and joins it, for a library about to be
//! unloaded, and a reaper that ended is joined before the next one starts, so none is
//! ever left running detached.

use std::io;
use std::net::TcpStream;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use nameauth_pthread::{PerProcess, Thread};

/// One TCP connection, as the transport and the reaper share it.
pub(crate) struct Conn {
    slot: Mutex<Slot>,
    /// How long it may stay idle before the reaper closes it.
    idle_timeout: Duration,
}

struct Slot {
    /// The socket; `None` once the reaper closed it.
    stream: Option<Arc<TcpStream>>,
    /// An I/O call is under way (a blocking read may last the whole call's timeout), or
    /// the connection is held between two ([`Conn::hold`]).
    busy: bool,
    /// Stay busy when the current I/O call ends, until the next one ends.
    held: bool,
    /// A request has been written on it. Until then it is being opened (a TLS handshake,
    /// a proxy's CONNECT), with pauses between its I/O calls that can outlast a short
    /// idle timeout; it is not idle, and the reaper leaves it alone.
    carried: bool,
    /// When the last I/O call ended, or the connection was made.
    last: Instant,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Conn {
    /// A new connection, registered with this process's reaper.
    pub(crate) fn new(stream: TcpStream, idle_timeout: Duration) -> Arc<Conn> {
        let conn = Arc::new(Conn {
            slot: Mutex::new(Slot {
                stream: Some(Arc::new(stream)),
                busy: false,
                held: false,
                carried: false,
                last: Instant::now(),
            }),
            idle_timeout,
        });
        register(&conn);
        conn
    }

    /// The socket for one I/O call, marked busy until the returned guard is dropped.
    /// `NotConnected` if the reaper closed it (ureq's probe sees that first).
    pub(crate) fn begin(&self) -> io::Result<InUse<'_>> {
        let mut slot = lock(&self.slot);
        let stream = slot.stream.clone().ok_or_else(closed)?;
        slot.busy = true;
        Ok(InUse { conn: self, stream })
    }

    /// Keeps it busy past the current I/O call (the caller holds an [`InUse`]) until the
    /// next one ends: the gap between them is part of a call, not idle time.
    pub(crate) fn hold(&self) {
        lock(&self.slot).held = true;
    }

    /// Marks it as having carried a request: from now on it is idle between I/O calls.
    pub(crate) fn carried_a_request(&self) {
        lock(&self.slot).carried = true;
    }

    /// The socket without marking it busy (for `Debug` and shutdown).
    pub(crate) fn peek(&self) -> Option<Arc<TcpStream>> {
        lock(&self.slot).stream.clone()
    }

    /// When the reaper may close this connection: `None` if in use, being opened, or
    /// closed.
    fn expiry(&self) -> Option<Instant> {
        self.expiry_of(&lock(&self.slot))
    }

    fn expiry_of(&self, slot: &Slot) -> Option<Instant> {
        (slot.stream.is_some() && !slot.busy && slot.carried).then(|| slot.last + self.idle_timeout)
    }

    /// Closes the socket if it is idle and expired at `now`; whether it is closed.
    fn reap(&self, now: Instant) -> bool {
        let mut slot = lock(&self.slot);
        if slot.stream.is_none() {
            return true;
        }
        if self.expiry_of(&slot).is_some_and(|e| e <= now) {
            // The last reference: the descriptor is closed here (a shutdown handle may
            // hold a clone for a moment; it is closed when that ends).
            slot.stream = None;
            return true;
        }
        false
    }
}

/// The error of an I/O call on a connection the reaper had closed before it began.
#[derive(Debug)]
struct Reaped;

impl std::fmt::Display for Reaped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("idle connection closed")
    }
}

impl std::error::Error for Reaped {}

fn closed() -> io::Error {
    io::Error::new(io::ErrorKind::NotConnected, Reaped)
}

/// Whether `e` says the reaper had closed the connection before an I/O call began (so
/// that call sent nothing).
pub(crate) fn is_reaped(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<Reaped>())
}

impl ureq::unversioned::transport::ShutdownHandle for Conn {
    fn shutdown(&self) {
        if let Some(s) = self.peek() {
            let _ = s.shutdown(std::net::Shutdown::Both);
        }
    }
}

/// A socket in use by one I/O call.
pub(crate) struct InUse<'a> {
    conn: &'a Conn,
    stream: Arc<TcpStream>,
}

impl std::ops::Deref for InUse<'_> {
    type Target = TcpStream;

    fn deref(&self) -> &TcpStream {
        &self.stream
    }
}

impl Drop for InUse<'_> {
    fn drop(&mut self) {
        let mut slot = lock(&self.conn.slot);
        slot.busy = std::mem::take(&mut slot.held);
        slot.last = Instant::now();
    }
}

/// Every connection of this process, and its reaper thread.
struct Registry {
    conns: Vec<Weak<Conn>>,
    /// The last reaper started; joined before the next one starts, or by [`stop`], so
    /// that no reaper is left running code of a library about to be unloaded.
    thread: Option<Thread>,
    /// A reaper is running and will look at new entries.
    running: bool,
    /// Which reaper is the current one: [`stop`] moves it on and the old one ends.
    generation: u64,
}

/// The registry's lock, and what wakes the reaper early (a new connection may expire
/// before its next wake, or `stop`).
struct Reaping {
    registry: Mutex<Registry>,
    wake: Condvar,
}

/// This process's (see the `fork` note).
static REAPING: PerProcess<Reaping> = PerProcess::new();

fn reaping() -> &'static Reaping {
    REAPING.get_or(|| Reaping {
        registry: Mutex::new(Registry {
            conns: Vec::new(),
            thread: None,
            running: false,
            generation: 0,
        }),
        wake: Condvar::new(),
    })
}

/// This process's registry.
fn registry() -> MutexGuard<'static, Registry> {
    lock(&reaping().registry)
}

fn register(conn: &Arc<Conn>) {
    let mut reg = registry();
    reg.conns.push(Arc::downgrade(conn));
    if reg.running {
        reaping().wake.notify_one();
        return;
    }
    if let Some(done) = reg.thread.take() {
        // It cleared `running` under this lock and is returning: a short wait.
        done.join();
    }
    reg.generation += 1;
    let generation = reg.generation;
    // If no thread can be made, idle connections are closed by ureq when their pool is
    // next used, as before.
    // Not `std::thread::spawn`, which would leave this caller's thread holding a
    // destructor of this library's code (crates/pthread says why that matters). The
    // default stack (`nameauth_pthread::MIN_STACK`) is plenty.
    reg.thread = nameauth_pthread::spawn("nameauth-idle", 0, move || reap_loop(generation)).ok();
    reg.running = reg.thread.is_some();
}

/// The reaper: closes expired idle connections, sleeps until the next may expire, and
/// ends when no connection is left (the next one starts it again).
fn reap_loop(generation: u64) {
    let reaping = reaping();
    let mut reg = lock(&reaping.registry);
    loop {
        if reg.generation != generation {
            // Stopped (`running` was cleared by `stop`).
            return;
        }
        let now = Instant::now();
        reg.conns.retain(|w| match w.upgrade() {
            Some(c) => !c.reap(now),
            None => false,
        });
        if reg.conns.is_empty() {
            reg.running = false;
            return;
        }
        // In use or not, a connection is looked at again within its idle timeout.
        let next = reg
            .conns
            .iter()
            .filter_map(Weak::upgrade)
            .map(|c| c.expiry().unwrap_or(now + c.idle_timeout))
            .min()
            .unwrap_or(now);
        let wait = next.saturating_duration_since(Instant::now());
        reg = reaping
            .wake
            .wait_timeout(reg, wait.max(Duration::from_millis(1)))
            .unwrap_or_else(|p| p.into_inner())
            .0;
    }
}

/// Ends this process's reaper and waits for it (`release_pools`): for a library about
/// to be unloaded. A later connection starts a new one.
pub(crate) fn stop() {
    let handle = {
        let mut reg = registry();
        reg.generation += 1;
        reg.running = false;
        reaping().wake.notify_all();
        reg.thread.take()
    };
    if let Some(h) = handle {
        h.join();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;
    use std::sync::mpsc;
    use std::thread;

    /// A child forked while the parent's reaper (here, another thread) holds the
    /// registry's lock gets a registry of its own at once, with none of the parent's
    /// connections, and so still closes its own idle connections on time.
    #[test]
    fn a_child_forked_while_the_registry_is_locked_has_its_own() {
        let (held, release) = (mpsc::channel(), mpsc::channel::<()>());
        let holder = thread::spawn(move || {
            let mut reg = registry();
            reg.conns.push(Weak::new());
            held.0.send(()).unwrap();
            release.1.recv().unwrap();
            reg.conns.pop();
        });
        held.1.recv().unwrap();
        let child = nameauth_pthread::in_forked_child(20, || registry().conns.is_empty());
        release.0.send(()).unwrap();
        holder.join().unwrap();
        assert_eq!(child, Ok(()), "the child hung or saw its parent's registry");
    }

    #[test]
    fn idle_sockets_are_closed_after_their_timeout_and_busy_ones_are_not() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let a = l.local_addr().unwrap();
        let opened = |timeout| {
            let c = Conn::new(TcpStream::connect(a).unwrap(), timeout);
            c.carried_a_request();
            c
        };
        let idle = opened(Duration::from_millis(50));
        let busy = opened(Duration::from_millis(50));
        // Still being opened (no request yet): not idle, whatever the pause.
        let opening = Conn::new(TcpStream::connect(a).unwrap(), Duration::from_millis(50));
        let in_use = busy.begin().unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while idle.peek().is_some() && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(10));
        }
        assert!(idle.peek().is_none(), "the idle socket was closed");
        assert!(idle.begin().is_err());
        assert!(busy.peek().is_some(), "the busy socket was left alone");
        assert!(
            opening.peek().is_some(),
            "the socket being opened was left alone"
        );
        // Held past one I/O call (a request written, its answer not read yet): left alone
        // until the next I/O call ends.
        let held = opened(Duration::from_millis(50));
        {
            let _write = held.begin().unwrap();
            held.hold();
        }
        thread::sleep(Duration::from_millis(300));
        assert!(held.peek().is_some(), "the held socket was left alone");
        drop(held.begin().unwrap());
        let deadline = Instant::now() + Duration::from_secs(10);
        while held.peek().is_some() && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(10));
        }
        assert!(
            held.peek().is_none(),
            "released by its next I/O call, then closed"
        );
        drop(in_use);
        assert!(busy.begin().is_ok());

        // `release_pools` stops the reaper (and waits for it); the next connection
        // starts a new one.
        stop();
        let later = opened(Duration::from_millis(50));
        while later.peek().is_some() && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(10));
        }
        assert!(later.peek().is_none(), "a reaper runs again after stop");
    }
}
