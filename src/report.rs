//! What one call did, as log events that never carry a secret: the openid, the name and
//! the ID number only masked, the key and the URL never. The core writes them to the
//! `log` crate under the target `nameauth`; every front end turns the same events into its
//! own logging (Python's `logging`, SLF4J or `java.util.logging`, PSR-3, a C callback,
//! the CLI's `-v`).

use std::fmt::Write as _;
use std::time::Duration;

pub use log::Level;

use crate::error::Error;
use crate::mask;
use crate::verdict::Verdict;

/// The `log` target of every event.
pub const TARGET: &str = "nameauth";

/// One log event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// `Warn` for a retry or a failover (what the caller cannot see otherwise), `Info`
    /// for the call's own event, verdict or error (the error also reaches the caller).
    pub level: Level,
    /// One line of text, masked.
    pub message: String,
}

/// What one `verify` did.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Requests attempted (first attempt, retries and failovers).
    pub attempts: u32,
    /// Requests sent to the fallback endpoint.
    pub failovers: u32,
    /// The whole call, validation included.
    pub duration: Duration,
    /// Retry and failover events, in order.
    pub(crate) notes: Vec<Event>,
}

impl Report {
    /// The most severe level among the call's events: `Warn` if a retry or a failover
    /// happened, `Info` otherwise. A logger that does not take it gets nothing of the
    /// call, so front ends check it before formatting anything.
    pub fn level(&self) -> Level {
        if self.notes.is_empty() {
            Level::Info
        } else {
            Level::Warn
        }
    }

    pub(crate) fn note(&mut self, level: Level, message: String) {
        self.notes.push(Event { level, message });
    }

    /// Every event of the call, in order: one per retry and failover, then the call's own.
    pub fn events(
        &self,
        openid: &str,
        truename: &str,
        creid: &str,
        result: Result<&Verdict, &Error>,
    ) -> Vec<Event> {
        let mut out = self.notes.clone();
        out.push(self.call_event(openid, truename, creid, result));
        out
    }

    /// The call's own event: `verify openid=oUp***S6o truename=*三
    /// creid=110*************77 outcome=A attempts=1 failovers=0 duration_ms=1.234`, and
    /// for an error its kind and message.
    pub fn call_event(
        &self,
        openid: &str,
        truename: &str,
        creid: &str,
        result: Result<&Verdict, &Error>,
    ) -> Event {
        let mut m = String::with_capacity(160);
        let _ = write!(
            m,
            "verify openid={} truename={} creid={} outcome=",
            mask::id(openid),
            mask::name(truename),
            mask::id(creid)
        );
        match result {
            Ok(v) => m.push_str(v.code().as_str()),
            Err(e) => m.push_str(e.kind().as_str()),
        }
        let _ = write!(
            m,
            " attempts={} failovers={} duration_ms={:.3}",
            self.attempts,
            self.failovers,
            self.duration.as_secs_f64() * 1000.0
        );
        if let Err(e) = result {
            let _ = write!(m, " error=\"{e}\"");
        }
        Event {
            level: Level::Info,
            message: m,
        }
    }

    /// Writes the events to the `log` crate (target `nameauth`), if a logger takes them.
    pub(crate) fn log(
        &self,
        openid: &str,
        truename: &str,
        creid: &str,
        r: Result<&Verdict, &Error>,
    ) {
        if !log::log_enabled!(target: TARGET, self.level()) {
            return;
        }
        for e in self.events(openid, truename, creid, r) {
            log::log!(target: TARGET, e.level, "{}", e.message);
        }
    }
}
