#!/usr/bin/env python3
"""make test-conformance-endpoint: the conformance runner against a given endpoint.

    python3 tools/conformance_endpoint.py [--bin PATH] [--frontends cli]

Starts `nameauth sandbox` on its own, as a user would, sets NAMEAUTH_ENDPOINT and the
credentials from the lines it prints, and runs tests/conformance/run.py with them. Passes
when the runner exits 0 and its counts are the table's: every case needing the runner's
own sandboxes (an env value with a {placeholder}) counted as left out, every other case
run and passed by each front end.
"""

import argparse
import json
import os
import re
import subprocess
import sys

from with_sandbox import CLIENT_VARS, DEFAULT_BIN, ROOT, start

RUNNER = os.path.join(ROOT, "tests", "conformance", "run.py")
CASES = os.path.join(ROOT, "tests", "conformance", "cases.json")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.environ.get("NAMEAUTH_BIN", DEFAULT_BIN))
    ap.add_argument("--frontends", default="cli")
    a = ap.parse_args()
    with open(CASES, encoding="utf-8") as f:
        cases = json.load(f)
    # Counted here from the table, not by the runner's own rule.
    own = [c for c in cases if any("{" in str(v) for v in c.get("env", {}).values())]
    # Cases that set a variable are the ones that crashed the runner with a given endpoint.
    setting = [c for c in cases if c.get("env") and c not in own]
    assert setting, "the table has no case that sets a variable: this test proves nothing"

    sandbox, settings = start(a.bin)
    try:
        env = {k: v for k, v in os.environ.items() if k not in CLIENT_VARS}
        env.update(settings)
        env["NAMEAUTH_BIN"] = a.bin
        p = subprocess.run(
            [sys.executable, RUNNER, "--frontends", a.frontends],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        sandbox.kill()
        sandbox.wait()
    print(p.stdout, end="")
    print(p.stderr, end="", file=sys.stderr)
    want = len(cases) - len(own)
    problems = []
    if p.returncode != 0:
        problems.append(f"the runner exited {p.returncode}")
    if not re.search(rf"^using NAMEAUTH_ENDPOINT; {len(own)} case\(s\) ", p.stdout, re.M):
        problems.append(f"the runner did not say {len(own)} case(s) were left out")
    for name in a.frontends.split(","):
        if not re.search(rf"^{name}: {want} passed, 0 failed$", p.stdout, re.M):
            problems.append(f"{name}: want {want} passed, 0 failed")
    for why in problems:
        print(f"conformance_endpoint: {why}", file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
