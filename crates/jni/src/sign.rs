//! The static helpers that need no client: `sign` and `validateId`.

use jni::objects::{JClass, JString};
use jni::EnvUnowned;
use nameauth_jni_support::native;

use crate::error::{arg, Fail};

/// `Jni.sign(appid, openid, src, truename, creid, cretype, key, signCase)`: 32 hex digits;
/// `signCase` is `"lower"` or `"upper"` (the option's values).
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
    sign_case: JString<'local>,
) -> JString<'local> {
    native(unowned, |env| -> Result<_, Fail> {
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
    })
}

/// `Jni.validateId(creid)`: returns, or throws the rule broken.
#[no_mangle]
pub extern "system" fn Java_org_nameauth_Jni_validateId<'local>(
    unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    creid: JString<'local>,
) {
    native(unowned, |env| -> Result<(), Fail> {
        let creid = arg(env, &creid, "creid")?;
        Ok(nameauth::validate::resident_id(&creid)?)
    })
}
