//! The process's keep-alive pools: `release_pools` drops them. Its own test binary, since
//! the pools belong to the process and other tests rely on them.

use std::time::Duration;

use nameauth::Client;
use nameauth_sandbox::{Sandbox, APPID, KEY, SRC};

#[test]
fn released_pools_are_replaced_by_new_ones() {
    let sb = Sandbox::builder().start().unwrap();
    let client = || {
        Client::builder(APPID, SRC, KEY)
            .endpoint(sb.endpoint())
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap()
    };
    let verify = |c: &Client| {
        assert!(c
            .verify("oZhangSan", "张三", "110101199003074477")
            .unwrap()
            .passed())
    };
    verify(&client());
    verify(&client());
    assert_eq!(
        sb.stats().connections,
        1,
        "the second client reused the pool"
    );
    // A live client keeps its own pool; clients built later start a new one.
    let kept = client();
    nameauth::release_pools();
    verify(&kept);
    assert_eq!(sb.stats().connections, 1);
    verify(&client());
    assert_eq!(sb.stats().connections, 2);
}
