"""A logger that raises cannot take a verdict: a ``logging.Filter`` or a handler whose
``emit`` raises is reported through ``sys.unraisablehook``, and ``verify``,
``verify_many`` and ``AsyncClient.verify`` still return what the server answered (the
await resolves: a timeout turns a hang into a failure)."""

import asyncio
import logging
import sys

import pytest

import nameauth
from nameauth.testing import sandbox

ZS_ID = "110101199003074477"


class LoggerBroke(Exception):
    pass


class RaisingFilter(logging.Filter):
    def filter(self, record):
        raise LoggerBroke("the filter failed")


class RaisingHandler(logging.Handler):
    def emit(self, record):
        raise LoggerBroke("the handler failed")


@pytest.fixture(params=["filter", "handler"])
def broken_logger(request, monkeypatch):
    """The ``nameauth`` logger at INFO with a raising filter or handler; yields the list
    of what reached ``sys.unraisablehook``."""
    logger = logging.getLogger("nameauth")
    level = logger.level
    logger.setLevel(logging.INFO)  # setLevel, not the attribute: it clears logging's cache
    if request.param == "filter":
        part = RaisingFilter()
        logger.addFilter(part)
    else:
        part = RaisingHandler()
        logger.addHandler(part)
    reported = []
    monkeypatch.setattr(sys, "unraisablehook", reported.append)
    yield reported
    logger.removeFilter(part)
    logger.removeHandler(part)
    logger.setLevel(level)


def check_reported(reported):
    assert reported, "the logger's failure was not reported"
    assert all(isinstance(u.exc_value, LoggerBroke) for u in reported), reported
    # The report names where it came from: the nameauth logger.
    assert any(getattr(u.object, "name", None) == "nameauth" for u in reported)


def test_verify_keeps_its_verdict_when_the_logger_raises(broken_logger):
    with sandbox() as sb:
        v = sb.client().verify("oZhangSan", "张三", ZS_ID)
        assert v.code == "A"
        assert sb.hits("oZhangSan") == 1
    check_reported(broken_logger)


def test_verify_many_keeps_every_result_when_the_logger_raises(broken_logger):
    with sandbox() as sb:
        items = [
            ("oZhangSan", "张三", ZS_ID),
            ("oZhangSan", "李四", ZS_ID),
            ("oZhangSan", "", ZS_ID),
        ]
        got = sb.client().verify_many(items, concurrency=2)
        assert [getattr(g, "code", type(g).__name__) for g in got] == [
            "A",
            "B",
            "InvalidInputError",
        ]
        assert sb.hits("oZhangSan") == 2
    check_reported(broken_logger)


def test_async_verify_resolves_when_the_logger_raises(broken_logger):
    with sandbox() as sb:

        async def main():
            c = sb.async_client()
            v = await asyncio.wait_for(c.verify("oZhangSan", "张三", ZS_ID), 10)
            with pytest.raises(nameauth.InvalidInputError):
                await asyncio.wait_for(c.verify("oZhangSan", "", ZS_ID), 10)
            many = await asyncio.wait_for(c.verify_many([("oZhangSan", "李四", ZS_ID)]), 10)
            return v, many

        v, many = asyncio.run(main())
        assert v.code == "A" and many[0].code == "B"
        assert sb.hits("oZhangSan") == 2
    check_reported(broken_logger)


def test_keyboard_interrupt_in_a_logger_still_goes_through():
    """Only Exceptions are swallowed: Ctrl-C raised while logging is not lost."""

    class CtrlC(logging.Filter):
        def filter(self, record):
            raise KeyboardInterrupt

    logger = logging.getLogger("nameauth")
    level = logger.level
    logger.setLevel(logging.INFO)
    f = CtrlC()
    logger.addFilter(f)
    try:
        with sandbox() as sb, pytest.raises(KeyboardInterrupt):
            sb.client().verify("oZhangSan", "张三", ZS_ID)
    finally:
        logger.removeFilter(f)
        logger.setLevel(level)
