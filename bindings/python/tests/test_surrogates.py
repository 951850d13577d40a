"""Every string argument and option with a lone surrogate (text UTF-8 cannot hold, as
``surrogateescape`` makes) gives nameauth's own error naming the field, nothing is
sent, and no part of the exception (its chain, ``args``, ``.object``) holds the value."""

import asyncio
import traceback

import pytest

import nameauth
from nameauth.testing import sandbox

ZS_ID = "110101199003074477"
SECRET = "pa55\udcffword"  # a lone surrogate inside a value that must not be shown


def check_clean(exc, value):
    assert exc.__cause__ is None and exc.__context__ is None, repr(exc.__context__)
    assert not hasattr(exc, "object")
    assert len(exc.args) == 1 and isinstance(exc.args[0], str)
    shown = [str(exc), repr(exc), repr(exc.args)]
    shown += traceback.format_exception(type(exc), exc, exc.__traceback__)
    for text in shown:
        assert value not in text
        assert "pa55" not in text


OPTIONS = [
    ("endpoint", "http://127.0.0.1:9/cgi-bin/" + SECRET),
    ("proxy", f"http://user:{SECRET}@127.0.0.1:9"),
    ("sign_case", "lower" + SECRET),
    ("fallback_endpoint", "http://127.0.0.1:9/" + SECRET),
    ("ca_file", "/tmp/ca-\ud800" + SECRET),
]


@pytest.mark.parametrize("option,value", OPTIONS, ids=[o for o, _ in OPTIONS])
def test_every_text_option_is_a_config_error_naming_it(option, value):
    with sandbox() as sb:
        options = {"endpoint": sb.endpoint, option: value}
        for make in (nameauth.Client, nameauth.AsyncClient):
            with pytest.raises(nameauth.InvalidConfigError) as info:
                make(sb.appid, sb.src, sb.key, **options)
            assert info.value.field == option
            assert "surrogate" in str(info.value)
            check_clean(info.value, value)
        assert sb.stats()["requests"] == 0


@pytest.mark.parametrize("position", ["appid", "src", "key"])
def test_every_credential_is_a_config_error_naming_it(position):
    args = {"appid": "wx1234567890abcdef", "src": "src", "key": "k" * 32}
    args[position] += SECRET
    with pytest.raises(nameauth.InvalidConfigError) as info:
        nameauth.Client(args["appid"], args["src"], args["key"])
    assert info.value.field == position
    check_clean(info.value, args[position])


USER = {"openid": "oZhangSan", "truename": "张三", "creid": ZS_ID, "cretype": "1"}


@pytest.mark.parametrize("field", list(USER))
def test_every_user_field_is_an_input_error_naming_it_and_nothing_is_sent(field):
    user = dict(USER)
    user[field] += SECRET
    args = [user[k] for k in USER]
    with sandbox() as sb:
        c = sb.client()
        with pytest.raises(nameauth.InvalidInputError) as info:
            c.verify(*args)
        assert (info.value.field, info.value.rule) == (field, "invalid_utf8")
        check_clean(info.value, user[field])
        with pytest.raises(nameauth.InvalidInputError) as info:
            c.verify(*args[:3], cretype=args[3])
        assert info.value.field == field
        for item in (tuple(args), user):
            (got,) = c.verify_many([item])
            assert isinstance(got, nameauth.InvalidInputError) and got.field == field
            check_clean(got, user[field])

        async def main():
            with pytest.raises(nameauth.InvalidInputError) as info:
                await sb.async_client().verify(*args)
            return info.value

        e = asyncio.run(main())
        assert e.field == field
        check_clean(e, user[field])
        assert sb.stats()["requests"] == 0


SIGN_ARGS = ["appid", "openid", "src", "truename", "creid", "cretype", "key"]


@pytest.mark.parametrize("index", range(len(SIGN_ARGS)), ids=SIGN_ARGS)
def test_sign_names_the_argument(index):
    args = ["wx1", "oZhangSan", "src", "张三", ZS_ID, "1", "k" * 32]
    args[index] += SECRET
    with pytest.raises(nameauth.NameAuthError) as info:
        nameauth.sign(*args)
    expected = (
        nameauth.InvalidConfigError if SIGN_ARGS[index] == "key" else nameauth.InvalidInputError
    )
    assert type(info.value) is expected and info.value.field == SIGN_ARGS[index]
    check_clean(info.value, args[index])


def test_validate_id_and_verdict_fields_name_the_argument():
    with pytest.raises(nameauth.InvalidInputError) as info:
        nameauth.validate_id(ZS_ID + SECRET)
    assert info.value.field == "creid"
    check_clean(info.value, ZS_ID + SECRET)
    for i, field in enumerate(["nameauth_status", "notmatch_param", "name_mask"]):
        args = ["", "", ""]
        args[i] = SECRET
        with pytest.raises(nameauth.InvalidInputError) as info:
            nameauth.Verdict(0, *args)
        assert info.value.field == field
        check_clean(info.value, SECRET)
    assert nameauth.Verdict(0, "1").code == "A"
    # Before: OverflowError and TypeError messages that named no argument.
    with pytest.raises(ValueError, match="^error_code: "):
        nameauth.Verdict(2**70)
    with pytest.raises(TypeError, match="^error_code: must be an int$"):
        nameauth.Verdict("1")  # type: ignore[arg-type]


def test_a_non_str_option_is_a_type_error_naming_it():
    for option in ("endpoint", "proxy", "sign_case", "fallback_endpoint"):
        with pytest.raises(TypeError, match=f"{option}: must be a str"):
            nameauth.Client("wx1234567890abcdef", "src", "k" * 32, **{option: b"x"})
    with pytest.raises(TypeError, match="ca_file: must be a str or an os.PathLike"):
        nameauth.Client("wx1234567890abcdef", "src", "k" * 32, ca_file=3)


def test_the_test_sandbox_names_the_argument_too():
    with sandbox() as sb:
        with pytest.raises(nameauth.InvalidInputError) as info:
            sb.hits("oZhang" + SECRET)
        assert info.value.field == "openid"
        check_clean(info.value, "oZhang" + SECRET)
        with pytest.raises(nameauth.InvalidInputError) as info:
            sb.add_fixture("oNew", {"status": 1, "truename": "张" + SECRET, "creid": ZS_ID})
        assert info.value.field == "record"
        check_clean(info.value, SECRET)
    with pytest.raises(nameauth.InvalidInputError) as info:
        sandbox(fixtures={"oNew": {"status": 2, "truename": SECRET}}).__enter__()
    assert info.value.field == "fixtures"
    check_clean(info.value, SECRET)
