//! A call's log events as front ends without Rust's `log` take them: a level number and,
//! for bindings that cannot take a callback, one line per event.

use std::fmt::Write as _;

use crate::report::{Event, Level};

/// The number a front end without Rust's `log` gives a level: 1 error, 2 warn, 3 info and
/// below. These are the C ABI's `NAMEAUTH_LOG_*` and the digit that starts each line of
/// [`capture_lines`].
pub fn level_number(level: Level) -> u32 {
    match level {
        Level::Error => 1,
        Level::Warn => 2,
        _ => 3,
    }
}

/// The events at `max` (a [`level_number`]) or more severe, one line each:
/// `"<level number> <message>\n"`, as the C ABI's capture and the Java binding hand them to
/// their loggers.
pub fn capture_lines(events: &[Event], max: u32) -> String {
    let mut lines = String::new();
    for e in events {
        let n = level_number(e.level);
        if n <= max {
            let _ = writeln!(lines, "{n} {}", e.message);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_keep_the_levels_asked_for() {
        let events = [
            Event {
                level: Level::Warn,
                message: "retry".into(),
            },
            Event {
                level: Level::Info,
                message: "verify".into(),
            },
        ];
        assert_eq!(capture_lines(&events, 3), "2 retry\n3 verify\n");
        assert_eq!(capture_lines(&events, 2), "2 retry\n");
        assert_eq!(capture_lines(&events, 0), "");
        assert_eq!(level_number(Level::Error), 1);
        assert_eq!(level_number(Level::Debug), 3);
    }
}
