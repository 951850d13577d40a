//! The keep-alive pools: one ureq agent per process per transport setting, shared by
//! the clients built with it, and never across `fork` (a child starts with none and
//! leaves its parent's alone: docs/SPEC.md §6).

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use nameauth_pthread::PerProcess;
use ureq::config::Config;
use ureq::unversioned::transport::{ConnectProxyConnector, Connector, RustlsConnector};
use zeroize::Zeroizing;

use super::marker::MarkWrites;
use super::resolver::Resolver;
use super::tcp::TcpConnector;
use super::Transport;

/// Most idle connections a pool keeps, in all and per host (a batch at concurrency 64
/// reuses its connections). How long an idle one is kept is the `idle_timeout_ms` option
/// (src/config.rs), enforced by ureq when the pool is used and by idle.rs when not.
pub(super) const MAX_IDLE: usize = 128;
pub(super) const MAX_IDLE_PER_HOST: usize = 64;
/// Per connection: the input buffer, which bounds the response head (WeChat Pay's is a few
/// hundred bytes), and the output buffer, which holds the request head (under 2 KiB: the
/// longest query the input rules allow). ureq's 128 KiB each cost a fresh connection two
/// mmaps and the faults of zeroing them, and an idle pooled one 256 KiB.
pub(super) const INPUT_BUFFER: usize = 16 * 1024;
pub(super) const OUTPUT_BUFFER: usize = 8 * 1024;
/// Most pools a process keeps for clients it no longer has; the oldest goes first.
const MAX_POOLS: usize = 64;

/// What decides whether two clients can share a keep-alive pool: everything their
/// agents are made from (docs/SPEC.md §6: the connections, not the credentials).
#[derive(Clone, PartialEq, Eq)]
pub(super) struct PoolKey {
    pub(super) endpoint: String,
    pub(super) fallback: Option<String>,
    pub(super) proxy: Option<Zeroizing<String>>,
    pub(super) roots: Vec<u8>,
    pub(super) connect_timeout: Duration,
    pub(super) timeout: Duration,
    pub(super) idle_timeout: Duration,
}

/// One pool of this process.
struct Pool {
    key: PoolKey,
    agent: ureq::Agent,
}

/// Every pool of this process: clients built with the same settings share one, and it
/// outlives them, so code that builds a client per request (a php-fpm page, a per-call
/// Java client, a CGI script) still reuses its connections. A child after `fork` starts
/// with none and a lock of its own, whatever a parent's thread was doing: its parent's
/// pools are left unused, never dropped (which could shut down TLS on sockets the parent
/// still uses).
static POOLS: PerProcess<Mutex<Vec<Pool>>> = PerProcess::new();

/// This process's pools.
fn pools() -> MutexGuard<'static, Vec<Pool>> {
    let pools = POOLS.get_or(|| Mutex::new(Vec::new()));
    pools.lock().unwrap_or_else(|p| p.into_inner())
}

/// The pool for `key` in this process, made by `make` if there is none.
pub(super) fn shared_agent(key: &PoolKey, make: impl FnOnce() -> ureq::Agent) -> ureq::Agent {
    let mut pools = pools();
    if let Some(i) = pools.iter().position(|p| p.key == *key) {
        // Most recently used last.
        let pool = pools.remove(i);
        let agent = pool.agent.clone();
        pools.push(pool);
        return agent;
    }
    let agent = make();
    if pools.len() >= MAX_POOLS {
        pools.remove(0);
    }
    pools.push(Pool {
        key: key.clone(),
        agent: agent.clone(),
    });
    agent
}

/// Drops this process's pools: each closes its idle connections once no client uses it
/// any more, and later clients start new ones. Also ends the idle reaper's thread (a
/// library about to be unloaded must run none); later connections start it again.
pub(crate) fn release_pools() {
    let pools = std::mem::take(&mut *pools());
    drop(pools);
    super::idle::stop();
}

/// ureq's chain with our TCP layer in place of its own (tcp.rs): CONNECT through an
/// http proxy, TCP, rustls, then the write marker. SOCKS proxies were refused when the
/// client was built.
pub(super) fn new_agent(config: Config, idle_timeout: Duration) -> ureq::Agent {
    let via_proxy = config.proxy().is_some();
    let connector =
        ().chain(ConnectProxyConnector::default())
            .chain(TcpConnector { idle_timeout })
            .chain(RustlsConnector::default())
            .chain(MarkWrites { via_proxy });
    ureq::Agent::with_parts(config, connector, Resolver::default())
}

impl Transport {
    /// This process's agent: after a `fork`, this process's pool for the same settings
    /// (a new one, with no connections), never the parent's, which is left unused and
    /// never dropped (dropping could shut down TLS on a socket the parent still uses).
    pub(super) fn agent(&self) -> ureq::Agent {
        let make = || {
            shared_agent(&self.key, || {
                new_agent(self.config.clone(), self.key.idle_timeout)
            })
        };
        self.agent.get_or(make).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    /// The order that hung a child: a thread of the parent holds the pools' lock (as while
    /// it builds a new pool's agent) at the instant of `fork`. The child has its own.
    #[test]
    fn a_child_forked_while_a_thread_holds_the_pools_lock_has_pools_of_its_own() {
        let (held, release) = (mpsc::channel(), mpsc::channel::<()>());
        let holder = std::thread::spawn(move || {
            let guard = pools();
            held.0.send(()).unwrap();
            release.1.recv().unwrap();
            drop(guard);
        });
        held.1.recv().unwrap();
        let child = nameauth_pthread::in_forked_child(20, || pools().is_empty());
        release.0.send(()).unwrap();
        holder.join().unwrap();
        assert_eq!(child, Ok(()), "the child hung on its parent's lock");
    }
}
