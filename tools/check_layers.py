#!/usr/bin/env python3
"""The core's layering rule: a module of src/ imports only from modules below it.

The layers are the table of docs/architecture.md (section "Layers of the core"): one
row per layer, bottom first, each naming its modules in backticks. This script reads the
table, finds every `crate::` path in each top-level module of src/ (its file, or its
folder with every file under it; comments skipped, tests included) and fails when a
module

  - imports from its own layer or a layer above it (which is how an import circle
    starts: none can exist while every import points down), or
  - is missing from the table (a new module must be given its place).

A path to a name the crate root re-exports (`crate::Error`, `crate::sign`) counts as an
import of the module it comes from (lib.rs's `pub use` lines). lib.rs itself is the table
of modules, above every layer.

    python3 tools/check_layers.py            # check src/ against docs/architecture.md
    python3 tools/check_layers.py --edges    # print every module's imports
    python3 tools/check_layers.py --self-test  # the check fails on planted circles
"""

import os
import re
import shutil
import sys
import tempfile

from report import report

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "architecture.md")
SRC = os.path.join(ROOT, "src")
SECTION = "## Layers of the core"

CRATE_PATH = re.compile(r"\bcrate::(\{[^}]*\}|\w+)", re.S)
SUPER_CHAIN = re.compile(r"\bsuper::((?:super::)*)(\{[^}]*\}|\w+)", re.S)
PUB_USE = re.compile(r"^pub use (\w+)::(\{[^}]*\}|\w+);", re.M | re.S)


def read_layers(doc_path):
    """[(layer number, [module, ...])] from the section's table, bottom layer first."""
    with open(doc_path, encoding="utf-8") as f:
        text = f.read()
    start = text.find(SECTION)
    if start < 0:
        raise SystemExit(f"{doc_path}: no '{SECTION}' section")
    layers = []
    for line in text[start:].splitlines()[1:]:
        if line.startswith("## "):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2 or not cells[0].isdigit():
            continue
        layers.append((int(cells[0]), re.findall(r"`(\w+)`", cells[1])))
    if not layers:
        raise SystemExit(f"{doc_path}: the '{SECTION}' section has no table of layers")
    return sorted(layers)


def strip_comments(text):
    """Source without `//` comments (doc comments included) and `/* */` blocks."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(re.sub(r"//.*", "", line) for line in text.splitlines())


def first_names(group):
    """`{a, b::c, self}` or `a` -> the first segment of each path."""
    group = group.strip("{}")
    names = []
    for part in group.split(","):
        part = part.strip()
        if part:
            names.append(re.split(r"\W", part, maxsplit=1)[0])
    return names


def modules_of(src):
    """{module: [files]} for each top-level module of src/ (lib.rs and main.rs left out)."""
    mods = {}
    for entry in sorted(os.listdir(src)):
        path = os.path.join(src, entry)
        if entry.endswith(".rs") and entry not in ("lib.rs", "main.rs"):
            mods.setdefault(entry[:-3], []).append(path)
        elif os.path.isdir(path):
            for dirpath, _, files in os.walk(path):
                mods.setdefault(entry, []).extend(
                    os.path.join(dirpath, f) for f in sorted(files) if f.endswith(".rs")
                )
    return mods


def reexports(src):
    """{name: module} for the crate root's `pub use module::{...}` lines."""
    out = {}
    lib = os.path.join(src, "lib.rs")
    if os.path.exists(lib):
        with open(lib, encoding="utf-8") as f:
            for module, group in PUB_USE.findall(strip_comments(f.read())):
                for name in first_names(group):
                    out[name] = module
    return out


def depth_in(src, module, path):
    """How many `super::` lead from `path` up to the crate root."""
    rel = os.path.relpath(path, os.path.join(src, module))
    if rel.startswith(".."):  # src/module.rs is `module`: one `super::` reaches the root
        return 1
    parts = rel.split(os.sep)
    # src/m/mod.rs is `m` (1), src/m/x.rs is `m::x` (2), src/m/s/mod.rs is `m::s` (2), ...
    return len(parts) if parts[-1] == "mod.rs" else len(parts) + 1


def edges(src):
    """{module: {imported module: first file that imports it}}."""
    mods = modules_of(src)
    names = reexports(src)
    out = {}
    for module, files in mods.items():
        found = out.setdefault(module, {})
        for path in files:
            with open(path, encoding="utf-8") as f:
                text = strip_comments(f.read())
            targets = []
            for group in CRATE_PATH.findall(text):
                targets.extend(first_names(group))
            # `super::` chains that climb to the crate root from a nested file.
            depth = depth_in(src, module, path)
            for supers, group in SUPER_CHAIN.findall(text):
                if supers.count("super::") + 1 == depth:
                    targets.extend(first_names(group))
            for name in targets:
                target = name if name in mods else names.get(name)
                if name in ("self", "super") or target is None or target == module:
                    continue
                found.setdefault(target, os.path.relpath(path, os.path.dirname(src)))
    return out


def check(src, doc_path):
    """The problems found, one line each (empty when the rule holds)."""
    layers = read_layers(doc_path)
    layer_of = {}
    problems = []
    for number, mods in layers:
        for m in mods:
            if m in layer_of:
                problems.append(f"{doc_path}: `{m}` is listed in layers {layer_of[m]} and {number}")
            layer_of[m] = number
    graph = edges(src)
    for module in sorted(graph):
        if module not in layer_of:
            problems.append(
                f"src/{module}: a module the layer table of {os.path.basename(doc_path)} does "
                "not list; give it a layer (it may import only from layers below it)"
            )
            continue
        for target, where in sorted(graph[module].items()):
            if target not in layer_of:
                continue  # reported as a module of its own
            if layer_of[target] >= layer_of[module]:
                problems.append(
                    f"{where}: `{module}` (layer {layer_of[module]}) imports `{target}` "
                    f"(layer {layer_of[target]}); a module imports only from layers below it, "
                    "so this would allow an import circle"
                )
    return problems


def self_test():
    """The check passes on the real tree and fails on two planted circles."""
    failures = []
    if check(SRC, DOC):
        failures.append("the real src/ does not pass")
    with tempfile.TemporaryDirectory() as tmp:
        # 1. A tiny crate of its own: a -> b -> a.
        src = os.path.join(tmp, "tiny", "src")
        os.makedirs(os.path.join(src, "b"))
        doc = os.path.join(tmp, "tiny", "architecture.md")
        with open(doc, "w", encoding="utf-8") as f:
            f.write(f"{SECTION}\n\n| layer | modules |\n|---|---|\n| 0 | `a` |\n| 1 | `b` |\n")
        with open(os.path.join(src, "lib.rs"), "w", encoding="utf-8") as f:
            f.write("mod a;\nmod b;\npub use b::Thing;\n")
        with open(os.path.join(src, "a.rs"), "w", encoding="utf-8") as f:
            f.write("// crate::b in a comment is no import\npub fn f() {}\n")
        with open(os.path.join(src, "b", "mod.rs"), "w", encoding="utf-8") as f:
            f.write("mod inner;\npub struct Thing;\n")
        with open(os.path.join(src, "b", "inner.rs"), "w", encoding="utf-8") as f:
            f.write("use super::super::a::f;\n")
        if check(src, doc):
            failures.append(f"the tiny crate without a circle fails: {check(src, doc)}")
        with open(os.path.join(src, "a.rs"), "a", encoding="utf-8") as f:
            f.write("fn g() -> crate::Thing { crate::Thing }\n")  # a -> b via a re-export
        if not any("`a` (layer 0) imports `b`" in p for p in check(src, doc)):
            failures.append("a circle through a re-exported name is not found")
        # 2. The real tree with one downward import turned around: protocol -> client.
        copy = os.path.join(tmp, "real", "src")
        shutil.copytree(SRC, copy)
        with open(os.path.join(copy, "protocol.rs"), "a", encoding="utf-8") as f:
            f.write("\n#[allow(dead_code)]\nfn planted(c: &crate::client::Client) {}\n")
        if not any("`protocol`" in p and "imports `client`" in p for p in check(copy, DOC)):
            failures.append("a planted protocol -> client import is not found")
        # 3. A new module nobody placed.
        with open(os.path.join(copy, "newcomer.rs"), "w", encoding="utf-8") as f:
            f.write("use crate::error::Error;\n")
        if not any("src/newcomer" in p for p in check(copy, DOC)):
            failures.append("a module missing from the table is not reported")
    for f in failures:
        print(f"check_layers self-test: {f}", file=sys.stderr)
    if not failures:
        print("check_layers self-test: ok (planted circles and an unplaced module are caught)")
    return 1 if failures else 0


def main(argv):
    if "--self-test" in argv:
        return self_test()
    if "--edges" in argv:
        for module, targets in sorted(edges(SRC).items()):
            print(f"{module}: {' '.join(sorted(targets))}")
        return 0
    return report(
        "check_layers",
        check(SRC, DOC),
        "the layers are in docs/architecture.md",
        "ok (every src/ module imports only from layers below it)",
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
