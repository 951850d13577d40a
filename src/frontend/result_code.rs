//! The C ABI's result numbers, for every front end that reports a number (the C header's
//! `nameauth_result`, Java's and PHP's `resultCode()`, Python's `result_code`).

use crate::{Error, ErrorKind, Rule};

/// What a front-end call returned: `Ok` (0) or an error. The numbers are fixed and never
/// reused; the C header's `NAMEAUTH_*` constants are these (`NAMEAUTH_OK` is `Ok`,
/// `NAMEAUTH_INVALID_INPUT` is `InvalidInput`, ...).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResultCode {
    /// Success.
    Ok = 0,
    /// A user input breaks a rule; nothing was sent. Kind `invalid_input`.
    InvalidInput = 1,
    /// The configuration is unusable (credentials, endpoint, options). Kind
    /// `invalid_config`.
    InvalidConfig = 2,
    /// No complete answer within the timeout. Kind `timeout`.
    Timeout = 3,
    /// Connection refused or reset, TLS failure, non-2xx HTTP status. Kind `transport`.
    Transport = 4,
    /// The server's answer is not a well-formed nameauth response. Kind `protocol`.
    Protocol = 5,
    /// A bug in nameauth. Kind `internal`.
    Internal = 6,
    /// A required pointer argument was NULL. Kind `invalid_input`.
    NullArgument = 7,
    /// A string argument was not valid UTF-8. Kind `invalid_input`.
    InvalidUtf8 = 8,
    /// The caller's output buffer is too small. Kind `invalid_input`.
    BufferTooSmall = 9,
    /// A panic inside nameauth was caught at the boundary (a bug). Kind `internal`.
    Panic = 10,
    /// The caller cancelled the call before its request was written; nothing was sent.
    /// Kind `cancelled`.
    Cancelled = 11,
}

impl ResultCode {
    /// Every code, in the order of their numbers.
    pub const ALL: [ResultCode; 12] = [
        ResultCode::Ok,
        ResultCode::InvalidInput,
        ResultCode::InvalidConfig,
        ResultCode::Timeout,
        ResultCode::Transport,
        ResultCode::Protocol,
        ResultCode::Internal,
        ResultCode::NullArgument,
        ResultCode::InvalidUtf8,
        ResultCode::BufferTooSmall,
        ResultCode::Panic,
        ResultCode::Cancelled,
    ];

    /// The code of an error: its kind's, except that an input error of rule
    /// `invalid_utf8` is [`ResultCode::InvalidUtf8`].
    pub fn of(e: &Error) -> ResultCode {
        match e.kind() {
            ErrorKind::InvalidInput if e.rule() == Some(Rule::InvalidUtf8) => {
                ResultCode::InvalidUtf8
            }
            ErrorKind::InvalidInput => ResultCode::InvalidInput,
            ErrorKind::InvalidConfig => ResultCode::InvalidConfig,
            ErrorKind::Timeout => ResultCode::Timeout,
            ErrorKind::Transport => ResultCode::Transport,
            ErrorKind::Protocol => ResultCode::Protocol,
            ErrorKind::Internal => ResultCode::Internal,
            ErrorKind::Cancelled => ResultCode::Cancelled,
        }
    }

    /// The code with number `n`, `None` for a number no code has.
    pub fn from_number(n: u32) -> Option<ResultCode> {
        Self::ALL.get(n as usize).copied()
    }

    /// The number (`NAMEAUTH_*`'s value).
    pub const fn number(self) -> u32 {
        self as u32
    }

    /// The docs/CONFORMANCE.md error kind: `"invalid_input"` (also for a NULL argument,
    /// bad UTF-8 and a short buffer), `"invalid_config"`, `"timeout"`, `"transport"`,
    /// `"protocol"`, `"internal"` (also for a caught panic) or `"cancelled"`; `""` for
    /// `Ok`.
    pub const fn kind(self) -> &'static str {
        match self {
            ResultCode::Ok => "",
            ResultCode::InvalidInput
            | ResultCode::NullArgument
            | ResultCode::InvalidUtf8
            | ResultCode::BufferTooSmall => ErrorKind::InvalidInput.as_str(),
            ResultCode::InvalidConfig => ErrorKind::InvalidConfig.as_str(),
            ResultCode::Timeout => ErrorKind::Timeout.as_str(),
            ResultCode::Transport => ErrorKind::Transport.as_str(),
            ResultCode::Protocol => ErrorKind::Protocol.as_str(),
            ResultCode::Internal | ResultCode::Panic => ErrorKind::Internal.as_str(),
            ResultCode::Cancelled => ErrorKind::Cancelled.as_str(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_numbers_are_the_c_headers_and_each_kind_maps_back() {
        for (n, code) in ResultCode::ALL.iter().enumerate() {
            assert_eq!(code.number() as usize, n);
            assert_eq!(ResultCode::from_number(n as u32), Some(*code));
        }
        assert_eq!(ResultCode::from_number(12), None);
        assert_eq!(ResultCode::Cancelled.number(), 11);
        // Every error kind's code has that kind.
        for kind in crate::stats::ERROR_KINDS {
            let e = match kind {
                ErrorKind::InvalidInput => Error::front_end_input("x", Rule::Empty, "empty"),
                ErrorKind::InvalidConfig => Error::front_end_config("x", "bad"),
                ErrorKind::Internal => Error::internal("bug"),
                ErrorKind::Cancelled => Error::cancelled("stop"),
                _ => continue,
            };
            assert_eq!(ResultCode::of(&e).kind(), kind.as_str());
        }
    }

    #[test]
    fn bad_utf8_has_its_own_code() {
        let e = Error::front_end_input("creid", Rule::InvalidUtf8, "is not valid UTF-8");
        assert_eq!(ResultCode::of(&e), ResultCode::InvalidUtf8);
        assert_eq!(ResultCode::InvalidUtf8.kind(), "invalid_input");
        assert_eq!(ResultCode::Panic.kind(), "internal");
        assert_eq!(ResultCode::Ok.kind(), "");
    }
}
