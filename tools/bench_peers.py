#!/usr/bin/env python3
"""make bench-peers: nameauth against the hand-written client of each language.

    python tools/bench_peers.py --bin NAMEAUTH --c PEERS_C --java-cp CP --python PY
                                [--go PEERS_GO] [--calls N] [--rounds R] [--fresh K]

Starts the sandbox (plain and HTTPS) in other processes, so its work is not counted, then
runs each language's program in benches/peers/, which interleaves nameauth and the peer
in one process against the same sandbox and prints JSON lines:

  steady   CPU per verify at steady state (keep-alive, warm; the JVM JIT-warm), from the
           process's own accounting, in R interleaved blocks
  first    one verify in a fresh process: the time from the program's start (the JVM's
           main) to the verdict, library and class loading included; the whole process's
           CPU comes from wait4
  tls      (C) every verify on a new TLS connection: the HTTPS sandbox closes each one

and prints one table with nameauth ÷ peer for each row. Ratios below 1 mean nameauth
costs less.
"""

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import with_sandbox  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.path.join(ROOT, "benches", "peers")


def run_lines(cmd, env):
    """Runs cmd; returns ({impl: record}, its CPU in ms) from its JSON lines."""
    # The children's CPU grows by this child's once it is reaped (the sandboxes are
    # reaped only at the end, so they never count).
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1e3
    if proc.returncode != 0:
        sys.exit(
            f"bench-peers: {' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr}{proc.stdout}"
        )
    records = {}
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            r = json.loads(line)
            records[r["impl"]] = r
    return records, cpu


def steady(cmd, env, peer_names):
    records, _ = run_lines(cmd, env)
    ours = records["nameauth"]["cpu_us"]
    rows = []
    for peer in peer_names:
        theirs = records[peer]["cpu_us"]
        ratios = [a / b for a, b in zip(ours, theirs)]
        rows.append((peer, statistics.mean(theirs), statistics.mean(ours), ratios))
    return rows


def fresh(cmd_for, env, impls, k):
    """Median first-verify time and process CPU of k fresh processes per implementation,
    run in turn."""
    firsts = {i: [] for i in impls}
    cpus = {i: [] for i in impls}
    for _ in range(k):
        for impl in impls:
            records, cpu = run_lines(cmd_for(impl), env)
            firsts[impl].append(records[impl]["first_ms"])
            cpus[impl].append(cpu)
    return {i: (statistics.median(firsts[i]), statistics.median(cpus[i])) for i in impls}


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", required=True, help="the nameauth CLI (runs the sandbox)")
    ap.add_argument("--c", required=True, help="benches/peers/peers.c, built")
    ap.add_argument("--java-cp", required=True, help="class path with Peers and the jar")
    ap.add_argument("--python", required=True, help="a python with nameauth and requests")
    ap.add_argument("--library-dir", required=True, help="where libnameauth.so.0 is (PHP)")
    ap.add_argument("--go", help="benches/peers/go, built (adds the Go rows)")
    ap.add_argument(
        "--node-package",
        help="the nameauth npm package's folder, with its addon (adds the Node.js rows)",
    )
    ap.add_argument("--calls", type=int, default=5000, help="verifies per implementation")
    ap.add_argument("--java-calls", type=int, default=20000)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--fresh", type=int, default=7, help="fresh processes per implementation")
    a = ap.parse_args()

    php_ffi = [
        "-d",
        "opcache.enable_cli=1",
        "-d",
        f"opcache.preload={ROOT}/bindings/php/preload.php",
        "-d",
        "opcache.preload_user=" + (os.environ.get("USER") or "root"),
        "-d",
        "ffi.enable=preload",
        "-d",
        f"ffi.preload={ROOT}/bindings/php/nameauth_ffi.h",
    ]
    rows = []
    with with_sandbox.sandboxes(a.bin) as settings:
        env = {k: v for k, v in os.environ.items() if k not in with_sandbox.CLIENT_VARS}
        env.update(settings)
        env["LC_ALL"] = "C.UTF-8"
        for var in ("NAMEAUTH_LIBRARY", "NAMEAUTH_LIBRARY_PATH"):
            env.pop(var, None)
        php_env = dict(env, LD_LIBRARY_PATH=a.library_dir)
        php_env["NAMEAUTH_LIBRARY"] = os.path.join(a.library_dir, "libnameauth.so.0")
        calls, rounds = str(a.calls), str(a.rounds)

        def add_steady(language, measure, cmd, run_env, peers):
            print(f"  {language}: {measure} ...", file=sys.stderr, flush=True)
            for peer, theirs, ours, ratios in steady(cmd, run_env, peers):
                rows.append((language, measure, peer, theirs, ours, ratios, "µs"))

        def add_fresh(language, cmd_for, run_env, peers, how=""):
            print(f"  {language}: fresh processes{how} ...", file=sys.stderr, flush=True)
            got = fresh(cmd_for, run_env, ["nameauth", *peers], a.fresh)
            for peer in peers:
                # got[impl] holds the two medians in this order (see fresh()).
                for i, what in enumerate(("to the first verdict", "whole process CPU")):
                    measure = f"fresh process{how}: {what}"
                    rows.append(
                        (language, measure, peer, got[peer][i], got["nameauth"][i], None, "ms")
                    )

        add_steady("C", "steady: CPU per verify", [a.c, "steady", calls, rounds], env, ["curl"])
        add_steady(
            "C",
            "new TLS connection per verify: CPU",
            [a.c, "tls", str(a.calls // 5), rounds],
            env,
            ["curl"],
        )
        add_fresh("C", lambda i: [a.c, "first", i], env, ["curl"])

        py = os.path.join(PEERS, "peers.py")
        add_steady(
            "Python",
            "steady: CPU per verify",
            [a.python, py, "steady", calls, rounds],
            env,
            ["requests"],
        )
        add_fresh("Python", lambda i: [a.python, py, "first", i], env, ["requests"])

        php = os.path.join(PEERS, "peers.php")
        add_steady(
            "PHP",
            "steady: CPU per verify",
            ["php", php, "steady", calls, rounds],
            php_env,
            ["curl"],
        )
        # php-fpm's setup (docs/packaging.md, php-fpm): the binding preloaded by opcache,
        # the declarations by ffi.preload; the peer gets the same opcache.
        add_fresh(
            "PHP",
            lambda i: [
                "php",
                *(php_ffi if i == "nameauth" else ["-d", "opcache.enable_cli=1"]),
                php,
                "first",
                i,
            ],
            php_env,
            ["curl"],
            " (opcache.preload + ffi.preload)",
        )
        # A CLI script: only the declarations preloaded; the binding's PHP is compiled
        # at its first use.
        add_fresh(
            "PHP",
            lambda i: ["php", *(php_ffi[-2:] if i == "nameauth" else []), php, "first", i],
            php_env,
            ["curl"],
            " (CLI, ffi.preload only)",
        )

        java = ["java", "-cp", a.java_cp, "Peers"]
        add_steady(
            "Java",
            "steady (JIT-warm): CPU per verify",
            [*java, "steady", str(a.java_calls), rounds],
            env,
            ["urlconnection", "httpclient"],
        )
        add_fresh("Java", lambda i: [*java, "first", i], env, ["urlconnection", "httpclient"])

        if a.go:
            add_steady(
                "Go", "steady: CPU per verify", [a.go, "steady", calls, rounds], env, ["nethttp"]
            )
            add_fresh("Go", lambda i: [a.go, "first", i], env, ["nethttp"])

        if a.node_package:
            node = ["node", os.path.join(PEERS, "peers.mjs")]
            node_env = dict(env, NAMEAUTH_NODE_PACKAGE=os.path.abspath(a.node_package))
            add_steady(
                "Node.js",
                "steady: CPU per verify",
                [*node, "steady", calls, rounds],
                node_env,
                ["fetch"],
            )
            add_fresh("Node.js", lambda i: [*node, "first", i], node_env, ["fetch"])

    peer_names = {
        ("C", "curl"): "libcurl easy handle + OpenSSL MD5",
        ("Python", "requests"): "requests.Session + hashlib",
        ("PHP", "curl"): "ext-curl handle + md5()",
        ("Java", "urlconnection"): "HttpURLConnection + MessageDigest",
        ("Java", "httpclient"): "java.net.http.HttpClient + MessageDigest",
        ("Node.js", "fetch"): "global fetch (undici, keep-alive) + crypto md5",
        ("Go", "nethttp"): "net/http keep-alive Client + crypto/md5",
    }
    print(
        f"bench-peers, {time.strftime('%Y-%m-%d')}: {cpu_model()}, {os.cpu_count()} cores, "
        f"Linux {platform.release()}; {a.calls} verifies each (Java {a.java_calls}) in "
        f"{a.rounds} interleaved rounds; fresh processes: median of {a.fresh}"
    )
    print()
    print("| language | measure | hand-written peer | peer | nameauth | nameauth ÷ peer |")
    print("|---|---|---|---:|---:|---:|")
    for language, measure, peer, theirs, ours, ratios, unit in rows:
        ratio = ours / theirs
        if ratios:
            spread = f"{ratio:.2f} ({min(ratios):.2f}–{max(ratios):.2f})"
        else:
            spread = f"{ratio:.2f}"
        print(
            f"| {language} | {measure} | {peer_names[(language, peer)]} | "
            f"{theirs:.1f} {unit} | {ours:.1f} {unit} | {spread} |"
        )
    print()
    print("Steady and TLS rows: the mean of the rounds, and in brackets the lowest and highest")
    print("round's ratio. CPU is user + system time of the whole client process.")


if __name__ == "__main__":
    main()
