//! The clients Java holds as `long` handles, and what happens to them when the library's
//! copy is unloaded.
//!
//! Class loaders: each class loader that loads the binding (each web application, each
//! redeployment of one) loads its own copy of this library, with its own statics. Nothing
//! here may keep the loader reachable, or it would never be collected (see `verdict` for
//! the cache's weak class reference; this side starts no thread that calls Java). When the
//! loader is collected the JVM calls `JNI_OnUnload` before it unloads the copy: it deletes
//! the cache's references, frees every client Java did not free (dropped after the last
//! build or close, or kept in a static field of the dropped application) and releases the
//! pools (their sockets, and the core's reaper thread, which must not outlive the code it
//! runs).

use std::collections::HashSet;
use std::ffi::c_void;
use std::sync::{Mutex, PoisonError};

use jni::sys::jlong;
use nameauth::frontend::catch_quietly;
use nameauth::Client;

use crate::error::{null, Fail};

/// The clients `clientBuild` and `clientFromEnv` made and `clientFree` has not freed.
static LIVE: Mutex<Option<HashSet<jlong>>> = Mutex::new(None);

/// The client behind a handle, or an input error naming `client` for 0.
pub(crate) fn client<'a>(handle: jlong) -> Result<&'a Client, Fail> {
    // SAFETY: a non-zero handle is one `into_handle` returned and `clientFree` has not
    // freed: `NameAuthClient` holds its read lock across every call and frees only under
    // the write lock, once.
    unsafe { nameauth_jni_support::borrow(handle) }.ok_or_else(|| null("client"))
}

/// A new client's handle, recorded so that `JNI_OnUnload` can free it.
pub(crate) fn into_handle(c: Client) -> jlong {
    let handle = nameauth_jni_support::into_handle(c);
    LIVE.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get_or_insert_with(HashSet::new)
        .insert(handle);
    handle
}

/// Frees a client once; an unknown handle (0, or one already freed) is a no-op.
pub(crate) fn free(handle: jlong) {
    let known = LIVE
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .as_mut()
        .is_some_and(|live| live.remove(&handle));
    if known {
        // SAFETY: a handle from `into_handle`, freed once (see `client`).
        unsafe { nameauth_jni_support::free::<Client>(handle) };
    }
}

/// Called by the JVM when the class loader that loaded this copy of the library has been
/// collected, just before it unloads the copy: nothing of that loader's can call in any
/// more. Deletes the cache's references, frees the clients Java left allocated and
/// releases this copy's pools (their sockets and the reaper thread that runs this copy's
/// code). A copy that stays mapped (and may be loaded again) starts afresh.
#[no_mangle]
pub extern "system" fn JNI_OnUnload(_vm: *mut jni::sys::JavaVM, _reserved: *mut c_void) {
    let _ = catch_quietly(|| {
        crate::verdict::clear_cache();
        let live = LIVE
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .unwrap_or_default();
        for handle in live {
            // SAFETY: a handle from `into_handle` that `clientFree` has not freed; no code
            // of the collected loader can use it any more.
            unsafe { nameauth_jni_support::free::<Client>(handle) };
        }
        nameauth::release_pools();
    });
}
