//! `nameauth/testing`'s native addon: the sandbox server of the Rust suites, for users'
//! own tests (node:test, Jest, Vitest). It listens on a free loopback port and stops when
//! closed or collected.
//!
//! Its own addon, not a part of the client's: a service that never loads
//! `nameauth/testing` never maps the sandbox's code (a TLS server, a certificate maker,
//! fixtures), as Python's wheel keeps it in its own module.

use std::time::Duration;

use nameauth_sandbox::{Fixtures, Sandbox as Server, APPID, KEY, SRC};
use napi::{Error, Result, Status};
use napi_derive::napi;

/// A running sandbox.
#[napi]
pub struct NativeSandbox {
    server: Option<Server>,
}

/// Requests and connections a sandbox received.
#[napi(object)]
pub struct SandboxStats {
    /// Requests received.
    pub requests: i64,
    /// Connections accepted.
    pub connections: i64,
}

fn fail(what: impl std::fmt::Display) -> Error {
    Error::new(Status::GenericFailure, what.to_string())
}

#[napi]
impl NativeSandbox {
    /// Starts a sandbox: HTTPS with a CA made at start if `tls`; `fixtures_json` replaces
    /// the built-in records; `latency_ms` delays every answer.
    #[napi(constructor)]
    pub fn new(tls: bool, fixtures_json: Option<String>, latency_ms: u32) -> Result<Self> {
        let mut b = Server::builder()
            .tls(tls)
            .latency(Duration::from_millis(u64::from(latency_ms)));
        if let Some(j) = fixtures_json {
            b = b.fixtures(Fixtures::from_json(&j).map_err(fail)?);
        }
        let server = b
            .start()
            .map_err(|e| fail(format!("the sandbox cannot start: {e}")))?;
        Ok(NativeSandbox {
            server: Some(server),
        })
    }

    fn get(&self) -> Result<&Server> {
        self.server
            .as_ref()
            .ok_or_else(|| fail("the sandbox is stopped"))
    }

    /// The endpoint URL to give a client.
    #[napi(getter)]
    pub fn endpoint(&self) -> Result<String> {
        Ok(self.get()?.endpoint())
    }

    /// The CA certificate file to trust (`caFile`), when serving HTTPS.
    #[napi(getter)]
    pub fn ca_file(&self) -> Result<Option<String>> {
        Ok(self.get()?.ca_file().map(|p| p.display().to_string()))
    }

    /// `[appid, src, key]` the sandbox accepts. Its key is a published test value.
    #[napi(getter)]
    pub fn credentials(&self) -> Vec<String> {
        vec![APPID.to_owned(), SRC.to_owned(), KEY.to_owned()]
    }

    /// Requests and connections received so far.
    #[napi]
    pub fn stats(&self) -> Result<SandboxStats> {
        let s = self.get()?.stats();
        Ok(SandboxStats {
            requests: s.requests as i64,
            connections: s.connections as i64,
        })
    }

    /// Requests so far that carried `openid`.
    #[napi]
    pub fn hits(&self, openid: String) -> Result<i64> {
        Ok(self.get()?.hits(&openid) as i64)
    }

    /// Adds or replaces the record of `openid` (the JSON of a fixtures file entry).
    #[napi]
    pub fn add_fixture(&self, openid: String, record_json: String) -> Result<()> {
        self.get()?.add_fixture(&openid, &record_json).map_err(fail)
    }

    /// Stops serving. Twice is harmless.
    #[napi]
    pub fn close(&mut self) {
        drop(self.server.take());
    }
}
