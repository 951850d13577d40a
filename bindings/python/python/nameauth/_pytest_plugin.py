"""The pytest plugin of nameauth (registered by the wheel's ``pytest11`` entry point):
the fixture ``nameauth_sandbox``, a fresh sandbox for each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .testing import Sandbox, sandbox


@pytest.fixture
def nameauth_sandbox() -> Iterator[Sandbox]:
    """A running nameauth sandbox (see ``nameauth.testing.Sandbox``), stopped after the test."""
    with sandbox() as sb:
        yield sb
