//! The client's native methods: build (from options or the environment), free, verify,
//! and the library-wide `version` and `releasePools`.
//!
//! Strings arrive as Java strings. `NameAuthClient` refuses null, NUL and unpaired
//! surrogates before it calls here; this side still turns a null into an input error
//! naming the field, so no argument can crash the JVM.

use std::borrow::Cow;

use jni::objects::{JObject, JObjectArray, JString};
use jni::sys::{jint, jlong};
use jni::Env;
use nameauth::frontend::level_number;
use nameauth::{Client, ClientBuilder, Options, RESIDENT_ID_CARD};
use nameauth_jni_support::native_method;

use crate::error::{arg, Fail};
use crate::handles::{client, free, into_handle};

native_method! {
    Fail,
    /// `Jni.clientBuild(appid, src, key, options)`: `options` alternates names and values.
    fn Java_org_nameauth_Jni_clientBuild<'local>(
        env,
        appid: JString<'local>,
        src: JString<'local>,
        key: JString<'local>,
        options: JObjectArray<'local, JString<'local>>,
    ) -> jlong {
        let appid = arg(env, &appid, "appid")?;
        let src = arg(env, &src, "src")?;
        let key = arg(env, &key, "key")?;
        let set = read_options(env, &options)?;
        let built = ClientBuilder::new(appid, src, key)
            .with_options(set)
            .build()?;
        Ok(into_handle(built))
    }
}

/// The options of `clientBuild`, set one by one (each checked by name).
fn read_options<'local>(
    env: &mut Env<'local>,
    options: &JObjectArray<'local, JString<'local>>,
) -> Result<Options, Fail> {
    let mut set = Options::new();
    if options.is_null() {
        return Ok(set);
    }
    let n = options.len(env)?;
    for i in (0..n.saturating_sub(1)).step_by(2) {
        // A frame per option: its two local references go with it.
        env.with_local_frame(4, |env| -> Result<(), Fail> {
            let name = options.get_element(env, i)?;
            let value = options.get_element(env, i + 1)?;
            let name = arg(env, &name, "option name")?;
            let value = arg(env, &value, &name)?;
            Ok(set.set(&name, &value)?)
        })?;
    }
    Ok(set)
}

native_method! {
    Fail,
    /// `Jni.clientFromEnv()`: the client of CONFORMANCE.md's variables.
    fn Java_org_nameauth_Jni_clientFromEnv<'local>(_env) -> jlong {
        Ok(into_handle(Client::from_env()?))
    }
}

native_method! {
    Fail,
    /// `Jni.clientFree(handle)`: closes the client's connections and wipes its key.
    fn Java_org_nameauth_Jni_clientFree<'local>(_env, handle: jlong) {
        free(handle);
        Ok(())
    }
}

native_method! {
    Fail,
    /// `Jni.verify(handle, openid, truename, creid, cretype, logLevel)`: the verdict, or a
    /// thrown `NameAuthException`. With `logLevel` 2 (WARN) or 3 (every call), the call's
    /// masked events at that level go to `NameAuthLog.emit` first.
    fn Java_org_nameauth_Jni_verify<'local>(
        env,
        handle: jlong,
        openid: JString<'local>,
        truename: JString<'local>,
        creid: JString<'local>,
        cretype: JString<'local>,
        log_level: jint,
    ) -> JObject<'local> {
        let client = client(handle)?;
        let log_level = u32::try_from(log_level).unwrap_or(0);
        let openid = arg(env, &openid, "openid")?;
        let truename = arg(env, &truename, "truename")?;
        let creid = arg(env, &creid, "creid")?;
        let cretype: Cow<str> = if cretype.is_null() {
            Cow::Borrowed(RESIDENT_ID_CARD)
        } else {
            Cow::Owned(arg(env, &cretype, "cretype")?)
        };
        let (result, report) = client.verify_reported(&openid, &truename, &creid, &cretype);
        if log_level >= level_number(report.level())
            && crate::log::emit(
                env,
                &report,
                log_level,
                &openid,
                &truename,
                &creid,
                result.as_ref(),
            )
            .is_err()
            && env.exception_check()
        {
            // A logger that throws does not take the verdict (or the error) from the caller.
            env.exception_clear();
        }
        crate::verdict::to_java(env, &result?)
    }
}

native_method! {
    Fail,
    /// `Jni.version()`: the core's version, e.g. `"0.1.0"`.
    fn Java_org_nameauth_Jni_version<'local>(env) -> JString<'local> {
        Ok(env.new_string(nameauth::VERSION)?)
    }
}

native_method! {
    Fail,
    /// `Jni.releasePools()`: as `nameauth_release_pools`.
    fn Java_org_nameauth_Jni_releasePools<'local>(_env) {
        nameauth::release_pools();
        Ok(())
    }
}
