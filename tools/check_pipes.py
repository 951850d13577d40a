#!/usr/bin/env python3
"""make lint-pipes: no pipe whose reader can exit before its writer is done.

Under `set -o pipefail` (tools/*.sh), `cmd | grep -q x` fails at random: grep exits at
its first match, cmd is killed by SIGPIPE (exit 141) and the pipeline fails with it.
`| head` does the same, and so does `| grep x >/dev/null` (GNU grep stops at the first
match when its output is /dev/null, even with -c). Capture the output first and match
the text (`out=$(cmd)`, then `[[ $out == *x* ]]`), or let grep read everything into a
command substitution (`test "$(cmd | grep -c x)" = 1`). The Makefile is held to the same
rule, since its recipes are copied into scripts.

Usage: check_pipes.py [FILE...] (default: the Makefile, mk/*.mk and the shell scripts of
tools/);
check_pipes.py --self-test checks the rule against known good and bad lines.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A single `|` (not `||`), then a reader that may stop reading early.
EARLY_READER = re.compile(
    r"(?<!\|)\|(?!\|)\s*"
    r"(head\b"
    r"|grep\b[^|;&]*?(\s-[A-Za-z]*[qm][A-Za-z0-9]*\b|\s--(quiet|silent|max-count)\b"
    r"|>\s*/dev/null))"
)


def logical_lines(text: str) -> list[tuple[int, str]]:
    """Lines with backslash continuations joined, comments dropped, numbered from 1."""
    out: list[tuple[int, str]] = []
    start, parts = 0, []
    for number, line in enumerate(text.splitlines(), 1):
        if not parts:
            start = number
        if line.rstrip().endswith("\\"):
            parts.append(line.rstrip()[:-1])
            continue
        parts.append(line)
        joined = " ".join(parts)
        parts = []
        if not joined.lstrip().startswith("#"):
            out.append((start, joined))
    return out


def offences(text: str) -> list[tuple[int, str]]:
    return [(n, line.strip()) for n, line in logical_lines(text) if EARLY_READER.search(line)]


def default_files() -> list[Path]:
    files = [ROOT / "Makefile", *sorted((ROOT / "mk").glob("*.mk"))]
    for path in sorted((ROOT / "tools").rglob("*")):
        if path.is_file() and (
            path.suffix == ".sh" or path.read_bytes()[:64].split(b"\n")[0].endswith(b"sh")
        ):
            files.append(path)
    return files


def self_test() -> int:
    bad = [
        "unzip -l x.jar | grep -q libnameauth.so",
        "readelf -d f | grep -qx 'SONAME'",
        "readelf -d f | \\\n    grep -Fq SONAME",
        "sed -n p Cargo.toml | head -n 1",
        "dpkg-deb -f x Depends | grep --quiet libc6",
        "nm -D f | grep -c x >/dev/null",
        "nm -D f | grep -m1 x",
    ]
    good = [
        "out=$(unzip -l x.jar); [[ $out == *libnameauth.so* ]]",
        'test "$(readelf -d f | grep -c SONAME)" = 1',
        "nm -D f | awk '{print $3}' | grep -v '^nameauth_'",
        "objdump -T f | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1",
        "a || grep -q x f",
        "# a comment: cmd | grep -q x",
    ]
    failed = [b for b in bad if not offences(b)] + [g for g in good if offences(g)]
    for line in failed:
        print(f"check_pipes self-test: misjudged: {line}", file=sys.stderr)
    return 1 if failed else 0


def main(argv: list[str]) -> int:
    if argv == ["--self-test"]:
        return self_test()
    files = [Path(a) for a in argv] or default_files()
    found = 0
    for path in files:
        for number, line in offences(path.read_text(encoding="utf-8")):
            print(f"{path}:{number}: a reader that can exit early: {line}", file=sys.stderr)
            found += 1
    if found:
        print(
            f"check_pipes: {found} pipe(s) can fail at random under pipefail (SIGPIPE);"
            " capture the output first (see tools/check_pipes.py)",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
