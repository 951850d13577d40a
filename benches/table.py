#!/usr/bin/env python3
"""Prints the summary table of `cargo bench --bench core` from Criterion's estimates.

Usage: cargo bench --bench core && python3 benches/table.py [target-dir]
"""

import json
import pathlib
import sys

TARGET = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target")


def median_ns(group: str, name: str) -> float:
    path = TARGET / "criterion" / group / name / "new" / "estimates.json"
    try:
        return json.loads(path.read_text())["median"]["point_estimate"]
    except FileNotFoundError:
        sys.exit(f"{path} is missing: run `cargo bench --bench core` first")


def fmt(ns: float) -> str:
    return f"{ns / 1000:.2f} µs" if ns >= 1000 else f"{ns:.0f} ns"


md5 = median_ns("sign", "md5_alone")
sign = median_ns("sign", "nameauth_sign")
build = median_ns("request", "build_url")
parse = median_ns("request", "parse_answer")
both = median_ns("request", "build_and_parse")
trip = median_ns("verify", "loopback_round_trip")

rows = [
    ("MD5 alone over the string to sign", fmt(md5), ""),
    ("nameauth sign (MD5 + hex)", fmt(sign), f"{sign / md5:.2f}x MD5 (target <= 1.30x)"),
    ("build request URL (sign + encode)", fmt(build), ""),
    ("parse answer + map verdict", fmt(parse), ""),
    ("build + parse", fmt(both), f"target < 2 µs: {'met' if both < 2000 else 'NOT met'}"),
    ("verify round trip, loopback sandbox", fmt(trip), f"{1e9 / trip:.0f} verifies/s, one thread"),
]
w0 = max(len(r[0]) for r in rows)
w1 = max(len(r[1]) for r in rows)
print(f"{'benchmark (median)':<{w0}}  {'time':>{w1}}  note")
print(f"{'-' * w0}  {'-' * w1}  ----")
for name, t, note in rows:
    print(f"{name:<{w0}}  {t:>{w1}}  {note}")
