//! `Jni.stats`: a client's counters as one `long[]`, in `NameAuthStats`'s constructor order.

use jni::objects::{JClass, JLongArray};
use jni::sys::jlong;
use jni::EnvUnowned;
use nameauth_jni_support::native;

use crate::error::Fail;
use crate::handles::client;

/// `Jni.stats(handle)`: calls, requests, retries, connections opened, failovers, the
/// seven verdict counts, the six error counts, then p50, p90 and p99 in microseconds.
#[no_mangle]
pub extern "system" fn Java_org_nameauth_Jni_stats<'local>(
    unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
) -> JLongArray<'local> {
    native(unowned, |env| -> Result<_, Fail> {
        let s = client(handle)?.stats();
        let mut all: Vec<jlong> = vec![
            s.calls as jlong,
            s.requests as jlong,
            s.retries as jlong,
            s.connections_opened as jlong,
            s.failovers as jlong,
        ];
        all.extend(s.verdicts.iter().map(|&n| n as jlong));
        all.extend(s.errors.iter().map(|&n| n as jlong));
        for d in [s.latency_p50, s.latency_p90, s.latency_p99] {
            all.push(d.as_micros() as jlong);
        }
        let out = JLongArray::new(env, all.len())?;
        out.set_region(env, 0, &all)?;
        Ok(out)
    })
}
