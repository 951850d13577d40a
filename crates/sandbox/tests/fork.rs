//! A child forked from a process with a running sandbox (a PHP or Python test that
//! forks) drops its copy when it exits: that copy must neither wait for the server's
//! threads, which the child does not have, nor remove the CA directory the parent still
//! uses.

use std::time::{Duration, Instant};

use nameauth_sandbox::Sandbox;

#[test]
fn a_forked_childs_copy_leaves_the_parents_sandbox_alone() {
    let sb = Sandbox::builder()
        .tls(true)
        .start()
        .expect("sandbox starts");
    let ca = sb
        .ca_file()
        .expect("a TLS sandbox has a CA file")
        .to_owned();
    // SAFETY: the child only drops the sandbox (no allocation, lock or thread of the
    // parent's is needed by the fixed drop) and leaves with _exit.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        let dropped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(sb)));
        // SAFETY: ends the child at once, running nothing of the parent's.
        unsafe { libc::_exit(if dropped.is_ok() { 0 } else { 3 }) };
    }
    let mut status = 0;
    let started = Instant::now();
    loop {
        // SAFETY: waits for our own child, without blocking.
        let r = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
        if r == pid {
            break;
        }
        if started.elapsed() > Duration::from_secs(20) {
            // SAFETY: our own child.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            panic!("the child hung dropping its copy of the sandbox");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "the child's drop failed: status {status}"
    );
    assert!(ca.exists(), "the child removed the parent's CA directory");
    assert!(
        std::net::TcpStream::connect(sb.addr()).is_ok(),
        "the parent's sandbox still listens"
    );
}
