//! Issue 17 item 9: idle connections are closed on time even when their pool is never
//! used again (no `release_pools`). Its own test binary: it counts the process's sockets.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use nameauth_sandbox::Sandbox;

mod sandbox_client;
use sandbox_client::{builder, ZS_ID};

/// The process's open sockets (`socket:[inode]`).
fn socket_set() -> HashSet<String> {
    std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .map(|target| target.to_string_lossy().into_owned())
        .filter(|target| target.starts_with("socket:"))
        .collect()
}

fn sockets() -> usize {
    socket_set().len()
}

#[test]
fn idle_connections_of_pools_never_used_again_are_closed() {
    let before = sockets();
    for _ in 0..4 {
        // A sandbox per test and a client per test, as test suites do.
        let sb = Sandbox::builder().start().unwrap();
        let client = builder(&sb)
            .idle_timeout(Duration::from_millis(3000))
            .build()
            .unwrap();
        let earlier = socket_set();
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    let v = client.verify("oZhangSan", "张三", ZS_ID).unwrap();
                    assert!(v.passed());
                });
            }
        });
        drop(client);
        drop(sb);
        // The sandbox is gone (its sockets closed); the pool still holds the connections
        // it made, used a moment ago, well within the idle timeout.
        assert!(
            !socket_set().is_subset(&earlier),
            "the pool holds its connections while they may be reused"
        );
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    while sockets() > before && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        sockets() <= before,
        "{} sockets left open, {before} before: dead pools keep their sockets",
        sockets()
    );
}
