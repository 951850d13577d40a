//! # nameauth
//!
//! One audited implementation of the WeChat Pay real-name check (微信支付实名信息验证,
//! the `nameautheasy` interface): given a user's openid, real name and ID number, it
//! validates them, signs the request, calls WeChat Pay and maps the answer to the verdict
//! table (A–F, Other).
//!
//! ```no_run
//! use nameauth::{Client, Code};
//!
//! let client = Client::builder("wx1234567890abcdef", "your-src", "your-key").build()?;
//! let verdict = client.verify("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "张三", "110101199003074477")?;
//! match verdict.code() {
//!     Code::A => println!("verified"),
//!     other => println!("{other}: {} ({})", verdict.message_en(), verdict.advice_en()),
//! }
//! # Ok::<(), nameauth::Error>(())
//! ```
//!
//! The pieces, from the protocol outwards: [`signing`] (docs/SPEC.md §2's MD5), [`validate`] and
//! [`idcard`] (docs/SPEC.md §3), [`request`] (the query), [`response`] and [`verdict`] (docs/SPEC.md §4
//! and §5), the [`Client`], its [`ClientBuilder`] and [`config`]'s one vocabulary of
//! options. Only the transport does I/O. The SPEC is `docs/SPEC.md` in the repository.

#![deny(missing_docs)]
// The core is safe Rust with no C in it; the C ABI is the `nameauth-ffi` crate.
#![forbid(unsafe_code)]

pub mod cancel;
mod client;
pub mod config;
pub mod error;
pub mod frontend;
pub mod idcard;
pub mod mask;
pub mod protocol;
pub mod report;
pub mod request;
pub mod response;
pub mod signing;
pub mod stats;
mod transport;
mod url;
pub mod validate;
pub mod verdict;

pub use cancel::{CallOptions, CancelToken};
pub use client::{Client, ClientBuilder};
pub use config::{
    OptionSpec, Options, DEFAULT_CONNECT_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_RETRIES,
    DEFAULT_TIMEOUT, MAX_IDLE_TIMEOUT, MAX_RETRIES, MAX_TIMEOUT, OPTIONS, OPTION_NAMES,
};
pub use error::{Error, ErrorKind, Rule, CANCELLED_MESSAGE};
pub use protocol::{Params, SignCase, DEFAULT_ENDPOINT, RESIDENT_ID_CARD};
pub use report::{Event, Report};
pub use signing::{sign, sign_checked, Signature};
pub use stats::Stats;
pub use verdict::{Code, Reason, ReasonInfo, Verdict, REASONS};

/// Releases the keep-alive pools this process keeps for the clients it builds (see
/// [`Client`]): each closes its idle connections once no client uses it, and clients
/// built later start new ones. Never needed for correctness; for leak checkers (valgrind)
/// and processes that are done with nameauth, like `curl_global_cleanup`.
pub fn release_pools() {
    transport::release_pools();
}

/// This library's version, from `Cargo.toml`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
