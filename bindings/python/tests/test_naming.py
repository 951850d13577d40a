"""The names decided for 0.1.0 (issue 18): one name per concept, the same stems as every
other front end, and no older spelling left behind (nothing was released)."""

import builtins
import concurrent.futures

import pytest

import nameauth
from nameauth.testing import sandbox

ZS_ID = "110101199003074477"
# ZS_ID with a wrong check digit: only the resident-ID rules (id_rules) refuse it.
BAD_CHECK_DIGIT = "110101199003074478"

KINDS = {
    "InvalidInputError": ("invalid_input", ValueError),
    "InvalidConfigError": ("invalid_config", ValueError),
    "TimeoutError": ("timeout", builtins.TimeoutError),
    "TransportError": ("transport", ConnectionError),
    "ProtocolError": ("protocol", nameauth.NameAuthError),
    "InternalError": ("internal", nameauth.NameAuthError),
    "CancelledError": ("cancelled", concurrent.futures.CancelledError),
    "QueueFullError": ("queue_full", RuntimeError),
}


@pytest.mark.parametrize("name", sorted(KINDS))
def test_each_error_class_has_its_kind_and_builtin(name):
    cls = getattr(nameauth, name)
    kind, builtin = KINDS[name]
    assert issubclass(cls, nameauth.NameAuthError) and issubclass(cls, builtin)
    assert cls.kind == kind
    assert cls is getattr(nameauth.exceptions, name) and name in nameauth.__all__


def test_the_package_exports_every_exception_class_and_no_other_error():
    # exceptions.py keeps no __all__ of its own: nameauth.__all__ is the one list.
    module = vars(nameauth.exceptions)
    defined = {n for n, v in module.items() if isinstance(v, type) and issubclass(v, Exception)}
    assert defined == {n for n in nameauth.__all__ if n.endswith("Error")}


def test_timeout_and_cancelled_are_nameauths_own_classes():
    # Not the builtins themselves: `except nameauth.TimeoutError` catches only ours.
    assert nameauth.TimeoutError is not builtins.TimeoutError
    assert nameauth.CancelledError is not concurrent.futures.CancelledError


@pytest.mark.parametrize(
    "old",
    ["NameauthError", "InvalidInput", "ConfigError", "Timeout", "Cancelled", "QueueFull"],
)
def test_the_older_exception_names_are_gone(old):
    assert not hasattr(nameauth, old) and not hasattr(nameauth.exceptions, old)
    assert old not in nameauth.__all__


def test_verdict_says_is_config_problem_and_nothing_older():
    v = nameauth.Verdict(1002)
    assert v.is_config_problem and not nameauth.Verdict(0, "1").is_config_problem
    for old in ("config_problem", "message", "advice"):
        assert not hasattr(v, old)


def test_an_http_failure_carries_http_status_not_status():
    with sandbox() as sb:
        sb.add_fixture("oBusy", {"fault": "http_503", "fail_times": 5, "status": 2})
        with sb.client(retries=0) as client, pytest.raises(nameauth.TransportError) as e:
            client.verify("oBusy", "张三", ZS_ID)
    assert e.value.http_status == 503
    assert not hasattr(e.value, "status")
    assert nameauth.InvalidInputError("x").http_status is None


def test_sign_takes_sign_case_not_upper():
    args = ("wx1", "oZhangSan", "src", "张三", ZS_ID, "1", "k" * 32)
    lower = nameauth.sign(*args)
    assert nameauth.sign(*args, sign_case="lower") == lower
    assert nameauth.sign(*args, sign_case="upper") == lower.upper() != lower
    with pytest.raises(nameauth.InvalidInputError) as e:
        nameauth.sign(*args, sign_case="Upper")
    assert (e.value.field, e.value.rule) == ("sign_case", "bad_value")
    with pytest.raises(TypeError):
        nameauth.sign(*args, upper=True)  # type: ignore[call-arg]


def test_id_rules_switches_the_resident_id_rules():
    with sandbox() as sb:
        with sb.client() as client, pytest.raises(nameauth.InvalidInputError) as e:
            client.verify("oZhangSan", "张三", BAD_CHECK_DIGIT)
        assert e.value.field == "creid" and sb.stats()["requests"] == 0
        with sb.client(id_rules=False) as client:
            assert isinstance(client.verify("oZhangSan", "张三", BAD_CHECK_DIGIT), nameauth.Verdict)
        assert sb.stats()["requests"] == 1


@pytest.mark.parametrize(
    "old", [{"validate_id": False}, {"timeout": 5.0}, {"connect_timeout": 1.0}]
)
def test_the_older_option_spellings_are_gone(old):
    with pytest.raises(TypeError, match=next(iter(old))):
        nameauth.Client("wx1", "s", "k", endpoint="http://127.0.0.1:9/x", **old)
