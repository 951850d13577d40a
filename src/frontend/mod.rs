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
//!
//! Only translation lives here; every rule is the core's.

pub mod boundary;
pub mod events;
mod result_code;
pub mod sign;

pub use boundary::catch_quietly;
pub use events::{capture_lines, level_number};
pub use result_code::ResultCode;
pub use sign::{sign_args, sign_case, sign_case_number, SIGN_ARGS};
