//! Panics at the edge of a front end (the C ABI, the Python module): caught, and silent.
//!
//! A panic in nameauth is a bug, reported to the caller as an internal error. Rust's
//! default hook would also print it to the host's stderr (a C service's log, a php-fpm
//! worker's), message and all; inside [`catch_quietly`] the hook stays silent. Panics
//! elsewhere in the process still reach the hook that was installed before.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// How many `catch_quietly` calls are active on this thread.
    static INSIDE: Cell<u32> = const { Cell::new(0) };
}

/// Runs `body`; a panic inside it is caught, printed nowhere, and returned as `None`.
pub fn catch_quietly<R>(body: impl FnOnce() -> R) -> Option<R> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if INSIDE.with(Cell::get) == 0 {
                previous(info);
            }
        }));
    });
    INSIDE.with(|n| n.set(n.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(body));
    INSIDE.with(|n| n.set(n.get() - 1));
    result.ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_inside_is_caught_and_the_value_passes_through() {
        assert_eq!(catch_quietly(|| 7), Some(7));
        assert_eq!(catch_quietly(|| -> u8 { panic!("S3CRET") }), None);
        // Nested and repeated calls keep the count right.
        assert_eq!(catch_quietly(|| catch_quietly(|| 1)), Some(Some(1)));
        assert_eq!(INSIDE.with(Cell::get), 0);
    }

    /// Run in a child process (the hook is process-wide): its stderr must stay empty.
    #[test]
    fn a_caught_panic_prints_nothing() {
        if std::env::var_os("NAMEAUTH_PANIC_CHILD").is_some() {
            let _ = catch_quietly(|| panic!("S3CRET 110101199003074477"));
            return;
        }
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "frontend::boundary::tests::a_caught_panic_prints_nothing",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("NAMEAUTH_PANIC_CHILD", "1")
            .output()
            .unwrap();
        assert!(out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("S3CRET") && !stderr.contains("panicked"),
            "{stderr}"
        );
    }
}
