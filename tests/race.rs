//! Many threads, one client, faults mixed in: every answer belongs to its own request and
//! every fault gives its own error. `make test` runs 16 threads x 100 verifies; `make race`
//! runs 16 x 10,000 under ThreadSanitizer and under AddressSanitizer
//! (NAMEAUTH_RACE_CALLS sets the count per thread).
//!
//! With NAMEAUTH_ENDPOINT set (tools/with_sandbox.py) the sandbox runs in its own process,
//! so a sanitizer sees only the client; otherwise the test starts one in-process.

use std::time::Duration;

use nameauth::{Client, ErrorKind};
use nameauth_sandbox::{Sandbox, APPID, KEY, SRC};

const ZS_ID: &str = "110101199003074477";

/// (openid, name, what must come back: a verdict code or an error kind)
const MIX: &[(&str, &str, Result<&str, ErrorKind>)] = &[
    ("oZhangSan", "张三", Ok("A")),
    ("oZhangSan", "李四", Ok("B")),
    ("oPoliceOnly", "张三", Ok("E")),
    ("oSignInvalid", "张三", Ok("Other")),
    ("oReset", "张三", Err(ErrorKind::Transport)),
    ("oHttp502", "张三", Err(ErrorKind::Transport)),
    ("oGarbage", "张三", Err(ErrorKind::Protocol)),
    ("oDuplicateKeys", "张三", Err(ErrorKind::Protocol)),
    ("oZhangSan", "张三1", Err(ErrorKind::InvalidInput)),
];

#[test]
fn sixteen_threads_share_one_client_with_faults_mixed_in() {
    let calls: usize = std::env::var("NAMEAUTH_RACE_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let local;
    let endpoint = match std::env::var("NAMEAUTH_ENDPOINT") {
        Ok(e) if !e.is_empty() => e,
        _ => {
            local = Sandbox::builder().start().unwrap();
            local.endpoint()
        }
    };
    let client = Client::builder(APPID, SRC, KEY)
        .endpoint(endpoint)
        .timeout(Duration::from_secs(30))
        .retries(0)
        .build()
        .unwrap();
    let wrong: usize = std::thread::scope(|s| {
        let workers: Vec<_> = (0..16)
            .map(|t| {
                let client = &client;
                s.spawn(move || {
                    let mut wrong = 0;
                    for i in 0..calls {
                        let (openid, name, want) = MIX[(t * 7 + i) % MIX.len()];
                        let got = client
                            .verify(openid, name, ZS_ID)
                            .map(|v| v.code().as_str())
                            .map_err(|e| e.kind());
                        if got != want {
                            eprintln!("thread {t} call {i} {openid}: {got:?}, want {want:?}");
                            wrong += 1;
                        }
                    }
                    wrong
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    assert_eq!(wrong, 0, "answers crossed or faults were misreported");
}
