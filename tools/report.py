"""How the tools/check_*.py scripts end: each problem on stderr, then a count and where to
read more (exit status 1), or the tool's one ok line (exit status 0).

Imported by the scripts beside it (Python puts a script's own folder first on sys.path).
"""

import sys


def report(tool, problems, hint, ok):
    """Prints `problems` (strings) and returns the exit status; `ok` is printed if none."""
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"{tool}: {len(problems)} problem(s); {hint}", file=sys.stderr)
        return 1
    print(f"{tool}: {ok}")
    return 0
