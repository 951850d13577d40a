//! The native methods of `org.nameauth.testing.SandboxNative`, so that Java's
//! `NameAuthSandbox` needs no JNA. A failure throws `IllegalStateException` (start) or
//! `IllegalArgumentException` (a bad record); a panic is caught by the `jni` crate and
//! thrown as a `RuntimeException`, never unwound into the JVM.

use jni::errors::ThrowRuntimeExAndDefault;
use jni::objects::{JClass, JString};
use jni::sys::{jboolean, jlong};
use jni::{jni_str, Env, EnvUnowned};
use nameauth_sandbox::{Fixtures, Sandbox, APPID, KEY, SRC};

/// Why a method did not return normally: the class to throw and the message.
#[derive(Debug)]
struct Fail(&'static jni::strings::JNIStr, String);

impl std::fmt::Display for Fail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.1)
    }
}

impl std::error::Error for Fail {}

impl From<jni::errors::Error> for Fail {
    fn from(e: jni::errors::Error) -> Self {
        Fail(
            jni_str!("java/lang/IllegalStateException"),
            format!("JNI: {e}"),
        )
    }
}

fn state(message: String) -> Fail {
    Fail(jni_str!("java/lang/IllegalStateException"), message)
}

/// Runs a body; a failure or panic becomes a pending exception and the default value.
fn native<'local, T: Default>(
    mut unowned: EnvUnowned<'local>,
    body: impl FnOnce(&mut Env<'local>) -> Result<T, Fail>,
) -> T {
    unowned
        .with_env(|env| -> Result<T, jni::errors::Error> {
            match body(env) {
                Ok(v) => Ok(v),
                Err(Fail(class, message)) => {
                    if !env.exception_check() {
                        // Err(JavaException) after throwing: the outcome wanted.
                        let _ = env.throw_new(class, jni::strings::JNIString::from(message));
                    }
                    Ok(T::default())
                }
            }
        })
        .resolve::<ThrowRuntimeExAndDefault>()
}

/// A string argument, None for null.
fn text(env: &Env<'_>, s: &JString<'_>) -> Result<Option<String>, Fail> {
    if s.is_null() {
        return Ok(None);
    }
    Ok(Some(s.mutf8_chars(env)?.to_str().into_owned()))
}

fn sandbox<'a>(handle: jlong) -> Result<&'a Sandbox, Fail> {
    if handle == 0 {
        return Err(state("sandbox: is closed".into()));
    }
    // SAFETY: a handle `start` returned that `free` has not freed: `NameAuthSandbox` makes
    // every call holding its lock, frees the handle once under it, and passes 0 after.
    Ok(unsafe { &*(handle as *const Sandbox) })
}

#[no_mangle]
pub extern "system" fn Java_org_nameauth_testing_SandboxNative_start<'local>(
    unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    tls: jboolean,
    fixtures_json: JString<'local>,
    latency_ms: jlong,
) -> jlong {
    native(unowned, |env| {
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
        Ok(Box::into_raw(Box::new(server)) as jlong)
    })
}

#[no_mangle]
pub extern "system" fn Java_org_nameauth_testing_SandboxNative_endpoint<'local>(
    unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
) -> JString<'local> {
    native(unowned, |env| {
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
    native(unowned, |env| match sandbox(handle)?.ca_file() {
        Some(p) => Ok(env.new_string(p.display().to_string())?),
        None => Ok(JString::default()),
    })
}

/// 0: the app id, 1: the src, 2: the key (a published test value).
#[no_mangle]
pub extern "system" fn Java_org_nameauth_testing_SandboxNative_credential<'local>(
    unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    which: jni::sys::jint,
) -> JString<'local> {
    native(unowned, |env| {
        let value = match which {
            0 => APPID,
            1 => SRC,
            _ => KEY,
        };
        Ok(env.new_string(value)?)
    })
}

#[no_mangle]
pub extern "system" fn Java_org_nameauth_testing_SandboxNative_requests<'local>(
    unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
) -> jlong {
    native(unowned, |_env| {
        Ok(sandbox(handle)?.stats().requests as jlong)
    })
}

#[no_mangle]
pub extern "system" fn Java_org_nameauth_testing_SandboxNative_connections<'local>(
    unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
) -> jlong {
    native(unowned, |_env| {
        Ok(sandbox(handle)?.stats().connections as jlong)
    })
}

#[no_mangle]
pub extern "system" fn Java_org_nameauth_testing_SandboxNative_hits<'local>(
    unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
    openid: JString<'local>,
) -> jlong {
    native(unowned, |env| {
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
    native(unowned, |env| {
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
    native(unowned, |_env| {
        if handle != 0 {
            // SAFETY: from `Box::into_raw` in `start`, freed once (see `sandbox`).
            drop(unsafe { Box::from_raw(handle as *mut Sandbox) });
        }
        Ok(())
    })
}
