//! `libnameauth_jni.so`: the native methods of `org.nameauth.Jni`, the Java binding's only
//! door into the core. One JNI call per verify; the answer comes back as a finished
//! `org.nameauth.Verdict`, a failure as the `NameAuthException` subclass of its kind.
//! Every method runs inside `nameauth_jni_support::native`: a panic is caught (silently,
//! as at the C boundary) and thrown as an `InternalException`; nothing unwinds into the
//! JVM.
//!
//! | module | what it holds |
//! |---|---|
//! | `error` | failures and how each is thrown (`NameAuthException.of`), string arguments |
//! | `handles` | client handles, and `JNI_OnUnload` (class loaders, redeploys) |
//! | `client` | build, free, verify, version, releasePools |
//! | `verdict` | `org.nameauth.Verdict` objects and their per-copy cache |
//! | `log` | a call's masked events handed to `NameAuthLog` |
//! | `sign` | `sign` and `validateId` |
//! | `stats` | a client's counters |

mod client;
mod error;
mod handles;
mod log;
mod sign;
mod stats;
mod verdict;
