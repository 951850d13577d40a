//! The process's keep-alive pools.

use nameauth::frontend::catch_quietly;

/// Releases the keep-alive pools the process keeps for its clients (clients built with
/// the same settings share one, and it outlives them, so a client per request still
/// reuses connections): each closes its idle connections once no client uses it, and
/// clients built later start new ones. Never needed for correctness; call it before exit
/// under a leak checker such as valgrind, or when the process is done with nameauth (like
/// `curl_global_cleanup`). Thread-safe.
#[no_mangle]
pub extern "C" fn nameauth_release_pools() {
    let _ = catch_quietly(nameauth::release_pools);
}
