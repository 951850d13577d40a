#!/usr/bin/env python3
"""Runs a command against fresh sandboxes: the test harness of the C, Java and PHP suites.

    python3 tools/with_sandbox.py [--bin PATH] -- COMMAND [ARGS...]

Starts two `nameauth sandbox` processes on ephemeral loopback ports (one HTTP, one
HTTPS), then runs COMMAND with:

    NAMEAUTH_ENDPOINT, NAMEAUTH_APPID, NAMEAUTH_SRC, NAMEAUTH_KEY   the HTTP sandbox
    NAMEAUTH_TEST_TLS_ENDPOINT, NAMEAUTH_TEST_CA_FILE              the HTTPS sandbox

and exits with COMMAND's status; other NAMEAUTH_* variables (NAMEAUTH_LIBRARY_PATH, say)
pass through. The sandboxes stop when it ends.
"""

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile

# The variables a client reads (the credentials and one per option, docs/CONFORMANCE.md,
# plus the tests' own); others, such as NAMEAUTH_LIBRARY_PATH, pass through.
CLIENT_VARS = {
    "NAMEAUTH_ENDPOINT",
    "NAMEAUTH_APPID",
    "NAMEAUTH_SRC",
    "NAMEAUTH_KEY",
    "NAMEAUTH_TIMEOUT_MS",
    "NAMEAUTH_CONNECT_TIMEOUT_MS",
    "NAMEAUTH_SIGN_CASE",
    "NAMEAUTH_RETRIES",
    "NAMEAUTH_PROXY",
    "NAMEAUTH_CA_FILE",
    "NAMEAUTH_ID_RULES",
    "NAMEAUTH_ALLOW_HTTP",
    "NAMEAUTH_FALLBACK_ENDPOINT",
    "NAMEAUTH_TEST_TLS_ENDPOINT",
    "NAMEAUTH_TEST_CA_FILE",
}
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_BIN = os.path.join(ROOT, "target", "debug", "nameauth")


def start(binary, *extra):
    """Starts one sandbox and returns (process, {VAR: value}) from its export lines."""
    proc = subprocess.Popen(
        [binary, "sandbox", "--listen", "127.0.0.1:0", *extra],
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    settings = {}
    for line in proc.stdout:
        line = line.strip()
        if line.startswith("export "):
            name, _, value = line[len("export ") :].partition("=")
            settings[name] = value
        if line.startswith("# try"):
            break
    if "NAMEAUTH_ENDPOINT" not in settings:
        proc.kill()
        sys.exit(f"with_sandbox: {binary} sandbox did not start")
    return proc, settings


@contextlib.contextmanager
def sandboxes(binary):
    procs = []
    try:
        with tempfile.TemporaryDirectory(prefix="nameauth-ca-") as certs:
            plain, env = start(binary)
            procs.append(plain)
            tls, tls_env = start(binary, "--tls", "--cert-dir", certs)
            procs.append(tls)
            env["NAMEAUTH_TEST_TLS_ENDPOINT"] = tls_env["NAMEAUTH_ENDPOINT"]
            env["NAMEAUTH_TEST_CA_FILE"] = tls_env["NAMEAUTH_CA_FILE"]
            yield env
    finally:
        for p in procs:
            p.kill()
            p.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.environ.get("NAMEAUTH_BIN", DEFAULT_BIN))
    ap.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.command[1:] if a.command[:1] == ["--"] else a.command
    if not cmd:
        ap.error("no command given")
    with sandboxes(a.bin) as settings:
        env = {k: v for k, v in os.environ.items() if k not in CLIENT_VARS}
        env.update(settings)
        sys.exit(subprocess.call(cmd, env=env))


if __name__ == "__main__":
    main()
