#!/usr/bin/env python3
"""verify: checks one user with nameauth and prints one JSON line (CONFORMANCE.md).

    export NAMEAUTH_APPID=... NAMEAUTH_SRC=... NAMEAUTH_KEY=...
    python3 verify.py OPENID TRUENAME CREID [CRETYPE]

Exit status 0 when the server answered (any verdict), 2 on any error.
"""

import io
import json
import sys
from typing import Dict, List, NoReturn, Union

import nameauth


def emit(obj: Dict[str, Union[str, int]], status: int) -> NoReturn:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
    sys.exit(status)


def main(argv: List[str]) -> None:
    if not 4 <= len(argv) <= 5:
        emit(
            {"error": "invalid_input", "message": "usage: verify OPENID TRUENAME CREID [CRETYPE]"},
            2,
        )
    try:
        # NAMEAUTH_APPID, _SRC, _KEY and one variable per option (_ENDPOINT, _TIMEOUT_MS, ...)
        with nameauth.Client.from_env() as client:
            verdict = client.verify(*argv[1:])
    except nameauth.NameAuthError as e:
        emit({"error": e.kind, "message": str(e)}, 2)
    emit(verdict.to_dict(), 0)


if __name__ == "__main__":
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(encoding="utf-8")
    main(sys.argv)
