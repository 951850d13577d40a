#!/usr/bin/env python3
"""Client CPU per verify: nameauth against the same loop hand-written with requests.

    python benches/python_vs_requests.py [--calls N]

Starts the sandbox in a separate process (so its work is not counted), then runs, in this
one process against that one sandbox, N verifies with `nameauth.Client.verify` and N with
a `requests.Session` loop that signs with hashlib, sends, parses the JSON and maps the
verdict table: what merchants write by hand today. CPU is this process's CPU time
(user + system, all threads, from getrusage), so the Rust work of nameauth and the
kernel's loopback TCP work count in full.
Needs the nameauth wheel and requests installed (make test-python's venv has both).
"""

import argparse
import hashlib
import os
import resource
import sys
import time

import requests

import nameauth

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import with_sandbox  # noqa: E402

USER = ("oZhangSan", "张三", "110101199003074477", "1")

# The verdict table as a hand-written loop would carry it.
TABLE = {
    (0, "1", ""): ("A", "verified"),
    (0, "1", "1"): ("B", "name_mismatch"),
    (0, "1", "2"): ("C", "id_mismatch"),
    (0, "1", "1|2"): ("D", "name_and_id_mismatch"),
    (0, "2", ""): ("E", "police_check_only"),
    (0, "3", ""): ("F", "not_realname"),
    (0, "4", ""): ("F", "foreign_card"),
    (0, "5", ""): ("F", "bank_unsupported"),
}


def requests_verify(session, endpoint, appid, src, key, openid, truename, creid, cretype):
    fields = {
        "appid": appid,
        "creid": creid,
        "cretype": cretype,
        "openid": openid,
        "src": src,
        "truename": truename,
    }
    text = "&".join(f"{k}={fields[k]}" for k in sorted(fields)) + "&key=" + key
    params = dict(fields, sign=hashlib.md5(text.encode("utf-8")).hexdigest(), type="json")
    r = session.get(endpoint, params=params, timeout=(3, 10))
    r.raise_for_status()
    body = r.json()
    nm = str(body.get("notmatch_param") or "").replace("%7C", "|").replace("2|1", "1|2")
    row = (int(body["error_code"]), str(body.get("nameauth_status") or ""), nm)
    return TABLE.get(row, ("Other", "unexpected_response"))


def measure(label, calls, fn):
    for _ in range(min(100, calls)):  # warm up connections and caches
        fn()
    before, wall = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    for _ in range(calls):
        fn()
    after, wall = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter() - wall
    user = (after.ru_utime - before.ru_utime) / calls * 1e6
    system = (after.ru_stime - before.ru_stime) / calls * 1e6
    return label, user + system, user, system, wall / calls * 1e6


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=3000)
    ap.add_argument("--bin", default=with_sandbox.DEFAULT_BIN)
    a = ap.parse_args()
    proc, env = with_sandbox.start(a.bin)
    try:
        endpoint, appid = env["NAMEAUTH_ENDPOINT"], env["NAMEAUTH_APPID"]
        src, key = env["NAMEAUTH_SRC"], env["NAMEAUTH_KEY"]
        client = nameauth.Client(appid, src, key, endpoint=endpoint)
        assert client.verify(*USER).code == "A"
        session = requests.Session()
        assert requests_verify(session, endpoint, appid, src, key, *USER)[0] == "A"
        rows = [
            measure("nameauth.Client.verify", a.calls, lambda: client.verify(*USER)),
            measure(
                "requests.Session + hashlib",
                a.calls,
                lambda: requests_verify(session, endpoint, appid, src, key, *USER),
            ),
        ]
    finally:
        proc.kill()
        proc.wait()
    version = sys.version.split()[0]
    print(f"{a.calls} verifies each, loopback sandbox in another process, Python {version}")
    heads = ("CPU/verify", "user", "system", "wall/verify")
    print(f"{'client':<28}" + "".join(f"  {h:>11}" for h in heads))
    print("-" * 28 + "  -----------" * len(heads))
    for label, *values in rows:
        print(f"{label:<28}" + "".join(f"  {v:>8.1f} µs" for v in values))
    ratio = rows[1][1] / rows[0][1]
    verdict = "met" if ratio >= 10 else "NOT met"
    print(f"nameauth uses {ratio:.1f}x less client CPU per verify (target >= 10x: {verdict})")


if __name__ == "__main__":
    main()
