//! The Node.js binding's native addon: the nameauth core behind N-API (napi-rs), loaded by
//! `bindings/node` (its JavaScript builds the public classes: `Client`, `Verdict`, the
//! `NameauthError` family).
//!
//! Design. Nothing here throws into JavaScript for a nameauth failure: every fallible call
//! returns a [`Failure`](outcome::Failure) object (kind, message, field, rule, HTTP
//! status), and the JavaScript side alone decides the class of each kind, as the Java
//! binding's `NameAuthException.of` does. A verify runs on libuv's thread pool (an
//! `AsyncTask`), never on the event loop; its promise always resolves, with the verdict
//! or the failure and the call's masked log lines, and the JavaScript side logs them and
//! throws. A panic is caught at every entry (`frontend::catch_quietly`) and becomes an
//! `internal` failure: nothing crosses into Node as a crash.

pub mod client;
pub mod functions;
pub mod outcome;
