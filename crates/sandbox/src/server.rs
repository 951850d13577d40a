//! The network side: hyper's HTTP/1.1 server on a tokio runtime, keep-alive, optional
//! TLS, and the two faults that act on the connection itself (reset, hang-up).

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::os::fd::{AsRawFd, RawFd};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::body::{Frame, SizeHint};
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio_rustls::TlsAcceptor;

use crate::answer::{self, Action, Settings};
use crate::fixtures::Fixtures;

/// Everything the connections share.
pub(crate) struct State {
    pub(crate) settings: Settings,
    /// Tests may add records while it serves.
    pub(crate) fixtures: std::sync::RwLock<Fixtures>,
    pub(crate) requests: AtomicU64,
    pub(crate) connections: AtomicU64,
    pub(crate) hits: Mutex<HashMap<String, u64>>,
    /// Close a connection idle this long (the `idle_close` fault).
    pub(crate) idle_close: Option<std::time::Duration>,
    /// Connections closed so.
    pub(crate) idle_closed: AtomicU64,
}

impl State {
    pub(crate) fn new(settings: Settings, fixtures: Fixtures) -> State {
        State {
            settings,
            fixtures: std::sync::RwLock::new(fixtures),
            requests: AtomicU64::new(0),
            connections: AtomicU64::new(0),
            hits: Mutex::new(HashMap::new()),
            idle_close: None,
            idle_closed: AtomicU64::new(0),
        }
    }

    /// `{"requests":N,"connections":N,"hits":{openid:N,...}}`
    fn stats_json(&self) -> String {
        let hits = self.hits.lock().unwrap_or_else(|p| p.into_inner()).clone();
        serde_json::json!({
            "requests": self.requests.load(Ordering::Relaxed),
            "connections": self.connections.load(Ordering::Relaxed),
            "idle_closed": self.idle_closed.load(Ordering::Relaxed),
            "hits": hits,
        })
        .to_string()
    }

    fn hit(&self, openid: &str) -> u64 {
        let mut hits = self.hits.lock().unwrap_or_else(|p| p.into_inner());
        let n = hits.entry(openid.to_owned()).or_insert(0);
        *n += 1;
        *n
    }
}

/// Where tests in any language read the counters; requests to it are not counted.
pub const STATS_PATH: &str = "/__sandbox/stats";

/// Every response body: whole, or trickled.
type Body = BoxBody<Bytes, Infallible>;

fn full(body: impl Into<Bytes>) -> Body {
    Full::new(body.into()).boxed()
}

fn json_response(body: String) -> Response<Body> {
    let mut resp = Response::new(full(body));
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

/// Per-connection flags for the counters.
#[derive(Default)]
struct Connection {
    /// A nameauth request has arrived on it.
    served: AtomicBool,
    /// It was taken out of the connection count (it served only the stats endpoint).
    uncounted: AtomicBool,
    /// Requests being answered, and when the last one was (for the `idle_close` fault).
    in_flight: AtomicU64,
    last_done: Mutex<Option<std::time::Instant>>,
}

/// Returned by the service to make hyper drop the connection without answering.
#[derive(Debug)]
struct Dropped;

impl fmt::Display for Dropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped on purpose (sandbox fault)")
    }
}

impl std::error::Error for Dropped {}

/// Accepts connections until `shutdown` fires.
pub(crate) async fn serve(
    listener: TcpListener,
    acceptor: Option<TlsAcceptor>,
    state: Arc<State>,
    mut shutdown: oneshot::Receiver<()>,
) {
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => {
                let Ok((stream, peer)) = accepted else {
                    // Out of descriptors or similar: back off instead of spinning.
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                    continue;
                };
                state.connections.fetch_add(1, Ordering::Relaxed);
                let _ = stream.set_nodelay(true);
                tokio::spawn(connection(stream, peer, acceptor.clone(), state.clone()));
            }
        }
    }
}

async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    acceptor: Option<TlsAcceptor>,
    state: Arc<State>,
) {
    // The descriptor stays valid while hyper owns the stream, which outlives every
    // request on it; a reset fault sets SO_LINGER on it before the drop.
    let fd = stream.as_raw_fd();
    let conn = Arc::new(Connection::default());
    let idle = state.idle_close.map(|after| (after, conn.clone()));
    let counters = state.clone();
    let service = service_fn(move |req| {
        let state = state.clone();
        let conn = conn.clone();
        async move {
            conn.in_flight.fetch_add(1, Ordering::Relaxed);
            let reply = handle(req, peer, fd, &conn, &state).await;
            *conn.last_done.lock().unwrap_or_else(|p| p.into_inner()) =
                Some(std::time::Instant::now());
            conn.in_flight.fetch_sub(1, Ordering::Relaxed);
            reply
        }
    });
    let http = hyper::server::conn::http1::Builder::new();
    let closed_idle = match acceptor {
        Some(acceptor) => match acceptor.accept(stream).await {
            Ok(tls) => {
                serve_closing_idle!(http.serve_connection(TokioIo::new(tls), service), idle)
            }
            Err(_) => false,
        },
        None => serve_closing_idle!(http.serve_connection(TokioIo::new(stream), service), idle),
    };
    // Counted once the socket is closed, so a test that saw the count can rely on it.
    if closed_idle {
        counters.idle_closed.fetch_add(1, Ordering::Relaxed);
    }
}

/// Serves a connection; with the `idle_close` fault, shuts it down once no request has
/// been answered on it for that long (hyper's graceful shutdown closes an idle
/// connection at once and lets one in progress finish first). Whether it closed it so;
/// the connection (its socket) is dropped by then.
macro_rules! serve_closing_idle {
    ($serving:expr, $idle:expr) => {{
        let serving = $serving;
        tokio::pin!(serving);
        match $idle {
            None => {
                drop(serving.await);
                false
            }
            Some((after, conn)) => {
                let accepted = std::time::Instant::now();
                loop {
                    let last = conn
                        .last_done
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .unwrap_or(accepted);
                    let due = tokio::time::Instant::from_std(last + after);
                    tokio::select! {
                        _ = &mut serving => break false,
                        _ = tokio::time::sleep_until(due) => {
                            let still = conn
                                .last_done
                                .lock()
                                .unwrap_or_else(|p| p.into_inner())
                                .unwrap_or(accepted);
                            if conn.in_flight.load(Ordering::Relaxed) == 0 && still == last {
                                serving.as_mut().graceful_shutdown();
                                drop(serving.await);
                                break true;
                            }
                        }
                    }
                }
            }
        }
    }};
}
use serve_closing_idle;

async fn handle(
    req: Request<Incoming>,
    peer: SocketAddr,
    fd: RawFd,
    conn: &Connection,
    state: &State,
) -> Result<Response<Body>, Dropped> {
    // Requests on one connection arrive one after another, so these flags need no lock.
    if req.uri().path() == STATS_PATH {
        // A connection used only to read the counters is not counted either.
        if !conn.served.load(Ordering::Relaxed) && !conn.uncounted.swap(true, Ordering::Relaxed) {
            state.connections.fetch_sub(1, Ordering::Relaxed);
        }
        return Ok(json_response(state.stats_json()));
    }
    conn.served.store(true, Ordering::Relaxed);
    if conn.uncounted.swap(false, Ordering::Relaxed) {
        state.connections.fetch_add(1, Ordering::Relaxed);
    }
    state.requests.fetch_add(1, Ordering::Relaxed);
    let request = answer::Request {
        method: req.method().as_str(),
        path: req.uri().path(),
        query: req.uri().query().unwrap_or(""),
        peer: peer.ip(),
    };
    let reply = {
        let fixtures = state.fixtures.read().unwrap_or_else(|p| p.into_inner());
        answer::decide(&state.settings, &fixtures, request, |openid| {
            state.hit(openid)
        })
    };
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    match reply.action {
        Action::Respond {
            status,
            content_type,
            body,
            headers,
        } => {
            let mut resp = Response::new(full(body));
            *resp.status_mut() =
                hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::OK);
            resp.headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
            for (name, value) in headers {
                if let Ok(v) = HeaderValue::from_str(&value) {
                    resp.headers_mut().insert(name, v);
                }
            }
            Ok(resp)
        }
        Action::Trickle {
            content_type,
            body,
            pause,
        } => {
            let mut resp = Response::new(
                Trickle {
                    body: Bytes::from(body),
                    pause,
                    sleep: None,
                }
                .boxed(),
            );
            resp.headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
            Ok(resp)
        }
        Action::Raw { chunks, pause } => {
            for (i, chunk) in chunks.iter().enumerate() {
                if i > 0 && !pause.is_zero() {
                    tokio::time::sleep(pause).await;
                }
                if !write_raw(fd, chunk).await {
                    break;
                }
            }
            Err(Dropped)
        }
        Action::Reset => {
            set_zero_linger(fd);
            Err(Dropped)
        }
        Action::Hangup => Err(Dropped),
    }
}

/// A body sent one byte at a time, each after `pause` (the `trickle` fault). Its size is
/// known, so it goes with a Content-Length, as a slow server's would.
struct Trickle {
    body: Bytes,
    pause: std::time::Duration,
    sleep: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl hyper::body::Body for Trickle {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if self.body.is_empty() {
            return Poll::Ready(None);
        }
        let pause = self.pause;
        let sleep = self
            .sleep
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(pause)));
        if sleep.as_mut().poll(cx).is_pending() {
            return Poll::Pending;
        }
        self.sleep = None;
        let byte = self.body.split_to(1);
        Poll::Ready(Some(Ok(Frame::data(byte))))
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.body.len() as u64)
    }
}

/// Writes `bytes` to the socket itself, under hyper and any TLS session (the raw faults);
/// false once the peer is gone.
async fn write_raw(fd: RawFd, mut bytes: &[u8]) -> bool {
    while !bytes.is_empty() {
        // SAFETY: `fd` is the open socket of the connection being served (see
        // `connection`), and `bytes` is valid for `bytes.len()` bytes.
        let n = unsafe { libc::write(fd, bytes.as_ptr().cast(), bytes.len()) };
        if n > 0 {
            bytes = &bytes[n as usize..];
        } else if std::io::Error::last_os_error().kind() == std::io::ErrorKind::WouldBlock {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        } else {
            return false;
        }
    }
    true
}

/// With a zero linger time, closing the socket sends RST instead of FIN.
fn set_zero_linger(fd: RawFd) {
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: `fd` is the open socket of the connection being served (see `connection`),
    // and `linger` is a valid `struct linger` for the size passed.
    unsafe {
        libc::setsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&linger as *const libc::linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        );
    }
}
