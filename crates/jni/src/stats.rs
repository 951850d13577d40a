//! `Jni.stats`: a client's counters as one `long[]`, in `NameAuthStats`'s constructor order.

use jni::objects::JLongArray;
use jni::sys::jlong;
use nameauth_jni_support::native_method;

use crate::error::Fail;
use crate::handles::client;

native_method! {
    Fail,
    /// `Jni.stats(handle)`: calls, requests, retries, connections opened, failovers, the
    /// seven verdict counts, the six error counts, then p50, p90 and p99 in microseconds.
    fn Java_org_nameauth_Jni_stats<'local>(env, handle: jlong) -> JLongArray<'local> {
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
    }
}
