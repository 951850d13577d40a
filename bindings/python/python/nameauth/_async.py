"""``nameauth.AsyncClient``: the :class:`Client` for asyncio.

Each call runs on one of the library's Rust threads (never on the event loop, never
holding the GIL while it waits on the network); its outcome comes back to the loop through
``loop.call_soon_threadsafe``. Cancelling the task that awaits a call cancels the call: one
still waiting for a thread, or not yet written, is never sent; for a request already
written the task waits for the answer and raises ``CancelledError`` carrying it as
``result`` (never sent again, never lost).

At most ``max_queued`` calls of one client wait for a thread (64 threads run calls, for all
clients together); one more raises :class:`QueueFullError` at once, with nothing queued or sent.
At interpreter exit the pool closes: waiting calls are dropped unsent and no thread touches
the interpreter again (see bindings/python/src/exit.rs).
"""

from __future__ import annotations

import asyncio
import sys
import typing
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any, Tuple, Union

from ._nameauth import RESIDENT_ID_CARD, Client, Verdict
from .exceptions import InvalidConfigError, NameAuthError

#: Calls of one ``AsyncClient`` that may wait for a thread at once (``max_queued``).
DEFAULT_MAX_QUEUED = 4096

_KEYS = ("openid", "truename", "creid", "cretype")
# typing.Mapping: collections.abc.Mapping cannot be subscripted at run time before 3.9.
User = Union[Tuple[str, str, str], Tuple[str, str, str, str], typing.Mapping[str, str]]


def _deliver(future: asyncio.Future[Verdict], ok: bool, value: Any) -> None:
    # Runs on the loop. A cancelled (abandoned) call's outcome is dropped here.
    if future.done():
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)


def _check_max_queued(n: object) -> int:
    # The pool counts in a machine word: a larger int would fail at every call instead.
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= sys.maxsize:
        raise InvalidConfigError(f"max_queued: must be an int from 1 to {sys.maxsize}")
    return n


def _arguments(item: object, index: int) -> tuple[str, str, str, str]:
    wrong = TypeError(
        f"items[{index}]: expected a tuple (openid, truename, creid[, cretype]) or a dict "
        "with those keys, each a str"
    )
    if isinstance(item, tuple):
        if not 3 <= len(item) <= 4 or not all(isinstance(v, str) for v in item):
            raise wrong
        return (item[0], item[1], item[2], item[3] if len(item) == 4 else RESIDENT_ID_CARD)
    if isinstance(item, Mapping):
        for k in item:
            if k not in _KEYS:
                raise TypeError(
                    f"items[{index}]: unknown key {k!r} (known: openid, truename, creid, cretype)"
                )
        # As Client.verify_many: each present value a str (an empty cretype is that
        # item's input error, never the default), cretype alone may be absent.
        if any(k not in item for k in _KEYS[:3]) or not all(isinstance(item[k], str) for k in item):
            raise wrong
        return (
            item["openid"],
            item["truename"],
            item["creid"],
            item.get("cretype", RESIDENT_ID_CARD),
        )
    raise wrong


class AsyncClient:
    """A WeChat Pay real-name client for asyncio, with :class:`Client`'s constructor and
    options (``AsyncClient.from_env()`` too), and ``max_queued``: how many of its calls
    may wait for a thread at once (default ``DEFAULT_MAX_QUEUED``, 4096); one more raises
    :class:`QueueFullError` with nothing queued or sent.

    >>> async with nameauth.AsyncClient(appid, src, key) as client:  # doctest: +SKIP
    ...     verdict = await client.verify("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "张三", id_number)
    """

    __slots__ = ("_client", "_max_queued")

    #: ``max_queued`` when not given: calls of one client that may wait for a thread.
    DEFAULT_MAX_QUEUED: typing.ClassVar[int] = DEFAULT_MAX_QUEUED

    def __init__(
        self,
        appid: str,
        src: str,
        key: str,
        *,
        max_queued: int = DEFAULT_MAX_QUEUED,
        **options: Any,
    ) -> None:
        self._max_queued = _check_max_queued(max_queued)
        self._client = Client(appid, src, key, **options)

    @classmethod
    def from_env(cls, *, max_queued: int = DEFAULT_MAX_QUEUED) -> AsyncClient:
        """A client from the ``NAMEAUTH_*`` environment, as ``Client.from_env``."""
        self = cls.__new__(cls)
        self._max_queued = _check_max_queued(max_queued)
        self._client = Client.from_env()
        return self

    async def verify(
        self, openid: str, truename: str, creid: str, cretype: str = RESIDENT_ID_CARD
    ) -> Verdict:
        """Verifies one user: a ``Verdict`` whenever the server answered, or the exception
        ``Client.verify`` raises; ``QueueFullError`` when ``max_queued`` calls wait already.
        The event loop is never blocked.

        Cancelling the awaiting task cancels the call: one not written yet is never sent,
        and ``CancelledError`` is raised at once. One whose request was written already
        may have checked the person: the task waits for its answer (within the client's
        ``timeout_ms``), then raises ``CancelledError`` with the answer as its ``result``
        (the ``Verdict``, or the error the call ended with). A second cancel while it
        waits gives the answer up (it is still logged and counted). See the README's
        "Cancelling" for what wrappers such as ``asyncio.wait_for`` keep of it."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Verdict] = loop.create_future()
        pending = self._client._verify_async(
            loop, _deliver, future, self._max_queued, openid, truename, creid, cretype
        )
        try:
            # Shielded: the call's own future outlives a cancel of this task.
            return await asyncio.shield(future)
        except asyncio.CancelledError as cancel:
            pending.cancel()
            if not pending.reached_the_write:
                # Its outcome (a cancelled error, or an input error that came at this very
                # moment) is dropped, quietly: asyncio would log one never retrieved.
                if future.done() and not future.cancelled():
                    future.exception()
                future.cancel()
                raise
            try:
                cancel.result = await future  # type: ignore[attr-defined]
            except NameAuthError as e:
                if e.kind == "cancelled":  # stopped at the write by this very cancel
                    raise cancel from None
                cancel.result = e  # type: ignore[attr-defined]
            raise

    async def verify_many(
        self, items: Iterable[User], concurrency: int = 16
    ) -> list[Verdict | NameAuthError]:
        """Verifies many users, at most ``concurrency`` in flight, and returns a list in
        input order: for each item a ``Verdict`` or the exception its ``verify`` would have
        raised. A malformed item raises ``TypeError`` before anything is sent.

        Cancelled, it raises ``CancelledError`` once the calls in flight are done, with
        ``results``: for each item its outcome where there is one (a ``Verdict`` or the
        error its call ended with; the calls whose request was written wait for their
        answers), else ``None``, as ``Client.verify_many``'s ``KeyboardInterrupt`` does.
        An exception that is not a ``NameAuthError`` is raised once the other calls have
        ended."""
        if not isinstance(concurrency, int) or not 1 <= concurrency <= 256:
            raise ValueError("concurrency: must be from 1 to 256")
        users = [_arguments(item, i) for i, item in enumerate(items)]
        gate = asyncio.Semaphore(concurrency)

        # Each item's outcome as it comes, so that a cancel can hand over those it has.
        answers: list[Verdict | NameAuthError | None] = [None] * len(users)

        async def one(i: int, user: tuple[str, str, str, str]) -> Verdict | NameAuthError:
            async with gate:
                try:
                    answer: Verdict | NameAuthError = await self.verify(*user)
                except NameAuthError as e:
                    answer = e
                except asyncio.CancelledError as e:
                    answers[i] = getattr(e, "result", None)
                    raise
                answers[i] = answer
                return answer

        # return_exceptions: the gather ends only once every call has (a cancel waits for
        # the calls whose request was written, rather than leave them behind).
        calls = (one(i, u) for i, u in enumerate(users))
        try:
            outcomes = await asyncio.gather(*calls, return_exceptions=True)
        except asyncio.CancelledError as cancel:
            # gather raises one item's own CancelledError: it holds `results`, not that
            # item's `result`.
            cancel.__dict__.pop("result", None)
            cancel.results = answers  # type: ignore[attr-defined]
            raise
        for o in outcomes:
            if isinstance(o, BaseException) and not isinstance(o, NameAuthError):
                raise o
        return list(outcomes)  # type: ignore[arg-type]

    def stats(self) -> dict[str, Any]:
        """What this client did since it was built (see ``Client.stats``)."""
        return self._client.stats()

    async def close(self) -> None:
        """Closes the client (see ``Client.close``). Calls still waiting for a thread are
        never sent: they raise ``InvalidConfigError`` ("client: is closed"); calls already
        running end as usual. Closing twice is harmless."""
        self._client.close()

    @property
    def closed(self) -> bool:
        return self._client.closed

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def __repr__(self) -> str:
        return repr(self._client).replace("<nameauth.Client", "<nameauth.AsyncClient", 1)


AsyncClient.__module__ = "nameauth"
