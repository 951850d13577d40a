//! What a client has done since it was built: requests, retries, connections, verdicts,
//! errors, failovers and call latency. Counted with atomics (no lock on the verify path);
//! read with [`Client::stats`](crate::Client::stats).

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Duration;

use crate::error::ErrorKind;
use crate::verdict::Code;

/// Every verdict code, in the order [`Stats::verdicts`] counts them.
pub const CODES: [Code; 7] = [
    Code::A,
    Code::B,
    Code::C,
    Code::D,
    Code::E,
    Code::F,
    Code::Other,
];

/// Every error kind, in the order [`Stats::errors`] counts them.
/// `Cancelled` came last, so the first six keep their places (the C ABI's `errors[6]`
/// holds those six, and a separate `cancelled` field the seventh).
pub const ERROR_KINDS: [ErrorKind; 7] = [
    ErrorKind::InvalidInput,
    ErrorKind::InvalidConfig,
    ErrorKind::Timeout,
    ErrorKind::Transport,
    ErrorKind::Protocol,
    ErrorKind::Internal,
    ErrorKind::Cancelled,
];

/// Latency buckets: 8 per power of two of microseconds, from 1 µs to about 2^40 µs
/// (12 days, beyond the 24 h timeout limit). A bucket is at most 12.5 % wide, so a
/// percentile is reported within 12.5 % of the true value.
const SUB: usize = 8;
const POWERS: usize = 40;
const BUCKETS: usize = SUB * POWERS;

/// A snapshot of a client's counters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Calls to `verify` (every call, refused inputs included).
    pub calls: u64,
    /// HTTP requests attempted (first attempts, retries and failovers; a refused
    /// connection counts too).
    pub requests: u64,
    /// Attempts after the first of a call (failovers not included).
    pub retries: u64,
    /// TCP connections opened (to the endpoint or the proxy); the rest reused the pool.
    pub connections_opened: u64,
    /// Requests sent to the fallback endpoint because the primary could not be reached.
    pub failovers: u64,
    /// Verdicts by code, in the order of [`CODES`] (A, B, C, D, E, F, Other).
    pub verdicts: [u64; 7],
    /// Errors by kind, in the order of [`ERROR_KINDS`].
    pub errors: [u64; 7],
    /// Median latency of the calls that sent a request (zero before the first).
    pub latency_p50: Duration,
    /// 90th percentile latency of the calls that sent a request.
    pub latency_p90: Duration,
    /// 99th percentile latency of the calls that sent a request.
    pub latency_p99: Duration,
}

impl Stats {
    /// The count of verdicts with `code`.
    pub fn verdict_count(&self, code: Code) -> u64 {
        self.verdicts[code_index(code)]
    }

    /// The count of errors of `kind`.
    pub fn error_count(&self, kind: ErrorKind) -> u64 {
        self.errors[kind_index(kind)]
    }
}

fn code_index(code: Code) -> usize {
    CODES.iter().position(|c| *c == code).unwrap_or(6)
}

fn kind_index(kind: ErrorKind) -> usize {
    ERROR_KINDS.iter().position(|k| *k == kind).unwrap_or(5)
}

/// The live counters of one client (shared by its clones).
pub(crate) struct Counters {
    calls: AtomicU64,
    requests: AtomicU64,
    retries: AtomicU64,
    connections: AtomicU64,
    failovers: AtomicU64,
    verdicts: [AtomicU64; 7],
    errors: [AtomicU64; 7],
    latency: Box<[AtomicU64; BUCKETS]>,
}

impl Default for Counters {
    fn default() -> Self {
        Counters {
            calls: AtomicU64::new(0),
            requests: AtomicU64::new(0),
            retries: AtomicU64::new(0),
            connections: AtomicU64::new(0),
            failovers: AtomicU64::new(0),
            verdicts: Default::default(),
            errors: Default::default(),
            latency: Box::new([const { AtomicU64::new(0) }; BUCKETS]),
        }
    }
}

impl Counters {
    pub(crate) fn call(&self) {
        self.calls.fetch_add(1, Relaxed);
    }
    pub(crate) fn request(&self) {
        self.requests.fetch_add(1, Relaxed);
    }
    pub(crate) fn retry(&self) {
        self.retries.fetch_add(1, Relaxed);
    }
    pub(crate) fn connection(&self) {
        self.connections.fetch_add(1, Relaxed);
    }
    pub(crate) fn failover(&self) {
        self.failovers.fetch_add(1, Relaxed);
    }
    pub(crate) fn verdict(&self, code: Code) {
        self.verdicts[code_index(code)].fetch_add(1, Relaxed);
    }
    pub(crate) fn error(&self, kind: ErrorKind) {
        self.errors[kind_index(kind)].fetch_add(1, Relaxed);
    }
    pub(crate) fn latency(&self, d: Duration) {
        self.latency[bucket(d)].fetch_add(1, Relaxed);
    }

    pub(crate) fn snapshot(&self) -> Stats {
        let load = |a: &AtomicU64| a.load(Relaxed);
        let hist: Vec<u64> = self.latency.iter().map(load).collect();
        Stats {
            calls: load(&self.calls),
            requests: load(&self.requests),
            retries: load(&self.retries),
            connections_opened: load(&self.connections),
            failovers: load(&self.failovers),
            verdicts: std::array::from_fn(|i| load(&self.verdicts[i])),
            errors: std::array::from_fn(|i| load(&self.errors[i])),
            latency_p50: percentile(&hist, 50),
            latency_p90: percentile(&hist, 90),
            latency_p99: percentile(&hist, 99),
        }
    }
}

/// The bucket of `d`: below 8 µs one per microsecond, then 8 per power of two.
fn bucket(d: Duration) -> usize {
    let us = u64::try_from(d.as_micros()).unwrap_or(u64::MAX).max(1);
    let power = 63 - us.leading_zeros() as usize; // floor(log2 us)
    let index = if power < 3 {
        us as usize
    } else {
        let sub = ((us >> (power - 3)) & 7) as usize;
        (power - 2) * SUB + sub
    };
    index.min(BUCKETS - 1)
}

/// The upper bound of bucket `i`, in microseconds.
fn upper(i: usize) -> u64 {
    if i < SUB {
        return i as u64;
    }
    let power = i / SUB + 2;
    let sub = (i % SUB) as u64;
    ((SUB as u64 + sub + 1) << (power - 3)) - 1
}

/// The `p`th percentile of the histogram, as its bucket's upper bound.
fn percentile(hist: &[u64], p: u64) -> Duration {
    let total: u64 = hist.iter().sum();
    if total == 0 {
        return Duration::ZERO;
    }
    // The smallest value with at least p % of the samples at or below it.
    let rank = (total * p).div_ceil(100).max(1);
    let mut seen = 0;
    for (i, n) in hist.iter().enumerate() {
        seen += n;
        if seen >= rank {
            return Duration::from_micros(upper(i));
        }
    }
    Duration::from_micros(upper(hist.len() - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_falls_in_a_bucket_whose_upper_bound_is_within_an_eighth() {
        for us in (1..5000u64).chain([65_535, 1_000_000, 86_400_000_000]) {
            let b = bucket(Duration::from_micros(us));
            assert!(upper(b) >= us, "{us} µs in bucket {b} up to {}", upper(b));
            assert!(
                upper(b) as f64 <= us as f64 * 1.125 + 1.0,
                "{us} µs: {}",
                upper(b)
            );
            if b > 0 {
                assert!(upper(b - 1) < us, "{us} µs also fits bucket {}", b - 1);
            }
        }
    }

    #[test]
    fn percentiles_of_a_known_spread() {
        let c = Counters::default();
        for ms in 1..=100 {
            c.latency(Duration::from_millis(ms));
        }
        let s = c.snapshot();
        let within = |d: Duration, ms: u64| {
            let v = d.as_micros() as f64;
            let want = (ms * 1000) as f64;
            assert!(v >= want && v <= want * 1.125, "{d:?} vs {ms} ms");
        };
        within(s.latency_p50, 50);
        within(s.latency_p90, 90);
        within(s.latency_p99, 99);
    }

    #[test]
    fn no_calls_no_latency() {
        let s = Counters::default().snapshot();
        assert_eq!(s.latency_p50, Duration::ZERO);
        assert_eq!(s, Stats::default());
    }
}
