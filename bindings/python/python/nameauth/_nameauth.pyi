"""Type stubs of the compiled module ``nameauth._nameauth`` (checked by mypy.stubtest)."""

import os
from types import TracebackType
from typing import Any, Callable, Iterable, List, Mapping, Type, final

from .exceptions import NameAuthError

__all__ = [
    "RESIDENT_ID_CARD",
    "Client",
    "Verdict",
    "_Pending",
    "_Sandbox",
    "__version__",
    "_shutdown",
    "release_pools",
    "sign",
    "validate_id",
]

__version__: str
RESIDENT_ID_CARD: str

_User = tuple[str, str, str] | tuple[str, str, str, str] | Mapping[str, str]

@final
class Verdict:
    """What the server answered, mapped to docs/SPEC.md §5's table."""

    def __new__(
        cls,
        error_code: int,
        nameauth_status: str = "",
        notmatch_param: str = "",
        name_mask: str = "",
    ) -> Verdict: ...
    @property
    def code(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def passed(self) -> bool: ...
    @property
    def is_config_problem(self) -> bool: ...
    @property
    def message_zh(self) -> str: ...
    @property
    def advice_zh(self) -> str: ...
    @property
    def message_en(self) -> str: ...
    @property
    def advice_en(self) -> str: ...
    @property
    def error_code(self) -> int: ...
    @property
    def nameauth_status(self) -> str: ...
    @property
    def notmatch_param(self) -> str: ...
    @property
    def name_mask(self) -> str: ...
    def to_dict(self) -> dict[str, str | int]: ...
    def __reduce__(self) -> tuple[type[Verdict], tuple[int, str, str, str]]: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Client:
    """A WeChat Pay real-name client, safe to share between threads."""

    def __new__(
        cls,
        appid: str,
        src: str,
        key: str,
        *,
        endpoint: str | None = None,
        timeout_ms: int | None = None,
        connect_timeout_ms: int | None = None,
        sign_case: str | None = None,
        retries: int | None = None,
        proxy: str | None = None,
        ca_file: str | os.PathLike[str] | None = None,
        id_rules: bool = True,
        allow_http: bool = False,
        fallback_endpoint: str | None = None,
        idle_timeout_ms: int | None = None,
    ) -> Client: ...
    @classmethod
    def from_env(cls) -> Client: ...
    def verify(self, openid: str, truename: str, creid: str, cretype: str = "1") -> Verdict: ...
    def verify_many(
        self, items: Iterable[_User], concurrency: int = 16
    ) -> List[Verdict | NameAuthError]: ...
    def stats(self) -> dict[str, Any]: ...
    def _verify_async(
        self,
        loop: Any,
        deliver: Callable[[Any, bool, Any], None],
        future: Any,
        max_queued: int,
        openid: str,
        truename: str,
        creid: str,
        cretype: str | None = None,
    ) -> _Pending: ...
    def close(self) -> None: ...
    @property
    def closed(self) -> bool: ...
    def __enter__(self) -> Client: ...
    def __exit__(
        self,
        *_exc: Type[BaseException] | None | BaseException | None | TracebackType | None,
    ) -> None: ...

def sign(
    appid: str,
    openid: str,
    src: str,
    truename: str,
    creid: str,
    cretype: str,
    key: str,
    *,
    sign_case: str = "lower",
) -> str: ...
def validate_id(creid: str) -> None: ...
def release_pools() -> None: ...
def _shutdown() -> None: ...

@final
class _Pending:
    def cancel(self) -> None: ...
    @property
    def cancelled(self) -> bool: ...
    @property
    def reached_the_write(self) -> bool: ...

@final
class _Sandbox:
    def __new__(
        cls, *, tls: bool = False, fixtures_json: str | None = None, latency_ms: int = 0
    ) -> _Sandbox: ...
    @property
    def endpoint(self) -> str: ...
    @property
    def ca_file(self) -> str | None: ...
    @property
    def credentials(self) -> tuple[str, str, str]: ...
    def stats(self) -> dict[str, int]: ...
    def hits(self, openid: str) -> int: ...
    def add_fixture(self, openid: str, record_json: str) -> None: ...
    def close(self) -> None: ...
