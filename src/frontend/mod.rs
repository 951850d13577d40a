//! The kit every front end (the C ABI, JNI, Python, PHP through the C ABI) builds on, so
//! that none of them re-derives it:
//!
//! - [`boundary`]: the panic boundary ([`catch_quietly`]): nothing crosses a language
//!   boundary as a panic, and a caught panic prints nothing.
//! - [`ResultCode`]: the C ABI's result numbers (`NAMEAUTH_OK` … `NAMEAUTH_CANCELLED`),
//!   [`ResultCode::of`] an [`Error`](crate::Error), and [`ResultCode::kind`] its
//!   docs/CONFORMANCE.md kind. The C header, JNI and Python take their numbers from here.
//! - [`events`]: the level numbers and the captured-lines form of a call's log events.
//! - [`sign`](mod@sign): the sign case as front ends spell it, [`SIGN_ARGS`] (the names
//!   and order of every front end's `sign` arguments) and [`sign_args`], the one function
//!   that signs from them.
//! - [`PerProcess`]: a value each process has its own of, for a front end's own state
//!   behind a lock (Python's `AsyncClient` pool): a child made by `fork` never waits on a
//!   lock its parent's threads held (crates/pthread's per_process.rs).
//!
//! Only translation lives here; every rule is the core's.

pub mod boundary;
pub mod events;
mod result_code;
pub mod sign;

pub use nameauth_pthread::PerProcess;

pub use boundary::catch_quietly;
pub use events::{capture_lines, level_number};
pub use result_code::ResultCode;
pub use sign::{sign_args, sign_case, sign_case_number, SIGN_ARGS};
