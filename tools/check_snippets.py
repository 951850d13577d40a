#!/usr/bin/env python3
"""Every code block of the project's docs is tested: `make lint-docs` fails otherwise.

The docs are README.md, CONTRIBUTING.md, CHANGELOG.md and docs/*.md (each binding's
README is its package's page and has its own test: bindings/python/tests/test_readme.py,
bindings/java's ReadmeTest, ...). The line right before each fenced block (a blank line
may come between) is an HTML comment that says how the block is kept true:

    <!-- from: PATH -->      the block's lines are a run of consecutive lines of PATH (a
                             file the tests build and run: an example, a test, a binding's
                             README that its own test runs). Lines are compared without
                             their leading and trailing white space and without a leading
                             `//!` or `///` (doc tests); blank lines are left out.
    <!-- run-by: PATH -->    PATH is a test that reads this doc and runs its blocks (it
                             must name the doc's file).
    <!-- commands -->        shell lines: every `make TARGET` in them is a target that
                             `make help` lists, and every path they name exists.
    <!-- output: make T -->  what a command printed (a dated table, a demo): the block has
                             no language, and T is a target `make help` lists, so the
                             command that reruns it is real.
    <!-- ini-keys: PATH -->  php.ini lines a test writes with its own paths: every `key=` of
                             the block is set in PATH too (no setting the test leaves out).
    <!-- figure -->          a drawing or a listing (the crates' diagram, the repository's
                             layout): the block has no language, so no code hides in it.

A block without such a comment, or whose comment no longer holds, is an error that names
the file, the line and what differs. So is a relative link `[text](path)` to a file that
does not exist (the docs moved out of the README: their links must follow).

    python3 tools/check_snippets.py              # check the docs
    python3 tools/check_snippets.py --self-test  # plant bad blocks; each must be caught
"""

import glob
import os
import re
import subprocess
import sys
import tempfile

from report import report

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FENCE = re.compile(r"^(\s*)```(\S*)\s*$")
MARKER = re.compile(
    r"^\s*<!--\s*(from|run-by|commands|output|figure|ini-keys)\s*:?\s*(.*?)\s*-->\s*$"
)
MAKE_WORD = re.compile(r"\bmake\s+((?:-s\s+)?[a-z][a-z0-9-]*)")
PATH_WORD = re.compile(
    r"(?<![\w./$-])((?:examples|bindings|crates|tools|tests|docs|include|benches|fuzz|src)/[\w./-]+)"
)


def doc_files(root):
    names = ["README.md", "CONTRIBUTING.md", "CHANGELOG.md"]
    names += sorted(os.path.relpath(p, root) for p in glob.glob(os.path.join(root, "docs", "*.md")))
    return [n for n in names if os.path.exists(os.path.join(root, n))]


def blocks(text):
    """(line number of the fence, language, marker or None, block lines) per block."""
    lines = text.split("\n")
    out = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        start, lang = i, m.group(2)
        j = i + 1
        while j < len(lines) and not lines[j].strip().startswith("```"):
            j += 1
        k = start - 1
        while k >= 0 and not lines[k].strip():
            k -= 1
        marker = MARKER.match(lines[k]) if k >= 0 and start - k <= 2 else None
        out.append((start + 1, lang, marker, lines[start + 1 : j]))
        i = j + 1
    return out


def norm(line):
    s = line.strip()
    for prefix in ("//!", "///"):
        if s.startswith(prefix):
            s = s[len(prefix) :].strip()
    return s


def contiguous_in(block, text):
    want = [norm(b) for b in block if norm(b)]
    have = [norm(h) for h in text.split("\n") if norm(h)]
    if not want:
        return True
    for i in range(len(have) - len(want) + 1):
        if have[i : i + len(want)] == want:
            return True
    return False


def make_targets(root):
    out = subprocess.run(
        ["make", "-s", "--no-print-directory", "help"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {ln.split()[0] for ln in out.splitlines() if ln.startswith("  ") and ln.split()}


LINK = re.compile(r"\]\(([^)\s]+)\)")


def broken_links(root, name, text):
    out = []
    base = os.path.dirname(os.path.join(root, name))
    for n, ln in enumerate(text.split("\n"), 1):
        for target in LINK.findall(ln):
            path = target.split("#", 1)[0]
            if not path or re.match(r"^[a-z]+:", path):
                continue
            if not os.path.exists(os.path.normpath(os.path.join(base, path))):
                out.append(f"{name}:{n}: the link ({target}) leads to no file")
    return out


def check_doc(root, name, targets):
    problems = []
    with open(os.path.join(root, name), encoding="utf-8") as f:
        text = f.read()
    problems += broken_links(root, name, text)
    for line, lang, marker, body in blocks(text):
        where = f"{name}:{line}"
        if marker is None:
            problems.append(
                f"{where}: a ```{lang} block without a marker line (tools/check_snippets.py)"
            )
            continue
        kind, arg = marker.group(1), marker.group(2)
        if kind in ("from", "run-by", "ini-keys"):
            target = file_text(root, arg)
            if target is None:
                problems.append(f"{where}: {kind}: {arg} does not exist")
            elif kind == "from":
                if not contiguous_in(body, target):
                    problems.append(
                        f"{where}: the block is not a run of lines of {arg} (it drifted)"
                    )
            elif kind == "run-by":
                if os.path.basename(name) not in target:
                    problems.append(f"{where}: {arg} does not read {name}")
            else:
                have = {ln.split("=", 1)[0].strip() for ln in target.split("\n") if "=" in ln}
                for ln in body:
                    key = ln.split("=", 1)[0].strip()
                    if "=" in ln and key not in have:
                        problems.append(f"{where}: {key} is not set in {arg}")
        elif kind == "commands":
            for n, ln in enumerate(body):
                for t in MAKE_WORD.findall(ln):
                    t = t.replace("-s", "").strip()
                    if t not in targets:
                        problems.append(
                            f"{name}:{line + 1 + n}: make {t}: no such target in make help"
                        )
                for p in PATH_WORD.findall(ln):
                    p = p.rstrip(".,;:)")
                    if "*" not in p and not os.path.exists(os.path.join(root, p)):
                        problems.append(f"{name}:{line + 1 + n}: {p} does not exist")
        elif kind == "figure":
            if lang not in ("", "text"):
                problems.append(f"{where}: a figure has no language (```{lang})")
        elif kind == "output":
            if lang not in ("", "text"):
                problems.append(f"{where}: an output block has no language (```{lang})")
            m = re.fullmatch(r"make\s+([a-z][a-z0-9-]*)(\s.*)?", arg)
            if not m or m.group(1) not in targets:
                problems.append(
                    f"{where}: output: `{arg}` is not `make <a target make help lists>`"
                )
    return problems


def file_text(root, rel):
    """The text of the file a marker names (relative to `root`); None if there is none."""
    path = os.path.join(root, rel)
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as f:
        return f.read()


def check(root, targets=None):
    if targets is None:
        targets = make_targets(root)
    problems = []
    for name in doc_files(root):
        problems += check_doc(root, name, targets)
    return problems


def self_test():
    """Plants each kind of bad block in a scratch tree; every one must be reported."""
    with tempfile.TemporaryDirectory() as tmp:
        os.makedirs(os.path.join(tmp, "docs"))
        os.makedirs(os.path.join(tmp, "examples"))
        with open(os.path.join(tmp, "examples", "ex.c"), "w", encoding="utf-8") as f:
            f.write("int main(void) {\n  return run();\n}\n")
        with open(os.path.join(tmp, "examples", "t.py"), "w", encoding="utf-8") as f:
            f.write("# runs every block of docs/good.md\n")
        good = (
            "<!-- from: examples/ex.c -->\n```c\n  return run();\n}\n```\n"
            "<!-- run-by: examples/t.py -->\n\n```python\nx = 1\n```\n"
            "<!-- commands -->\n```sh\nmake demo  # examples/ex.c\n```\n"
            "<!-- output: make demo -->\n```\nA verified\n```\n"
            "<!-- figure -->\n```\n  a -> b\n```\n"
        )
        bad = {
            "unmarked": "```c\nint x;\n```\n",
            "drifted": "<!-- from: examples/ex.c -->\n```c\n  return run(1);\n```\n",
            "not contiguous": "<!-- from: examples/ex.c -->\n```c\nint main(void) {\n}\n```\n",
            "missing file": "<!-- from: examples/gone.c -->\n```c\nx\n```\n",
            "runner ignores doc": "<!-- run-by: examples/ex.c -->\n```python\nx\n```\n",
            "unknown target": "<!-- commands -->\n```sh\nmake tset\n```\n",
            "missing path": "<!-- commands -->\n```sh\ncc examples/gone.c\n```\n",
            "output with language": "<!-- output: make demo -->\n```rust\nA\n```\n",
            "output without target": "<!-- output: cargo run -->\n```\nA\n```\n",
            "ini key not in test": "<!-- ini-keys: examples/t.py -->\n```ini\nffi.enable=1\n```\n",
            "broken link": "See [the options](configuration.md).\n",
            "figure with code": "<!-- figure -->\n```c\nint x;\n```\n",
        }
        targets = {"demo", "test"}
        with open(os.path.join(tmp, "docs", "good.md"), "w", encoding="utf-8") as f:
            f.write(good)
        found = check(tmp, targets)
        if found:
            print("self-test: a good doc was refused:", *found, sep="\n  ", file=sys.stderr)
            return 1
        for what, block in bad.items():
            with open(os.path.join(tmp, "docs", "bad.md"), "w", encoding="utf-8") as f:
                f.write(good + block)
            if not check(tmp, targets):
                print(f"self-test: a block that is {what} went unnoticed", file=sys.stderr)
                return 1
        os.remove(os.path.join(tmp, "docs", "bad.md"))
    print(f"check_snippets self-test: {len(bad)} kinds of bad block caught")
    return 0


def main():
    if "--self-test" in sys.argv[1:]:
        return self_test()
    problems = check(ROOT)
    n = sum(
        len(blocks(open(os.path.join(ROOT, d), encoding="utf-8").read())) for d in doc_files(ROOT)
    )
    return report(
        "check_snippets",
        problems,
        "see tools/check_snippets.py",
        f"{n} code blocks in {len(doc_files(ROOT))} docs, each tested",
    )


if __name__ == "__main__":
    sys.exit(main())
