#!/usr/bin/env python3
"""make bench-batch: `nameauth batch` over N rows against the sandbox, checked and timed.

    python3 tools/bench_batch.py --bin target/x86_64-unknown-linux-gnu/release/nameauth \
        [--rows 100000] [--concurrency 64]

Writes N JSON-line rows (cycling through sandbox fixtures: verdicts A-F and Other, bad
inputs, a retried 503), starts one `nameauth sandbox`, runs `nameauth batch`, then checks
that every row got exactly one line, in input order, and that the sandbox saw exactly the
requests the rows needed. Prints one table row: rows, concurrency, seconds, rows/s, and
the client's and sandbox's request counts. Exit status 1 if a check fails.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

ZS = "110101199003074477"
# (row, requests it costs the sandbox)
KINDS = [
    ({"openid": "oZhangSan", "truename": "张三", "creid": ZS}, 1),  # A
    ({"openid": "oZhangSan", "truename": "李四", "creid": ZS}, 1),  # B
    ({"openid": "oPoliceOnly", "truename": "张三", "creid": ZS}, 1),  # E
    ({"openid": "oNotRealname", "truename": "张三", "creid": ZS}, 1),  # F
    ({"openid": "oSystemError", "truename": "张三", "creid": ZS}, 1),  # Other
    ({"openid": "oUnknown", "truename": "张三", "creid": ZS}, 1),  # F
    ({"openid": "oZhangSan", "truename": "", "creid": ZS}, 0),  # invalid_input
    ({"openid": "oPassport", "truename": "JOHN SMITH", "creid": "E12345678", "cretype": "2"}, 1),
]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--concurrency", type=int, default=64)
    a = p.parse_args()

    work = tempfile.mkdtemp(prefix="nameauth-bench-batch-")
    rows_path = os.path.join(work, "rows.jsonl")
    out_path = os.path.join(work, "out.jsonl")
    expected_requests = 0
    with open(rows_path, "w", encoding="utf-8") as f:
        for i in range(a.rows):
            row, cost = KINDS[i % len(KINDS)]
            expected_requests += cost
            f.write(json.dumps(dict(row, ref=f"u{i}"), ensure_ascii=False) + "\n")

    sandbox = subprocess.Popen(
        [a.bin, "sandbox", "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE, text=True
    )
    env = dict(os.environ)
    try:
        for line in sandbox.stdout:
            if line.startswith("export "):
                k, v = line[len("export ") :].strip().split("=", 1)
                env[k] = v
            if line.startswith("# try"):
                break
        started = time.monotonic()
        done = subprocess.run(
            [
                a.bin,
                "batch",
                "--input",
                rows_path,
                "--output",
                out_path,
                "--concurrency",
                str(a.concurrency),
                "--no-progress",
            ],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
        elapsed = time.monotonic() - started
        stats_url = env["NAMEAUTH_ENDPOINT"].split("/cgi-bin")[0] + "/__sandbox/stats"
        with urllib.request.urlopen(stats_url) as r:
            served = json.load(r)["requests"]
    finally:
        sandbox.terminate()
        sandbox.wait()

    failures = []
    if done.returncode != 0:
        failures.append(f"nameauth batch exited {done.returncode}: {done.stderr}")
    with open(out_path, encoding="utf-8") as f:
        refs = [json.loads(line)["ref"] for line in f]
    if refs != [f"u{i}" for i in range(a.rows)]:
        failures.append(f"{len(refs)} lines for {a.rows} rows, or out of order")
    if served != expected_requests:
        failures.append(f"the sandbox served {served} requests, the rows need {expected_requests}")
    summary = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""

    print("| rows | concurrency | seconds | rows/s | requests served | every row once, in order |")
    print("|---:|---:|---:|---:|---:|---|")
    print(
        f"| {a.rows:,} | {a.concurrency} | {elapsed:.1f} | {a.rows / elapsed:,.0f} "
        f"| {served:,} | {'yes' if not failures else 'NO'} |"
    )
    print(summary)
    for f in failures:
        print("FAILED:", f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
