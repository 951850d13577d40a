"""AsyncClient, logging, stats, the fallback endpoint and nameauth.testing, against
sandboxes started by nameauth.testing itself (the installed wheel, no repo needed)."""

import asyncio
import logging
import os
import socket

import pytest

import nameauth
from nameauth.testing import Sandbox, sandbox

ZS_ID = "110101199003074477"


def dead_endpoint():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}/cgi-bin/nameauth/nameautheasy"


def test_the_pytest_fixture_gives_a_running_sandbox(nameauth_sandbox):
    v = nameauth_sandbox.client().verify("oZhangSan", "张三", ZS_ID)
    assert v.code == "A"
    assert nameauth_sandbox.hits("oZhangSan") == 1
    assert nameauth_sandbox.stats()["requests"] == 1


def test_fixtures_and_faults_can_be_added():
    with sandbox() as sb:
        sb.add_fixture("oMine", {"status": 1, "truename": "王五", "creid": "11010519491231002X"})
        sb.add_fixture("oBusy", {"fault": "http_503", "fail_times": 1, "status": 2})
        c = sb.client()
        assert c.verify("oMine", "王五", "11010519491231002x").code == "A"
        assert c.verify("oBusy", "王五", ZS_ID).code == "E"
        assert sb.hits("oBusy") == 2
        with pytest.raises(ValueError, match="oBad"):
            sb.add_fixture("oBad", {"status": 99})


def test_a_tls_sandbox_and_its_ca():
    with sandbox(tls=True) as sb:
        assert sb.endpoint.startswith("https://") and sb.ca_file
        assert sb.client().verify("oZhangSan", "张三", ZS_ID).passed
        with pytest.raises(nameauth.TransportError):
            nameauth.Client(sb.appid, sb.src, sb.key, endpoint=sb.endpoint).verify(
                "oZhangSan", "张三", ZS_ID
            )


def test_async_verify_and_verify_many():
    with sandbox() as sb:

        async def main():
            async with sb.async_client() as c:
                v = await c.verify("oZhangSan", "张三", ZS_ID)
                assert v.code == "A"
                with pytest.raises(nameauth.InvalidInputError):
                    await c.verify("oZhangSan", "", ZS_ID)
                items = [
                    ("oZhangSan", "张三", ZS_ID),
                    {"openid": "oZhangSan", "truename": "李四", "creid": ZS_ID},
                    ("oHttp502", "张三", ZS_ID),
                    ("oPassport", "JOHN SMITH", "E12345678", "2"),
                ]
                got = await c.verify_many(items, concurrency=2)
                assert [getattr(g, "code", type(g).__name__) for g in got] == [
                    "A",
                    "B",
                    "TransportError",
                    "A",
                ]
                with pytest.raises(TypeError, match=r"items\[1\]"):
                    await c.verify_many([("o", "n", "c"), ("o", 1, "c")])
            assert c.closed
            with pytest.raises(nameauth.InvalidConfigError):
                await c.verify("oZhangSan", "张三", ZS_ID)

        asyncio.run(main())
        assert sb.hits("oHttp502") == 1


def test_a_thousand_concurrent_awaits_never_block_the_loop():
    with sandbox(latency_ms=20) as sb:

        async def main():
            c = sb.async_client()
            ticks = 0
            stop = asyncio.Event()

            async def ticker():
                nonlocal ticks
                while not stop.is_set():
                    ticks += 1
                    await asyncio.sleep(0.005)

            t = asyncio.create_task(ticker())
            got = await asyncio.gather(*(c.verify("oZhangSan", "张三", ZS_ID) for _ in range(1000)))
            stop.set()
            await t
            return got, ticks, c.stats()

        got, ticks, stats = asyncio.run(main())
        assert len(got) == 1000 and all(v.code == "A" for v in got)
        assert sb.hits("oZhangSan") == 1000
        assert stats["calls"] == 1000 and stats["verdicts"]["A"] == 1000
        # 1000 answers 20 ms each on at most 64 threads take at least 300 ms; the loop
        # kept ticking through them.
        assert ticks >= 10


def test_cancelling_an_await_abandons_its_result_and_sends_once():
    with sandbox() as sb:
        sb.add_fixture(
            "oSlowA",
            {"fault": "slow", "delay_ms": 300, "status": 1, "truename": "张三", "creid": ZS_ID},
        )

        async def main():
            c = sb.async_client()
            task = asyncio.ensure_future(c.verify("oSlowA", "张三", ZS_ID))
            await asyncio.sleep(0.05)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            # The loop stays usable; the abandoned answer arrives and is dropped.
            await asyncio.sleep(0.5)
            v = await c.verify("oZhangSan", "张三", ZS_ID)
            return v

        assert asyncio.run(main()).code == "A"
        assert sb.hits("oSlowA") == 1


def test_calls_are_logged_masked_to_the_nameauth_logger(caplog):
    with sandbox() as sb:
        c = sb.client()
        with caplog.at_level(logging.INFO, logger="nameauth"):
            c.verify("oZhangSan", "张三", ZS_ID)
            c.verify("oFlaky503", "张三", ZS_ID)
            with pytest.raises(nameauth.InvalidInputError):
                c.verify("oZhangSan", "张三", "110101199003074478")
            c.verify_many([("oZhangSan", "李四", ZS_ID)])
        records = [(r.name, r.levelname, r.getMessage()) for r in caplog.records]
        assert all(name == "nameauth" for name, _, _ in records)
        messages = [m for _, _, m in records]
        assert messages[0].startswith(
            "verify openid=oZh****an truename=*三 creid=110*************77 outcome=A attempts=1"
        ), messages
        assert [lvl for _, lvl, m in records if m.startswith("retry:")] == ["WARNING", "WARNING"]
        assert any("outcome=E attempts=3" in m for m in messages)
        assert any("outcome=invalid_input" in m for m in messages)
        assert any("truename=*四" in m and "outcome=B" in m for m in messages)
        for m in messages:
            for secret in (sb.key, ZS_ID, "张三", "oZhangSan", "sign="):
                assert secret not in m
        # Above INFO nothing of a plain verdict is formatted or recorded.
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="nameauth"):
            c.verify("oZhangSan", "张三", ZS_ID)
        assert caplog.records == []


def test_stats_count_what_the_client_did():
    with sandbox() as sb:
        c = sb.client()
        c.verify("oZhangSan", "张三", ZS_ID)
        c.verify("oFlaky503", "张三", ZS_ID)
        with pytest.raises(nameauth.InvalidInputError):
            c.verify("oZhangSan", "", ZS_ID)
        s = c.stats()
        assert (s["calls"], s["requests"], s["retries"], s["failovers"]) == (3, 4, 2, 0)
        assert s["connections_opened"] == sb.stats()["connections"]
        assert s["verdicts"] == {"A": 1, "B": 0, "C": 0, "D": 0, "E": 1, "F": 0, "Other": 0}
        assert s["errors"]["invalid_input"] == 1
        assert 0 < s["latency_p50_us"] <= s["latency_p90_us"] <= s["latency_p99_us"]


def test_the_fallback_endpoint_takes_over_when_the_primary_is_down():
    with sandbox() as sb:
        c = nameauth.Client(
            sb.appid, sb.src, sb.key, endpoint=dead_endpoint(), fallback_endpoint=sb.endpoint
        )
        assert c.verify("oZhangSan", "张三", ZS_ID).code == "A"
        assert c.stats()["failovers"] == 1
        assert sb.hits("oZhangSan") == 1
        with pytest.raises(nameauth.InvalidConfigError) as e:
            nameauth.Client(sb.appid, sb.src, sb.key, fallback_endpoint="http://example.test/x")
        assert e.value.field == "fallback_endpoint"


def client_sockets_to(port):
    """This process's TCP sockets connected to ``port`` on loopback (from /proc)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            for line in f.readlines()[1:]:
                cols = line.split()
                remote_port = int(cols[2].rsplit(":", 1)[1], 16)
                if remote_port == port and cols[3] == "01":  # ESTABLISHED
                    inodes.add(cols[9])
    mine = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in inodes:
            mine += 1
    return mine


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_release_pools_closes_the_idle_connections_of_closed_clients():
    with sandbox() as sb:
        port = int(sb.endpoint.split(":")[2].split("/")[0])
        c = sb.client()
        assert c.verify("oZhangSan", "张三", ZS_ID).passed
        c.close()
        # A closed client's keep-alive connection stays in the process's pool...
        assert client_sockets_to(port) == 1
        nameauth.release_pools()
        # ...until the pools are released; a later client opens a new one.
        assert client_sockets_to(port) == 0
        c = sb.client()
        assert c.verify("oZhangSan", "张三", ZS_ID).passed
        assert client_sockets_to(port) == 1 and sb.stats()["connections"] == 2
        c.close()
        nameauth.release_pools()


@pytest.mark.parametrize(
    "bad, error", [(-1, ValueError), (2**64, ValueError), (1.5, TypeError), (True, TypeError)]
)
def test_the_sandbox_names_a_bad_latency_ms(bad, error):
    """Before: an OverflowError naming nothing for -1 and 2**64, and True taken as 1 ms."""
    with pytest.raises(error, match="^latency_ms: must be "):
        Sandbox(latency_ms=bad)
