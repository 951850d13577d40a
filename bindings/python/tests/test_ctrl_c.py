"""Ctrl-C during ``Client.verify_many`` loses no answer: the items in flight end, every
answered item is logged, and the ``KeyboardInterrupt`` carries ``results`` (``None`` for
each item never sent), so the caller knows exactly who was checked. The same for
``Client.verify``, whose ``results`` holds its one outcome."""

import logging
import os
import signal
import threading
import time

import pytest

import nameauth
from nameauth.testing import sandbox

ZS_ID = "110101199003074477"


def slow(delay_ms):
    return {"fault": "slow", "delay_ms": delay_ms, "status": 1, "truename": "张三", "creid": ZS_ID}


def ctrl_c_once_sent(sb, openid):
    """A thread that sends this process SIGINT once the sandbox has a request for
    ``openid``: the forced order, Ctrl-C while that request is in flight."""

    def run():
        deadline = time.monotonic() + 30
        while sb.hits(openid) == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(os.getpid(), signal.SIGINT)

    t = threading.Thread(target=run)
    t.start()
    return t


def test_ctrl_c_during_verify_raises_when_it_ends_carrying_its_verdict():
    """Before: the KeyboardInterrupt came a bytecode after verify returned, and the
    verdict of the request the server processed was lost to the caller."""
    with sandbox() as sb:
        sb.add_fixture("oSlowOne", slow(800))
        t = ctrl_c_once_sent(sb, "oSlowOne")
        with pytest.raises(KeyboardInterrupt) as info:
            sb.client(timeout_ms=10_000).verify("oSlowOne", "张三", ZS_ID)
        t.join()
        results = info.value.results  # type: ignore[attr-defined]
        assert [v.code for v in results] == ["A"]
        assert sb.hits("oSlowOne") == 1


def test_ctrl_c_in_verify_many_keeps_every_answer_and_names_the_unsent(caplog):
    caplog.set_level(logging.INFO, logger="nameauth")
    with sandbox() as sb:
        sb.add_fixture("oSlowStop", slow(400))
        items = [("oZhangSan", "张三", ZS_ID)] * 2 + [("oSlowStop", "张三", ZS_ID)] * 40
        # The two fast rows are answered, a slow one is in flight.
        t = ctrl_c_once_sent(sb, "oSlowStop")
        with pytest.raises(KeyboardInterrupt) as info:
            sb.client(timeout_ms=10_000).verify_many(items, concurrency=2)
        t.join()
        # Before: the answers were dropped unlogged, and no attribute said who was sent.
        results = info.value.results  # type: ignore[attr-defined]
        assert len(results) == len(items)
        assert [r.code for r in results[:2]] == ["A", "A"]
        answered = [r for r in results[2:] if r is not None]
        assert all(isinstance(r, nameauth.Verdict) and r.code == "A" for r in answered)
        assert 1 <= len(answered) < 40
        # Exactly the rows with an answer were sent; the others (None) never were.
        assert sb.hits("oSlowStop") == len(answered)
        assert sb.hits("oZhangSan") == 2
    logged = [r for r in caplog.records if r.name == "nameauth" and r.levelno == logging.INFO]
    assert len(logged) == 2 + len(answered)


def test_ctrl_c_while_verify_many_logs_keeps_every_answer(caplog):
    """Ctrl-C raised inside the logging of the first answer (a filter stands in for the
    signal handler): before, the whole batch's answers were dropped."""

    class CtrlC(logging.Filter):
        def filter(self, record):
            raise KeyboardInterrupt

    caplog.set_level(logging.INFO, logger="nameauth")
    logger = logging.getLogger("nameauth")
    f = CtrlC()
    logger.addFilter(f)
    try:
        with sandbox() as sb:
            with pytest.raises(KeyboardInterrupt) as info:
                sb.client().verify_many(
                    [("oZhangSan", "张三", ZS_ID), ("oZhangSan", "李四", ZS_ID)]
                )
            assert sb.hits("oZhangSan") == 2
    finally:
        logger.removeFilter(f)
    results = info.value.results  # type: ignore[attr-defined]
    assert [r.code for r in results] == ["A", "B"]
