"""`status` marks what is new since the fan last looked, and records the look safely."""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

from conftest import Run, snapshot

FIRST = "2026-11-24T12:00:00+00:00"
LATER = "2026-11-25T09:00:00+00:00"
LATEST = "2026-11-26T09:00:00+00:00"


def _looked(home: Path) -> str | None:
    path = home / "personal.json"
    if not path.exists():
        return None
    progress = json.loads(path.read_text())["progress"].get("heartstopper", {})
    value: str | None = progress.get("last_looked")
    return value


def _add_dated_film(run: Run) -> None:
    run("add-news", "Forever gets a date", "--date", "2026-11-25", "--source", "Netflix",
        "--season", "film", "--tag", "release-date", "--set", "release=2026-12-20",
        HSTRACKER_NOW=LATER)  # fmt: skip


def test_first_look_marks_nothing_and_records_the_look(run: Run, home: Path) -> None:
    out = run("status").stdout
    assert "New since you last looked" not in out
    assert " new " not in out
    assert (_looked(home) or "").startswith("2026-11-24T12:")  # the pinned clock runs on


def test_news_and_fact_changes_added_since_are_marked(run: Run, home: Path) -> None:
    run("status")
    _add_dated_film(run)
    out = run("status", HSTRACKER_NOW=LATEST).stdout
    assert "new Forever gets a date" in out
    assert "new The sixth" not in out
    line = " ".join(out.split())
    assert "New since you last looked (24 Nov 2026 12:" in line
    assert "UTC): 1 news item (marked new); changed: Heartstopper Forever release." in line
    assert (_looked(home) or "").startswith("2026-11-26T09:")
    again = run("status", HSTRACKER_NOW="2026-11-27T09:00:00+00:00").stdout
    assert "New since you last looked" not in again
    assert "new Forever" not in again


def test_json_reports_new_items_but_never_records_the_look(run: Run, home: Path) -> None:
    run("status")
    _add_dated_film(run)
    before = snapshot(home)
    data = run.json("status", HSTRACKER_NOW=LATEST)
    fresh = data["new_since_last_looked"]
    assert fresh["since"].startswith("2026-11-24T12:")
    assert len(fresh["news"]) == 1
    assert fresh["facts"] == ["Heartstopper Forever release"]
    assert snapshot(home) == before


def test_a_look_with_nothing_new_writes_nothing(run: Run, home: Path) -> None:
    run("status")
    before = snapshot(home)
    stamp = (home / "personal.json").stat().st_mtime_ns
    run("status", HSTRACKER_NOW=LATEST)
    assert snapshot(home) == before
    assert (home / "personal.json").stat().st_mtime_ns == stamp


def test_a_busy_lock_skips_the_write_without_waiting_or_failing(run: Run, home: Path) -> None:
    home.mkdir(parents=True)
    fd = os.open(home / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        # a long lock timeout would make status wait; it must not even try to wait
        result = run("status", HSTRACKER_LOCK_TIMEOUT="600")
        assert "Heartstopper Forever" in result.stdout
        assert result.stderr == ""
    finally:
        os.close(fd)
    assert _looked(home) is None
    run("status")
    assert _looked(home) is not None


def test_a_refusing_disk_skips_the_write(run: Run, home: Path) -> None:
    # a folder where the lock file belongs makes opening it fail, even for root
    (home / ".lock").mkdir(parents=True)
    result = run("status")
    assert "Heartstopper Forever" in result.stdout
    assert result.stderr == ""
    assert _looked(home) is None
    assert "cannot open the lock file" in run("watched", "s2", code=7).stderr  # writes do fail
