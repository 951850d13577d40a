#!/usr/bin/env bash
# make strace: the system calls of N verifies (default 1000) on one thread with one
# client, over keep-alive HTTP to the sandbox (in another process), counted by strace -c.
# Prints calls per verify by system call (and how many of them failed, such as the
# EAGAIN of a probe), and the total.
set -euo pipefail
N=${1:-1000}
BIN=${2:-target/debug/nameauth}
command -v strace >/dev/null || { echo "strace is missing (apt-get install strace)" >&2; exit 1; }
cargo build -q --release --example verify_loop
out=$(mktemp)
trap 'rm -f "$out"' EXIT
python3 tools/with_sandbox.py --bin "$BIN" -- \
  strace -c -o "$out" target/release/examples/verify_loop "$N" >/dev/null
# One connection is opened, the process starts and ends once: only the calls made at
# least once per verify are shown.
awk -v n="$N" '
  $NF ~ /^[a-z_0-9]+$/ && $NF != "total" && $1 ~ /^[0-9.]+$/ {
    errors = (NF == 6) ? $5 : 0
    if ($4 >= n) { printf "%-12s %10.2f %10.2f\n", $NF, $4 / n, errors / n; total += $4 / n }
  }
  BEGIN { printf "%-12s %10s %10s\n", "syscall", "per verify", "failed" }
  END { printf "%-12s %10.2f\n", "total", total }' "$out"
