"""nameauth: the WeChat Pay real-name check (微信支付实名信息验证).

Given a user's openid, real name and ID number, a :class:`Client` checks them locally,
signs the request, calls WeChat Pay over HTTPS and maps the answer to the verdict table
(A-F, Other). The work runs in the nameauth Rust core with the GIL released;
:class:`AsyncClient` does the same for asyncio. Each call is logged (masked) to the
standard ``logging`` logger ``nameauth``; ``nameauth.testing`` starts a sandbox server for
your own tests.

>>> import nameauth
>>> client = nameauth.Client("wx1234567890abcdef", "your-src", "your-key")  # doctest: +SKIP
>>> verdict = client.verify("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "张三", "110101199003074477")
>>> verdict.code  # doctest: +SKIP
'A'
"""

from ._async import AsyncClient
from ._nameauth import (
    RESIDENT_ID_CARD,
    Client,
    Verdict,
    __version__,
    release_pools,
    sign,
    validate_id,
)
from .exceptions import (
    CancelledError,
    InternalError,
    InvalidConfigError,
    InvalidInputError,
    NameAuthError,
    ProtocolError,
    QueueFullError,
    TimeoutError,
    TransportError,
)

__all__ = [
    "RESIDENT_ID_CARD",
    "AsyncClient",
    "CancelledError",
    "Client",
    "InternalError",
    "InvalidConfigError",
    "InvalidInputError",
    "NameAuthError",
    "ProtocolError",
    "QueueFullError",
    "TimeoutError",
    "TransportError",
    "Verdict",
    "__version__",
    "release_pools",
    "sign",
    "validate_id",
]
