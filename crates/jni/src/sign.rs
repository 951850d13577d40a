//! The static helpers that need no client: `sign` and `validateId`.

use jni::objects::JString;
use nameauth_jni_support::native_method;

use crate::error::{arg, Fail};

native_method! {
    Fail,
    /// `Jni.sign(appid, openid, src, truename, creid, cretype, key, signCase)`: 32 hex digits;
    /// `signCase` is `"lower"` or `"upper"` (the option's values).
    #[allow(clippy::too_many_arguments)]
    fn Java_org_nameauth_Jni_sign<'local>(
        env,
        appid: JString<'local>,
        openid: JString<'local>,
        src: JString<'local>,
        truename: JString<'local>,
        creid: JString<'local>,
        cretype: JString<'local>,
        key: JString<'local>,
        sign_case: JString<'local>,
    ) -> JString<'local> {
        let appid = arg(env, &appid, "appid")?;
        let openid = arg(env, &openid, "openid")?;
        let src = arg(env, &src, "src")?;
        let truename = arg(env, &truename, "truename")?;
        let creid = arg(env, &creid, "creid")?;
        let cretype = arg(env, &cretype, "cretype")?;
        let key = arg(env, &key, "key")?;
        let sign_case = arg(env, &sign_case, "sign_case")?;
        let sig = nameauth::frontend::sign_strings(
            &appid,
            &openid,
            &src,
            &truename,
            &creid,
            Some(&cretype),
            &key,
            Some(&sign_case),
        )?;
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
