//! A child made by `fork` from a process that uses the client (a pre-forking server, a
//! Python `multiprocessing` worker): it makes connections of its own, never its parent's,
//! while the parent's threads go on calling; and the parent's connections keep working.
//! (A lock one of the parent's threads held at the instant of `fork` is not the child's:
//! the unit tests of src/transport/pool.rs and idle.rs force that order.)

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use nameauth_sandbox::Sandbox;

mod sandbox_client;
use sandbox_client::{builder, ZS_ID};

#[test]
fn a_forked_child_verifies_on_connections_of_its_own_and_the_parent_goes_on() {
    let sb = Sandbox::builder().start().unwrap();
    let c = builder(&sb).build().unwrap();
    assert!(c.verify("oZhangSan", "张三", ZS_ID).unwrap().passed());
    assert_eq!(sb.stats().connections, 1);
    // Other threads of the parent keep building clients and calling (another sandbox)
    // while it forks.
    let other = Sandbox::builder().start().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let busy: Vec<_> = (0..2)
        .map(|_| {
            let (stop, b) = (stop.clone(), builder(&other));
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let c = b.clone().build().unwrap();
                    assert!(c.verify("oLiSi", "李四", "11010519491231002X").is_ok());
                }
            })
        })
        .collect();
    for _ in 0..5 {
        let before = sb.hits("oZhangSan");
        // The child verifies with the client: every lock it takes is its own process's.
        let child = nameauth_pthread::in_forked_child(30, || {
            (0..3).all(|_| {
                c.verify("oZhangSan", "张三", ZS_ID)
                    .is_ok_and(|v| v.passed())
            })
        });
        assert_eq!(child, Ok(()), "the child hung or its verifies failed");
        assert_eq!(sb.hits("oZhangSan"), before + 3, "each check sent once");
    }
    stop.store(true, Ordering::Relaxed);
    busy.into_iter().for_each(|t| t.join().unwrap());
    // Each child opened one connection of its own (and kept it alive for its three
    // checks); the parent's own still serves it.
    assert_eq!(sb.stats().connections, 1 + 5);
    assert!(c.verify("oZhangSan", "张三", ZS_ID).unwrap().passed());
    assert_eq!(sb.stats().connections, 1 + 5);
}
