//! `NativeClient`: build (from options or the environment), close, verify off the event
//! loop, and stats. `CancelToken`: the core's token, cancelled by an `AbortSignal`.
//!
//! Design (threads). A verify is an `AsyncTask`: validation, signing, the request and the
//! answer run on one thread of libuv's pool (4 threads unless `UV_THREADPOOL_SIZE` says
//! otherwise), so the event loop keeps ticking and at most that many verifies run at
//! once; the others wait in libuv's queue. A call runs on one thread from start to end,
//! which is what the core's cancellation point needs (src/cancel.rs): a token cancelled
//! while the call waits in the queue, or before its request is written, stops it with
//! nothing sent.
//!
//! Closing drops this handle's clone of the core client; calls already queued hold their
//! own clone and finish. Every method takes `&self` (the handle sits in a `RefCell`, used
//! on the JavaScript thread alone): napi-rs keeps the shared borrow of a method that
//! returns an `AsyncTask` until its promise settles, so a `&mut self` close would throw
//! napi-rs' "cannot be borrowed mutably" error while any verify is in flight. The core wipes the key when the last clone goes. A client never
//! closed is freed with its JavaScript object by the garbage collector (napi-rs drops the
//! Rust value in the object's finalizer).

use std::cell::RefCell;

use nameauth::frontend::{capture_lines, level_number};
use nameauth::{CallOptions, Client, ClientBuilder, Options, RESIDENT_ID_CARD};
use napi::bindgen_prelude::{AsyncTask, Either};
use napi::{Env, Task};
use napi_derive::napi;

use crate::outcome::{guarded, Failure, LogLine, Outcome, VerdictFields};

/// A cancellation token shared with the calls it is given to.
#[napi]
pub struct CancelToken {
    token: nameauth::CancelToken,
}

#[napi]
impl CancelToken {
    /// A token not cancelled yet.
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        CancelToken {
            token: nameauth::CancelToken::new(),
        }
    }

    /// Cancels every call given this token whose request is not written yet.
    #[napi]
    pub fn cancel(&self) {
        self.token.cancel();
    }
}

/// The core client behind a JavaScript `Client`.
#[napi]
pub struct NativeClient {
    client: RefCell<Option<Client>>,
}

/// Builds a client from its credentials and `options`, `[name, value]` pairs in the
/// core's option names (`timeout_ms`, ...), each checked by name.
#[napi]
pub fn build_client(
    appid: String,
    src: String,
    key: String,
    options: Vec<Vec<String>>,
) -> Either<NativeClient, Failure> {
    let built = guarded(|| {
        let mut set = Options::new();
        for pair in &options {
            let [name, value] = pair.as_slice() else {
                // index.js always sends pairs: anything else is a bug on that side.
                return Err(nameauth::Error::internal(
                    "internal: an option is not a [name, value] pair",
                ));
            };
            set.set(name, value)?;
        }
        ClientBuilder::new(appid, src, key)
            .with_options(set)
            .build()
    });
    wrap(built)
}

/// Builds a client from CONFORMANCE.md's `NAMEAUTH_*` variables.
#[napi]
pub fn client_from_env() -> Either<NativeClient, Failure> {
    wrap(guarded(Client::from_env))
}

fn wrap(built: Result<Client, Failure>) -> Either<NativeClient, Failure> {
    match built {
        Ok(client) => Either::A(NativeClient {
            client: RefCell::new(Some(client)),
        }),
        Err(f) => Either::B(f),
    }
}

/// A client's counters (see `Client.stats()` in JavaScript).
#[napi(object)]
pub struct StatsFields {
    /// Calls to verify.
    pub calls: i64,
    /// HTTP requests attempted.
    pub requests: i64,
    /// Attempts after the first of a call.
    pub retries: i64,
    /// TCP connections opened.
    pub connections_opened: i64,
    /// Requests sent to the fallback endpoint.
    pub failovers: i64,
    /// Verdicts by code: A, B, C, D, E, F, Other.
    pub verdicts: Vec<i64>,
    /// Errors by kind, in `nameauth::stats::ERROR_KINDS`' order.
    pub errors: Vec<i64>,
    /// Latency percentiles in milliseconds (p50, p90, p99).
    pub latency_ms: Vec<f64>,
}

#[napi]
impl NativeClient {
    /// A clone of the core client (cheap: it shares the pool), or the closed failure.
    fn get(&self) -> Result<Client, Failure> {
        self.client.borrow().clone().ok_or_else(closed)
    }

    /// Closes the client: its connections go once no call holds them. Twice is harmless.
    #[napi]
    pub fn close(&self) {
        // Dropping a clone does no I/O worth leaving the loop for: the pool's sockets are
        // closed by their last holder.
        self.client.replace(None);
    }

    /// Whether `close` was called.
    #[napi(getter)]
    pub fn closed(&self) -> bool {
        self.client.borrow().is_none()
    }

    /// The endpoint, without user information or query (`""` once closed).
    #[napi(getter)]
    pub fn endpoint(&self) -> String {
        self.client
            .borrow()
            .as_ref()
            .map(Client::endpoint)
            .unwrap_or_default()
    }

    /// The appid (`""` once closed).
    #[napi(getter)]
    pub fn appid(&self) -> String {
        self.client
            .borrow()
            .as_ref()
            .map(|c| c.appid().to_owned())
            .unwrap_or_default()
    }

    /// Verifies one user on libuv's thread pool. `log_level` 0 logs nothing, 2 the
    /// warnings (retries, failovers), 3 every call. The promise always resolves.
    #[napi(ts_return_type = "Promise<Outcome>")]
    pub fn verify(
        &self,
        openid: String,
        truename: String,
        creid: String,
        cretype: Option<String>,
        log_level: u32,
        cancel: Option<&CancelToken>,
    ) -> AsyncTask<Verify> {
        let mut options = CallOptions::new();
        if let Some(t) = cancel {
            options = options.with_cancel(t.token.clone());
        }
        AsyncTask::new(Verify {
            client: self.get(),
            openid,
            truename,
            creid,
            cretype,
            log_level,
            options,
        })
    }

    /// What this client did since it was built.
    #[napi]
    pub fn stats(&self) -> Either<StatsFields, Failure> {
        let s = match self.get() {
            Ok(c) => c.stats(),
            Err(f) => return Either::B(f),
        };
        let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        Either::A(StatsFields {
            calls: n(s.calls),
            requests: n(s.requests),
            retries: n(s.retries),
            connections_opened: n(s.connections_opened),
            failovers: n(s.failovers),
            verdicts: s.verdicts.iter().map(|&v| n(v)).collect(),
            errors: s.errors.iter().map(|&v| n(v)).collect(),
            latency_ms: [s.latency_p50, s.latency_p90, s.latency_p99]
                .iter()
                .map(|d| d.as_secs_f64() * 1000.0)
                .collect(),
        })
    }
}

fn closed() -> Failure {
    Failure::from(&nameauth::Error::front_end_config(
        "client",
        "the client is closed",
    ))
}

/// One verify, run by libuv's pool.
pub struct Verify {
    client: Result<Client, Failure>,
    openid: String,
    truename: String,
    creid: String,
    cretype: Option<String>,
    log_level: u32,
    options: CallOptions,
}

impl Task for Verify {
    type Output = Outcome;
    type JsValue = Outcome;

    fn compute(&mut self) -> napi::Result<Outcome> {
        let client = match &self.client {
            Ok(c) => c,
            Err(_) => {
                return Ok(Outcome {
                    verdict: None,
                    error: Some(closed()),
                    events: Vec::new(),
                })
            }
        };
        let cretype = self.cretype.as_deref().unwrap_or(RESIDENT_ID_CARD);
        let ran = nameauth::frontend::catch_quietly(|| {
            let (result, report) = client.verify_with(
                &self.openid,
                &self.truename,
                &self.creid,
                cretype,
                &self.options,
            );
            let mut events = Vec::new();
            if self.log_level >= level_number(report.level()) {
                let all = report.events(&self.openid, &self.truename, &self.creid, result.as_ref());
                let lines = capture_lines(&all, self.log_level);
                for line in lines.lines() {
                    let (level, message) = line.split_once(' ').unwrap_or(("3", line));
                    events.push(LogLine {
                        level: level.parse().unwrap_or(3),
                        message: message.to_owned(),
                    });
                }
            }
            match result {
                Ok(v) => Outcome {
                    verdict: Some(VerdictFields::from(&v)),
                    error: None,
                    events,
                },
                Err(e) => Outcome {
                    verdict: None,
                    error: Some(Failure::from(&e)),
                    events,
                },
            }
        });
        Ok(ran.unwrap_or_else(|| Outcome {
            verdict: None,
            error: Some(Failure::panic()),
            events: Vec::new(),
        }))
    }

    fn resolve(&mut self, _env: Env, output: Outcome) -> napi::Result<Outcome> {
        Ok(output)
    }
}
