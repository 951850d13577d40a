#!/usr/bin/env python3
"""The PHP binding under php-fpm, configured exactly as docs/packaging.md says.

    python3 tools/with_sandbox.py -- python3 bindings/php/tests/fpm/run.py

Writes the php.ini lines of docs/packaging.md and a pool, starts php-fpm8.2 (PHP's default
ffi.enable=preload: FFI only in preloaded code) with LD_LIBRARY_PATH pointing at the
library, sends FastCGI requests with cgi-fcgi to a page that verifies against the sandbox,
and checks every answer. A second pool of one worker, whose request_terminate_timeout is
shorter than a slow answer, shows that a worker's memory stays flat over hundreds of
requests and that a worker killed in the middle of a call leaves the pool working. A
second server, without the preload lines, must name ffi.enable on the first use.
Prints "N passed, M failed"; exits 1 on any failure.
"""

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
PHP_DIR = os.path.dirname(os.path.dirname(HERE))
ROOT = os.path.dirname(os.path.dirname(PHP_DIR))
# make lib's glibc-2.17 build (make test-php-fpm passes it), unless told otherwise.
LIB_DIR = os.environ.get(
    "NAMEAUTH_LIBRARY_DIR",
    os.path.join(ROOT, "target", "x86_64-unknown-linux-gnu", "release"),
)
FPM = os.environ.get("PHP_FPM", "php-fpm8.2")

# The php.ini lines of docs/packaging.md, "PHP under php-fpm".
INI = f"""
ffi.enable=preload
ffi.preload={PHP_DIR}/nameauth_ffi.h
opcache.enable=1
opcache.preload={PHP_DIR}/preload.php
opcache.preload_user=root
"""

CASES = [
    (("oZhangSan", "张三", "110101199003074477"), {"code": "A", "reason": "verified"}),
    (("oZhangSan", "李四", "110101199003074477"), {"code": "B", "reason": "name_mismatch"}),
    (("oPoliceOnly", "张三", "110101199003074477"), {"code": "E"}),
    (("oZhangSan", "张三", "110101199003074478"), {"error": "invalid_input"}),
    (("oHttp500", "张三", "110101199003074477"), {"error": "transport"}),
    (("oSignInvalid", "张三", "110101199003074477"), {"code": "Other", "error_code": 1002}),
    (("oZhangSan", "张三", "110101199003074477"), {"code": "A"}),
    (("oUserNotFound", "张三", "110101199003074477"), {"code": "F"}),
]


def sandbox_stats():
    """The sandbox's counters (GET /__sandbox/stats, not itself counted)."""
    base = os.environ["NAMEAUTH_ENDPOINT"].split("/cgi-bin/")[0]
    with urllib.request.urlopen(base + "/__sandbox/stats") as r:
        return json.load(r)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def fastcgi(port, script, query=""):
    """The body of a GET of `script` through php-fpm."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "SCRIPT_FILENAME": os.path.join(HERE, script),
        "REQUEST_METHOD": "GET",
        "QUERY_STRING": query,
    }
    for k in ("NAMEAUTH_ENDPOINT", "NAMEAUTH_APPID", "NAMEAUTH_SRC", "NAMEAUTH_KEY"):
        env[k] = os.environ[k]
    out = subprocess.run(
        ["cgi-fcgi", "-bind", "-connect", f"127.0.0.1:{port}"],
        env=env,
        capture_output=True,
        timeout=30,
    )
    text = out.stdout.decode("utf-8", "replace")
    return text.split("\r\n\r\n", 1)[-1].strip()


# The one-worker pool: requests to watch its memory over, the most its resident set may
# grow between the 50th and the last (a client leaked per request is about 4 KiB: 1 MiB),
# and its request_terminate_timeout, well under oSlow's 5 s answer.
WORKER_REQUESTS = 300
WORKER_GROWTH = 512 * 1024
TERMINATE_S = 2
# What each worker.php request gets: a verdict, a transport error, two refused calls, and
# three events (invalid UTF-8 is refused before the call, so it has none).
WORKER_WANT = {"got": ["B", "transport", "invalid_input", "invalid_input"], "events": 3}


def worker_rows(port, query, failures):
    """worker.php's answers to WORKER_REQUESTS requests with `query`; a failure if the
    worker's resident set grew by more than WORKER_GROWTH after the 50th."""
    want = WORKER_WANT
    rows = []
    for _ in range(WORKER_REQUESTS):
        body = fastcgi(port, "worker.php", query)
        try:
            rows.append(json.loads(body.splitlines()[0]))
        except (ValueError, IndexError):
            failures.append(f"worker.php?{query} answered {body!r}")
            return rows
    wrong = [r for r in rows if {k: r.get(k) for k in want} != want]
    if wrong:
        failures.append(f"{len(wrong)} worker.php?{query} answers not {want}: {wrong[0]}")
    if len({r["pid"] for r in rows}) != 1:
        failures.append("the one-worker pool changed workers without being told to")
    growth = rows[-1]["rss"] - rows[49]["rss"]
    if growth > WORKER_GROWTH:
        failures.append(
            f"the worker grew by {growth} bytes over {WORKER_REQUESTS - 50} requests ?{query}"
        )
    return rows


def worker_checks(port):
    """Failures of the one-worker pool at `port`: memory over many requests, also when
    each ends in a fatal error (PHP then runs no destructor), and a kill."""
    failures = []
    worker_rows(port, "fatal=1", failures)
    rows = worker_rows(port, "", failures)
    if not rows:
        return failures
    # Killed by request_terminate_timeout while it waits for oSlow: the request was
    # sent once, and the respawned worker (preloaded like the first) answers at once.
    hits = sandbox_stats()["hits"].get("oSlow", 0)
    query = urllib.parse.urlencode(
        {"openid": "oSlow", "truename": "张三", "creid": "110101199003074477"}
    )
    fastcgi(port, "verify.php", query)
    if sandbox_stats()["hits"].get("oSlow", 0) != hits + 1:
        failures.append("oSlow was not sent exactly once by the killed worker")
    body = fastcgi(port, "worker.php")
    after = json.loads(body.splitlines()[-1]) if body.startswith("{") else {"raw": body}
    if after.get("pid") == rows[-1]["pid"] or after.get("got") != WORKER_WANT["got"]:
        failures.append(f"after the kill: {after}")
    return failures


def request(port, args):
    openid, truename, creid = args
    query = urllib.parse.urlencode({"openid": openid, "truename": truename, "creid": creid})
    body = fastcgi(port, "verify.php", query)
    try:
        return json.loads(body.splitlines()[-1])
    except (ValueError, IndexError):
        return {"raw": body}


@contextlib.contextmanager
def fpm_server(ini_text, pools):
    """A php-fpm master with `ini_text` as php.ini and `pools` (name, port, extra lines),
    up until the block ends; yields a list the block appends failures to, and prints the
    log's end if there are any."""
    with tempfile.TemporaryDirectory(prefix="nameauth-fpm-") as d:
        ini = os.path.join(d, "php.ini")
        with open(ini, "w") as f:
            f.write(ini_text)
        conf = os.path.join(d, "php-fpm.conf")
        with open(conf, "w") as f:
            f.write(f"[global]\nerror_log = {d}/fpm.log\ndaemonize = no\n")
            for name, port, extra in pools:
                f.write(
                    f"\n[{name}]\nlisten = 127.0.0.1:{port}\npm = static\n"
                    f"catch_workers_output = yes\n{extra}"
                )
        env = dict(os.environ)
        env["LD_LIBRARY_PATH"] = LIB_DIR
        fpm = subprocess.Popen(
            [FPM, "-F", "-R", "-c", ini, "-y", conf],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        failures = []
        try:
            for _ in range(100):
                if all(listening(port) for _, port, _ in pools) or fpm.poll() is not None:
                    break
                time.sleep(0.1)
            yield failures
        finally:
            fpm.terminate()
            log = fpm.communicate(timeout=10)[0].decode("utf-8", "replace")
            if failures:
                print(log[-2000:], file=sys.stderr)


def main():
    port = free_port()
    one_port = free_port()
    passed = 0
    pools = [
        ("www", port, "pm.max_children = 2\n"),
        ("one", one_port, f"pm.max_children = 1\nrequest_terminate_timeout = {TERMINATE_S}s\n"),
    ]
    with fpm_server(INI, pools) as failures:
        if fastcgi(port, "cdef.php") == "cdef refused":
            passed += 1
        else:
            failures.append("FFI::cdef was allowed in a request: not ffi.enable=preload")
        for args, want in CASES:
            got = request(port, args)
            if got.get("ffi_enable") == "preload" and all(got.get(k) == v for k, v in want.items()):
                passed += 1
            else:
                failures.append(f"{args[0]}: want {want}, got {got}")
        # Each page builds its own client, yet a worker keeps its connection across
        # requests (one pool per process per transport setting): 2 workers, at most
        # 2 connections for the 8 requests.
        connections = sandbox_stats()["connections"]
        if connections <= 2:
            passed += 1
        else:
            failures.append(f"{connections} connections for {len(CASES)} requests by 2 workers")
        worker_failures = worker_checks(one_port)
        passed += not worker_failures
        failures += worker_failures
    # PHP's default ffi.enable=preload without the preload lines: the first use says what
    # is missing, naming ffi.enable, rather than blaming the library's path.
    with fpm_server("ffi.enable=preload\n", [("bare", one_port, "pm.max_children = 1\n")]) as bare:
        got = fastcgi(one_port, "unpreloaded.php")
        if got == "InvalidConfigException ffi.enable not_preloaded":
            passed += 1
        else:
            bare.append(f"without the preload lines: {got!r}")
    for failure in failures + bare:
        print(f"FAIL: {failure}", file=sys.stderr)
    failed = len(failures) + len(bare)
    print(f"php-fpm: {passed} passed, {failed} failed")
    sys.exit(1 if failed or passed == 0 else 0)


if __name__ == "__main__":
    main()
