//! The native methods of `org.nameauth.testing.SandboxNative`, so that Java's
//! `NameAuthSandbox` needs no JNA. A failure throws `IllegalStateException` (start) or
//! `IllegalArgumentException` (a bad record); a panic is caught and thrown as an
//! `IllegalStateException`, never unwound into the JVM (`nameauth_jni_support::native`).

use jni::objects::JString;
use jni::strings::{JNIStr, JNIString};
use jni::sys::{jboolean, jlong};
use jni::{jni_str, Env};
use nameauth_jni_support::{native_method, text, Failure};
use nameauth_sandbox::{Fixtures, Sandbox, APPID, KEY, SRC};

/// Why a method did not return normally: the class to throw and the message.
struct Fail(&'static JNIStr, String);

impl From<jni::errors::Error> for Fail {
    fn from(e: jni::errors::Error) -> Self {
        state(format!("JNI: {e}"))
    }
}

impl Failure for Fail {
    fn panic() -> Self {
        Fail(
            jni_str!("java/lang/RuntimeException"),
            "internal: a panic was caught in the sandbox (a bug in nameauth; please report it)"
                .into(),
        )
    }

    fn throw(self, env: &mut Env<'_>) -> jni::errors::Result<()> {
        env.throw_new(self.0, JNIString::from(self.1))
    }
}

fn state(message: String) -> Fail {
    Fail(jni_str!("java/lang/IllegalStateException"), message)
}

fn sandbox<'a>(handle: jlong) -> Result<&'a Sandbox, Fail> {
    // SAFETY: a handle `start` returned that `free` has not freed: `NameAuthSandbox` makes
    // every call holding its lock, frees the handle once under it, and passes 0 after.
    unsafe { nameauth_jni_support::borrow(handle) }
        .ok_or_else(|| state("sandbox: is closed".into()))
}

native_method! {
    Fail,
    fn Java_org_nameauth_testing_SandboxNative_start<'local>(
        env,
        tls: jboolean,
        fixtures_json: JString<'local>,
        latency_ms: jlong,
    ) -> jlong {
        let mut b = Sandbox::builder()
            .tls(tls)
            .latency(std::time::Duration::from_millis(latency_ms.max(0) as u64));
        if let Some(json) = text(env, &fixtures_json)? {
            let f = Fixtures::from_json(&json).map_err(|e| state(format!("fixturesJson: {e}")))?;
            b = b.fixtures(f);
        }
        let server = b
            .start()
            .map_err(|e| state(format!("the sandbox cannot start: {e}")))?;
        Ok(nameauth_jni_support::into_handle(server))
    }
}

native_method! {
    Fail,
    fn Java_org_nameauth_testing_SandboxNative_endpoint<'local>(
        env,
        handle: jlong,
    ) -> JString<'local> {
        Ok(env.new_string(sandbox(handle)?.endpoint())?)
    }
}

native_method! {
    Fail,
    /// The CA file of an HTTPS sandbox, null for plain HTTP.
    fn Java_org_nameauth_testing_SandboxNative_caFile<'local>(
        env,
        handle: jlong,
    ) -> JString<'local> {
        match sandbox(handle)?.ca_file() {
            Some(p) => Ok(env.new_string(p.display().to_string())?),
            None => Ok(JString::default()),
        }
    }
}

native_method! {
    Fail,
    /// 0: the app id, 1: the src, 2: the key (a published test value).
    fn Java_org_nameauth_testing_SandboxNative_credential<'local>(
        env,
        which: jni::sys::jint,
    ) -> JString<'local> {
        let value = match which {
            0 => APPID,
            1 => SRC,
            _ => KEY,
        };
        Ok(env.new_string(value)?)
    }
}

native_method! {
    Fail,
    /// 0: the requests that reached the sandbox, 1: the connections it accepted.
    fn Java_org_nameauth_testing_SandboxNative_count<'local>(
        _env,
        handle: jlong,
        which: jni::sys::jint,
    ) -> jlong {
        let stats = sandbox(handle)?.stats();
        Ok(if which == 0 {
            stats.requests
        } else {
            stats.connections
        } as jlong)
    }
}

native_method! {
    Fail,
    fn Java_org_nameauth_testing_SandboxNative_hits<'local>(
        env,
        handle: jlong,
        openid: JString<'local>,
    ) -> jlong {
        let s = sandbox(handle)?;
        Ok(match text(env, &openid)? {
            Some(o) => s.hits(&o) as jlong,
            None => 0,
        })
    }
}

native_method! {
    Fail,
    fn Java_org_nameauth_testing_SandboxNative_addFixture<'local>(
        env,
        handle: jlong,
        openid: JString<'local>,
        record_json: JString<'local>,
    ) {
        let s = sandbox(handle)?;
        let bad = |m: String| Fail(jni_str!("java/lang/IllegalArgumentException"), m);
        let openid = text(env, &openid)?.ok_or_else(|| bad("openid: is null".into()))?;
        let record = text(env, &record_json)?.ok_or_else(|| bad("recordJson: is null".into()))?;
        s.add_fixture(&openid, &record)
            .map_err(|e| bad(e.to_string()))
    }
}

native_method! {
    Fail,
    fn Java_org_nameauth_testing_SandboxNative_free<'local>(_env, handle: jlong) {
        // SAFETY: from `into_handle` in `start`, freed once (see `sandbox`).
        unsafe { nameauth_jni_support::free::<Sandbox>(handle) };
        Ok(())
    }
}
