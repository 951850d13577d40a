//! `nameauth_stats`: what a client did since it was built.

use std::ptr;

use nameauth::error::ErrorKind;

use crate::args::live;
use crate::client::nameauth_client;
use crate::result::{boundary, fail_with, nameauth_result, null, NAMEAUTH_BUFFER_TOO_SMALL};

/// What a client did since it was built, filled by `nameauth_client_stats`. Set `size`
/// to `sizeof(nameauth_stats)` first: a library newer than the header fills only the
/// fields the caller's struct has, and later versions only add fields at the end.
#[repr(C)]
pub struct nameauth_stats {
    /// Set by the caller: `sizeof(nameauth_stats)`.
    pub size: usize,
    /// Calls to `nameauth_verify` (every call, refused inputs included).
    pub calls: u64,
    /// HTTP requests attempted (first attempts, retries and failovers; a refused
    /// connection counts too).
    pub requests: u64,
    /// Attempts after the first of a call (failovers not included).
    pub retries: u64,
    /// TCP connections opened; the other requests reused the keep-alive pool.
    pub connections_opened: u64,
    /// Requests sent to the `fallback_endpoint` because the endpoint could not be reached.
    pub failovers: u64,
    /// Verdicts by code: indexes 0-5 are A-F, 6 is Other.
    pub verdicts: [u64; 7],
    /// Errors by kind: invalid_input, invalid_config, timeout, transport, protocol,
    /// internal (the order of `NAMEAUTH_INVALID_INPUT` ... `NAMEAUTH_INTERNAL`).
    pub errors: [u64; 6],
    /// Latency percentiles of the calls that sent a request, in microseconds (within
    /// 12.5 %; 0 before the first).
    pub latency_p50_us: u64,
    /// 90th percentile.
    pub latency_p90_us: u64,
    /// 99th percentile.
    pub latency_p99_us: u64,
    /// Errors of kind cancelled (`NAMEAUTH_CANCELLED`): calls cancelled before their
    /// request was written. Kept out of `errors` so that the fields before it keep their
    /// places.
    pub cancelled: u64,
}

/// Fills `*out` with what `client` did since it was built (its counters are shared by
/// every thread that uses it). `out->size` must be set by the caller and be at least
/// `offsetof(nameauth_stats, calls) + 8`; smaller is `NAMEAUTH_BUFFER_TOO_SMALL`. Fields
/// beyond `out->size` are left alone, so an older caller's smaller struct is filled
/// safely.
///
/// # Safety
/// `client` is NULL or a live client; `out` is NULL or valid for `out->size` bytes.
#[no_mangle]
pub unsafe extern "C" fn nameauth_client_stats(
    client: *const nameauth_client,
    out: *mut nameauth_stats,
) -> nameauth_result {
    boundary(|| {
        // SAFETY: a live client per the contract, or NULL (checked).
        let client = unsafe { live(client, "client") }?;
        if out.is_null() {
            return Err(null("out"));
        }
        // SAFETY: `out` is valid for at least its `size` field per the contract.
        let size = unsafe { ptr::addr_of!((*out).size).read() };
        let min = std::mem::offset_of!(nameauth_stats, calls) + 8;
        if size < min {
            return Err(fail_with(
                NAMEAUTH_BUFFER_TOO_SMALL,
                "out",
                "buffer_too_small",
                "size must be set to sizeof(nameauth_stats)",
            ));
        }
        let s = client.client.stats();
        let full = nameauth_stats {
            size: size.min(std::mem::size_of::<nameauth_stats>()),
            calls: s.calls,
            requests: s.requests,
            retries: s.retries,
            connections_opened: s.connections_opened,
            failovers: s.failovers,
            verdicts: s.verdicts,
            errors: std::array::from_fn(|i| s.errors[i]),
            latency_p50_us: s.latency_p50.as_micros() as u64,
            latency_p90_us: s.latency_p90.as_micros() as u64,
            latency_p99_us: s.latency_p99.as_micros() as u64,
            cancelled: s.error_count(ErrorKind::Cancelled),
        };
        let n = full.size;
        // SAFETY: `out` is valid for `size` >= `n` bytes; `full` is `n` bytes or more.
        unsafe { ptr::copy_nonoverlapping(ptr::addr_of!(full).cast::<u8>(), out.cast::<u8>(), n) };
        Ok(())
    })
}
