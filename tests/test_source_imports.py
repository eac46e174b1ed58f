"""Read commands never import the network or feed-parsing stack; the source commands do."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

HEAVY = {"httpx", "httpcore", "h11", "anyio", "ssl", "feedparser", "sgmllib"}


def imported_by(*args: str) -> set[str]:
    """Top-level modules a real `python -X importtime -m hstracker ...` imported."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "hstracker", *args],
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=60,
        check=False,
    )
    assert "import time:" in result.stderr
    return {
        line.rsplit("|", 1)[1].strip().split(".")[0]
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


@pytest.mark.parametrize("command", ["status", "cast", "news"])
def test_read_commands_do_not_import_sources(command: str) -> None:
    found = imported_by(command)
    assert "hstracker" in found and "rich" in found  # the probe sees real imports
    assert not found & HEAVY, found & HEAVY


def test_only_the_commands_that_fetch_import_them() -> None:
    assert not imported_by("feeds", "list") & HEAVY
    assert not imported_by("sync", "--help") & HEAVY
    assert "httpx" in imported_by("feeds", "pull")  # the probe does see them when used
