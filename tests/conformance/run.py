#!/usr/bin/env python3
"""Runs one table of cases through every front end (CONFORMANCE.md).

    python3 tests/conformance/run.py [--cases FILE] [--frontends cli,c,cpp,python,java,php,go]

A case is {"name", "args": [openid, truename, creid(, cretype)], "env": {NAME: value, or
null to unset}, "expect": {...}}, with "http_only": true for a sandbox fault that writes
on the socket itself (under TLS a TLS error instead). An error case may add "says" (words
its message holds) and "requests" (how many requests reach the server; the core's
tests/conformance.rs checks it against the sandbox). It passes for a front end when the
front end prints exactly one line, that line is JSON holding every key/value of
"expect", the exit status is 0 for a verdict and 2 for an error, an error's message holds
"says" and neither the key, the name nor the ID number, and the line is byte for byte the line the
CLI printed for the same case (a front end that answers differently from the others is a
bug in it).

With NAMEAUTH_ENDPOINT set, cases run against that endpoint with the NAMEAUTH_*
credentials of the environment (a sandbox started by hand, say, with the lines
`nameauth sandbox` prints). Cases that need the runner's own sandboxes (an env value
with a {placeholder}: the HTTPS sandbox; "http_only" when the endpoint is https) are
then left out, and counted: "using NAMEAUTH_ENDPOINT; N case(s) ... left out".
Otherwise the runner starts an HTTP and an HTTPS sandbox itself. A front end whose
program or toolchain is missing fails every case.

Prints one line per front end, "<frontend>: N passed, M failed", then a total line
"N passed, M failed"; exits 1 on any failure.
"""

import argparse
import concurrent.futures
import functools
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import with_sandbox  # noqa: E402  (tools/with_sandbox.py)

BUILD = os.path.join(ROOT, "build")
# The C library: make lib's glibc-2.17 build, or a plain cargo release build.
RELEASE = next(
    (
        d
        for d in (
            os.path.join(ROOT, "target", "x86_64-unknown-linux-gnu", "release"),
            os.path.join(ROOT, "target", "release"),
        )
        if os.path.exists(os.path.join(d, "libnameauth.so"))
    ),
    os.path.join(ROOT, "target", "release"),
)
ALL = ["cli", "c", "cpp", "python", "java", "php", "go", "node"]
VERDICT_KEYS = ["code", "reason", "error_code", "nameauth_status", "notmatch_param", "name_mask"]
ERROR_KEYS = ["error", "message"]


def frontends():
    """name -> (argv prefix, extra environment, what must exist to run it)."""
    java_cp_file = os.path.join(BUILD, "java-classpath.txt")
    java_cp = ""
    if os.path.exists(java_cp_file):
        with open(java_cp_file, encoding="utf-8") as f:
            java_cp = f.read().strip()
    return {
        "cli": (
            [
                os.environ.get("NAMEAUTH_BIN", os.path.join(ROOT, "target", "debug", "nameauth")),
                "verify",
            ],
            {},
            [],
        ),
        "c": ([os.path.join(BUILD, "examples", "verify-c")], {"LD_LIBRARY_PATH": RELEASE}, []),
        "cpp": ([os.path.join(BUILD, "examples", "verify-cpp")], {"LD_LIBRARY_PATH": RELEASE}, []),
        "python": (
            [
                os.environ.get("NAMEAUTH_PYTHON", os.path.join(BUILD, "venv", "bin", "python")),
                os.path.join(ROOT, "examples", "python", "verify.py"),
            ],
            {},
            [],
        ),
        "java": (
            ["java", "-cp", java_cp, "Verify"],
            # The JVM decodes command-line arguments with the locale's charset. No library
            # setting: the jar's own copy of libnameauth_jni.so is used.
            {"LC_ALL": "C.UTF-8"},
            [java_cp_file],
        ),
        "php": (
            ["php", os.path.join(ROOT, "examples", "php", "verify.php")],
            {"NAMEAUTH_LIBRARY": os.path.join(RELEASE, "libnameauth.so")},
            [],
        ),
        # examples/go/verify, built by make test-go (the static archive linked in).
        "go": ([os.path.join(BUILD, "go", "verify")], {}, []),
        # `import 'nameauth'` resolves through examples/node/node_modules (make node).
        "node": (
            ["node", os.path.join(ROOT, "examples", "node", "verify.mjs")],
            {},
            [os.path.join(ROOT, "examples", "node", "node_modules", "nameauth", "index.js")],
        ),
    }


def missing(argv, needs):
    prog = argv[0]
    found = shutil.which(prog) if os.sep not in prog else (os.access(prog, os.X_OK) and prog)
    if not found:
        return f"{prog} not found (build it with make, or install its toolchain)"
    for path in needs + [a for a in argv[1:] if a.endswith((".py", ".php", ".mjs"))]:
        if not os.path.exists(path):
            return f"{path} not found"
    return None


def needs_own_sandbox(case, endpoint):
    """True for a case the runner's own sandboxes must serve (with a given endpoint)."""
    placeholder = any(isinstance(v, str) and "{" in v for v in case.get("env", {}).values())
    return placeholder or (case.get("http_only", False) and endpoint.startswith("https:"))


def case_env(base, case, sandbox):
    """The environment of one case: `base` with the case's env applied; {placeholders}
    filled from `sandbox`, which is None with a given endpoint (no case left holds one)."""
    env = dict(base)
    for k, v in case.get("env", {}).items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v if sandbox is None else v.format(**sandbox)
    return env


def run_case(argv, extra, base_env, case, sandbox):
    env = case_env(base_env, case, sandbox)
    env.update(extra)
    try:
        p = subprocess.run(argv + case["args"], env=env, capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        return None, None, "no answer within 60 s"
    out = p.stdout.decode("utf-8", "replace")
    err = p.stderr.decode("utf-8", "replace").strip()
    return out, p.returncode, err


def secrets(case, key):
    """What no message may show: the key, the name and the ID number, each whole, and each
    run of two or more letters of the name (张三 of 张三1)."""
    name, creid = case["args"][1], case["args"][2]
    runs = re.findall(r"[^\W\d_]{2,}", name)
    return [s for s in [key or "", name, creid, *runs] if len(s) >= 2]


def judge(case, out, code, err, reference, key):
    """None if the case passed, else why not (`key`: the credential it ran with)."""
    if out is None:
        return err
    lines = out.splitlines()
    if len(lines) != 1 or not out.endswith("\n"):
        return f"expected one line, got {out!r} (stderr: {err[-300:]!r})"
    try:
        got = json.loads(lines[0])
    except ValueError:
        return f"not JSON: {lines[0]!r}"
    for k, v in case["expect"].items():
        if got.get(k) != v:
            return f"{k} is {got.get(k)!r}, want {v!r}: {lines[0]}"
    want_code = 2 if "error" in case["expect"] else 0
    if code != want_code:
        return f"exit status {code}, want {want_code}"
    keys = ERROR_KEYS if "error" in case["expect"] else VERDICT_KEYS
    if list(got) != keys:
        return f"keys {list(got)}, want {keys} in that order: {lines[0]}"
    if lines[0] != json.dumps(got, ensure_ascii=False, separators=(",", ":")):
        return f"not compact UTF-8 JSON (spaces or \\u escapes): {lines[0]}"
    if "error" in case["expect"]:
        message = got.get("message", "")
        if case.get("says", "") not in message:
            return f"message does not say {case['says']!r}: {lines[0]}"
        shown = [s for s in secrets(case, key) if s in message]
        if shown:
            return f"message shows {shown} in clear: {lines[0]}"
    if reference is not None and lines[0] != reference:
        return f"differs from the CLI:\n      got {lines[0]}\n      cli {reference}"
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", default=os.path.join(HERE, "cases.json"))
    ap.add_argument("--frontends", default=",".join(ALL))
    ap.add_argument("--jobs", type=int, default=4)
    ap.add_argument("-v", "--verbose", action="store_true", help="print every failure in full")
    a = ap.parse_args()
    with open(a.cases, encoding="utf-8") as f:
        cases = json.load(f)
    wanted = [x.strip() for x in a.frontends.split(",") if x.strip()]
    unknown = [x for x in wanted if x not in ALL]
    if unknown:
        ap.error(f"unknown front end(s): {', '.join(unknown)} (known: {', '.join(ALL)})")

    base_env = {k: v for k, v in os.environ.items() if k not in with_sandbox.CLIENT_VARS}
    if os.environ.get("NAMEAUTH_ENDPOINT"):
        base_env.update({k: v for k, v in os.environ.items() if k in with_sandbox.CLIENT_VARS})
        sandbox_ctx = None
        sandbox = None
        before = len(cases)
        endpoint = os.environ["NAMEAUTH_ENDPOINT"]
        cases = [c for c in cases if not needs_own_sandbox(c, endpoint)]
        left_out = before - len(cases)
        print(
            f"using NAMEAUTH_ENDPOINT; {left_out} case(s) needing the runner's own sandboxes"
            " left out"
        )
    else:
        sandbox_ctx = with_sandbox.sandboxes(
            os.environ.get("NAMEAUTH_BIN", with_sandbox.DEFAULT_BIN)
        )
        settings = sandbox_ctx.__enter__()
        sandbox = {
            "tls_endpoint": settings.pop("NAMEAUTH_TEST_TLS_ENDPOINT"),
            "ca_file": settings.pop("NAMEAUTH_TEST_CA_FILE"),
        }
        base_env.update(settings)

    try:
        fronts = frontends()
        results = {}
        reference = {}
        order = ["cli"] + [f for f in wanted if f != "cli"]
        for name in order:
            argv, extra, needs = fronts[name]
            why = missing(argv, needs)
            outcomes = []
            if why:
                outcomes = [(c["name"], why) for c in cases]
            else:
                job = functools.partial(run_case, argv, extra, base_env, sandbox=sandbox)
                with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
                    runs = list(pool.map(job, cases))
                for c, (out, code, err) in zip(cases, runs):
                    ref = reference.get(c["name"]) if name != "cli" else None
                    key = case_env(base_env, c, sandbox).get("NAMEAUTH_KEY")
                    verdict = judge(c, out, code, err, ref, key)
                    if name == "cli" and verdict is None:
                        reference[c["name"]] = out.splitlines()[0]
                    outcomes.append((c["name"], verdict))
            if name in wanted:
                results[name] = outcomes
    finally:
        if sandbox_ctx is not None:
            sandbox_ctx.__exit__(None, None, None)

    total_pass = total_fail = 0
    for name in wanted:
        outcomes = results[name]
        failed = [(n, why) for n, why in outcomes if why]
        passed = len(outcomes) - len(failed)
        total_pass += passed
        total_fail += len(failed)
        print(f"{name}: {passed} passed, {len(failed)} failed")
        shown = failed if a.verbose else failed[:5]
        for n, why in shown:
            print(f"    FAIL {n}: {why}")
        if len(failed) > len(shown):
            print(f"    ... and {len(failed) - len(shown)} more (-v shows all)")
    print(f"{total_pass} passed, {total_fail} failed")
    if total_pass + total_fail == 0:
        print("no case ran: that proves nothing", file=sys.stderr)
        sys.exit(1)
    sys.exit(1 if total_fail else 0)


if __name__ == "__main__":
    main()
