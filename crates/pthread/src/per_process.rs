//! [`PerProcess`]: a value each process has its own of, so that a child made by `fork`
//! never waits on its parent's locks.
//!
//! `fork` copies the whole memory of a process but only the thread that called it. A lock
//! that another thread of the parent held at that instant is copied held, and no thread of
//! the child will ever let it go: the child's first use of it hangs forever (a Python
//! `multiprocessing` worker, a pre-forking server, a PHP or Perl script that forks). The
//! child gets a fresh value from [`PerProcess::get_or`] instead, whatever its parent's was
//! doing; the parent's is left as it was, never used nor dropped in the child (its
//! sockets, threads and TLS sessions are the parent's).
//!
//! One pointer, swapped with a compare-and-exchange, holds the current process's value
//! with its process id: no lock of its own to inherit. A value is freed only with its
//! `PerProcess` (and only in the process that made it); a parent's, once replaced in a
//! child, is leaked there, a few bytes per fork.

use std::marker::PhantomData;
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};

/// A value of this process, and the process it belongs to.
struct Slot<T> {
    pid: u32,
    value: T,
}

/// A value each process has its own of: see the module's documentation.
///
/// ```ignore
/// static POOLS: PerProcess<Mutex<Vec<Pool>>> = PerProcess::new();
/// let pools = POOLS.get_or(Default::default).lock();
/// ```
pub struct PerProcess<T> {
    current: AtomicPtr<Slot<T>>,
    _owns: PhantomData<Box<Slot<T>>>,
}

// SAFETY: `get_or` hands out `&T` to any thread (so `T: Sync`), and a value made on one
// thread may be dropped on another with the `PerProcess` (so `T: Send`).
unsafe impl<T: Send + Sync> Sync for PerProcess<T> {}
// SAFETY: as above: moving a `PerProcess` moves its value.
unsafe impl<T: Send + Sync> Send for PerProcess<T> {}

impl<T> PerProcess<T> {
    /// No value yet: the first [`get_or`](Self::get_or) of each process makes one.
    pub const fn new() -> Self {
        PerProcess {
            current: AtomicPtr::new(ptr::null_mut()),
            _owns: PhantomData,
        }
    }

    /// `value`, as this process's.
    pub fn with(value: T) -> Self {
        let slot = Box::new(Slot {
            pid: std::process::id(),
            value,
        });
        PerProcess {
            current: AtomicPtr::new(Box::into_raw(slot)),
            _owns: PhantomData,
        }
    }

    /// This process's value, made by `make` if this process has none yet: on its first
    /// use, and on its first after `fork` (see the module's documentation). If two
    /// threads make one at once, one value wins and the other is dropped.
    pub fn get_or(&self, make: impl FnOnce() -> T) -> &T {
        let pid = std::process::id();
        let mut seen = self.current.load(Ordering::Acquire);
        if let Some(value) = Self::of(seen, pid) {
            return value;
        }
        let fresh = Box::into_raw(Box::new(Slot { pid, value: make() }));
        loop {
            match self
                .current
                .compare_exchange(seen, fresh, Ordering::AcqRel, Ordering::Acquire)
            {
                // SAFETY: `fresh` is ours and now installed; it is freed only by `drop`,
                // which takes `&mut self`, so not while the returned borrow lives. The
                // slot it replaced (none, or a parent's) is left as it is.
                Ok(_) => return unsafe { &(*fresh).value },
                Err(now) => {
                    if let Some(value) = Self::of(now, pid) {
                        // Another thread of this process installed one first.
                        // SAFETY: `fresh` was never shared.
                        drop(unsafe { Box::from_raw(fresh) });
                        return value;
                    }
                    seen = now;
                }
            }
        }
    }

    /// The value in `slot` if it is process `pid`'s.
    fn of<'a>(slot: *mut Slot<T>, pid: u32) -> Option<&'a T> {
        // SAFETY: a non-null pointer here was installed by `with` or `get_or` and is freed
        // only by `drop` (`&mut self`): valid for as long as the `&self` it came through.
        let slot = unsafe { slot.as_ref() }?;
        (slot.pid == pid).then_some(&slot.value)
    }
}

impl<T> Default for PerProcess<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Drop for PerProcess<T> {
    fn drop(&mut self) {
        let slot = *self.current.get_mut();
        if Self::of(slot, std::process::id()).is_some() {
            // SAFETY: this process's slot, made by `Box::into_raw`, freed once (here).
            drop(unsafe { Box::from_raw(slot) });
        }
        // A parent's (in a child after `fork`) is left alone: see the module's doc.
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::sync::{mpsc, Arc, Mutex};

    #[test]
    fn a_process_makes_its_value_once_and_frees_it_with_the_cell() {
        struct Counted(Arc<AtomicUsize>);
        impl Drop for Counted {
            fn drop(&mut self) {
                self.0.fetch_add(1, Ordering::SeqCst);
            }
        }
        let dropped = Arc::new(AtomicUsize::new(0));
        let made = AtomicUsize::new(0);
        let cell = PerProcess::new();
        let make = || {
            made.fetch_add(1, Ordering::SeqCst);
            Counted(dropped.clone())
        };
        let first: *const Counted = cell.get_or(make);
        let again: *const Counted = cell.get_or(make);
        assert_eq!(first, again);
        assert_eq!(made.load(Ordering::SeqCst), 1);
        drop(cell);
        assert_eq!(dropped.load(Ordering::SeqCst), 1);
        drop(PerProcess::with(Counted(dropped.clone())));
        assert_eq!(dropped.load(Ordering::SeqCst), 2);
    }

    /// The order that hung a child: another thread of the parent holds the value's lock
    /// at the instant of `fork`. The child gets a fresh value at once; the parent's lock is
    /// still its thread's.
    #[test]
    fn a_child_forked_while_a_thread_holds_the_lock_gets_a_fresh_value() {
        static CELL: PerProcess<Mutex<&str>> = PerProcess::new();
        CELL.get_or(|| Mutex::new("parent"));
        let (held, release) = (mpsc::channel(), mpsc::channel::<()>());
        let holder = std::thread::spawn(move || {
            let guard = CELL.get_or(|| Mutex::new("unused")).lock().unwrap();
            held.0.send(()).unwrap();
            release.1.recv().unwrap();
            drop(guard);
        });
        held.1.recv().unwrap();
        // The child only locks the cell's fresh mutex and compares.
        let child = crate::in_forked_child(20, || {
            let fresh = CELL.get_or(|| Mutex::new("child"));
            fresh.try_lock().is_ok_and(|v| *v == "child")
        });
        assert_eq!(
            child,
            Ok(()),
            "the child hung or did not get a fresh, free value"
        );
        assert!(CELL.get_or(|| Mutex::new("x")).try_lock().is_err());
        release.0.send(()).unwrap();
        holder.join().unwrap();
        assert_eq!(*CELL.get_or(|| Mutex::new("x")).lock().unwrap(), "parent");
    }
}
