//! docs/SPEC.md §6: the only module that does I/O. One ureq agent (one keep-alive pool) per
//! process per transport setting, shared by the clients built with it and never across
//! `fork`, timeouts always set, bounded bodies, retries only where the request cannot
//! have been processed, and messages that never carry the URL (it holds the name and ID).

use std::hash::{BuildHasher, Hasher};
use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

use std::cell::Cell;
use ureq::config::Config;
use ureq::http::Uri;
use ureq::tls::{Certificate, RootCerts, TlsConfig};
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs};
use ureq::unversioned::transport::{
    Buffers, ConnectProxyConnector, ConnectionDetails, Connector, NextTimeout, RustlsConnector,
    Transport as UreqTransport,
};
use zeroize::Zeroizing;

use crate::cancel::{self, CallOptions};
use crate::config::TransportSettings;
use crate::error::{Error, Rule, CANCELLED_MESSAGE};
use crate::report::{Level, Report};
use crate::response::MAX_BODY_BYTES;
use crate::stats::Counters;
use crate::tcp::TcpConnector;

/// First backoff before a retry; doubled each time, with ±50 % jitter.
const BACKOFF_BASE: Duration = Duration::from_millis(100);

pub(crate) struct Transport {
    /// The agent (one keep-alive pool) and the process it was made in: a child after
    /// `fork` gets a fresh one, never its parent's connections (docs/SPEC.md §6).
    agent: std::sync::RwLock<(u32, ureq::Agent)>,
    /// What a fresh agent is made from.
    config: Config,
    /// Which process-wide pool this transport uses.
    key: PoolKey,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) retries: u32,
    /// `scheme://host:port/path` of the endpoint, for messages.
    label: String,
    /// Whether requests go through a proxy (a refused connection is then the proxy's).
    via_proxy: bool,
    fallback: Option<Fallback>,
    counters: Arc<Counters>,
}

/// One failed attempt, and whether another may follow.
struct Failure {
    error: Error,
    retryable: bool,
    /// No connection to the endpoint was ever made (refused, not established, host
    /// not found): the fallback endpoint may take the attempt.
    unreached: bool,
}

/// Where an attempt goes.
struct Target<'a> {
    url: &'a str,
    label: &'a str,
}

/// The fallback endpoint and its label.
struct Fallback {
    endpoint: String,
    label: String,
}

impl Fallback {
    /// The request `url` (the primary `endpoint`, a separator, the signed query) sent to
    /// the fallback instead. It holds the name and ID, so it is wiped when dropped.
    fn url_for(&self, url: &str, endpoint: &str) -> Zeroizing<String> {
        let query = &url[endpoint.len() + 1..];
        let mut out = Zeroizing::new(String::with_capacity(self.endpoint.len() + query.len() + 1));
        out.push_str(&self.endpoint);
        out.push(if self.endpoint.contains('?') {
            '&'
        } else {
            '?'
        });
        out.push_str(query);
        out
    }
}

impl Transport {
    /// Reads the extra roots and builds the agent. The route (endpoint and proxy) was
    /// checked with the rest of the configuration.
    pub(crate) fn new(b: &TransportSettings, counters: Arc<Counters>) -> Result<Transport, Error> {
        let proxy = match &b.proxy {
            Some(p) => Some(ureq::Proxy::new(&proxy_url(p)).map_err(|_| {
                Error::config(
                    "proxy",
                    Rule::BadValue,
                    "is not a valid proxy URL (http://[user:password@]host:port)",
                )
            })?),
            None => None,
        };
        let mut extra = Vec::new();
        // The extra roots as given: part of what decides which pool a client shares.
        let mut pems = Vec::new();
        if let Some(path) = &b.ca_file {
            let pem = std::fs::read(path).map_err(|e| {
                Error::config(
                    "ca_file",
                    Rule::BadValue,
                    format_args!("cannot read {}: {e}", path.display()),
                )
            })?;
            extra.extend(parse_roots(&pem, "ca_file")?);
            pems.extend_from_slice(&pem);
        }
        if let Some(pem) = &b.ca_pem {
            extra.extend(parse_roots(pem, "ca_pem")?);
            pems.extend_from_slice(pem);
        }
        let mut tls = TlsConfig::builder();
        if !extra.is_empty() {
            // Mozilla's roots plus the caller's, not the caller's alone.
            let mut roots: Vec<Certificate<'static>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
                .iter()
                .map(|c| Certificate::from_der(c.as_ref()))
                .collect();
            roots.extend(extra);
            tls = tls.root_certs(RootCerts::Specific(Arc::new(roots)));
        }
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            // Never follow a redirect: the query holds personal data.
            .max_redirects(0)
            .proxy(proxy)
            .tls_config(tls.build())
            .timeout_connect(Some(b.connect_timeout))
            .timeout_global(Some(b.timeout))
            .max_idle_connections(MAX_IDLE)
            .max_idle_connections_per_host(MAX_IDLE_PER_HOST)
            .max_idle_age(b.idle_timeout)
            .input_buffer_size(INPUT_BUFFER)
            // One byte less than the buffer: ureq refuses a head only once the bytes it
            // holds exceed this, and a full buffer would otherwise read as a closed
            // connection ("no progress") instead of a head over the limit.
            .max_response_header_size(INPUT_BUFFER - 1)
            .output_buffer_size(OUTPUT_BUFFER)
            .user_agent(concat!("nameauth/", env!("CARGO_PKG_VERSION")))
            .accept("application/json, text/javascript")
            .build();
        let key = PoolKey {
            endpoint: b.endpoint.clone(),
            fallback: b.fallback_endpoint.clone(),
            proxy: b.proxy.clone(),
            roots: pems,
            connect_timeout: b.connect_timeout,
            timeout: b.timeout,
            idle_timeout: b.idle_timeout,
        };
        let agent = shared_agent(&key, || new_agent(config.clone(), b.idle_timeout));
        Ok(Transport {
            key,
            fallback: b.fallback_endpoint.as_ref().map(|f| Fallback {
                endpoint: f.clone(),
                label: redact_url(f),
            }),
            counters,
            agent: std::sync::RwLock::new((std::process::id(), agent)),
            config,
            timeout: b.timeout,
            connect_timeout: b.connect_timeout,
            retries: b.retries,
            label: redact_url(&b.endpoint),
            via_proxy: b.proxy.is_some(),
        })
    }

    /// GETs `url` (which starts with the endpoint) and returns the body of a 2xx answer,
    /// at most 64 KiB. The whole call, retries, backoff and failover included, ends within
    /// the configured timeout, or `options`' deadline if that comes first. `report` gets
    /// the attempts and a note per retry and failover. A cancelled token stops the call
    /// before any attempt writes its request (src/cancel.rs has the design).
    pub(crate) fn get(
        &self,
        url: &str,
        options: &CallOptions,
        report: &mut Report,
    ) -> Result<Vec<u8>, Error> {
        let start = Instant::now();
        let configured = start + self.timeout;
        let (deadline, by_caller) = match options.deadline {
            Some(d) if d < configured => (d, true),
            _ => (configured, false),
        };
        // The caller's deadline, when it is the one reached, is named as such.
        let whole_call_timeout = || {
            if !by_caller {
                return self.whole_call_timeout();
            }
            Error::timeout(format!(
                "no complete answer from {} before the caller's deadline ({} ms after the \
                 call began, sooner than the {} ms timeout)",
                self.label,
                deadline.saturating_duration_since(start).as_millis(),
                self.timeout.as_millis()
            ))
        };
        let caller_timeout = |mut f: Failure| {
            if by_caller && f.error == self.whole_call_timeout() {
                f.error = whole_call_timeout();
            }
            f
        };
        // Retries follow only failures the server did not process (SPEC §6).
        let cancelled = |attempt: u32| match attempt {
            0 => Error::cancelled(CANCELLED_MESSAGE),
            n => Error::cancelled(format!(
                "the call was cancelled before attempt {} was sent; the server processed none \
                 of the {n} before it, and nothing more was sent",
                n + 1
            )),
        };
        refuse_if_the_http_stack_traces()?;
        let agent = self.agent();
        let _armed = cancel::arm(options);
        let primary = Target {
            url,
            label: &self.label,
        };
        let mut fallback_url = None;
        let mut attempt = 0;
        loop {
            if options.is_cancelled() {
                return Err(cancelled(attempt));
            }
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(whole_call_timeout());
            }
            // The agent's own timeouts fit a first attempt; a retry, or a call bound by
            // the caller's deadline, gets what is left.
            let budget = (attempt > 0 || by_caller).then_some(remaining);
            let mut failure = match self.attempt(&agent, &primary, budget, report) {
                // An answer after the deadline is no answer within the timeout.
                Ok(_) if Instant::now() > deadline => return Err(whole_call_timeout()),
                Ok(body) => return Ok(body),
                Err(_) if cancel::take_stopped() => return Err(cancelled(attempt)),
                Err(f) => caller_timeout(f),
            };
            if let (true, Some(fb)) = (failure.unreached, &self.fallback) {
                // The endpoint was never reached, so nothing was sent: the fallback gets
                // this attempt's turn.
                let url = fallback_url.get_or_insert_with(|| fb.url_for(url, &self.key.endpoint));
                let remaining = deadline.saturating_duration_since(Instant::now());
                if remaining.is_zero() {
                    return Err(whole_call_timeout());
                }
                if options.is_cancelled() {
                    return Err(cancelled(attempt));
                }
                self.counters.failover();
                report.failovers += 1;
                report.note(
                    Level::Warn,
                    format!(
                        "failover: {} ({}); sending to {}",
                        self.label, failure.error, fb.label
                    ),
                );
                let target = Target {
                    url,
                    label: &fb.label,
                };
                failure = match self.attempt(&agent, &target, Some(remaining), report) {
                    Ok(_) if Instant::now() > deadline => return Err(whole_call_timeout()),
                    Ok(body) => return Ok(body),
                    Err(_) if cancel::take_stopped() => return Err(cancelled(attempt)),
                    Err(f) => caller_timeout(f),
                };
            }
            if !failure.retryable || attempt >= self.retries {
                return Err(failure.error);
            }
            let pause = backoff(attempt);
            if Instant::now() + pause >= deadline {
                return Err(failure.error);
            }
            report.note(
                Level::Warn,
                format!(
                    "retry: attempt {} failed ({}); retrying in {} ms",
                    attempt + 1,
                    failure.error,
                    pause.as_millis()
                ),
            );
            if cancel::sleep_unless_cancelled(pause, options) {
                return Err(cancelled(attempt + 1));
            }
            self.counters.retry();
            attempt += 1;
        }
    }

    /// One request; `budget` overrides the agent's timeouts (a per-request config costs
    /// a copy of the agent's, so only retries pay for it).
    fn attempt(
        &self,
        agent: &ureq::Agent,
        target: &Target<'_>,
        budget: Option<Duration>,
        report: &mut Report,
    ) -> Result<Vec<u8>, Failure> {
        REQUEST_WRITTEN.with(|w| w.set(false));
        CONNECTED.with(|c| c.set(false));
        self.counters.request();
        report.attempts += 1;
        let result = self.send(agent, target, budget);
        if CONNECTED.with(Cell::get) {
            self.counters.connection();
        }
        result
    }

    fn send(
        &self,
        agent: &ureq::Agent,
        target: &Target<'_>,
        budget: Option<Duration>,
    ) -> Result<Vec<u8>, Failure> {
        let request = agent.get(target.url);
        let sent = match budget {
            None => request.call(),
            Some(left) => request
                .config()
                .timeout_global(Some(left))
                .timeout_connect(Some(self.connect_timeout.min(left)))
                .build()
                .call(),
        };
        let mut response = sent.map_err(|e| self.after_write(self.classify(e, target.label)))?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY_BYTES as u64)
            .read_to_vec();
        if !(200..300).contains(&status) {
            return Err(Failure {
                error: Error::from_http_status(status),
                // 503 says the request was not processed; after 502 or 504 it may have
                // been, and a second send would be a second check of a person.
                retryable: status == 503,
                unreached: false,
            });
        }
        body.map_err(|e| self.after_write(self.classify(e, target.label)))
    }

    /// Once a byte of the request was written the server may have run the check: no
    /// failure after that is retried (docs/SPEC.md §6), whatever its kind.
    fn after_write(&self, mut f: Failure) -> Failure {
        if REQUEST_WRITTEN.with(Cell::get) {
            f.retryable = false;
            f.unreached = false;
        }
        f
    }

    /// This process's agent: after a `fork`, a new one with no connections.
    fn agent(&self) -> ureq::Agent {
        let pid = std::process::id();
        {
            let guard = self.agent.read().unwrap_or_else(|p| p.into_inner());
            if guard.0 == pid {
                return guard.1.clone();
            }
        }
        let mut guard = self.agent.write().unwrap_or_else(|p| p.into_inner());
        if guard.0 != pid {
            // The parent's pool is dropped without being used; its sockets stay the
            // parent's.
            let parents = std::mem::replace(
                &mut *guard,
                (
                    pid,
                    shared_agent(&self.key, || {
                        new_agent(self.config.clone(), self.key.idle_timeout)
                    }),
                ),
            );
            // Never used, never dropped: dropping could shut down TLS on a socket the
            // parent still uses.
            std::mem::forget(parents);
        }
        guard.1.clone()
    }

    fn whole_call_timeout(&self) -> Error {
        Error::timeout(format!(
            "no complete answer from {} within the {} ms timeout",
            self.label,
            self.timeout.as_millis()
        ))
    }

    /// Maps a ureq error to ours. Only variants known not to carry the URL are shown.
    fn classify(&self, e: ureq::Error, label: &str) -> Failure {
        let fatal = |error| Failure {
            error,
            retryable: false,
            unreached: false,
        };
        let retry = |error| Failure {
            error,
            retryable: true,
            unreached: false,
        };
        // Never reached: no connection to the endpoint was made (through a proxy, the
        // endpoint's reachability is unknown).
        let unreached = |error, retryable| Failure {
            error,
            retryable,
            unreached: !self.via_proxy,
        };
        match e {
            ureq::Error::Timeout(ureq::Timeout::Connect) => unreached(
                Error::timeout(format!(
                    "could not connect to {label} within the {} ms connect timeout",
                    self.connect_timeout.as_millis()
                )),
                true,
            ),
            ureq::Error::Timeout(_) => fatal(self.whole_call_timeout()),
            ureq::Error::Io(io) => self.classify_io(&io, label),
            ureq::Error::HostNotFound => unreached(
                Error::transport(format!("host not found for {label}")),
                false,
            ),
            ureq::Error::ConnectionFailed if self.via_proxy => retry(Error::transport(
                "could not connect to the proxy".to_owned(),
            )),
            ureq::Error::ConnectionFailed => unreached(
                Error::transport(format!("could not connect to {label}")),
                true,
            ),
            ureq::Error::BodyExceedsLimit(_) => fatal(Error::protocol(format!(
                "response body exceeds the {} KiB limit",
                MAX_BODY_BYTES / 1024
            ))),
            ureq::Error::LargeResponseHeader(..) => fatal(Error::protocol(format!(
                "header too large: the response head from {label} is over the {} KiB limit",
                INPUT_BUFFER / 1024
            ))),
            ureq::Error::Protocol(_) => fatal(Error::transport(format!(
                "malformed HTTP answer from {label}"
            ))),
            ureq::Error::Tls(msg) => {
                retry(Error::transport(format!("TLS failure with {label}: {msg}")))
            }
            ureq::Error::Rustls(tls) => self.classify_tls(&tls, label),
            ureq::Error::ConnectProxyFailed(reason) => fatal(self.proxy_refused(&reason, label)),
            ureq::Error::InvalidProxyUrl => fatal(Error::transport(format!(
                "the proxy refused or failed to connect to {label}"
            ))),
            ureq::Error::BadUri(_) | ureq::Error::Http(_) => fatal(Error::config(
                "endpoint",
                Rule::BadValue,
                "is not a usable URL",
            )),
            _ => fatal(Error::transport(format!(
                "HTTP client error talking to {label}"
            ))),
        }
    }

    /// What a proxy's answer to CONNECT other than 200 means. ureq's reason reads
    /// `proxy server responded <status>/...`; only the status is used, never the proxy URL
    /// (it may hold a password).
    fn proxy_refused(&self, reason: &str, label: &str) -> Error {
        let status = reason
            .strip_prefix("proxy server responded ")
            .and_then(|r| r.get(..3))
            .and_then(|s| s.parse::<u16>().ok());
        let with_credentials = self.key.proxy.as_deref().is_some_and(|p| {
            ureq::Proxy::new(&proxy_url(p))
                .is_ok_and(|p| p.username().is_some() || p.password().is_some())
        });
        match status {
            Some(407) if with_credentials => Error::transport(
                "the proxy refused the user and password given in proxy (HTTP 407 Proxy \
                 Authentication Required); check them",
            ),
            Some(407) => Error::transport(
                "the proxy requires authentication (HTTP 407 Proxy Authentication Required); \
                 give a user and password in proxy (http://user:password@host:port)",
            ),
            Some(status) => Error::transport(format!(
                "the proxy answered HTTP {status} to the CONNECT for {label}"
            )),
            None => Error::transport(format!("the proxy refused or failed to connect to {label}")),
        }
    }

    fn classify_io(&self, io: &io::Error, label: &str) -> Failure {
        if let Some(tls) = io.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
            return self.classify_tls(tls, label);
        }
        let (text, retryable) = match io.kind() {
            io::ErrorKind::ConnectionRefused if self.via_proxy => {
                ("connection refused by the proxy".to_owned(), true)
            }
            io::ErrorKind::ConnectionRefused => {
                return Failure {
                    error: Error::transport(format!("connection refused by {label}")),
                    retryable: true,
                    unreached: true,
                }
            }
            io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted => {
                (format!("connection reset by {label}"), false)
            }
            io::ErrorKind::UnexpectedEof | io::ErrorKind::BrokenPipe => (
                format!("connection closed by {label} before a complete answer"),
                false,
            ),
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => {
                return Failure {
                    error: self.whole_call_timeout(),
                    retryable: false,
                    unreached: false,
                }
            }
            _ => (format!("I/O error talking to {label}: {io}"), false),
        };
        Failure {
            error: Error::transport(text),
            retryable,
            unreached: false,
        }
    }

    fn classify_tls(&self, tls: &rustls::Error, label: &str) -> Failure {
        use rustls::{AlertDescription, PeerIncompatible};
        // The server speaks none of the versions rustls offers (TLS 1.2 and 1.3): it chose
        // an older one, or said so with a protocol_version alert. That never heals.
        let version = match tls {
            rustls::Error::PeerIncompatible(
                PeerIncompatible::ServerDoesNotSupportTls12Or13
                | PeerIncompatible::ServerTlsVersionIsDisabledByOurConfig
                | PeerIncompatible::SupportedVersionsExtensionRequired,
            ) => Some("the server does not speak TLS 1.2 or 1.3"),
            rustls::Error::AlertReceived(AlertDescription::ProtocolVersion) => {
                Some("the server refused TLS 1.2 and 1.3 (protocol_version alert)")
            }
            _ => None,
        };
        if let Some(what) = version {
            return Failure {
                unreached: false,
                error: Error::transport(format!(
                    "TLS failure with {label}: protocol version mismatch: {what}; nameauth \
                     needs TLS 1.2 or later (not retried)"
                )),
                retryable: false,
            };
        }
        Failure {
            unreached: false,
            error: Error::transport(format!("TLS failure with {label}: {tls}")),
            // A certificate that does not verify will not verify next time either.
            retryable: !matches!(
                tls,
                rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented
            ),
        }
    }
}

thread_local! {
    /// Whether the current attempt has written a byte of its request (a call runs on one
    /// thread from start to end).
    static REQUEST_WRITTEN: Cell<bool> = const { Cell::new(false) };
    /// Whether the current attempt opened a connection (the pool may be another
    /// client's, so the count is made per attempt, for the client that made it).
    static CONNECTED: Cell<bool> = const { Cell::new(false) };
}

/// Most idle connections a pool keeps, in all and per host (a batch at concurrency 64
/// reuses its connections). How long an idle one is kept is the `idle_timeout_ms` option
/// (src/config.rs), enforced by ureq when the pool is used and by src/idle.rs when not.
const MAX_IDLE: usize = 128;
const MAX_IDLE_PER_HOST: usize = 64;
/// Per connection: the input buffer, which bounds the response head (WeChat Pay's is a few
/// hundred bytes), and the output buffer, which holds the request head (under 2 KiB: the
/// longest query the input rules allow). ureq's 128 KiB each cost a fresh connection two
/// mmaps and the faults of zeroing them, and an idle pooled one 256 KiB.
const INPUT_BUFFER: usize = 16 * 1024;
const OUTPUT_BUFFER: usize = 8 * 1024;
/// Most pools a process keeps for clients it no longer has; the oldest goes first.
const MAX_POOLS: usize = 64;

/// What decides whether two clients can share a keep-alive pool: everything their
/// agents are made from (docs/SPEC.md §6: the connections, not the credentials).
#[derive(Clone, PartialEq, Eq)]
struct PoolKey {
    endpoint: String,
    fallback: Option<String>,
    proxy: Option<Zeroizing<String>>,
    roots: Vec<u8>,
    connect_timeout: Duration,
    timeout: Duration,
    idle_timeout: Duration,
}

/// One pool of this process.
struct Pool {
    pid: u32,
    key: PoolKey,
    agent: ureq::Agent,
}

/// Every pool of this process: clients built with the same settings share one, and it
/// outlives them, so code that builds a client per request (a php-fpm page, a per-call
/// Java client, a CGI script) still reuses its connections.
static POOLS: std::sync::Mutex<Vec<Pool>> = std::sync::Mutex::new(Vec::new());

/// The pool for `key` in this process, made by `make` if there is none. After `fork` the
/// child starts with none: its parent's pools are left unused (never dropped, which could
/// shut down TLS on sockets the parent still uses).
fn shared_agent(key: &PoolKey, make: impl FnOnce() -> ureq::Agent) -> ureq::Agent {
    let pid = std::process::id();
    let mut pools = POOLS.lock().unwrap_or_else(|p| p.into_inner());
    if pools.iter().any(|p| p.pid != pid) {
        let (mine, parents): (Vec<Pool>, Vec<Pool>) = pools.drain(..).partition(|p| p.pid == pid);
        parents.into_iter().for_each(std::mem::forget);
        *pools = mine;
    }
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
        pid,
        key: key.clone(),
        agent: agent.clone(),
    });
    agent
}

/// ureq's chain with our TCP layer in place of its own (src/tcp.rs): CONNECT through an
/// http proxy, TCP, rustls, then the write marker. SOCKS proxies were refused when the
/// client was built.
/// Drops this process's pools: each closes its idle connections once no client uses it
/// any more, and later clients start new ones. Also ends the idle reaper's thread (a
/// library about to be unloaded must run none); later connections start it again.
pub(crate) fn release_pools() {
    let pools = std::mem::take(&mut *POOLS.lock().unwrap_or_else(|p| p.into_inner()));
    let pid = std::process::id();
    for p in pools {
        if p.pid == pid {
            drop(p);
        } else {
            // A parent's, after fork: never dropped here (see shared_agent).
            std::mem::forget(p);
        }
    }
    crate::idle::stop();
}

fn new_agent(config: Config, idle_timeout: Duration) -> ureq::Agent {
    let connector =
        ().chain(ConnectProxyConnector::default())
            .chain(TcpConnector { idle_timeout })
            .chain(RustlsConnector::default())
            .chain(MarkWrites);
    ureq::Agent::with_parts(config, connector, Resolver::default())
}

/// The last connector of the chain: wraps the finished transport (TCP, or TLS after its
/// handshake) so that writing the request marks the attempt as written, and marks the
/// attempts that opened a connection.
#[derive(Debug)]
struct MarkWrites;

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
struct Marked(Box<dyn UreqTransport>);

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

/// ureq writes the request line, query included, to its log at Trace level (targets
/// `ureq::util` and `ureq_proto::util`): the name, the ID number and the sign. When a
/// logger would record that, nothing is sent (docs/SPEC.md §6: never in logs, the HTTP
/// stack's own included).
fn refuse_if_the_http_stack_traces() -> Result<(), Error> {
    let traced = log::log_enabled!(target: "ureq::util", log::Level::Trace)
        || log::log_enabled!(target: "ureq_proto::util", log::Level::Trace)
        || log::log_enabled!(target: "ureq::run", log::Level::Trace);
    if traced {
        return Err(Error::config(
            "logging",
            Rule::BadValue,
            "a logger records ureq at Trace level, which would write the request line (name, \
             ID number, sign) to the log; nothing was sent: set ureq and ureq_proto to Debug \
             or lower",
        ));
    }
    Ok(())
}

/// How long resolved addresses of a host name are reused.
const DNS_CACHE_TTL: Duration = Duration::from_secs(30);

/// ureq resolves before it looks for a pooled connection, and with a timeout set its
/// default resolver spawns a thread per request. This one answers IP literals directly
/// and keeps a host name's addresses for `DNS_CACHE_TTL`, so a keep-alive call costs no
/// thread and no lookup.
#[derive(Debug, Default)]
struct Resolver {
    cache: std::sync::Mutex<Option<(String, Instant, ResolvedSocketAddrs)>>,
}

impl ureq::unversioned::resolver::Resolver for Resolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let host = uri.host().unwrap_or_default();
        let default_port = if uri.scheme_str() == Some("http") {
            80
        } else {
            443
        };
        let port = uri.port_u16().unwrap_or(default_port);
        if let Ok(ip) = host.trim_start_matches('[').trim_end_matches(']').parse() {
            let mut addrs = self.empty();
            addrs.push(std::net::SocketAddr::new(ip, port));
            return Ok(addrs);
        }
        let key = format!("{host}:{port}");
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((k, at, addrs)) = &*cache {
            if *k == key && at.elapsed() < DNS_CACHE_TTL {
                return Ok(addrs.clone());
            }
        }
        drop(cache);
        let addrs = DefaultResolver::default().resolve(uri, config, timeout)?;
        cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        *cache = Some((key, Instant::now(), addrs.clone()));
        Ok(addrs)
    }
}

/// docs/SPEC.md §6's route rules: the endpoint is `https://`, or `http://` to a loopback
/// address when no proxy is in the way; any other plain `http://` route (a remote host,
/// or any host through a proxy, which would see the query in clear) needs `allow_http`.
/// The proxy itself must be `http://` (the only proxy scheme the transport serves). No
/// `#fragment`; a `?query` is kept and the signed query follows it after `&`.
pub(crate) fn check_route(
    field: &'static str,
    endpoint: &str,
    proxy: Option<&str>,
    allow_http: bool,
) -> Result<(), Error> {
    let bad = |text: &str| Error::config(field, Rule::BadValue, text);
    // The signed query is appended to the endpoint as written: after a `#` it would be a
    // fragment, which is never sent (the server would see a request without its fields).
    if endpoint.contains('#') {
        return Err(bad(
            "must not hold a #fragment: the signed query would be appended after it and \
             never sent; remove the # and what follows (a ?query is allowed)",
        ));
    }
    let uri: ureq::http::Uri = endpoint
        .parse()
        .map_err(|_| bad("is not a valid URL (expected https://host/path)"))?;
    let host = uri
        .host()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| bad("has no host (expected https://host/path)"))?;
    if let Some(p) = proxy {
        check_proxy(p)?;
    }
    match uri.scheme_str() {
        Some("https") => Ok(()),
        Some("http") if allow_http => Ok(()),
        Some("http") if proxy.is_some() => Err(bad(
            "plain http:// through a proxy would show the name and ID number to the proxy; \
             use https:// (or the allow_http opt-in for a test rig you control)",
        )),
        Some("http") if is_loopback(host) => Ok(()),
        Some("http") => Err(bad(
            "plain http:// is only allowed to a loopback address; use https:// \
             (or the allow_http opt-in for a test rig you control)",
        )),
        _ => Err(bad(
            "must start with https:// (or http:// to a loopback address)",
        )),
    }
}

/// A proxy URL the transport can serve: `http://[user:password@]host:port` (or
/// `host:port`). Other schemes (SOCKS, https) are refused here rather than failing on
/// every request. The message never shows the URL (it may hold a password).
fn check_proxy(proxy: &str) -> Result<(), Error> {
    let bad = |text: &str| Error::config("proxy", Rule::BadValue, text);
    let scheme = proxy.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    match scheme.as_deref() {
        None | Some("http") => {}
        Some(_) => {
            return Err(bad(
                "only http:// proxies are supported (SOCKS and https:// proxies are not)",
            ))
        }
    }
    ureq::Proxy::new(&proxy_url(proxy))
        .map(|_| ())
        .map_err(|_| bad("is not a valid proxy URL (http://[user:password@]host:port)"))
}

/// Characters a URL's user and password may hold as they are (RFC 3986 unreserved and
/// sub-delims, `:` and `%` escapes); every other byte is percent-encoded.
const USERINFO: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'%');

/// The proxy URL as ureq parses it: the user and password (everything before the last
/// `@`) percent-encoded where they hold characters a URL cannot, so a password with `\`,
/// `#`, `?`, `/` or a space works as written. `%` still starts an escape, as in any URL.
fn proxy_url(proxy: &str) -> Zeroizing<String> {
    let (scheme, rest) = match proxy.split_once("://") {
        Some((s, r)) => (Some(s), r),
        None => (None, proxy),
    };
    let mut out = Zeroizing::new(String::with_capacity(proxy.len() + 16));
    if let Some(s) = scheme {
        out.push_str(s);
        out.push_str("://");
    }
    match rest.rfind('@') {
        Some(at) => {
            out.extend(percent_encoding::utf8_percent_encode(&rest[..at], USERINFO));
            out.push_str(&rest[at..]);
        }
        None => out.push_str(rest),
    }
    out
}

/// `scheme://host:port/path` with any `user:password@` and any query or fragment removed,
/// for messages and `Debug`. Everything up to the last `@` counts as credentials, so a
/// password holding `/`, `?`, `#` or `@` is removed whole.
pub(crate) fn redact_url(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let (creds, rest) = match rest.rfind('@') {
        Some(i) => ("***@", &rest[i + 1..]),
        None => ("", rest),
    };
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let sep = if scheme.is_empty() { "" } else { "://" };
    format!("{scheme}{sep}{creds}{rest}")
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The certificates of a PEM file of extra roots. Each block's DER is parsed as a trust
/// anchor now, as rustls will when the first connection is made: ureq would skip a block
/// that does not parse without a word, and every call would then fail with an unknown
/// issuer, far from its cause.
fn parse_roots(pem: &[u8], field: &'static str) -> Result<Vec<Certificate<'static>>, Error> {
    let mut out = Vec::new();
    for item in ureq::tls::parse_pem(pem) {
        match item {
            Ok(ureq::tls::PemItem::Certificate(c)) => {
                let der = rustls::pki_types::CertificateDer::from(c.der());
                if rustls::RootCertStore::empty().add(der).is_err() {
                    return Err(Error::config(
                        field,
                        Rule::BadValue,
                        format_args!(
                            "certificate {} is not a valid X.509 certificate (its PEM block \
                             does not hold a DER certificate)",
                            out.len() + 1
                        ),
                    ));
                }
                out.push(c)
            }
            Ok(_) => {}
            Err(_) => return Err(Error::config(field, Rule::BadValue, "holds malformed PEM")),
        }
    }
    if out.is_empty() {
        return Err(Error::config(
            field,
            Rule::BadValue,
            "holds no PEM certificate",
        ));
    }
    Ok(out)
}

/// `BACKOFF_BASE * 2^attempt`, times a random factor in [0.5, 1.5).
fn backoff(attempt: u32) -> Duration {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(attempt);
    let unit = (h.finish() % 1000) as f64 / 1000.0;
    BACKOFF_BASE
        .saturating_mul(1 << attempt.min(10))
        .mul_f64(0.5 + unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_credentials_and_queries() {
        assert_eq!(
            redact_url("https://u:p@h.test:1/a/b?x=1#f"),
            "https://***@h.test:1/a/b"
        );
        assert_eq!(redact_url("http://h/x"), "http://h/x");
        assert_eq!(redact_url("h:8080"), "h:8080");
        for tricky in [
            "http://user:pa/ss@proxy.test:3128",
            "http://user:pa?ss@proxy.test:3128",
            "http://user:pa#ss@proxy.test:3128",
            "http://user:pa@ss@proxy.test:3128",
        ] {
            assert_eq!(redact_url(tricky), "http://***@proxy.test:3128", "{tricky}");
        }
    }

    #[test]
    fn proxy_passwords_may_hold_any_character() {
        for (raw, user, password) in [
            ("http://u:p;a=s\\s@127.0.0.1:9", "u", "p;a=s\\s"),
            ("http://u:p#a?s/s @127.0.0.1:9", "u", "p#a?s/s "),
            ("http://u:p@ss@127.0.0.1:9", "u", "p@ss"),
            ("http://u:p%25s@127.0.0.1:9", "u", "p%s"),
        ] {
            let p = ureq::Proxy::new(&proxy_url(raw)).expect(raw);
            assert_eq!(
                (p.username(), p.password()),
                (Some(user), Some(password)),
                "{raw}"
            );
            assert_eq!(p.host(), "127.0.0.1");
        }
    }

    #[test]
    fn plain_http_through_a_proxy_needs_the_opt_in() {
        let proxy = Some("http://127.0.0.1:3128");
        let e = check_route("endpoint", "http://localhost:9/x", proxy, false).unwrap_err();
        assert_eq!(e.field(), Some("endpoint"));
        assert!(check_route("endpoint", "http://localhost:9/x", proxy, true).is_ok());
        assert!(check_route("endpoint", "https://h.test/x", proxy, false).is_ok());
    }

    #[test]
    fn only_http_proxies_are_accepted() {
        for bad in [
            "socks5://127.0.0.1:1080",
            "socks4://h:1",
            "https://h:1",
            "ftp://h:1",
        ] {
            let e = check_route("endpoint", "https://h.test/x", Some(bad), false).unwrap_err();
            assert_eq!(e.field(), Some("proxy"), "{bad}");
        }
        assert!(check_route(
            "endpoint",
            "https://h.test/x",
            Some("proxy.test:3128"),
            false
        )
        .is_ok());
    }

    #[test]
    fn endpoints_must_be_https_or_loopback_http() {
        for ok in [
            "https://api.mch.weixin.qq.com/cgi-bin/nameauth/nameautheasy",
            "http://127.0.0.1:8080/x",
            "http://127.8.9.10/x",
            "http://localhost:1/x",
            "http://[::1]:1/x",
        ] {
            assert!(check_route("endpoint", ok, None, false).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.test/x",
            "http://10.0.0.1/x",
            "ftp://h/x",
            "not a url",
            "",
            "/relative",
        ] {
            let e = check_route("endpoint", bad, None, false).unwrap_err();
            assert_eq!(e.field(), Some("endpoint"), "{bad}");
        }
        assert!(check_route("endpoint", "http://example.test/x", None, true).is_ok());
    }

    #[test]
    fn backoff_doubles_with_jitter() {
        for attempt in 0..4 {
            let b = backoff(attempt);
            let base = BACKOFF_BASE * (1 << attempt);
            assert!(b >= base / 2 && b < base * 3 / 2, "{attempt}: {b:?}");
        }
    }

    /// Issue 17 item 14: a `#fragment` would swallow the signed query.
    #[test]
    fn an_endpoint_with_a_fragment_is_refused() {
        for field in ["endpoint", "fallback_endpoint"] {
            for bad in [
                "https://h.test/x#frag",
                "https://h.test/x#",
                "https://h.test/x?a=b#frag",
                "http://127.0.0.1:9/x#frag",
            ] {
                let e = check_route(field, bad, None, false).unwrap_err();
                assert_eq!(e.field(), Some(field), "{bad}");
                assert_eq!(e.rule(), Some(Rule::BadValue), "{bad}");
                assert!(e.to_string().contains("#fragment"), "{e}");
                let m = e.to_string();
                assert!(!m.contains("h.test") && !m.contains("127.0"), "{m}");
            }
        }
        for ok in [
            "https://h.test/x?a=b",
            "https://h.test/x?",
            "http://[::1]:9/x?t=1",
        ] {
            assert!(check_route("endpoint", ok, None, false).is_ok(), "{ok}");
        }
    }

    #[test]
    fn roots_must_be_pem_certificates() {
        let e = parse_roots(b"not pem", "ca_file").unwrap_err();
        assert_eq!(e.to_string(), "ca_file: holds no PEM certificate");
    }
}
