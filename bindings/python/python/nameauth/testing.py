"""The nameauth sandbox in your own tests: a faithful stand-in for the WeChat Pay server,
started in-process on a free loopback port, from the installed wheel alone.

>>> from nameauth.testing import sandbox
>>> with sandbox() as sb:                                    # doctest: +SKIP
...     assert sb.client().verify("oZhangSan", "张三", "110101199003074477").passed

With pytest the fixture ``nameauth_sandbox`` gives the same object (the plugin is
registered by the wheel). The built-in records cover every verdict row and fault; see
``Sandbox.add_fixture`` to add your own.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping
from typing import Any

from ._async import AsyncClient
from ._nameauth import Client, _Sandbox

__all__ = ["Sandbox", "sandbox"]


#: The longest ``latency_ms``: a day, as the clients' longest ``timeout_ms``.
_MAX_LATENCY_MS = 86_400_000


def _latency_ms(ms: object) -> int:
    # Checked here, by name: the extension's conversion would raise an OverflowError
    # that does not say which argument.
    if isinstance(ms, bool) or not isinstance(ms, int):
        raise TypeError("latency_ms: must be an int")
    if not 0 <= ms <= _MAX_LATENCY_MS:
        raise ValueError(f"latency_ms: must be from 0 to {_MAX_LATENCY_MS}")
    return ms


class Sandbox:
    """A running sandbox: its ``endpoint``, ``appid``, ``src``, ``key`` (a published test
    value), ``ca_file`` with ``tls``, ready clients, its counters and its records."""

    def __init__(
        self,
        *,
        tls: bool = False,
        fixtures: Mapping[str, Mapping[str, Any]] | None = None,
        latency_ms: int = 0,
    ) -> None:
        text = None if fixtures is None else json.dumps(fixtures, ensure_ascii=False)
        latency = _latency_ms(latency_ms)
        self._server = _Sandbox(tls=tls, fixtures_json=text, latency_ms=latency)
        self.appid, self.src, self.key = self._server.credentials
        self.endpoint: str = self._server.endpoint
        self.ca_file: str | None = self._server.ca_file

    def options(self) -> dict[str, Any]:
        """The client options that reach this sandbox: ``endpoint`` (and ``ca_file``)."""
        o: dict[str, Any] = {"endpoint": self.endpoint}
        if self.ca_file is not None:
            o["ca_file"] = self.ca_file
        return o

    def client(self, **options: Any) -> Client:
        """A ``Client`` for this sandbox; ``options`` are added to (or override) its own."""
        return Client(self.appid, self.src, self.key, **{**self.options(), **options})

    def async_client(self, **options: Any) -> AsyncClient:
        """An ``AsyncClient`` for this sandbox."""
        return AsyncClient(self.appid, self.src, self.key, **{**self.options(), **options})

    def stats(self) -> dict[str, int]:
        """``{"requests": N, "connections": N}`` the sandbox received."""
        return self._server.stats()

    def hits(self, openid: str) -> int:
        """Requests that carried ``openid``: how often a user was really checked."""
        return self._server.hits(openid)

    def add_fixture(self, openid: str, record: Mapping[str, Any]) -> None:
        """Adds or replaces one record, as in a fixtures file: ``{"status": 1, "truename":
        "张三", "creid": "110101199003074477"}`` (codes A-D), ``{"status": 2}`` (E),
        ``{"error_code": 1002}``, or a fault: ``{"fault": "http_503", "fail_times": 1,
        "status": 2}``, ``{"fault": "slow", "delay_ms": 2000, "status": 3}``, ``{"fault":
        "reset"}``, ... Its hit count starts again."""
        self._server.add_fixture(openid, json.dumps(record, ensure_ascii=False))

    def close(self) -> None:
        """Stops the sandbox."""
        self._server.close()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<nameauth.testing.Sandbox endpoint={self.endpoint!r}>"


@contextlib.contextmanager
def sandbox(
    *,
    tls: bool = False,
    fixtures: Mapping[str, Mapping[str, Any]] | None = None,
    latency_ms: int = 0,
) -> Iterator[Sandbox]:
    """Starts a sandbox for the ``with`` block: HTTPS with a CA made at start if ``tls``,
    ``fixtures`` replacing the built-in records, ``latency_ms`` added to every answer."""
    sb = Sandbox(tls=tls, fixtures=fixtures, latency_ms=latency_ms)
    try:
        yield sb
    finally:
        sb.close()
