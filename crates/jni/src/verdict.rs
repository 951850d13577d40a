//! `org.nameauth.Verdict` objects, built here: a verdict's code, reason and four texts are
//! Java strings made once per library copy (global references, one set per row of the
//! verdict table), so a verify creates at most the three raw fields the server sent.
//!
//! The cache holds the `Verdict` class through a weak global reference: a global one would
//! keep its class loader reachable for ever (the texts are `java.lang.String`s, which pin
//! nothing but themselves). `JNI_OnUnload` empties it (see `handles`).

use std::sync::{PoisonError, RwLock};

use jni::objects::{JClass, JMethodID, JObject, JString};
use jni::refs::{Global, Weak};
use jni::sys::jvalue;
use jni::{jni_sig, jni_str, Env, JValue};
use nameauth::{Verdict, REASONS};

use crate::error::Fail;

/// What every verdict shares: the class, its constructor, and per row of the verdict
/// table its six texts as Java strings, made once per copy of the library.
struct Cache {
    /// Weak: a global reference to a class would keep its loader reachable for ever.
    class: Weak<JClass<'static>>,
    ctor: JMethodID,
    rows: Vec<[Global<JString<'static>>; 6]>,
    empty: Global<JString<'static>>,
}

/// Emptied by `JNI_OnUnload` (a copy the loader left mapped may be loaded again).
static CACHE: RwLock<Option<Cache>> = RwLock::new(None);

/// Deletes the cache's references (`Global`/`Weak` delete theirs on drop; the caller is
/// the JVM's own thread).
pub(crate) fn clear_cache() {
    drop(CACHE.write().unwrap_or_else(PoisonError::into_inner).take());
}

/// A Java string kept while the library is loaded; its local reference is deleted at once
/// (the cache makes 103 of them in one native call).
fn global_string(env: &mut Env<'_>, s: &str) -> Result<Global<JString<'static>>, Fail> {
    let local = env.new_string(s)?;
    let global = env.new_global_ref(&local);
    env.delete_local_ref(local);
    Ok(global?)
}

/// Runs `f` with the cache, built first if need be.
fn with_cache<'local, T>(
    env: &mut Env<'local>,
    f: impl FnOnce(&mut Env<'local>, &Cache) -> Result<T, Fail>,
) -> Result<T, Fail> {
    {
        let held = CACHE.read().unwrap_or_else(PoisonError::into_inner);
        if let Some(c) = held.as_ref() {
            return f(env, c);
        }
    }
    let made = build_cache(env)?;
    let mut held = CACHE.write().unwrap_or_else(PoisonError::into_inner);
    // Two threads may both build one; the first kept wins and the other is dropped.
    let c = held.get_or_insert(made);
    f(env, c)
}

fn build_cache(env: &mut Env<'_>) -> Result<Cache, Fail> {
    let class = env.find_class(jni_str!("org/nameauth/Verdict"))?;
    let ctor = env.get_method_id(
        &class,
        jni_str!("<init>"),
        jni_sig!(
            "(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;JLjava/lang/String;Ljava/lang/String;Ljava/lang/String;ZZ)V"
        ),
    )?;
    let mut rows = Vec::with_capacity(REASONS.len());
    for r in REASONS {
        rows.push([
            global_string(env, r.code.as_str())?,
            global_string(env, r.id)?,
            global_string(env, r.message_zh)?,
            global_string(env, r.message_en)?,
            global_string(env, r.advice_zh)?,
            global_string(env, r.advice_en)?,
        ]);
    }
    Ok(Cache {
        class: env.new_weak_ref(&class)?,
        ctor,
        rows,
        empty: global_string(env, "")?,
    })
}

/// A raw field of the answer as a Java string (the shared `""` when absent).
fn raw<'local>(env: &mut Env<'local>, c: &Cache, s: &str) -> Result<JString<'local>, Fail> {
    if s.is_empty() {
        return Ok(env.new_local_ref(&c.empty)?);
    }
    Ok(env.new_string(s)?)
}

/// The `org.nameauth.Verdict` of `v`.
pub(crate) fn to_java<'local>(env: &mut Env<'local>, v: &Verdict) -> Result<JObject<'local>, Fail> {
    with_cache(env, |env, c| {
        let row = &c.rows[v.reason() as usize];
        let status = raw(env, c, v.nameauth_status())?;
        let notmatch = raw(env, c, v.notmatch_param())?;
        let mask = raw(env, c, v.name_mask())?;
        // A local reference to the class: the weak one cannot be cleared while this call,
        // a method of the loader's own class, runs.
        let class = env.new_local_ref(&*c.class)?;
        let args: [jvalue; 12] = [
            JValue::Object(row[0].as_obj()).as_jni(),
            JValue::Object(row[1].as_obj()).as_jni(),
            JValue::Object(row[2].as_obj()).as_jni(),
            JValue::Object(row[3].as_obj()).as_jni(),
            JValue::Object(row[4].as_obj()).as_jni(),
            JValue::Object(row[5].as_obj()).as_jni(),
            JValue::Long(v.error_code()).as_jni(),
            JValue::Object(&status).as_jni(),
            JValue::Object(&notmatch).as_jni(),
            JValue::Object(&mask).as_jni(),
            JValue::Bool(v.passed()).as_jni(),
            JValue::Bool(v.is_config_problem()).as_jni(),
        ];
        // SAFETY: `ctor` is Verdict's constructor of exactly this signature, looked up on
        // this class, and `args` match it in number and type.
        Ok(unsafe { env.new_object_unchecked(&class, c.ctor, &args)? })
    })
}
