"""Every ```python block of bindings/python/README.md (the package's PyPI page) runs,
each in a fresh interpreter, against a sandbox: the example credentials are replaced by
the sandbox's and its endpoint, and a ``test_*`` function a block defines is called with
a sandbox as ``nameauth_sandbox``."""

import os
import re
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
README = os.path.join(HERE, "..", "README.md")
CREDENTIALS = '"wx1234567890abcdef", "your-src", "your-key")'

PRELUDE = """\
import nameauth
from nameauth.testing import Sandbox, sandbox

_sb = Sandbox()
_sb.add_fixture(
    "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
    {"status": 1, "truename": "张三", "creid": "110101199003074477"},
)
_sb.add_fixture("oLiSi", {"status": 1, "truename": "李四", "creid": "11010519491231002X"})
client = _sb.client()  # for the blocks that continue an earlier one
"""

EPILOGUE = """
for _name, _f in list(globals().items()):
    if _name.startswith("test_") and callable(_f):
        with sandbox() as _each:
            _f(_each)
        print("ran", _name)
"""


def blocks():
    with open(README, encoding="utf-8") as f:
        return re.findall(r"```python\n(.*?)```", f.read(), re.S)


def test_the_readme_has_its_examples():
    found = blocks()
    assert len(found) >= 6
    assert any(CREDENTIALS in b for b in found)


@pytest.mark.parametrize("index", range(len(blocks())))
def test_each_readme_block_runs(index):
    block = blocks()[index]
    code = block.replace(CREDENTIALS, "_sb.appid, _sb.src, _sb.key, endpoint=_sb.endpoint)")
    p = subprocess.run(
        [sys.executable, "-c", PRELUDE + code + EPILOGUE],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert p.returncode == 0, p.stderr
    # A printed result the block states in a comment is what it prints.
    for line in block.splitlines():
        stated = re.match(r"\s*print\(.*\)\s*#\s*(.+)$", line)
        if stated:
            assert stated.group(1) in p.stdout.splitlines()
    if "def test_" in block:
        assert "ran test_" in p.stdout
