#!/usr/bin/env python3
"""make dist: the Go module (bindings/go) in the module proxy's file layout.

    python3 tools/go_dist.py VERSION RELEASE_DIR DIST_DIR

writes DIST_DIR/goproxy/<module path>/@v/{list, vVERSION.info, vVERSION.mod, vVERSION.zip}, so
that GOPROXY=file://DIST_DIR/goproxy serves `go get <module path>@vVERSION`. The zip holds
the module's files under "<module path>@vVERSION/" (the module zip format) and what the
build makes: lib/linux_amd64/libnameauth.a (the glibc-2.17 static archive, debug sections
dropped), lib/linux_amd64/libnameauth_sandbox.so (for nameauthtest), include/nameauth.h,
and the licenses.
"""

import datetime
import json
import os
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GO_DIR = os.path.join(ROOT, "bindings", "go")


def module_path():
    with open(os.path.join(GO_DIR, "go.mod"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("module "):
                return line.split()[1]
    sys.exit("bindings/go/go.mod names no module")


def sources():
    """(path in the module, path on disk) of the module's committed kind of files."""
    out = []
    for dirpath, dirnames, filenames in os.walk(GO_DIR):
        rel = os.path.relpath(dirpath, GO_DIR)
        # lib/ and include/ are the build's copies: packed from the build below instead.
        dirnames[:] = [d for d in dirnames if not (rel == "." and d in ("lib", "include"))]
        for name in filenames:
            if name.endswith(".go") or name in ("go.mod", "README.md"):
                path = os.path.normpath(os.path.join(rel, name))
                out.append((path, os.path.join(dirpath, name)))
    return sorted(out)


def main():
    version, release, dist = sys.argv[1], sys.argv[2], sys.argv[3]
    v = "v" + version
    mod = module_path()
    at = os.path.join(dist, "goproxy", *mod.split("/"), "@v")
    os.makedirs(at, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        built = []
        for lib in ("libnameauth.a", "libnameauth_sandbox.so"):
            stripped = os.path.join(tmp, lib)
            subprocess.run(
                ["objcopy", "--strip-debug", os.path.join(release, lib), stripped], check=True
            )
            built.append((f"lib/linux_amd64/{lib}", stripped))
        built.append(("include/nameauth.h", os.path.join(ROOT, "include", "nameauth.h")))
        for lic in ("LICENSE-MIT", "LICENSE-APACHE"):
            built.append((lic, os.path.join(ROOT, lic)))
        with zipfile.ZipFile(os.path.join(at, v + ".zip"), "w", zipfile.ZIP_DEFLATED) as z:
            for path, disk in sources() + built:
                z.write(disk, f"{mod}@{v}/{path}")
    with open(os.path.join(GO_DIR, "go.mod"), encoding="utf-8") as f:
        gomod = f.read()
    with open(os.path.join(at, v + ".mod"), "w", encoding="utf-8") as f:
        f.write(gomod)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    with open(os.path.join(at, v + ".info"), "w", encoding="utf-8") as f:
        json.dump({"Version": v, "Time": now}, f)
    with open(os.path.join(at, "list"), "w", encoding="utf-8") as f:
        f.write(v + "\n")
    print(os.path.join(at, v + ".zip"))


if __name__ == "__main__":
    main()
