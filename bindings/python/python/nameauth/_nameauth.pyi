"""Type stubs of the compiled module ``nameauth._nameauth`` (checked by mypy.stubtest)."""

import os
from types import TracebackType
from typing import Iterable, List, Mapping, Type, final

from .exceptions import NameauthError

__all__ = ["Client", "Verdict", "__version__", "sign", "validate_id"]

__version__: str

_User = tuple[str, str, str] | tuple[str, str, str, str] | Mapping[str, str]

@final
class Verdict:
    """What the server answered, mapped to SPEC §5's table."""

    @property
    def code(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def passed(self) -> bool: ...
    @property
    def config_problem(self) -> bool: ...
    @property
    def message(self) -> str: ...
    @property
    def advice(self) -> str: ...
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
        timeout: float = 10.0,
        connect_timeout: float = 3.0,
        sign_case: str = "lower",
        retries: int = 2,
        proxy: str | None = None,
        ca_file: str | os.PathLike[str] | None = None,
        validate_id: bool = True,
        allow_http: bool = False,
    ) -> Client: ...
    @classmethod
    def from_env(cls) -> Client: ...
    def verify(self, openid: str, truename: str, creid: str, cretype: str = "1") -> Verdict: ...
    def verify_many(
        self, items: Iterable[_User], concurrency: int = 16
    ) -> List[Verdict | NameauthError]: ...
    def close(self) -> None: ...
    @property
    def closed(self) -> bool: ...
    def __enter__(self) -> Client: ...
    def __exit__(
        self,
        *_exc: Type[BaseException] | None | BaseException | None | TracebackType | None,
    ) -> bool: ...

def sign(
    appid: str,
    openid: str,
    src: str,
    truename: str,
    creid: str,
    key: str,
    *,
    cretype: str = "1",
    upper: bool = False,
) -> str: ...
def validate_id(creid: str) -> None: ...
