"""The exceptions nameauth raises: one base, one subclass per CONFORMANCE.md error kind.

Each also inherits the builtin it resembles, so ``except ValueError``,
``except builtins.TimeoutError`` and ``except ConnectionError`` clauses keep working.
Messages are one line of English naming the field, the rule, the HTTP status or the
limit; they never contain the key, nor a name or ID number in clear.
"""

import builtins
import concurrent.futures
from typing import Optional


class NameAuthError(Exception):
    """Base of every nameauth error."""

    #: The CONFORMANCE.md kind: invalid_input, invalid_config, timeout, transport,
    #: protocol, internal or cancelled; ``queue_full`` for :class:`QueueFullError`
    #: (Python's ``AsyncClient`` only).
    kind: str = "internal"
    #: For input and configuration errors, the field at fault (``"creid"``, ...).
    field: Optional[str] = None
    #: For input and configuration errors, the rule broken (``"id_check_character"``, ...).
    rule: Optional[str] = None
    #: For a non-2xx answer, its HTTP status.
    http_status: Optional[int] = None


class InvalidInputError(NameAuthError, ValueError):
    """A user input breaks a rule of docs/SPEC.md §3; nothing was sent."""

    kind = "invalid_input"


class InvalidConfigError(NameAuthError, ValueError):
    """The client configuration is unusable (credentials, endpoint, options)."""

    kind = "invalid_config"


class TimeoutError(NameAuthError, builtins.TimeoutError):
    """No complete answer arrived within the timeout. Also a ``builtins.TimeoutError``."""

    kind = "timeout"


class TransportError(NameAuthError, ConnectionError):
    """The connection failed: refused, reset, TLS failure, non-2xx HTTP status."""

    kind = "transport"


class ProtocolError(NameAuthError):
    """The server answered, but not with a well-formed nameauth response."""

    kind = "protocol"


class InternalError(NameAuthError):
    """A bug in nameauth (please report it)."""

    kind = "internal"


class CancelledError(NameAuthError, concurrent.futures.CancelledError):
    """The caller cancelled the call before its request was written; nothing was sent.

    Only calls the caller can cancel raise it (``AsyncClient``), never ``verify``. Also a
    ``concurrent.futures.CancelledError`` (an ``Exception``), not ``asyncio``'s
    ``CancelledError`` (a ``BaseException`` that ``except Exception`` would miss).
    """

    kind = "cancelled"


class QueueFullError(NameAuthError, RuntimeError):
    """An ``AsyncClient`` call was refused because ``max_queued`` calls of the same client
    already wait for a thread; nothing was queued or sent. ``field`` is ``"max_queued"``.
    Wait for calls to finish (or bound your own concurrency), or raise ``max_queued``."""

    kind = "queue_full"
