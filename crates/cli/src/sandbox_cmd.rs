//! `nameauth sandbox`: the sandbox server in the foreground.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use nameauth_sandbox::{Blackhole, Fixtures, Sandbox, SignRule, APPID, KEY, SRC};

/// Arguments of `nameauth sandbox`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Prints the endpoint and the NAMEAUTH_* settings a client needs, then \
serves until interrupted. The default fixtures cover every verdict row and fault; \
see crates/sandbox/fixtures/default.json. Exit status 2 if it cannot start."
)]
pub struct Args {
    /// Address to listen on (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub listen: SocketAddr,
    /// Fixtures file (JSON: openid -> record) instead of the built-in set.
    #[arg(long, value_name = "FILE")]
    pub fixtures: Option<PathBuf>,
    /// Serve HTTPS with a CA and certificate made at start (CA written as ca.pem).
    #[arg(long)]
    pub tls: bool,
    /// Where to write ca.pem with --tls (default: a fresh private directory, mode 0700,
    /// removed when the sandbox stops, also on Ctrl-C and SIGTERM).
    #[arg(long, value_name = "DIR")]
    pub cert_dir: Option<PathBuf>,
    /// Which signature case to accept: lower, upper or either.
    #[arg(long, default_value = "lower", value_parser = parse_rule, value_name = "CASE")]
    pub sign_case: SignRule,
    /// Latency added to every answer, in milliseconds.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub latency_ms: u64,
    /// Serve only this peer IP (repeatable); others get error 1007.
    #[arg(long = "allow-ip", value_name = "IP")]
    pub allow_ip: Vec<IpAddr>,
    /// Close a keep-alive connection idle for N milliseconds, as real servers do
    /// (WeChat Pay after about 8000).
    #[arg(long, value_name = "N")]
    pub idle_close_ms: Option<u64>,
    /// Also listen on ADDR without ever accepting: a connect there hangs (a host whose
    /// path drops packets). Port 0 picks a free one; the address is printed.
    #[arg(long, value_name = "ADDR")]
    pub blackhole: Option<SocketAddr>,
}

fn parse_rule(s: &str) -> Result<SignRule, String> {
    SignRule::parse(s).ok_or_else(|| "expected lower, upper or either".to_owned())
}

pub fn run(a: Args) -> ExitCode {
    let fixtures = match &a.fixtures {
        Some(path) => match Fixtures::load(path) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("nameauth sandbox: {e}");
                return ExitCode::from(2);
            }
        },
        None => Fixtures::builtin(),
    };
    let mut b = Sandbox::builder()
        .listen(a.listen)
        .tls(a.tls)
        .fixtures(fixtures)
        .sign_rule(a.sign_case)
        .latency(Duration::from_millis(a.latency_ms));
    if !a.allow_ip.is_empty() {
        b = b.allow_ips(a.allow_ip);
    }
    if let Some(ms) = a.idle_close_ms {
        b = b.idle_close(Duration::from_millis(ms));
    }
    let blackhole = match a.blackhole.map(Blackhole::bind).transpose() {
        Ok(bh) => bh,
        Err(e) => {
            eprintln!("nameauth sandbox: cannot start the blackhole: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(dir) = a.cert_dir {
        b = b.cert_dir(dir);
    }
    // Ctrl-C, SIGTERM and SIGHUP stop the sandbox, so that the CA's private directory is
    // removed, and then end the process by that signal as before. Registered before the
    // settings are printed: whoever read them may signal at once. (SIGKILL leaves the
    // directory; it is private and under the temp dir.)
    let mut signals = match Signals::new([SIGINT, SIGTERM, SIGHUP]) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("nameauth sandbox: cannot handle signals: {e}");
            return ExitCode::from(2);
        }
    };
    let sandbox = match b.start() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("nameauth sandbox: cannot start on {}: {e}", a.listen);
            return ExitCode::from(2);
        }
    };
    outln!("nameauth sandbox serving {}", sandbox.endpoint());
    if let Some(bh) = &blackhole {
        outln!("blackhole (never accepts) at {}", bh.addr());
    }
    outln!("export NAMEAUTH_ENDPOINT={}", sandbox.endpoint());
    outln!("export NAMEAUTH_APPID={APPID}");
    outln!("export NAMEAUTH_SRC={SRC}");
    // The sandbox's key is a published test value that protects nothing.
    outln!("export NAMEAUTH_KEY={KEY}");
    if let Some(ca) = sandbox.ca_file() {
        outln!("export NAMEAUTH_CA_FILE={}", ca.display());
    }
    outln!("# try: nameauth verify oZhangSan 张三 110101199003074477   (Ctrl-C stops)");
    let signal = signals.forever().next();
    drop(sandbox);
    if let Some(signal) = signal {
        let _ = signal_hook::low_level::emulate_default_handler(signal);
    }
    ExitCode::SUCCESS
}
