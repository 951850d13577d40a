//! The one error type of the library.
//!
//! Every failure to get a verdict is an [`Error`] of one of seven kinds, the same seven
//! that `docs/CONFORMANCE.md` names (`cancelled` only for calls the caller cancelled). Messages are one line of English that name the problem (the
//! field and the rule, the HTTP status, the limit) and never contain the key, the name or
//! the ID number in clear.

use std::fmt;

/// What went wrong, in the seven kinds every front end reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A user input (openid, name, ID number, document type) breaks a rule; nothing was sent.
    InvalidInput,
    /// The client configuration is unusable (missing credential, bad endpoint, bad option).
    InvalidConfig,
    /// No complete answer arrived within the configured time. When the request had been
    /// sent, the message says so ([`SENT_NOTE`]): the server may have run the check, so
    /// sending it again may check the person twice.
    Timeout,
    /// The connection failed: refused, reset, TLS failure, non-2xx HTTP status. When the
    /// request had been sent (and the server did not say it was not processed, as a 503
    /// does), the message says so ([`SENT_NOTE`]).
    Transport,
    /// The server answered, but not with a well-formed nameauth response.
    Protocol,
    /// A bug in this library (for example a caught panic at the C boundary).
    Internal,
    /// The caller cancelled the call (a [`CancelToken`](crate::CancelToken)) before its
    /// request was written; nothing was sent. Never returned by `verify` itself.
    Cancelled,
}

impl ErrorKind {
    /// The kind's name as `CONFORMANCE.md` spells it (`"invalid_input"`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::InvalidConfig => "invalid_config",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Transport => "transport",
            ErrorKind::Protocol => "protocol",
            ErrorKind::Internal => "internal",
            ErrorKind::Cancelled => "cancelled",
        }
    }
}

/// `Display` for an enum with a stable name per variant (`ErrorKind`, `Code`): the name
/// its `as_str` gives.
macro_rules! display_as_str {
    ($t:ty) => {
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use display_as_str;

display_as_str!(ErrorKind);

/// The end of a timeout or transport error's message when the request had been sent:
/// the server may have run the check (docs/SPEC.md §6), so it is never sent again.
pub const SENT_NOTE: &str = "; the request was sent, so the server may have run the check";

/// The message of a call the core stopped at its cancellation point.
pub const CANCELLED_MESSAGE: &str =
    "the call was cancelled before its request was sent; nothing was sent";

/// Which rule an input broke. Stable identifiers, so callers can branch on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// The value is empty.
    Empty,
    /// The value holds a control character (NUL included).
    ControlCharacter,
    /// The value is not valid UTF-8 (only reachable through the C ABI).
    InvalidUtf8,
    /// The value is longer than its limit.
    TooLong,
    /// The value holds a character outside its allowed set.
    Charset,
    /// The name holds a digit.
    Digit,
    /// The name starts or ends with white space, or has two spaces in a row.
    Whitespace,
    /// The name holds no letter at all.
    NoLetter,
    /// A resident ID number of the wrong length.
    IdLength,
    /// A resident ID number whose first 17 characters are not all digits, or whose last is
    /// neither a digit nor `X`.
    IdDigits,
    /// The GB 11643-1999 check character does not match.
    IdCheckCharacter,
    /// The birth date is not a calendar date.
    IdBirthDate,
    /// The birth date lies in the future.
    IdBirthDateFuture,
    /// The birth date lies before 1900.
    IdBirthDateBefore1900,
    /// A 15-digit first-generation number, not valid since 2013.
    IdFirstGeneration,
    /// A configuration value that is missing.
    Missing,
    /// A configuration value that cannot be parsed or is out of range.
    BadValue,
    /// An option name this library does not know.
    UnknownOption,
    /// An option given twice in one option string.
    DuplicateOption,
    /// The first two digits of a resident ID number are not a province-level code.
    IdRegion,
}

impl Rule {
    /// The rule's stable identifier (`"empty"`, `"id_check_character"`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            Rule::Empty => "empty",
            Rule::ControlCharacter => "control_character",
            Rule::InvalidUtf8 => "invalid_utf8",
            Rule::TooLong => "too_long",
            Rule::Charset => "charset",
            Rule::Digit => "digit",
            Rule::Whitespace => "whitespace",
            Rule::NoLetter => "no_letter",
            Rule::IdLength => "id_length",
            Rule::IdDigits => "id_digits",
            Rule::IdCheckCharacter => "id_check_character",
            Rule::IdBirthDate => "id_birth_date",
            Rule::IdBirthDateFuture => "id_birth_date_future",
            Rule::IdBirthDateBefore1900 => "id_birth_date_before_1900",
            Rule::IdFirstGeneration => "id_first_generation",
            Rule::Missing => "missing",
            Rule::BadValue => "bad_value",
            Rule::UnknownOption => "unknown_option",
            Rule::DuplicateOption => "duplicate_option",
            Rule::IdRegion => "id_region",
        }
    }
}

/// A failure to get a verdict. `Display` gives the one-line message; `Debug` shows the
/// same fields and nothing more, so neither can leak a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    field: Option<&'static str>,
    rule: Option<Rule>,
    http_status: Option<u16>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        let mut message = message.into();
        // One line, always: front ends print it inside a single JSON line.
        if message.contains(['\n', '\r']) {
            message = message.replace(['\n', '\r'], " ");
        }
        Error {
            kind,
            message,
            field: None,
            rule: None,
            http_status: None,
        }
    }

    /// This error, its message ending with [`SENT_NOTE`].
    pub(crate) fn sent(mut self) -> Self {
        if !self.message.ends_with(SENT_NOTE) {
            self.message.push_str(SENT_NOTE);
        }
        self
    }

    /// An input error: `"<field>: <text>"`.
    pub(crate) fn input(field: &'static str, rule: Rule, text: impl fmt::Display) -> Self {
        let mut e = Error::new(ErrorKind::InvalidInput, format!("{field}: {text}"));
        e.field = Some(field);
        e.rule = Some(rule);
        e
    }

    /// A configuration error: `"<field>: <text>"`.
    pub(crate) fn config(field: &'static str, rule: Rule, text: impl fmt::Display) -> Self {
        let mut e = Error::new(ErrorKind::InvalidConfig, format!("{field}: {text}"));
        e.field = Some(field);
        e.rule = Some(rule);
        e
    }

    pub(crate) fn transport(text: impl Into<String>) -> Self {
        Error::new(ErrorKind::Transport, text)
    }

    pub(crate) fn from_http_status(status: u16) -> Self {
        let text = if (300..400).contains(&status) {
            format!("HTTP status {status} from the endpoint (redirects are not followed)")
        } else {
            format!("HTTP status {status} from the endpoint")
        };
        let mut e = Error::transport(text);
        e.http_status = Some(status);
        e
    }

    pub(crate) fn protocol(text: impl Into<String>) -> Self {
        Error::new(ErrorKind::Protocol, text)
    }

    pub(crate) fn timeout(text: impl Into<String>) -> Self {
        Error::new(ErrorKind::Timeout, text)
    }

    /// An internal error, for front ends that catch a panic or hit a bug.
    pub fn internal(text: impl Into<String>) -> Self {
        Error::new(ErrorKind::Internal, text)
    }

    /// A call the caller cancelled before its request was written (nothing was sent). The
    /// core's own message is [`CANCELLED_MESSAGE`]; a front end that drops a call still in
    /// its queue may say so in its own words.
    pub fn cancelled(text: impl Into<String>) -> Self {
        Error::new(ErrorKind::Cancelled, text)
    }

    /// An input error raised by a front end before the core sees the value (for example
    /// bad UTF-8 arriving through the C ABI). The text must not contain the value.
    pub fn front_end_input(field: &'static str, rule: Rule, text: &str) -> Self {
        Error::input(field, rule, text)
    }

    /// A configuration error raised by a front end (for example a Python argument of the
    /// wrong range): `"<field>: <text>"`. The text must not contain a secret.
    pub fn front_end_config(field: &'static str, text: &str) -> Self {
        Error::config(field, Rule::BadValue, text)
    }

    /// The same error, reported as configuration: a value that breaks an input rule but
    /// came from the configuration (an empty `appid`, say).
    pub(crate) fn into_config(mut self) -> Self {
        self.kind = ErrorKind::InvalidConfig;
        self
    }

    /// Which of the seven kinds this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The one-line English message (the same as `Display`).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// For input and configuration errors, the field at fault (`"creid"`, `"appid"`, ...).
    pub fn field(&self) -> Option<&'static str> {
        self.field
    }

    /// For input and configuration errors, the rule that was broken.
    pub fn rule(&self) -> Option<Rule> {
        self.rule
    }

    /// For a non-2xx answer, its HTTP status.
    pub fn http_status(&self) -> Option<u16> {
        self.http_status
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_line() {
        let e = Error::protocol("a\nb\rc");
        assert_eq!(e.message(), "a b c");
    }

    #[test]
    fn input_errors_name_field_and_rule() {
        let e = Error::input("openid", Rule::Empty, "must not be empty");
        assert_eq!(e.to_string(), "openid: must not be empty");
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert_eq!(e.field(), Some("openid"));
        assert_eq!(e.rule(), Some(Rule::Empty));
    }
}
