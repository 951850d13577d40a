"""AsyncClient's pool: a cancelled call is never sent unless its request was written
already, the queue of waiting calls is bounded, and a program that exits with calls in
flight exits cleanly (no thread touches the interpreter once it is finalizing)."""

import asyncio
import os
import socket
import subprocess
import sys
import textwrap
import time

import pytest

import nameauth
from nameauth.testing import sandbox

ZS_ID = "110101199003074477"
#: Threads of the pool (bindings/python/src/pool.rs): at most this many calls run at once.
MAX_THREADS = 64


def slow(delay_ms):
    return {"fault": "slow", "delay_ms": delay_ms, "status": 1, "truename": "张三", "creid": ZS_ID}


def test_calls_cancelled_before_they_are_written_are_never_sent():
    with sandbox() as sb:
        sb.add_fixture("oSlowCancel", slow(1000))

        async def main():
            c = sb.async_client(timeout_ms=10_000)

            async def caller():
                try:
                    await asyncio.wait_for(c.verify("oSlowCancel", "张三", ZS_ID), 0.3)
                except asyncio.TimeoutError:
                    return "gave up"
                return "answered"

            # Every caller gives up at 0.3 s, before any answer (1 s): only the calls
            # that were running then (at most one per thread) were written.
            return await asyncio.gather(*(caller() for _ in range(300))), c

        outcomes, c = asyncio.run(main())
        assert outcomes == ["gave up"] * 300
        # The written calls run to their end; wait for their answers (a generous bound).
        deadline = time.monotonic() + 30
        while True:
            answered = c.stats()["verdicts"]["A"]
            if answered and answered == sb.hits("oSlowCancel"):
                break
            assert time.monotonic() < deadline, "the written calls never ended"
            time.sleep(0.05)
        # Nothing more is sent afterwards: the sandbox's count stays where it is.
        time.sleep(1.5)
        written = sb.hits("oSlowCancel")
        assert written == c.stats()["verdicts"]["A"] == answered
        assert 1 <= written <= MAX_THREADS, written
        # Every call the core saw either was written (and answered) or was stopped at
        # the cancellation point; the others were dropped from the queue unseen.
        s = c.stats()
        assert s["calls"] == answered + s["errors"]["cancelled"]
        assert sb.stats()["requests"] == written


def test_a_call_cancelled_after_its_request_was_written_keeps_its_verdict():
    """The request reached the server: the cancelled task waits for the answer and
    raises CancelledError carrying it, so the check it paid for is not lost."""
    with sandbox() as sb:
        sb.add_fixture("oSlowWritten", slow(1000))

        async def main():
            c = sb.async_client(timeout_ms=10_000)
            seen = {}

            async def caller():
                try:
                    return await c.verify("oSlowWritten", "张三", ZS_ID)
                except asyncio.CancelledError as e:
                    seen["result"] = getattr(e, "result", None)
                    raise

            task = asyncio.ensure_future(caller())
            while sb.hits("oSlowWritten") == 0:  # the request is at the server
                await asyncio.sleep(0.01)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            # asyncio.wait_for: its TimeoutError is caused by the call's CancelledError.
            with pytest.raises(asyncio.TimeoutError) as timed_out:
                await asyncio.wait_for(c.verify("oSlowWritten", "张三", ZS_ID), 0.3)
            return seen["result"], getattr(timed_out.value.__cause__, "result", None)

        direct, through_wait_for = asyncio.run(main())
        assert isinstance(direct, nameauth.Verdict) and direct.code == "A", direct
        assert isinstance(through_wait_for, nameauth.Verdict), through_wait_for
        assert sb.hits("oSlowWritten") == 2  # each sent once


def test_a_cancelled_verify_many_carries_the_answers_of_the_calls_it_had_written():
    with sandbox() as sb:
        sb.add_fixture("oSlowMany", slow(1000))

        async def main():
            c = sb.async_client(timeout_ms=10_000)
            items = [("oSlowMany", "张三", ZS_ID), ("oZhangSan", "张三", ZS_ID)]
            # One at a time: the first is at the server when the cancel comes, the second
            # still waits for its turn.
            task = asyncio.ensure_future(c.verify_many(items, concurrency=1))
            while sb.hits("oSlowMany") == 0:
                await asyncio.sleep(0.01)
            task.cancel()
            try:
                await task
            except asyncio.CancelledError as e:
                # `results` only: not one item's `result` besides.
                assert not hasattr(e, "result")
                return getattr(e, "results", None)
            return "not cancelled"

        results = asyncio.run(main())
        assert isinstance(results, list) and len(results) == 2, results
        assert isinstance(results[0], nameauth.Verdict) and results[0].code == "A"
        assert results[1] is None
        assert sb.hits("oSlowMany") == 1 and sb.hits("oZhangSan") == 0


def test_a_call_cancelled_before_its_write_raises_at_once_with_no_result():
    with sandbox() as sb:

        async def main():
            # A peer that accepts and never answers the TLS handshake: nothing is written.
            silent = socket.socket()
            silent.bind(("127.0.0.1", 0))
            silent.listen(8)
            host, port = silent.getsockname()
            c = sb.async_client(endpoint=f"https://{host}:{port}/x", timeout_ms=60_000)
            task = asyncio.ensure_future(c.verify("oZhangSan", "张三", ZS_ID))
            await asyncio.sleep(0.3)
            started = time.monotonic()
            task.cancel()
            with pytest.raises(asyncio.CancelledError) as cancelled:
                await task
            silent.close()
            return time.monotonic() - started, getattr(cancelled.value, "result", None)

        took, result = asyncio.run(main())
        assert result is None
        assert took < 5, took  # generous: the 60 s timeout is not waited for


def test_a_full_queue_refuses_at_once_and_sends_nothing():
    with sandbox() as sb:
        sb.add_fixture("oSlowQueue", slow(1500))

        async def main():
            c = sb.async_client(max_queued=5, timeout_ms=10_000)
            calls = (c.verify("oSlowQueue", "张三", ZS_ID) for _ in range(200))
            return await asyncio.gather(*calls, return_exceptions=True)

        results = asyncio.run(main())
        full = [r for r in results if isinstance(r, nameauth.QueueFullError)]
        answered = [r for r in results if isinstance(r, nameauth.Verdict)]
        assert len(full) + len(answered) == 200, results
        # At most one call per thread runs and 5 wait; every other one was refused.
        assert len(full) >= 200 - MAX_THREADS - 5
        assert all(v.code == "A" for v in answered)
        assert sb.hits("oSlowQueue") == len(answered)
        e = full[0]
        assert isinstance(e, nameauth.NameAuthError) and isinstance(e, RuntimeError)
        assert (e.kind, e.field) == ("queue_full", "max_queued")
        assert "5 calls waiting" in str(e)
        # The queue empties again: later calls are taken.
        with sandbox() as sb2:

            async def again():
                return await sb2.async_client(max_queued=1).verify("oZhangSan", "张三", ZS_ID)

            assert asyncio.run(again()).code == "A"


# 2**64: accepted before, then every call failed with an OverflowError naming nothing.
@pytest.mark.parametrize("bad", [0, -1, True, "5", 1.5, 2**64])
def test_max_queued_must_be_a_positive_int(bad):
    with pytest.raises(nameauth.InvalidConfigError, match="max_queued"):
        nameauth.AsyncClient("wx1234567890abcdef", "src", "key", max_queued=bad)
    with pytest.raises(nameauth.InvalidConfigError, match="max_queued"):
        nameauth.AsyncClient.from_env(max_queued=bad)


EXIT_PROGRAM = textwrap.dedent(
    """
    import asyncio, atexit, random, sys, time
    import nameauth

    endpoint, appid, src, key = sys.argv[1:5]

    # The bad order of events, forced: answers arrive while the main thread holds the GIL
    # in C code at exit (an atexit hook registered after nameauth's, so it runs first);
    # the workers then wait for the GIL until finalization has begun, and get it when
    # finalization releases it (Linger.__del__ sleeps). CPython ends a thread that takes
    # the GIL then; a worker must not be there.
    class Linger:
        def __init__(self):
            self.sleep = time.sleep
        def __del__(self):
            self.sleep(0.1)

    linger = Linger()
    numbers = [random.random() for _ in range(300_000)]

    def busy():
        sorted(numbers)

    atexit.register(busy)

    """
)

IN_FLIGHT = {
    # AsyncClient: 64 calls run on the pool's threads, the rest wait in its queue.
    "async": """
async def main():
    c = nameauth.AsyncClient(appid, src, key, endpoint=endpoint, timeout_ms=5000)
    for _ in range(100):
        asyncio.ensure_future(c.verify("oSlowExit", "张三", "110101199003074477"))
    await asyncio.sleep(0.02)

asyncio.run(main())
""",
    # Client.verify on daemon threads (threading joins the others before exit), the GIL
    # released while each waits for its answer.
    "threads": """
import threading

c = nameauth.Client(appid, src, key, endpoint=endpoint, timeout_ms=5000)
for _ in range(8):
    threading.Thread(
        target=c.verify, args=("oSlowExit", "张三", "110101199003074477"), daemon=True
    ).start()
time.sleep(0.02)
""",
}


@pytest.mark.parametrize("calls,runs", [("async", 200), ("threads", 100)])
def test_exiting_with_calls_in_flight_never_crashes(tmp_path, calls, runs):
    """Runs of a program that exits with calls in flight (queued and running on
    AsyncClient's pool, or blocking daemon threads), their answers due while the
    interpreter exits: every run exits 0, none by a signal (before the exit hook, about
    half the async runs and two thirds of the thread runs ended by SIGSEGV)."""
    runs = int(os.environ.get("NAMEAUTH_EXIT_RUNS", runs))
    program = tmp_path / "exit_in_flight.py"
    program.write_text(EXIT_PROGRAM + IN_FLIGHT[calls], encoding="utf-8")
    with sandbox() as sb:
        sb.add_fixture("oSlowExit", slow(50))
        argv = [sys.executable, str(program), sb.endpoint, sb.appid, sb.src, sb.key]
        failures = []
        started = 0
        running = []
        while started < runs or running:
            while started < runs and len(running) < 4:
                running.append(
                    subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                )
                started += 1
            p = running.pop(0)
            out, err = p.communicate(timeout=60)
            if p.returncode != 0:
                failures.append((p.returncode, err.decode(errors="replace")[-2000:]))
        assert not failures, f"{len(failures)} of {runs} runs failed; first: {failures[0]}"
        # The programs did send requests (the scenario happened).
        assert sb.hits("oSlowExit") >= runs


def test_async_verify_many_refuses_what_verify_many_refuses_and_sends_nothing():
    """The dict items of AsyncClient.verify_many follow Client.verify_many: an empty
    cretype is that item's input error (it was sent as "1" before), a None value a
    TypeError before anything is sent."""
    with sandbox() as sb:
        blank = {"openid": "oZhangSan", "truename": "张三", "creid": ZS_ID, "cretype": ""}
        none = {"openid": "oZhangSan", "truename": "张三", "creid": ZS_ID, "cretype": None}
        sync = sb.client().verify_many([blank])

        async def main():
            c = sb.async_client()
            with pytest.raises(TypeError, match=r"items\[1\]"):
                await c.verify_many([blank, none])
            return await c.verify_many([blank])

        (got,) = asyncio.run(main())
        for e in (got, sync[0]):
            assert isinstance(e, nameauth.InvalidInputError)
            assert (e.field, e.rule) == ("cretype", "empty")
        assert sb.stats()["requests"] == 0


async def fill_every_thread(c, sb, openid):
    """One slow call per pool thread, each written before the next starts: the next
    calls of any client wait in the queue."""
    tasks = []
    deadline = time.monotonic() + 30
    for i in range(MAX_THREADS):
        tasks.append(asyncio.ensure_future(c.verify(openid, "张三", ZS_ID)))
        while sb.hits(openid) <= i:
            assert time.monotonic() < deadline, "the pool's threads stayed busy"
            await asyncio.sleep(0.002)
    return tasks


def test_closing_an_async_client_sends_none_of_its_waiting_calls():
    """Closed with calls waiting for a thread: they end with the error of a call made
    after close and are never sent (before: each was sent after close); the calls
    already running end with their verdicts."""
    with sandbox() as sb:
        sb.add_fixture("oSlowClose", slow(1500))

        async def main():
            c = sb.async_client()
            running = await fill_every_thread(c, sb, "oSlowClose")
            waiting = [
                asyncio.ensure_future(c.verify("oSlowClose", "张三", ZS_ID)) for _ in "abcde"
            ]
            await asyncio.sleep(0.05)
            await c.close()
            return await asyncio.gather(*running), await asyncio.gather(
                *waiting, return_exceptions=True
            )

        running, waiting = asyncio.run(main())
        assert all(v.code == "A" for v in running)
        for e in waiting:
            assert isinstance(e, nameauth.InvalidConfigError), e
            assert (e.field, str(e)) == ("client", "client: is closed")
        assert sb.hits("oSlowClose") == MAX_THREADS


def test_a_cancelled_waiting_call_gives_its_place_back_at_once():
    """The queue full (max_queued=1) behind busy threads: cancelling the waiting call
    lets the next one in (before: QueueFullError, the purged call still counted until
    after the check); the cancelled call is never sent."""
    with sandbox() as sb:
        sb.add_fixture("oSlowPlace", slow(1500))

        async def main():
            c = sb.async_client(max_queued=1)
            running = await fill_every_thread(c, sb, "oSlowPlace")
            waiting = asyncio.ensure_future(c.verify("oSlowPlace", "张三", ZS_ID))
            await asyncio.sleep(0.05)
            with pytest.raises(nameauth.QueueFullError):
                await c.verify("oZhangSan", "张三", ZS_ID)
            waiting.cancel()
            with pytest.raises(asyncio.CancelledError):
                await waiting
            v = await c.verify("oZhangSan", "张三", ZS_ID)
            await asyncio.gather(*running)
            return v

        assert asyncio.run(main()).code == "A"
        assert sb.hits("oSlowPlace") == MAX_THREADS
        assert sb.hits("oZhangSan") == 1


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_child_after_fork_uses_its_parents_async_client_and_never_its_queue():
    """Forked while its parent's AsyncClient has max_queued calls waiting: the child's
    calls of that client are taken (before: QueueFullError for ever, the parent's queued
    calls still counted), and the parent's queued calls are sent once, by the parent."""
    with sandbox() as sb:
        sb.add_fixture("oSlowFork", slow(1500))

        async def main():
            c = sb.async_client(max_queued=2)
            tasks = await fill_every_thread(c, sb, "oSlowFork")
            # Then 2 wait: the queue is full.
            tasks += [asyncio.ensure_future(c.verify("oSlowFork", "张三", ZS_ID)) for _ in "ab"]
            await asyncio.sleep(0.05)
            pid = os.fork()
            if pid == 0:
                code = 2
                try:
                    child = asyncio.wait_for(c.verify("oZhangSan", "张三", ZS_ID), 10)
                    code = 0 if asyncio.run(child).code == "A" else 1
                finally:
                    os._exit(code)
            loop = asyncio.get_running_loop()
            status = await loop.run_in_executor(None, os.waitpid, pid, 0)
            return status[1], await asyncio.gather(*tasks, return_exceptions=True)

        status, results = asyncio.run(main())
        assert os.waitstatus_to_exitcode(status) == 0
        assert all(isinstance(r, nameauth.Verdict) for r in results), results
        assert sb.hits("oSlowFork") == MAX_THREADS + 2
        assert sb.hits("oZhangSan") == 1
