"""Every test gets its own store folder, a pinned clock and a fixed terminal width."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hstracker import clock
from hstracker.cli.app import app

# the local HTTP server fixtures (server, tvmaze, wikidata, openlibrary) for every test that
# names them
pytest_plugins = ["httpserver", "living_sources"]

NOW = "2026-11-24T12:00:00+00:00"


@pytest.fixture(autouse=True)
def _isolated(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("HSTRACKER_HOME", str(home))
    # sync's pace ledger: a cache, kept apart from what a test checks is left unchanged
    monkeypatch.setenv("HSTRACKER_CACHE", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("HSTRACKER_NOW", NOW)
    # a pinned clock runs forward from when the process started; in-process runs share one
    # process, so each test starts its clock afresh, whatever order the tests run in
    monkeypatch.setattr(clock, "_STARTED", time.monotonic())
    # nothing reaches the internet: a source no test routes refuses the connection at once
    for source in ("TVMAZE", "WIKIDATA", "OPENLIBRARY"):
        monkeypatch.setenv(f"HSTRACKER_{source}_URL", "http://127.0.0.1:9/")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("LINES", "50")
    for name in ("FORCE_COLOR", "NO_COLOR", "TERM", "HSTRACKER_LOCK_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def home(_isolated: Path) -> Path:
    return _isolated


class Run:
    """Run the real CLI in-process and keep stdout and stderr apart."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, code: int | None = 0, **env: str) -> Any:
        return self.invoke(args, code, env)

    def invoke(self, args: Sequence[str], code: int | None, env: dict[str, str]) -> Any:
        result = self.runner.invoke(app, list(args), env=env or None, catch_exceptions=False)
        if code is not None:
            assert result.exit_code == code, (
                f"exit {result.exit_code}, wanted {code}\n"
                f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
            )
        return result

    def json(self, *args: str, **env: str) -> Any:
        return json.loads(self.invoke([*args, "--json"], 0, env).stdout)


@pytest.fixture
def run() -> Run:
    return Run()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below folder with its bytes, to prove nothing changed."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


@pytest.fixture
def cli_subprocess(home: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run `python -m hstracker` in a child process with the test's environment."""

    def call(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, **kwargs.pop("env", {})}
        return subprocess.run(
            [sys.executable, "-m", "hstracker", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=kwargs.pop("timeout", 60),
            check=False,
            **kwargs,
        )

    return call


def write_copy(home: Path, data: bytes, slug: str = "heartstopper") -> None:
    """A fan's copy of a show written by hand, recorded as holding today's shipped data (so
    the upgrade merge leaves it as written)."""
    from hstracker.store import upgrade

    (home / "shows").mkdir(parents=True, exist_ok=True)
    (home / "shows" / f"{slug}.json").write_bytes(data)
    found = upgrade.shipped(slug)
    if found is not None:
        personal = home / "personal.json"
        mine = json.loads(personal.read_bytes()) if personal.exists() else {}
        mine.setdefault("shipped", {})[slug] = found[1]
        personal.write_text(json.dumps(mine), encoding="utf-8")
