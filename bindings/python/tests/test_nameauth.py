"""nameauth for Python against the sandbox.

Run through tools/with_sandbox.py, which sets NAMEAUTH_ENDPOINT, NAMEAUTH_APPID,
NAMEAUTH_SRC, NAMEAUTH_KEY (an HTTP sandbox) and NAMEAUTH_TEST_TLS_ENDPOINT,
NAMEAUTH_TEST_CA_FILE (an HTTPS one).
"""

import json
import os
import threading
import time
import urllib.request

import pytest

import nameauth

ENDPOINT = os.environ.get("NAMEAUTH_ENDPOINT", "")
APPID = os.environ.get("NAMEAUTH_APPID", "")
SRC = os.environ.get("NAMEAUTH_SRC", "")
KEY = os.environ.get("NAMEAUTH_KEY", "")
ZS_ID = "110101199003074477"

pytestmark = pytest.mark.skipif(
    not ENDPOINT, reason="run through tools/with_sandbox.py (no sandbox configured)"
)


def stats():
    """The sandbox's counters (GET /__sandbox/stats is not itself counted)."""
    base = ENDPOINT.split("/cgi-bin/")[0]
    with urllib.request.urlopen(base + "/__sandbox/stats") as r:
        return json.load(r)


@pytest.fixture
def client():
    with nameauth.Client(APPID, SRC, KEY, endpoint=ENDPOINT, timeout_ms=5000) as c:
        yield c


def verdict_cases():
    """The verdict cases of the conformance table that need no change to the environment:
    every row of docs/SPEC.md §5, shared by every front end's tests."""
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "..", "..", "tests", "conformance", "cases.json")
    with open(path, encoding="utf-8") as f:
        cases = [c for c in json.load(f) if "code" in c["expect"] and not c["env"]]
    assert len(cases) >= 25, "the case table lost its verdict rows"
    return cases


ROWS = verdict_cases()


def check_row(v, case):
    assert isinstance(v, nameauth.Verdict)
    assert v.to_dict() == case["expect"]
    assert v.passed is (v.code == "A")
    assert v.is_config_problem is (v.error_code in (1000, 1001, 1002, 1007))
    assert v.message_zh and v.advice_zh and v.message_en and v.advice_en


@pytest.mark.parametrize("case", ROWS, ids=[c["name"] for c in ROWS])
def test_every_verdict_row(client, case):
    check_row(client.verify(*case["args"]), case)


def test_verdict_texts_and_dict(client):
    v = client.verify("oZhangSan", "李四", ZS_ID)
    assert (v.message_zh, v.advice_zh) == ("姓名错误", "再次输入姓名")
    assert v.message_en == "The name does not match"
    assert list(v.to_dict().items()) == [
        ("code", "B"),
        ("reason", "name_mismatch"),
        ("error_code", 0),
        ("nameauth_status", "1"),
        ("notmatch_param", "1"),
        ("name_mask", "*三"),
    ]
    assert v == client.verify("oZhangSan", "李四", ZS_ID)
    assert hash(v) == hash(client.verify("oZhangSan", "李四", ZS_ID))
    assert v != client.verify("oZhangSan", "张三", ZS_ID)


def test_every_row_over_https():
    tls = os.environ["NAMEAUTH_TEST_TLS_ENDPOINT"]
    ca = os.environ["NAMEAUTH_TEST_CA_FILE"]
    with nameauth.Client(APPID, SRC, KEY, endpoint=tls, ca_file=ca) as c:
        for case in ROWS:
            check_row(c.verify(*case["args"]), case)
    with nameauth.Client(APPID, SRC, KEY, endpoint=tls) as untrusting:
        with pytest.raises(nameauth.TransportError, match="TLS"):
            untrusting.verify("oZhangSan", "张三", ZS_ID)


@pytest.mark.parametrize(
    "args, field, rule",
    [
        (("", "张三", ZS_ID), "openid", "empty"),
        (("o.1", "张三", ZS_ID), "openid", "charset"),
        (("oZhangSan", "张三1", ZS_ID), "truename", "digit"),
        (("oZhangSan", " 张三", ZS_ID), "truename", "whitespace"),
        (("oZhangSan", "张\x00三", ZS_ID), "truename", "control_character"),
        (("oZhangSan", "张三", "110101199003074478"), "creid", "id_check_character"),
        (("oZhangSan", "张三", "11010119900230447X"), "creid", "id_birth_date"),
        (("oZhangSan", "张三", "110101209901014472"), "creid", "id_birth_date_future"),
        (("oZhangSan", "张三", "110105491231002"), "creid", "id_first_generation"),
        (("oZhangSan", "张三", ZS_ID, ""), "cretype", "empty"),
    ],
)
def test_invalid_input_names_field_and_rule_and_sends_nothing(client, args, field, rule):
    before = stats()["requests"]
    with pytest.raises(nameauth.InvalidInputError) as info:
        client.verify(*args)
    e = info.value
    assert isinstance(e, ValueError) and isinstance(e, nameauth.NameAuthError)
    assert (e.kind, e.field, e.rule) == ("invalid_input", field, rule)
    assert str(e).startswith(field + ": ")
    assert "张三" not in str(e) and ZS_ID not in str(e)
    assert stats()["requests"] == before


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"appid": ""}, "appid"),
        ({"src": ""}, "src"),
        ({"key": ""}, "key"),
        ({"endpoint": "http://192.0.2.1/x"}, "endpoint"),
        ({"sign_case": "UPPER"}, "sign_case"),
        ({"timeout_ms": 0}, "timeout_ms"),
        ({"timeout_ms": 86_400_001}, "timeout_ms"),
        ({"connect_timeout_ms": -1}, "connect_timeout_ms"),
        ({"retries": 11}, "retries"),
        ({"retries": -1}, "retries"),
        ({"retries": 2**64}, "retries"),
        ({"endpoint": ""}, "endpoint"),
        ({"endpoint": "http://localhost:9/x", "proxy": "http://127.0.0.1:9"}, "endpoint"),
        ({"endpoint": "https://h.test/x", "proxy": "socks5://127.0.0.1:9"}, "proxy"),
        ({"ca_file": "/nonexistent/ca.pem"}, "ca_file"),
        ({"proxy": "::::"}, "proxy"),
    ],
)
def test_config_errors(kwargs, field):
    args = {"appid": APPID, "src": SRC, "key": KEY, "endpoint": ENDPOINT}
    args.update(kwargs)
    with pytest.raises(nameauth.InvalidConfigError) as info:
        nameauth.Client(args.pop("appid"), args.pop("src"), args.pop("key"), **args)
    assert isinstance(info.value, ValueError)
    assert (info.value.kind, info.value.field) == ("invalid_config", field)
    assert KEY not in str(info.value)


@pytest.mark.parametrize(
    "openid, exc, builtin, words",
    [
        ("oSlow", nameauth.TimeoutError, TimeoutError, "500 ms timeout"),
        ("oReset", nameauth.TransportError, ConnectionError, "reset"),
        ("oHangup", nameauth.TransportError, ConnectionError, "closed"),
        ("oHttp500", nameauth.TransportError, ConnectionError, "HTTP status 500"),
        ("oHttp503", nameauth.TransportError, ConnectionError, "HTTP status 503"),
        ("oGarbage", nameauth.ProtocolError, nameauth.NameAuthError, "JSON"),
        ("oOversized", nameauth.ProtocolError, nameauth.NameAuthError, "64 KiB"),
        ("oTruncated", nameauth.ProtocolError, nameauth.NameAuthError, "JSON"),
        ("oEmpty", nameauth.ProtocolError, nameauth.NameAuthError, "empty"),
    ],
)
def test_every_fault_raises_its_error_within_the_timeout(openid, exc, builtin, words):
    with nameauth.Client(APPID, SRC, KEY, endpoint=ENDPOINT, timeout_ms=500) as c:
        started = time.monotonic()
        with pytest.raises(exc, match=words) as info:
            c.verify(openid, "张三", ZS_ID)
        # Generous: this shows the call is bounded, not how fast it is.
        assert time.monotonic() - started < 2.5
    assert isinstance(info.value, builtin)
    if openid.startswith("oHttp"):
        assert info.value.http_status == int(openid[5:])


def test_connection_refused_is_a_transport_error():
    with nameauth.Client(APPID, SRC, KEY, endpoint="http://127.0.0.1:9/x", retries=0) as c:
        with pytest.raises(nameauth.TransportError, match="refused"):
            c.verify("oZhangSan", "张三", ZS_ID)


def test_wrong_key_is_a_config_problem_verdict_not_an_exception():
    with nameauth.Client(APPID, SRC, "not-the-key", endpoint=ENDPOINT) as c:
        v = c.verify("oZhangSan", "张三", ZS_ID)
    assert (v.code, v.reason, v.error_code, v.is_config_problem) == (
        "Other",
        "sign_invalid",
        1002,
        True,
    )


def test_eight_threads_share_one_client(client):
    before = stats()
    failures = []

    def work(t):
        for i in range(200):
            wrong = (t + i) % 2
            v = client.verify("oZhangSan", "李四" if wrong else "张三", ZS_ID)
            if v.code != ("B" if wrong else "A"):
                failures.append(v)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    after = stats()
    assert after["requests"] - before["requests"] == 1600
    assert after["connections"] - before["connections"] <= 8, "connections are not reused"


def test_sequential_calls_reuse_one_connection(client):
    client.verify("oZhangSan", "张三", ZS_ID)
    before = stats()
    for _ in range(20):
        client.verify("oZhangSan", "张三", ZS_ID)
    after = stats()
    assert after["requests"] - before["requests"] == 20
    assert after["connections"] == before["connections"]


def test_the_gil_is_released_during_a_call():
    inside = threading.Event()
    done = threading.Event()
    with nameauth.Client(APPID, SRC, KEY, endpoint=ENDPOINT, timeout_ms=1000) as c:

        def slow_call():
            inside.set()
            with pytest.raises(nameauth.TimeoutError):
                c.verify("oSlow", "张三", ZS_ID)
            done.set()

        t = threading.Thread(target=slow_call)
        t.start()
        inside.wait()
        spins = 0
        while not done.is_set():
            spins += 1
            time.sleep(0)
        t.join()
    # Holding the GIL for the whole second would have left this thread no turn at all.
    assert spins > 100


def test_verify_many_keeps_order_and_returns_exceptions(client):
    items = [
        ("oZhangSan", "张三", ZS_ID),
        {"openid": "oZhangSan", "truename": "李四", "creid": ZS_ID},
        ("oZhangSan", "张三", "110101199003074478"),
        ("oPassport", "JOHN SMITH", "E12345678", "2"),
        {"openid": "oHttp500", "truename": "张三", "creid": ZS_ID, "cretype": "1"},
        ("oTruncated", "张三", ZS_ID),
        ("oPoliceOnly", "张三", ZS_ID),
    ] * 5
    results = client.verify_many(items, concurrency=4)
    assert len(results) == len(items)
    expected = [
        "A",
        "B",
        nameauth.InvalidInputError,
        "A",
        nameauth.TransportError,
        nameauth.ProtocolError,
        "E",
    ]
    for i, r in enumerate(results):
        want = expected[i % len(expected)]
        if isinstance(want, str):
            assert isinstance(r, nameauth.Verdict) and r.code == want, (i, r)
        else:
            assert isinstance(r, want), (i, r)
            assert r.kind in ("invalid_input", "transport", "protocol")
    assert client.verify_many([]) == []
    many = client.verify_many([("oZhangSan", "张三", ZS_ID)] * 100)
    assert all(v.code == "A" for v in many)


def test_verify_many_refuses_malformed_items_before_sending(client):
    before = stats()["requests"]
    for bad in ([("oZhangSan", "张三")], [["oZhangSan", "张三", ZS_ID]], [{"openid": "o"}], [42]):
        with pytest.raises(TypeError, match=r"items\[0\]"):
            client.verify_many(bad)
    with pytest.raises(TypeError, match=r"items\[1\]"):
        client.verify_many([("oZhangSan", "张三", ZS_ID), ("x",)])
    # However large or negative, an int out of range is the same error naming it (an
    # OverflowError from the conversion before), and a row is never sent.
    for n in (0, -1, 257, 2**64, -(2**70)):
        with pytest.raises(ValueError, match="^concurrency: must be from 1 to 256$"):
            client.verify_many([("oZhangSan", "张三", ZS_ID)], concurrency=n)
    with pytest.raises(TypeError, match="^concurrency: must be an int$"):
        client.verify_many([("oZhangSan", "张三", ZS_ID)], concurrency="16")  # type: ignore[arg-type]
    assert stats()["requests"] == before


def test_nothing_shows_the_key_or_clear_personal_data(client):
    assert KEY not in repr(client) and "<redacted>" in repr(client)
    assert APPID in repr(client)
    v = client.verify("oZhangSan", "李四", ZS_ID)
    # No name_mask in the repr: for Latin names it is nearly the whole name.
    assert repr(v) == (
        "Verdict(code='B', reason='name_mismatch', error_code=0, nameauth_status='1', "
        "notmatch_param='1')"
    )
    for args in [
        ("oZhangSan", "张三3", ZS_ID),
        ("oZhangSan", "张三", ZS_ID[:-1] + "8"),
        ("oReset", "张三", ZS_ID),
    ]:
        with pytest.raises(nameauth.NameAuthError) as info:
            client.verify(*args)
        for text in (str(info.value), repr(info.value)):
            assert KEY not in text and "张三" not in text and ZS_ID[:-1] not in text, text


def test_context_manager_closes_the_client():
    with nameauth.Client(APPID, SRC, KEY, endpoint=ENDPOINT) as c:
        assert not c.closed
        assert c.verify("oZhangSan", "张三", ZS_ID).passed
    assert c.closed
    assert repr(c) == "<nameauth.Client closed>"
    with pytest.raises(nameauth.InvalidConfigError, match="client: is closed"):
        c.verify("oZhangSan", "张三", ZS_ID)
    c.close()


def test_an_int_subclass_option_is_read_by_its_value_never_its_str():
    """Before: Millis(5000) was refused as "not a whole number" and Broken(0) raised the
    caller's RuntimeError instead of the error naming timeout_ms."""

    class Millis(int):
        def __str__(self):
            return "five thousand"

    class Broken(int):
        def __str__(self):
            raise RuntimeError("the caller's __str__")

    for v in (Millis(5000), Broken(5000)):
        with nameauth.Client(APPID, SRC, KEY, endpoint=ENDPOINT, timeout_ms=v) as c:
            assert c.verify("oZhangSan", "张三", ZS_ID).passed
    with pytest.raises(nameauth.InvalidConfigError, match="^timeout_ms: "):
        nameauth.Client(APPID, SRC, KEY, endpoint=ENDPOINT, timeout_ms=Broken(0))


def test_from_env(monkeypatch):
    with nameauth.Client.from_env() as c:
        assert c.verify("oZhangSan", "张三", ZS_ID).passed
    monkeypatch.delenv("NAMEAUTH_KEY")
    with pytest.raises(nameauth.InvalidConfigError, match="NAMEAUTH_KEY"):
        nameauth.Client.from_env()


def test_sign_known_answers_and_errors():
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "..", "..", "docs", "sign-vectors.json")
    with open(path, encoding="utf-8") as f:
        vectors = json.load(f)
    assert len(vectors) >= 6
    for v in vectors:
        p = v["params"]
        args = (p["appid"], p["openid"], p["src"], p["truename"], p["creid"], p["cretype"])
        assert nameauth.sign(*args, v["key"]) == v["sign_lower"]
        assert nameauth.sign(*args, v["key"], sign_case="lower") == v["sign_lower"]
        assert nameauth.sign(*args, v["key"], sign_case="upper") == v["sign_upper"]
    with pytest.raises(nameauth.InvalidInputError, match="openid: must not be empty"):
        nameauth.sign("a", "", "s", "n", "c", "1", "k")
    with pytest.raises(nameauth.InvalidConfigError, match="key: must not be empty"):
        nameauth.sign("a", "o", "s", "n", "c", "1", "")
    with pytest.raises(nameauth.InvalidConfigError, match="key: contains a control character") as e:
        nameauth.sign("a", "o", "s", "n", "c", "1", "s3cret\n")
    assert "s3cret" not in str(e.value)
    # The old six-argument order (key before cretype) cannot sign by mistake.
    with pytest.raises(TypeError):
        nameauth.sign("a", "o", "s", "n", "c", "k")  # type: ignore[call-arg]


def test_validate_id():
    assert nameauth.validate_id(ZS_ID) is None
    assert nameauth.validate_id("11010519491231002x") is None
    with pytest.raises(nameauth.InvalidInputError) as info:
        nameauth.validate_id("110105491231002")
    assert info.value.rule == "id_first_generation" and "2013" in str(info.value)


def test_resident_id_card_is_a_named_constant():
    assert nameauth.RESIDENT_ID_CARD == "1"


def test_verdicts_can_be_built_pickled_and_compared():
    import pickle

    v = nameauth.Verdict(0, "1", "2%7C1", "*三")
    assert (v.code, v.reason, v.notmatch_param) == ("D", "name_and_id_mismatch", "1|2")
    assert pickle.loads(pickle.dumps(v)) == v
    assert hash(pickle.loads(pickle.dumps(v))) == hash(v)
    assert nameauth.Verdict(1002).is_config_problem
    assert nameauth.Verdict(0, "9").code == "Other"
    with pytest.raises(AttributeError):
        v.code = "A"  # type: ignore[misc]
    # Comparing with another type is left to Python, which answers False.
    assert v.__eq__("D") is NotImplemented
    assert v != "D"


def test_exit_returns_none_and_lets_exceptions_through():
    c = nameauth.Client(APPID, SRC, KEY, endpoint=ENDPOINT)
    assert c.__exit__(None, None, None) is None
    with pytest.raises(RuntimeError):
        with nameauth.Client(APPID, SRC, KEY, endpoint=ENDPOINT):
            raise RuntimeError("boom")


def test_verify_many_refuses_unknown_keys(client):
    before = stats()["requests"]
    with pytest.raises(TypeError, match=r"items\[0\]: unknown key 'cretyp'"):
        client.verify_many([{"openid": "o", "truename": "张三", "creid": ZS_ID, "cretyp": "1"}])
    assert stats()["requests"] == before


def test_version():
    assert nameauth.__version__ == "0.1.0"


def test_text_utf8_cannot_hold_is_refused_by_field_not_sent(client):
    before = stats()["requests"]
    bad = "张\udcff三"  # a lone surrogate, as os.fsdecode's surrogateescape makes
    with pytest.raises(nameauth.InvalidInputError) as info:
        client.verify("oZhangSan", bad, ZS_ID)
    assert (info.value.field, info.value.rule) == ("truename", "invalid_utf8")
    results = client.verify_many([("oZhangSan", "张三", ZS_ID + "\udcff")])
    assert isinstance(results[0], nameauth.InvalidInputError)
    assert results[0].field == "creid"
    with pytest.raises(nameauth.InvalidConfigError) as info:
        nameauth.Client(APPID, SRC, KEY + "\udcff", endpoint=ENDPOINT)
    assert info.value.field == "key" and KEY not in str(info.value)
    with pytest.raises(nameauth.InvalidInputError):
        nameauth.validate_id("\ud800")
    with pytest.raises(TypeError, match="openid: must be a str"):
        client.verify(b"oZhangSan", "张三", ZS_ID)  # type: ignore[arg-type]
    assert stats()["requests"] == before


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_child_after_fork_never_uses_its_parents_connections(client):
    assert client.verify("oZhangSan", "张三", ZS_ID).passed  # a kept-alive connection
    before = stats()["connections"]
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child, as a pre-forked worker would
        code = 1
        try:
            ok = all(client.verify("oZhangSan", "张三", ZS_ID).passed for _ in range(3))
            wrong = client.verify("oZhangSan", "李四", ZS_ID).code == "B"
            code = 0 if ok and wrong else 1
        finally:
            os.write(write, bytes([code]))
            os._exit(code)
    os.close(write)
    assert os.read(read, 1) == b"\x00"
    os.close(read)
    os.waitpid(pid, 0)
    # The child opened its own connection; the parent's still works.
    assert stats()["connections"] >= before + 1
    assert client.verify("oZhangSan", "李四", ZS_ID).code == "B"


def test_no_channel_carries_the_key_or_clear_personal_data(capfd, caplog):
    """Every error path, every channel: stdout, stderr, logs at the most verbose level,
    exception text, repr and tracebacks."""
    import logging
    import traceback

    caplog.set_level(logging.DEBUG)
    logging.getLogger().setLevel(logging.DEBUG)
    proxy_password = "pr0xy-pa55word"
    name, creid = "欧阳修梅", "110101199003074477"
    seen = []
    c = nameauth.Client(APPID, SRC, KEY, endpoint=ENDPOINT, timeout_ms=500, retries=0)
    seen += [repr(c), str(c)]
    for args in [
        ("oZhangSan", name, creid),  # a verdict (B)
        ("oZhangSan", name + "1", creid),  # input error
        ("oZhangSan", name, creid[:-1] + "8"),  # check character
        ("oReset", name, creid),
        ("oSlow", name, creid),
        ("oGarbage", name, creid),
        ("oHttp502", name, creid),
        ("oDuplicateKeys", name, creid),
    ]:
        try:
            seen.append(repr(c.verify(*args)))
        except nameauth.NameAuthError as e:
            seen += [str(e), repr(e), "".join(traceback.format_exception(type(e), e, None))]
    for kwargs in [
        {"key": KEY + "\n"},
        {"proxy": f"http://user:{proxy_password}@127.0.0.1:9"},
        {"proxy": f"socks5://user:{proxy_password}@127.0.0.1:9"},
        {"proxy": f"http://user:{proxy_password}@127.0.0.1:9", "allow_http": True},
    ]:
        args = {"appid": APPID, "src": SRC, "key": KEY, "endpoint": ENDPOINT, "retries": 0}
        args.update(kwargs)
        try:
            p = nameauth.Client(args.pop("appid"), args.pop("src"), args.pop("key"), **args)
            seen.append(repr(p))
            p.verify("oZhangSan", name, creid)
        except nameauth.NameAuthError as e:
            seen += [str(e), repr(e)]
    for a in [("a", "o", "s", name, creid, "1", KEY + "\n")]:
        try:
            nameauth.sign(*a)
        except nameauth.NameAuthError as e:
            seen += [str(e), repr(e)]
    out, err = capfd.readouterr()
    seen += [out, err] + [r.getMessage() for r in caplog.records]
    everything = "\n".join(seen)
    for secret in [KEY, proxy_password, name, creid, creid[:-1] + "8"]:
        assert secret not in everything, secret


def test_ctrl_c_stops_verify_many_between_items():
    import signal

    before = stats()["hits"].get("oSlow", 0)
    items = [("oSlow", "张三", ZS_ID)] * 40
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    with nameauth.Client(APPID, SRC, KEY, endpoint=ENDPOINT, timeout_ms=1000) as c:
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            c.verify_many(items, concurrency=2)
    timer.join()
    # Only the items in flight when the signal came were sent, not the whole batch.
    sent = stats()["hits"].get("oSlow", 0) - before
    assert 1 <= sent <= 4, sent
