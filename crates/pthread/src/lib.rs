//! Threads for a library that starts them on its callers' threads and may be unloaded
//! (nameauth's idle reaper, `src/transport/idle.rs`): the core's only `unsafe` code lives
//! here, so that the core itself keeps `#![forbid(unsafe_code)]`.
//!
//! Why not `std::thread::spawn`: it initialises a thread-local of the thread that calls
//! it (its spawn hooks), one that needs a destructor, and glibc does not unmap a library
//! while any thread holds a thread-local destructor of the library's code. The calling
//! thread is not ours: a JVM's request thread outlives the web application that loaded a
//! copy of the library, so with `std::thread::spawn` every redeployed copy stayed mapped
//! for as long as the container ran, one more per redeploy (bindings/java's
//! `ClassLoaderTest`, the pooled case; `crates/ffi/tests/c/unload.c` for the C library).
//! [`spawn`] calls `pthread_create` itself and leaves the calling thread untouched.
//!
//! The new thread does hold such a destructor, on purpose: it is registered first thing,
//! and [`spawn`] returns only once it is, so the library stays mapped while its code runs
//! on that thread, whoever unloads it; once the thread has ended, the next `dlclose` can
//! unmap it. (Without the wait, a program that exits right after its first call could
//! unload the library before the new thread ran its first instruction: PHP unloads its
//! FFI libraries at shutdown.) A mutex and a condition variable carry the signal: neither
//! touches a thread-local of the caller's. The pin needs glibc 2.18 or later
//! (`__cxa_thread_atexit_impl`; older glibc runs thread-local destructors from a pthread
//! key, which does not keep a library mapped), so the rule that holds everywhere is:
//! join the thread before the library is unloaded (nameauth's `release_pools`, which
//! `JNI_OnUnload` and the PHP binding's shutdown call). A [`Thread`] dropped without a
//! join is detached.
//!
//! Never call [`spawn`] from code that runs under the dynamic loader's lock (an ELF
//! constructor or destructor): the new thread's first thread-local registration takes
//! that lock, and [`spawn`] waits for it.
//!
//! The crate also holds [`PerProcess`] (per_process.rs): a value each process has its own
//! of, so that a child made by `fork` never waits on a lock its parent's threads held.

mod per_process;

pub use per_process::PerProcess;

use std::cell::RefCell;
use std::ffi::{c_void, CString};
use std::io;
use std::mem::{ManuallyDrop, MaybeUninit};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::{Arc, Condvar, Mutex, PoisonError};

/// A running thread, from [`spawn`]: [`Thread::join`] waits for it; dropping it detaches
/// it.
#[derive(Debug)]
pub struct Thread {
    id: libc::pthread_t,
}

/// What the new thread runs, its name, and the flag it raises once it holds its pin.
struct Start {
    name: CString,
    body: Box<dyn FnOnce() + Send>,
    pinned: Arc<(Mutex<bool>, Condvar)>,
}

thread_local! {
    /// Touched first thing by every thread [`spawn`] makes: a thread-local that needs a
    /// destructor keeps this library mapped until the thread ends (see the module's
    /// comment).
    static PIN: RefCell<Option<Box<u8>>> = const { RefCell::new(None) };
}

/// The least stack a thread gets: enough for the panic hook to print a backtrace (the
/// pages are only committed when touched).
pub const MIN_STACK: usize = 256 * 1024;

/// Starts a thread named `name` (its first 15 bytes, the most Linux keeps; a NUL ends it)
/// with at least [`MIN_STACK`] and at least `stack_size` bytes of stack, running `body`,
/// and returns once that thread holds its pin. A panic in `body` ends the thread and is
/// reported by the panic hook (as `'<unnamed>'`: std names only its own threads). An
/// error is the one a pthread call gave (no thread was made, `body` is dropped).
pub fn spawn(
    name: &str,
    stack_size: usize,
    body: impl FnOnce() + Send + 'static,
) -> io::Result<Thread> {
    let mut name = name.split('\0').next().unwrap_or_default();
    while name.len() > 15 {
        let mut end = 15;
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        name = &name[..end];
    }
    let pinned = Arc::new((Mutex::new(false), Condvar::new()));
    let start = Box::new(Start {
        name: CString::new(name).unwrap_or_default(),
        body: Box::new(body),
        pinned: pinned.clone(),
    });
    let mut attr = MaybeUninit::<libc::pthread_attr_t>::uninit();
    // SAFETY: `attr` is initialised by `pthread_attr_init` before any other use and
    // destroyed once on every path; `id` is written by a successful `pthread_create`;
    // `start` is handed to the new thread, which takes it back exactly once (`run`), or
    // taken back here if no thread was made.
    let id = unsafe {
        let r = libc::pthread_attr_init(attr.as_mut_ptr());
        if r != 0 {
            return Err(io::Error::from_raw_os_error(r));
        }
        let stack = stack_size.max(MIN_STACK).max(libc::PTHREAD_STACK_MIN);
        let r = libc::pthread_attr_setstacksize(attr.as_mut_ptr(), stack);
        if r != 0 {
            libc::pthread_attr_destroy(attr.as_mut_ptr());
            return Err(io::Error::from_raw_os_error(r));
        }
        let arg = Box::into_raw(start);
        let mut id = MaybeUninit::<libc::pthread_t>::uninit();
        let r = libc::pthread_create(id.as_mut_ptr(), attr.as_ptr(), run, arg.cast());
        libc::pthread_attr_destroy(attr.as_mut_ptr());
        if r != 0 {
            drop(Box::from_raw(arg));
            return Err(io::Error::from_raw_os_error(r));
        }
        id.assume_init()
    };
    let (flag, raised) = &*pinned;
    let mut is_pinned = flag.lock().unwrap_or_else(PoisonError::into_inner);
    while !*is_pinned {
        is_pinned = raised
            .wait(is_pinned)
            .unwrap_or_else(PoisonError::into_inner);
    }
    Ok(Thread { id })
}

/// Raises the flag `spawn` waits on when dropped: on every way out of the pinning step,
/// a panic included, so the spawner never waits for ever.
struct Raise<'a>(&'a (Mutex<bool>, Condvar));

impl Drop for Raise<'_> {
    fn drop(&mut self) {
        let (flag, raised) = self.0;
        *flag.lock().unwrap_or_else(PoisonError::into_inner) = true;
        raised.notify_one();
    }
}

/// The new thread: pins the library, names itself, runs the body.
extern "C" fn run(arg: *mut c_void) -> *mut c_void {
    // SAFETY: `arg` is the `Box<Start>` that `spawn` leaked for this thread alone.
    let start = unsafe { Box::from_raw(arg.cast::<Start>()) };
    let _ = catch_unwind(AssertUnwindSafe(move || {
        {
            // The flag goes up when this block ends, however it ends.
            let _raise = Raise(&start.pinned);
            // The first access registers the destructor: that is the pin.
            let _ = PIN.try_with(|p| *p.borrow_mut() = Some(Box::new(0)));
        }
        // SAFETY: a NUL-terminated name of at most 15 bytes, for this thread.
        unsafe { libc::pthread_setname_np(libc::pthread_self(), start.name.as_ptr()) };
        (start.body)();
    }));
    ptr::null_mut()
}

/// For tests of what a child made by `fork` does: runs `child` in a forked child, which
/// leaves with `_exit` (status 0 if `child` returned true, 3 if not) and is ended by
/// `SIGALRM` after `seconds` if it hangs. `Ok` if it exited 0, else the wait status.
/// The child has only this thread: `child` must not need a lock another thread may hold
/// (unless that is what the test is about). In the parent, `child` is dropped unrun.
pub fn in_forked_child(seconds: u32, child: impl FnOnce() -> bool) -> Result<(), i32> {
    // SAFETY: the child runs `child` and leaves with `_exit`, running nothing else of the
    // parent's (no destructor, no atexit handler); the parent only waits for it.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed: {}", io::Error::last_os_error());
    if pid == 0 {
        // SAFETY: no precondition.
        unsafe { libc::alarm(seconds) };
        let ok = catch_unwind(AssertUnwindSafe(child)).unwrap_or(false);
        // SAFETY: ends the child at once.
        unsafe { libc::_exit(if ok { 0 } else { 3 }) };
    }
    let mut status = 0;
    // SAFETY: our own child, which ends within `seconds` (its alarm).
    let waited = unsafe { libc::waitpid(pid, &mut status, 0) };
    assert_eq!(waited, pid, "waitpid: {}", io::Error::last_os_error());
    if libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0 {
        Ok(())
    } else {
        Err(status)
    }
}

impl Thread {
    /// Waits for the thread to end (its thread-local destructors, the pin included, have
    /// run when this returns).
    pub fn join(self) {
        let this = ManuallyDrop::new(self);
        // SAFETY: a thread made by `spawn`, neither joined nor detached (`self` is
        // consumed, and `Drop` will not detach it).
        unsafe { libc::pthread_join(this.id, ptr::null_mut()) };
    }
}

impl Drop for Thread {
    fn drop(&mut self) {
        // SAFETY: a thread made by `spawn`, neither joined nor detached.
        unsafe { libc::pthread_detach(self.id) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::mpsc;

    #[test]
    fn the_body_runs_on_a_named_thread_and_join_waits_for_it() {
        let done = Arc::new(AtomicBool::new(false));
        let (tx, rx) = mpsc::channel();
        let flag = done.clone();
        let t = spawn("nameauth-test", 64 * 1024, move || {
            // SAFETY: gettid has no preconditions.
            let tid = unsafe { libc::gettid() };
            let comm = std::fs::read_to_string(format!("/proc/self/task/{tid}/comm"));
            tx.send(comm.unwrap_or_default()).unwrap();
            std::thread::sleep(std::time::Duration::from_millis(50));
            flag.store(true, Ordering::SeqCst);
        })
        .unwrap();
        assert_eq!(rx.recv().unwrap().trim(), "nameauth-test");
        t.join();
        assert!(
            done.load(Ordering::SeqCst),
            "join returned before the body ended"
        );
    }

    #[test]
    fn a_panicking_body_ends_its_thread_only() {
        let t = spawn("nameauth-panic", 0, || panic!("inside")).unwrap();
        t.join();
        // A dropped thread is detached, and still runs to its end.
        let (tx, rx) = mpsc::channel();
        let body = move || {
            // SAFETY: gettid has no preconditions.
            let tid = unsafe { libc::gettid() };
            let comm = std::fs::read_to_string(format!("/proc/self/task/{tid}/comm"));
            tx.send(comm.unwrap_or_default()).unwrap();
        };
        drop(spawn("a name longer than fifteen bytes", 0, body).unwrap());
        assert_eq!(rx.recv().unwrap().trim(), "a name longer t");
    }
}
