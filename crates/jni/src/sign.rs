//! The static helpers that need no client: `sign` and `validateId`.

use jni::objects::{JObjectArray, JString};
use nameauth::frontend::{sign_args, SIGN_ARGS};
use nameauth_jni_support::native_method;
use zeroize::Zeroizing;

use crate::error::{arg, null, Fail};

native_method! {
    Fail,
    /// `Jni.sign(args)`: 32 hex digits. `args` holds the eight arguments in the order of
    /// the core's `SIGN_ARGS` (appid, openid, src, truename, creid, cretype, key,
    /// signCase); `signCase` is `"lower"` or `"upper"` (the option's values).
    fn Java_org_nameauth_Jni_sign<'local>(
        env,
        args: JObjectArray<'local, JString<'local>>,
    ) -> JString<'local> {
        if args.is_null() {
            return Err(null("args"));
        }
        let mut given = Vec::with_capacity(SIGN_ARGS.len());
        for (i, field) in SIGN_ARGS.into_iter().enumerate() {
            // A frame per argument: its local reference goes with it.
            let value = env.with_local_frame(2, |env| -> Result<String, Fail> {
                let value = args.get_element(env, i)?;
                arg(env, &value, field)
            })?;
            // Wiped when dropped: the name, the ID number and the key are among them.
            given.push(Zeroizing::new(value));
        }
        let sig = sign_args(std::array::from_fn(|i| given.get(i).map(|v| v.as_str())))?;
        Ok(env.new_string(sig.as_str())?)
    }
}

native_method! {
    Fail,
    /// `Jni.validateId(creid)`: returns, or throws the rule broken.
    fn Java_org_nameauth_Jni_validateId<'local>(env, creid: JString<'local>) {
        let creid = arg(env, &creid, "creid")?;
        Ok(nameauth::validate::resident_id(&creid)?)
    }
}
