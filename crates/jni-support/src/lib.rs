//! What every native method of nameauth's two JNI libraries does the same way:
//! `libnameauth_jni` (crates/jni, the client) and `libnameauth_sandbox` (crates/sandbox-ffi,
//! the test server behind `org.nameauth.testing.SandboxNative`).
//!
//! - [`native`] runs a method's body: a panic is caught (never unwound into the JVM) and
//!   every failure becomes a pending Java exception and the method's default return value.
//!   Each library says what it throws, and how it catches a panic, with [`Failure`].
//! - [`native_method!`] writes a static native method's signature around such a body, so
//!   that each method states only its name, its own arguments and what it does.
//! - [`text`] turns a Java string argument into a Rust `String` (`None` for null).
//! - [`into_handle`], [`borrow`] and [`free`] carry a boxed Rust value to Java as a `long`.
//!
//! This crate depends on `jni` alone, never on the nameauth core: the sandbox library must
//! not link the core.

use std::any::Any;
use std::marker::PhantomData;
use std::panic::{catch_unwind, AssertUnwindSafe};

use jni::errors::ErrorPolicy;
use jni::objects::JString;
use jni::sys::jlong;
use jni::{Env, EnvUnowned};

/// Why a native method did not return normally, as one library sees it.
pub trait Failure: From<jni::errors::Error> {
    /// The failure that stands for a caught panic.
    fn panic() -> Self;

    /// Makes the failure a pending Java exception. Called only when none is pending; an
    /// `Err(JavaException)` once the exception is thrown is the outcome wanted.
    fn throw(self, env: &mut Env<'_>) -> jni::errors::Result<()>;

    /// Runs `body`; a panic inside it is caught and returned as `None`. By default Rust's
    /// panic hook still reports it; a library that must stay silent (the client, whose
    /// stderr is the host's log) catches it its own way.
    fn catch<R>(body: impl FnOnce() -> R) -> Option<R> {
        catch_unwind(AssertUnwindSafe(body)).ok()
    }
}

/// The error policy of [`native`]: a [`Failure`] is thrown, unless the JVM's own
/// exception (an `OutOfMemoryError`, say) is already pending, which then goes up as it is.
struct Throw<F>(PhantomData<F>);

impl<T: Default, F: Failure> ErrorPolicy<T, F> for Throw<F> {
    type Captures<'unowned_env_local: 'native_method, 'native_method> = ();

    fn on_error<'unowned_env_local: 'native_method, 'native_method>(
        env: &mut Env<'unowned_env_local>,
        _cap: &mut (),
        err: F,
    ) -> jni::errors::Result<T> {
        if !env.exception_check() {
            let _ = err.throw(env);
        }
        Ok(T::default())
    }

    fn on_panic<'unowned_env_local: 'native_method, 'native_method>(
        env: &mut Env<'unowned_env_local>,
        cap: &mut (),
        _payload: Box<dyn Any + Send + 'static>,
    ) -> jni::errors::Result<T> {
        // Not reached: `native` catches panics itself (see `Failure::catch`).
        <Self as ErrorPolicy<T, F>>::on_error(env, cap, F::panic())
    }
}

/// Runs a native method's body: a panic is caught with `F::catch` and every failure
/// becomes a pending exception (`F::throw`) and `T::default()`.
pub fn native<'local, T: Default, F: Failure>(
    mut unowned: EnvUnowned<'local>,
    body: impl FnOnce(&mut Env<'local>) -> Result<T, F>,
) -> T {
    unowned
        .with_env_no_catch(|env| F::catch(|| body(env)).unwrap_or_else(|| Err(F::panic())))
        .resolve::<Throw<F>>()
}

/// The `jni` crate, for the paths [`native_method!`] writes.
#[doc(hidden)]
pub use jni as __jni;

/// Defines a static native method: `#[no_mangle] pub extern "system"`, the environment and
/// the (unused) class arguments first, then the method's own arguments, its body run by
/// [`native`] with failures of the type named first:
///
/// ```ignore
/// native_method! {
///     Fail,
///     /// `Jni.version()`: the core's version.
///     fn Java_org_nameauth_Jni_version<'local>(env) -> JString<'local> {
///         Ok(env.new_string(nameauth::VERSION)?)
///     }
/// }
/// ```
///
/// A method without a return type returns nothing (its body yields `Ok(())`).
#[macro_export]
macro_rules! native_method {
    (
        $fail:ty,
        $(#[$attr:meta])*
        fn $name:ident<$l:lifetime>($env:ident $(, $arg:ident: $ty:ty)* $(,)?) $(-> $ret:ty)?
        { $($body:tt)* }
    ) => {
        $(#[$attr])*
        #[no_mangle]
        pub extern "system" fn $name<$l>(
            unowned: $crate::__jni::EnvUnowned<$l>,
            _class: $crate::__jni::objects::JClass<$l>,
            $($arg: $ty),*
        ) $(-> $ret)? {
            $crate::native(
                unowned,
                |$env: &mut $crate::__jni::Env<$l>| -> ::core::result::Result<_, $fail> { $($body)* },
            )
        }
    };
}

/// A Java string argument as a Rust string; `None` for null.
pub fn text(env: &Env<'_>, s: &JString<'_>) -> jni::errors::Result<Option<String>> {
    if s.is_null() {
        return Ok(None);
    }
    Ok(Some(s.mutf8_chars(env)?.to_str().into_owned()))
}

/// Boxes `value` and returns its address as Java's `long` handle (never 0).
pub fn into_handle<T>(value: T) -> jlong {
    Box::into_raw(Box::new(value)) as jlong
}

/// The value behind a handle; `None` for 0 (a closed or never-made handle).
///
/// # Safety
/// A non-zero `handle` came from [`into_handle`] with this `T` and has not been freed, and
/// the Java side does not free it while the reference lives (it holds a lock across calls).
pub unsafe fn borrow<'a, T>(handle: jlong) -> Option<&'a T> {
    if handle == 0 {
        return None;
    }
    // SAFETY: per the contract above.
    Some(unsafe { &*(handle as *const T) })
}

/// Drops the value behind a handle; 0 is a no-op.
///
/// # Safety
/// A non-zero `handle` came from [`into_handle`] with this `T`, and is freed once: nothing
/// uses it after.
pub unsafe fn free<T>(handle: jlong) {
    if handle != 0 {
        // SAFETY: per the contract above.
        drop(unsafe { Box::from_raw(handle as *mut T) });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_handle_gives_back_its_value_and_zero_is_none() {
        let h = into_handle(String::from("kept"));
        assert_ne!(h, 0);
        // SAFETY: made above with this type, freed once below.
        unsafe {
            assert_eq!(borrow::<String>(h).map(String::as_str), Some("kept"));
            assert!(borrow::<String>(0).is_none());
            free::<String>(h);
            free::<String>(0);
        }
    }
}
