"""A daemon thread inside one of our methods while the interpreter exits, in the orders
the exit hook (bindings/python/src/exit.rs) must cover besides a blocking call: the
caller's own code run by our frames (a ``verify_many`` generator), and a constructor whose
work ends while the interpreter finalizes. CPython ends a thread that takes the GIL then,
through our frames; each run must still exit with the program's own status."""

import os
import subprocess
import sys
import textwrap

import pytest

from nameauth.testing import sandbox

# Keeps the interpreter finalizing for a while: its module is torn down after the exit
# hooks, when CPython ends any other thread that takes the GIL. `before` runs first.
LINGER = textwrap.dedent(
    """
    import os, sys, threading, time, types
    import nameauth

    endpoint, appid, src, key, fifo = sys.argv[1:6]

    class Linger:
        def __init__(self, before):
            self.before, self.sleep = before, time.sleep

        def __del__(self):
            self.before()
            self.sleep(2.5)

    def linger(before=None):
        m = types.ModuleType("linger")
        m.linger = Linger(before or (lambda: None))
        sys.modules["linger"] = m

    """
)

PROGRAMS = {
    # The generator sleeps (the GIL released) inside verify_many's frames past the main
    # thread's exit; it yields while the interpreter finalizes unless the exit hook waited
    # for it (before the fix: SIGSEGV in every run).
    "a verify_many generator": """
linger()

def items():
    time.sleep(1.0)
    yield ("oZhangSan", "张三", "110101199003074477")

c = nameauth.Client(appid, src, key, endpoint=endpoint)
threading.Thread(target=c.verify_many, args=(items(),), daemon=True).start()
time.sleep(0.2)
""",
    # The constructor reads ca_file (a FIFO) with the GIL released; the FIFO is written
    # only once the interpreter finalizes, so the build ends then and the thread would take
    # the GIL (before the fix: SIGSEGV in every run).
    "a constructor reading ca_file": """
class Feed:
    def __init__(self):
        self.open, self.write, self.close = os.open, os.write, os.close
        self.flags = os.O_WRONLY

    def __call__(self):
        fd = self.open(fifo, self.flags)
        self.write(fd, b"not a certificate")
        self.close(fd)

linger(Feed())

def build():
    nameauth.Client(appid, src, key, endpoint=endpoint, ca_file=fifo)

threading.Thread(target=build, daemon=True).start()
time.sleep(0.2)
""",
}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs mkfifo")
@pytest.mark.parametrize("order", sorted(PROGRAMS))
def test_a_daemon_thread_in_our_frames_at_exit_never_crashes(tmp_path, order):
    program = tmp_path / "exit_order.py"
    program.write_text(LINGER + PROGRAMS[order], encoding="utf-8")
    fifo = tmp_path / "ca.fifo"
    os.mkfifo(fifo)
    with sandbox() as sb:
        argv = [sys.executable, str(program), sb.endpoint, sb.appid, sb.src, sb.key, str(fifo)]
        p = subprocess.run(argv, capture_output=True, timeout=120)
    assert p.returncode == 0, (p.returncode, p.stderr.decode(errors="replace")[-2000:])
