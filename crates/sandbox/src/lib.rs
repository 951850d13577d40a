//! # nameauth-sandbox
//!
//! A faithful stand-in for the WeChat Pay `nameautheasy` server (docs/SPEC.md §7), for tests and
//! demos. It checks what the real server checks (presence 1000, `appid`/`src` 1001, the
//! signature 1002, an optional IP allow-list 1007), answers from [`Fixtures`] in JSON or
//! JSONP, and can add latency and inject faults. It counts requests and connections so
//! tests can see what reached it: in-process through [`Sandbox::stats`], and from any
//! language through `GET /__sandbox/stats` (not itself counted).
//!
//! ```no_run
//! let sandbox = nameauth_sandbox::Sandbox::builder().start()?;
//! println!("endpoint: {}", sandbox.endpoint());
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! The sandbox is its own crate so that the C library never links a server stack.

#![deny(missing_docs)]

pub mod answer;
mod blackhole;
pub mod fixtures;
mod server;
mod tls;

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use tokio::sync::oneshot;

pub use answer::{Settings, SignRule, PATH};
pub use blackhole::Blackhole;
pub use fixtures::{Fault, Fixtures};
pub use server::STATS_PATH;

/// The app id the sandbox accepts by default.
pub const APPID: &str = "wxsandbox00000001";
/// The `src` the sandbox accepts by default.
pub const SRC: &str = "sandbox";
/// The key the sandbox signs with by default. Public on purpose: it protects nothing.
pub const KEY: &str = "sandbox-key-not-a-secret-0123456";

/// Configures and starts a [`Sandbox`].
#[derive(Clone, Debug)]
pub struct Builder {
    listen: SocketAddr,
    tls: bool,
    cert_dir: Option<PathBuf>,
    settings: Settings,
    fixtures: Fixtures,
    workers: usize,
    idle_close: Option<Duration>,
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            tls: false,
            cert_dir: None,
            settings: Settings {
                appid: APPID.to_owned(),
                src: SRC.to_owned(),
                key: KEY.to_owned(),
                sign_rule: SignRule::Lower,
                allow_ips: None,
                latency: Duration::ZERO,
            },
            fixtures: Fixtures::builtin(),
            workers: 2,
            idle_close: None,
        }
    }
}

impl Builder {
    /// Where to listen (default `127.0.0.1:0`, an ephemeral port).
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }

    /// Serve HTTPS with a certificate made at start (default: plain HTTP).
    pub fn tls(mut self, on: bool) -> Self {
        self.tls = on;
        self
    }

    /// Where to write `ca.pem` (default: a fresh private directory under the system temp
    /// dir, with a random name and mode 0700, removed when the sandbox stops). A symbolic
    /// link at `ca.pem` in `dir` is refused, never followed.
    pub fn cert_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cert_dir = Some(dir.into());
        self
    }

    /// Which signature case to accept (default lower).
    pub fn sign_rule(mut self, rule: SignRule) -> Self {
        self.settings.sign_rule = rule;
        self
    }

    /// Latency added to every answer.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.settings.latency = latency;
        self
    }

    /// Serve only these peer addresses; others get error 1007.
    pub fn allow_ips(mut self, ips: impl IntoIterator<Item = IpAddr>) -> Self {
        self.settings.allow_ips = Some(ips.into_iter().collect());
        self
    }

    /// The records to answer from (default [`Fixtures::builtin`]).
    pub fn fixtures(mut self, fixtures: Fixtures) -> Self {
        self.fixtures = fixtures;
        self
    }

    /// The merchant account to accept (default [`APPID`], [`SRC`], [`KEY`]).
    pub fn credentials(
        mut self,
        appid: impl Into<String>,
        src: impl Into<String>,
        key: impl Into<String>,
    ) -> Self {
        self.settings.appid = appid.into();
        self.settings.src = src.into();
        self.settings.key = key.into();
        self
    }

    /// Closes a keep-alive connection once it has been idle this long, as real servers
    /// do (WeChat Pay after about 8 s; default: never). [`Sandbox::idle_closed`] counts
    /// the connections it closed so.
    pub fn idle_close(mut self, after: Duration) -> Self {
        self.idle_close = Some(after);
        self
    }

    /// Worker threads of the server's runtime (default 2).
    pub fn workers(mut self, n: usize) -> Self {
        self.workers = n.max(1);
        self
    }

    /// Binds, makes the certificate if asked, and starts serving on a thread of its own.
    pub fn start(self) -> io::Result<Sandbox> {
        let listener = std::net::TcpListener::bind(self.listen)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (acceptor, ca) = if self.tls {
            let certs = tls::make().map_err(io::Error::other)?;
            let (file, owned_dir) = write_ca(self.cert_dir.as_deref(), &certs.ca_pem)?;
            let acceptor = tokio_rustls::TlsAcceptor::from(certs.server_config);
            (
                Some(acceptor),
                Some(Ca {
                    pem: certs.ca_pem,
                    file,
                    _owned_dir: owned_dir,
                }),
            )
        } else {
            (None, None)
        };
        let mut state = server::State::new(self.settings, self.fixtures);
        state.idle_close = self.idle_close;
        let state = Arc::new(state);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(self.workers)
            .thread_name("nameauth-sandbox")
            .enable_all()
            .build()?;
        let (stop, stopped) = oneshot::channel();
        let serving = state.clone();
        let thread = thread::Builder::new()
            .name("nameauth-sandbox".into())
            .spawn(move || {
                runtime.block_on(async move {
                    match tokio::net::TcpListener::from_std(listener) {
                        Ok(listener) => server::serve(listener, acceptor, serving, stopped).await,
                        Err(e) => eprintln!("nameauth-sandbox: {e}"),
                    }
                });
                // Slow answers still sleeping are dropped, not awaited.
                runtime.shutdown_timeout(Duration::from_millis(100));
            })?;
        Ok(Sandbox {
            addr,
            ca,
            state,
            stop: Some(stop),
            thread: Some(thread),
            pid: std::process::id(),
        })
    }
}

struct Ca {
    pem: String,
    file: PathBuf,
    /// The private directory made for `ca.pem` when no `cert_dir` was given; removed
    /// when dropped (after the server thread has stopped, see `Drop for Sandbox`).
    _owned_dir: Option<tempfile::TempDir>,
}

/// Writes `ca.pem` and returns its path, with the directory made for it if none was given.
///
/// The default directory is made by `tempfile`: a random name, created exclusively with
/// mode 0700 (given to mkdir, so never wider for an instant): no other local user can
/// plant a directory or a symbolic link there in advance, or swap the CA afterwards (a
/// predictable `/tmp` path let one overwrite a file of ours, or put in a CA of theirs).
/// In a directory the caller gave, a symbolic link at `ca.pem` is refused (O_NOFOLLOW),
/// never followed.
fn write_ca(dir: Option<&Path>, pem: &str) -> io::Result<(PathBuf, Option<tempfile::TempDir>)> {
    use std::io::Write;
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let (dir, owned) = match dir {
        Some(d) => {
            std::fs::create_dir_all(d)?;
            (d.to_path_buf(), None)
        }
        None => {
            let made = tempfile::Builder::new()
                .prefix("nameauth-sandbox-")
                .permissions(std::fs::Permissions::from_mode(0o700))
                .tempdir()?;
            (made.path().to_path_buf(), Some(made))
        }
    };
    let file = dir.join("ca.pem");
    let mut options = std::fs::OpenOptions::new();
    options
        .write(true)
        .mode(0o644)
        .custom_flags(libc::O_NOFOLLOW);
    if owned.is_some() {
        options.create_new(true);
    } else {
        options.create(true).truncate(true);
    }
    let mut f = options.open(&file).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!("{}: {e} (a symbolic link there is refused)", file.display()),
        )
    })?;
    f.write_all(pem.as_bytes())?;
    Ok((file, owned))
}

/// Counts of what reached the sandbox.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// HTTP requests received.
    pub requests: u64,
    /// TCP connections accepted.
    pub connections: u64,
}

/// A running sandbox. Stops when dropped.
pub struct Sandbox {
    addr: SocketAddr,
    ca: Option<Ca>,
    state: Arc<server::State>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
    /// The process that started it (a forked child's copy is not its to stop).
    pid: u32,
}

impl Sandbox {
    /// A builder with the defaults: `127.0.0.1:0`, HTTP, built-in fixtures.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The full endpoint URL a client should use (a wildcard listen address is given
    /// as loopback).
    pub fn endpoint(&self) -> String {
        let ip = match self.addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        let scheme = if self.ca.is_some() { "https" } else { "http" };
        format!("{scheme}://{}{PATH}", SocketAddr::new(ip, self.addr.port()))
    }

    /// The CA certificate (PEM) to trust, when serving HTTPS.
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca.as_ref().map(|c| c.pem.as_str())
    }

    /// The file the CA certificate was written to, when serving HTTPS.
    pub fn ca_file(&self) -> Option<&Path> {
        self.ca.as_ref().map(|c| c.file.as_path())
    }

    /// The merchant account it accepts.
    pub fn settings(&self) -> &Settings {
        &self.state.settings
    }

    /// Requests and connections so far.
    pub fn stats(&self) -> Stats {
        Stats {
            requests: self.state.requests.load(Ordering::Relaxed),
            connections: self.state.connections.load(Ordering::Relaxed),
        }
    }

    /// Keep-alive connections the sandbox closed for being idle (see
    /// [`Builder::idle_close`]).
    pub fn idle_closed(&self) -> u64 {
        self.state.idle_closed.load(Ordering::Relaxed)
    }

    /// Requests so far that carried this openid.
    pub fn hits(&self, openid: &str) -> u64 {
        let hits = self.state.hits.lock().unwrap_or_else(|p| p.into_inner());
        hits.get(openid).copied().unwrap_or(0)
    }

    /// Adds or replaces the record of `openid` while it serves, given as the JSON of a
    /// fixtures file entry (`{"status": 1, "truename": "张三", "creid": "…"}`, `{"fault":
    /// "http_503", "fail_times": 1, "status": 2}`, ...). Its hit count starts again.
    pub fn add_fixture(&self, openid: &str, record: &str) -> Result<(), String> {
        let mut fixtures = self
            .state
            .fixtures
            .write()
            .unwrap_or_else(|p| p.into_inner());
        fixtures.insert_json(openid, record)?;
        drop(fixtures);
        let mut hits = self.state.hits.lock().unwrap_or_else(|p| p.into_inner());
        hits.remove(openid);
        Ok(())
    }

    /// Blocks the calling thread while the sandbox serves (for the CLI).
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    /// Stops serving and waits for the server thread.
    pub fn shutdown(self) {
        drop(self);
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if std::process::id() != self.pid {
            // A copy in a child forked from the process that started it: the server's
            // threads are not here to stop or join, and the CA directory is the parent's,
            // still in use there. Leave all of it alone.
            std::mem::forget(self.stop.take());
            std::mem::forget(self.thread.take());
            std::mem::forget(self.ca.take());
            return;
        }
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        // Removes the CA's private directory, if the sandbox made one.
        self.ca = None;
    }
}
