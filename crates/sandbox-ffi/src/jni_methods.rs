//! The native methods of `org.nameauth.testing.SandboxNative`, so that Java's
//! `NameAuthSandbox` needs no JNA. A failure throws `IllegalStateException` (start) or
//! `IllegalArgumentException` (a bad record); a panic is caught and thrown as an
//! `IllegalStateException`, never unwound into the JVM (`nameauth_jni_support::native`).

use jni::objects::{JClass, JString};
use jni::strings::{JNIStr, JNIString};
use jni::sys::{jboolean, jlong};
use jni::{jni_str, Env, EnvUnowned};
use nameauth_jni_support::{native, text, Failure};
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

#[no_mangle]
pub extern "system" fn Java_org_nameauth_testing_SandboxNative_start<'local>(
    unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    tls: jboolean,
    fixtures_json: JString<'local>,
    latency_ms: jlong,
) -> jlong {
    native(unowned, |env| -> Result<_, Fail> {
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
    })
}

#[no_mangle]
pub extern "system" fn Java_org_nameauth_testing_SandboxNative_endpoint<'local>(
    unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
) -> JString<'local> {
    native(unowned, |env| -> Result<_, Fail> {
        Ok(env.new_string(sandbox(handle)?.endpoint())?)
    })
}

/// The CA file of an HTTPS sandbox, null for plain HTTP.
#[no_mangle]
pub extern "system" fn Java_org_nameauth_testing_SandboxNative_caFile<'local>(
    unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
) -> JString<'local> {
    native(unowned, |env| -> Result<_, Fail> {
        match sandbox(handle)?.ca_file() {
            Some(p) => Ok(env.new_string(p.display().to_string())?),
            None => Ok(JString::default()),
        }
    })
}

/// 0: the app id, 1: the src, 2: the key (a published test value).
#[no_mangle]
pub extern "system" fn Java_org_nameauth_testing_SandboxNative_credential<'local>(
    unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    which: jni::sys::jint,
) -> JString<'local> {
    native(unowned, |env| -> Result<_, Fail> {
        let value = match which {
            0 => APPID,
            1 => SRC,
            _ => KEY,
        };
        Ok(env.new_string(value)?)
    })
}

/// 0: the requests that reached the sandbox, 1: the connections it accepted.
#[no_mangle]
pub extern "system" fn Java_org_nameauth_testing_SandboxNative_count<'local>(
    unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
    which: jni::sys::jint,
) -> jlong {
    native(unowned, |_env| -> Result<_, Fail> {
        let stats = sandbox(handle)?.stats();
        Ok(if which == 0 {
            stats.requests
        } else {
            stats.connections
        } as jlong)
    })
}

#[no_mangle]
pub extern "system" fn Java_org_nameauth_testing_SandboxNative_hits<'local>(
    unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
    openid: JString<'local>,
) -> jlong {
    native(unowned, |env| -> Result<_, Fail> {
        let s = sandbox(handle)?;
        Ok(match text(env, &openid)? {
            Some(o) => s.hits(&o) as jlong,
            None => 0,
        })
    })
}

#[no_mangle]
pub extern "system" fn Java_org_nameauth_testing_SandboxNative_addFixture<'local>(
    unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
    openid: JString<'local>,
    record_json: JString<'local>,
) {
    native(unowned, |env| -> Result<_, Fail> {
        let s = sandbox(handle)?;
        let bad = |m: String| Fail(jni_str!("java/lang/IllegalArgumentException"), m);
        let openid = text(env, &openid)?.ok_or_else(|| bad("openid: is null".into()))?;
        let record = text(env, &record_json)?.ok_or_else(|| bad("recordJson: is null".into()))?;
        s.add_fixture(&openid, &record)
            .map_err(|e| bad(e.to_string()))
    })
}

#[no_mangle]
pub extern "system" fn Java_org_nameauth_testing_SandboxNative_free<'local>(
    unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
) {
    native(unowned, |_env| -> Result<_, Fail> {
        // SAFETY: from `into_handle` in `start`, freed once (see `sandbox`).
        unsafe { nameauth_jni_support::free::<Sandbox>(handle) };
        Ok(())
    })
}
