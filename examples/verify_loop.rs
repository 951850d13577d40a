//! `cargo run --release --example verify_loop -- N`: N verifies of one user with one client
//! from the `NAMEAUTH_*` environment, on one thread: what `tools/strace_verifies.sh` counts
//! the system calls of.

fn main() {
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let client = nameauth::Client::from_env().unwrap_or_else(|e| {
        eprintln!("verify_loop: {e}");
        std::process::exit(2)
    });
    for _ in 0..n {
        if let Err(e) = client.verify("oZhangSan", "张三", "110101199003074477") {
            eprintln!("verify_loop: {e}");
            std::process::exit(1)
        }
    }
    println!("{n} verifies");
}
