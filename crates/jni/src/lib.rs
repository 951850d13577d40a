//! `libnameauth_jni.so`: the native methods of `org.nameauth.Jni`, the Java binding's only
//! door into the core.
//!
//! One JNI call per verify. The answer comes back as a finished `org.nameauth.Verdict`,
//! built here: its code, reason and four texts are Java strings made once per library copy
//! (global references, one set per row of the verdict table), so a verify creates at most
//! the three raw fields the server sent. A failure is thrown as the
//! `NameAuthException` subclass of its kind, made by `NameAuthException.of`, with the
//! C library's status number, message, field and rule. A panic is caught (silently, as
//! at the C boundary) and thrown as an `InternalException`; nothing unwinds into the JVM.
//!
//! Class loaders: each class loader that loads the binding (each web application, each
//! redeployment of one) loads its own copy of this library, with its own statics. Nothing
//! here may keep the loader reachable, or it would never be collected: the cache holds the
//! `Verdict` class through a weak global reference (the texts are `java.lang.String`s,
//! which pin nothing but themselves), and this side starts no thread that calls Java.
//! When the loader is collected the JVM calls `JNI_OnUnload` before it unloads the copy;
//! it deletes the cache's references, frees every client Java did not free (dropped after
//! the last build or close, or kept in a static field of the dropped application) and
//! releases the pools (their sockets, and the core's reaper thread, which must not outlive
//! the code it runs).
//!
//! Strings arrive as Java strings. `NameAuthClient` refuses null, NUL and unpaired
//! surrogates before it calls here, as it did over JNA; this side still turns a null into
//! an input error naming the field, so no argument can crash the JVM.

use std::borrow::Cow;
use std::collections::HashSet;
use std::ffi::c_void;
use std::sync::{Mutex, PoisonError, RwLock};

use jni::errors::ErrorPolicy;
use jni::objects::{JClass, JLongArray, JMethodID, JObject, JObjectArray, JString, JThrowable};
use jni::refs::{Global, Weak};
use jni::sys::{jboolean, jint, jlong, jvalue};
use jni::{jni_sig, jni_str, Env, EnvUnowned, JValue};
use nameauth::frontend::{capture_lines, catch_quietly, level_number};
use nameauth::{
    Client, ClientBuilder, Error, ErrorKind, Options, Params, Rule, SignCase, REASONS,
    RESIDENT_ID_CARD,
};

/// The status numbers of `include/nameauth.h`, which `NameAuthException.status()`
/// reports in every Java front end (JNA gave them before).
mod status {
    pub const INVALID_INPUT: i32 = 1;
    pub const INVALID_CONFIG: i32 = 2;
    pub const TIMEOUT: i32 = 3;
    pub const TRANSPORT: i32 = 4;
    pub const PROTOCOL: i32 = 5;
    pub const INTERNAL: i32 = 6;
    pub const NULL_ARGUMENT: i32 = 7;
    pub const INVALID_UTF8: i32 = 8;
    pub const PANIC: i32 = 10;
    pub const CANCELLED: i32 = 11;
}

/// Why a native method did not return normally.
enum Fail {
    /// A nameauth error, thrown as its `NameAuthException` subclass.
    Api {
        status: i32,
        kind: &'static str,
        message: String,
        field: String,
        rule: &'static str,
    },
    /// A JNI failure (an exception may already be pending, e.g. an OutOfMemoryError).
    Jni(jni::errors::Error),
    /// A panic, caught.
    Panic,
}

impl From<jni::errors::Error> for Fail {
    fn from(e: jni::errors::Error) -> Self {
        Fail::Jni(e)
    }
}

impl From<&Error> for Fail {
    fn from(e: &Error) -> Self {
        let status = match e.kind() {
            ErrorKind::InvalidInput if e.rule() == Some(Rule::InvalidUtf8) => status::INVALID_UTF8,
            ErrorKind::InvalidInput => status::INVALID_INPUT,
            ErrorKind::InvalidConfig => status::INVALID_CONFIG,
            ErrorKind::Timeout => status::TIMEOUT,
            ErrorKind::Transport => status::TRANSPORT,
            ErrorKind::Protocol => status::PROTOCOL,
            ErrorKind::Internal => status::INTERNAL,
            ErrorKind::Cancelled => status::CANCELLED,
        };
        Fail::Api {
            status,
            kind: e.kind().as_str(),
            message: e.message().to_owned(),
            field: e.field().unwrap_or("").to_owned(),
            rule: e.rule().map_or("", Rule::as_str),
        }
    }
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Fail::from(&e)
    }
}

/// `field: is null`, as the C library names a NULL argument.
fn null(field: &str) -> Fail {
    Fail::Api {
        status: status::NULL_ARGUMENT,
        kind: ErrorKind::InvalidInput.as_str(),
        message: format!("{field}: is null"),
        field: field.to_owned(),
        rule: "null",
    }
}

/// Throws `NameAuthException.of(kind, status, message, field, rule)`.
fn throw(
    env: &mut Env<'_>,
    status: i32,
    kind: &str,
    message: &str,
    field: &str,
    rule: &str,
) -> jni::errors::Result<()> {
    let kind = env.new_string(kind)?;
    let message = env.new_string(message)?;
    let field = env.new_string(field)?;
    let rule = env.new_string(rule)?;
    let made = env
        .call_static_method(
            jni_str!("org/nameauth/NameAuthException"),
            jni_str!("of"),
            jni_sig!(
                "(Ljava/lang/String;ILjava/lang/String;Ljava/lang/String;Ljava/lang/String;)Lorg/nameauth/NameAuthException;"
            ),
            &[
                JValue::Object(&kind),
                JValue::Int(status),
                JValue::Object(&message),
                JValue::Object(&field),
                JValue::Object(&rule),
            ],
        )?
        .l()?;
    let throwable = env.cast_local::<JThrowable>(made)?;
    env.throw(throwable)
}

/// Turns a `Fail` into a pending Java exception and the method's default return value.
struct ThrowNameAuth;

impl<T: Default> ErrorPolicy<T, Fail> for ThrowNameAuth {
    type Captures<'unowned_env_local: 'native_method, 'native_method> = ();

    fn on_error<'unowned_env_local: 'native_method, 'native_method>(
        env: &mut Env<'unowned_env_local>,
        _cap: &mut (),
        err: Fail,
    ) -> jni::errors::Result<T> {
        if env.exception_check() {
            // The JVM's own exception (an OutOfMemoryError, say) goes up as it is.
            return Ok(T::default());
        }
        // `throw` ends in Err(JavaException) once the exception is pending: that is the
        // outcome wanted here.
        let _ = match err {
            Fail::Api {
                status,
                kind,
                message,
                field,
                rule,
            } => throw(env, status, kind, &message, &field, rule),
            Fail::Jni(e) => throw(
                env,
                status::INTERNAL,
                ErrorKind::Internal.as_str(),
                &format!("internal: JNI call failed: {e}"),
                "",
                "",
            ),
            Fail::Panic => throw(
                env,
                status::PANIC,
                ErrorKind::Internal.as_str(),
                "internal: a panic was caught at the JNI boundary (a bug in nameauth; please \
                 report it)",
                "",
                "",
            ),
        };
        Ok(T::default())
    }

    fn on_panic<'unowned_env_local: 'native_method, 'native_method>(
        env: &mut Env<'unowned_env_local>,
        cap: &mut (),
        _payload: Box<dyn std::any::Any + Send + 'static>,
    ) -> jni::errors::Result<T> {
        // Not reached: `native` catches panics itself, quietly.
        <Self as ErrorPolicy<T, Fail>>::on_error(env, cap, Fail::Panic)
    }
}

/// Runs a native method's body: a panic is caught without a word to stderr (the host's
/// log) and every failure becomes a pending exception.
fn native<'local, T: Default>(
    mut unowned: EnvUnowned<'local>,
    body: impl FnOnce(&mut Env<'local>) -> Result<T, Fail>,
) -> T {
    unowned
        .with_env_no_catch(|env| catch_quietly(|| body(env)).unwrap_or(Err(Fail::Panic)))
        .resolve::<ThrowNameAuth>()
}

/// A string argument, or an input error naming `field` if it is null.
fn arg(env: &Env<'_>, s: &JString<'_>, field: &str) -> Result<String, Fail> {
    if s.is_null() {
        return Err(null(field));
    }
    Ok(s.mutf8_chars(env)?.to_str().into_owned())
}

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

/// The clients `clientBuild` and `clientFromEnv` made and `clientFree` has not freed.
static LIVE: Mutex<Option<HashSet<usize>>> = Mutex::new(None);

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

fn client<'a>(handle: jlong) -> Result<&'a Client, Fail> {
    if handle == 0 {
        return Err(null("client"));
    }
    // SAFETY: a non-zero handle is one `into_handle` returned and `clientFree` has not
    // freed: `NameAuthClient` holds its read lock across every call and frees only under
    // the write lock, once.
    Ok(unsafe { &*(handle as *const Client) })
}

fn into_handle(c: Client) -> jlong {
    let handle = Box::into_raw(Box::new(c)) as usize;
    LIVE.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get_or_insert_with(HashSet::new)
        .insert(handle);
    handle as jlong
}

/// `Jni.clientBuild(appid, src, key, options)`: `options` alternates names and values.
#[no_mangle]
pub extern "system" fn Java_org_nameauth_Jni_clientBuild<'local>(
    unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    appid: JString<'local>,
    src: JString<'local>,
    key: JString<'local>,
    options: JObjectArray<'local, JString<'local>>,
) -> jlong {
    native(unowned, |env| {
        let appid = arg(env, &appid, "appid")?;
        let src = arg(env, &src, "src")?;
        let key = arg(env, &key, "key")?;
        let mut set = Options::new();
        if !options.is_null() {
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
        }
        let built = ClientBuilder::new(appid, src, key)
            .with_options(set)
            .build()?;
        Ok(into_handle(built))
    })
}

/// `Jni.clientFromEnv()`: the client of CONFORMANCE.md's variables.
#[no_mangle]
pub extern "system" fn Java_org_nameauth_Jni_clientFromEnv<'local>(
    unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
) -> jlong {
    native(unowned, |_env| Ok(into_handle(Client::from_env()?)))
}

/// `Jni.clientFree(handle)`: closes the client's connections and wipes its key.
#[no_mangle]
pub extern "system" fn Java_org_nameauth_Jni_clientFree<'local>(
    unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
) {
    native(unowned, |_env| {
        let known = LIVE
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_mut()
            .is_some_and(|live| live.remove(&(handle as usize)));
        if known {
            // SAFETY: a handle from `into_handle`, freed once (see `client`).
            drop(unsafe { Box::from_raw(handle as *mut Client) });
        }
        Ok(())
    })
}

/// `Jni.verify(handle, openid, truename, creid, cretype, logLevel)`: the verdict, or a
/// thrown `NameAuthException`. With `logLevel` 2 (WARN) or 3 (every call), the call's
/// masked events at that level go to `NameAuthLog.emit` first.
#[no_mangle]
pub extern "system" fn Java_org_nameauth_Jni_verify<'local>(
    unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
    openid: JString<'local>,
    truename: JString<'local>,
    creid: JString<'local>,
    cretype: JString<'local>,
    log_level: jint,
) -> JObject<'local> {
    native(unowned, |env| {
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
            && emit(
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
        let v = result?;
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
    })
}

/// Hands the call's events at or above `level` to `NameAuthLog.emit`, one line each:
/// `"<level digit> <message>"`.
fn emit(
    env: &mut Env<'_>,
    report: &nameauth::Report,
    level: u32,
    openid: &str,
    truename: &str,
    creid: &str,
    result: Result<&nameauth::Verdict, &Error>,
) -> Result<(), Fail> {
    let lines = capture_lines(&report.events(openid, truename, creid, result), level);
    if lines.is_empty() {
        return Ok(());
    }
    let lines = env.new_string(lines)?;
    env.call_static_method(
        jni_str!("org/nameauth/NameAuthLog"),
        jni_str!("emit"),
        jni_sig!("(Ljava/lang/String;)V"),
        &[JValue::Object(&lines)],
    )?;
    Ok(())
}

/// `Jni.stats(handle)`: calls, requests, retries, connections opened, failovers, the
/// seven verdict counts, the six error counts, then p50, p90 and p99 in microseconds.
#[no_mangle]
pub extern "system" fn Java_org_nameauth_Jni_stats<'local>(
    unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
) -> JLongArray<'local> {
    native(unowned, |env| {
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

/// `Jni.sign(appid, openid, src, truename, creid, cretype, key, upper)`: 32 hex digits.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub extern "system" fn Java_org_nameauth_Jni_sign<'local>(
    unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    appid: JString<'local>,
    openid: JString<'local>,
    src: JString<'local>,
    truename: JString<'local>,
    creid: JString<'local>,
    cretype: JString<'local>,
    key: JString<'local>,
    upper: jboolean,
) -> JString<'local> {
    native(unowned, |env| {
        let appid = arg(env, &appid, "appid")?;
        let openid = arg(env, &openid, "openid")?;
        let src = arg(env, &src, "src")?;
        let truename = arg(env, &truename, "truename")?;
        let creid = arg(env, &creid, "creid")?;
        let cretype = arg(env, &cretype, "cretype")?;
        let key = arg(env, &key, "key")?;
        let params = Params {
            appid: &appid,
            openid: &openid,
            src: &src,
            truename: &truename,
            creid: &creid,
            cretype: &cretype,
        };
        let case = if upper {
            SignCase::Upper
        } else {
            SignCase::Lower
        };
        let sig = nameauth::sign_checked(&params, &key, case)?;
        Ok(env.new_string(sig.as_str())?)
    })
}

/// `Jni.validateId(creid)`: returns, or throws the rule broken.
#[no_mangle]
pub extern "system" fn Java_org_nameauth_Jni_validateId<'local>(
    unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    creid: JString<'local>,
) {
    native(unowned, |env| {
        let creid = arg(env, &creid, "creid")?;
        Ok(nameauth::validate::resident_id(&creid)?)
    })
}

/// `Jni.version()`: the core's version, e.g. `"0.1.0"`.
#[no_mangle]
pub extern "system" fn Java_org_nameauth_Jni_version<'local>(
    unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
) -> JString<'local> {
    native(unowned, |env| Ok(env.new_string(nameauth::VERSION)?))
}

/// `Jni.releasePools()`: as `nameauth_release_pools`.
#[no_mangle]
pub extern "system" fn Java_org_nameauth_Jni_releasePools<'local>(
    unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
) {
    native(unowned, |_env| {
        nameauth::release_pools();
        Ok(())
    })
}

/// Called by the JVM when the class loader that loaded this copy of the library has been
/// collected, just before it unloads the copy: nothing of that loader's can call in any
/// more. Deletes the cache's references, frees the clients Java left allocated and
/// releases this copy's pools (their sockets and the reaper thread that runs this copy's
/// code). A copy that stays mapped (and may be loaded again) starts afresh.
#[no_mangle]
pub extern "system" fn JNI_OnUnload(_vm: *mut jni::sys::JavaVM, _reserved: *mut c_void) {
    let _ = catch_quietly(|| {
        // `Global`/`Weak` delete their references on drop (this thread is the JVM's own).
        drop(CACHE.write().unwrap_or_else(PoisonError::into_inner).take());
        let live = LIVE
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .unwrap_or_default();
        for handle in live {
            // SAFETY: a handle from `into_handle` that `clientFree` has not freed; no code
            // of the collected loader can use it any more.
            drop(unsafe { Box::from_raw(handle as *mut Client) });
        }
        nameauth::release_pools();
    });
}
