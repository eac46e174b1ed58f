"""Countdowns at pinned clocks around zone and DST boundaries, and the live --watch view."""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import Run, write_copy
from hstracker.core.countdown import countdown
from hstracker.core.dates import PartialDate
from hstracker.core.installments import find_installment, parse_ref
from hstracker.core.model import Fact, Show, Source
from hstracker.errors import ExitCode
from hstracker.paths import shipped_dir
from hstracker.store.codec import decode, encode

Sub = Callable[..., subprocess.CompletedProcess[str]]


def _show() -> Show:
    return decode((shipped_dir() / "heartstopper.json").read_bytes(), Show)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def _film_released(value: str | None) -> Show:
    show = _show()
    film = find_installment(show, parse_ref("film"))
    film.release = (
        None if value is None else Fact(value=PartialDate.parse(value), source=Source(name="t"))
    )
    return show


# (installment, its release if changed, now, target UTC, seconds, released)
INSTANTS = [
    # Season 3: 2024-10-03 00:00 PDT, an exact instant
    ("s3", None, "2024-10-03T06:58:00Z", "2024-10-03T07:00:00Z", 120, False),
    ("s3", None, "2024-10-03T06:59:59Z", "2024-10-03T07:00:00Z", 1, False),
    ("s3", None, "2024-10-03T07:00:00Z", "2024-10-03T07:00:00Z", 0, True),
    ("s3", None, "2024-10-03T00:00:00-07:00", "2024-10-03T07:00:00Z", 0, True),
    ("s3", None, "2024-10-03T07:00:01Z", "2024-10-03T07:00:00Z", -1, True),
    # Season 2: a date in summer counts to midnight Pacific daylight time
    ("s2", None, "2023-08-03T03:00:00Z", "2023-08-03T07:00:00Z", 4 * 3600, False),
    ("s2", None, "2023-08-03T06:59:59Z", "2023-08-03T07:00:00Z", 1, False),
    ("s2", None, "2023-08-03T07:00:00Z", "2023-08-03T07:00:00Z", 0, True),
    # a winter date counts to midnight Pacific standard time
    ("film", "2026-12-20", "2026-12-20T07:59:59Z", "2026-12-20T08:00:00Z", 1, False),
    ("film", "2026-12-20", "2026-12-20T08:00:00Z", "2026-12-20T08:00:00Z", 0, True),
    # the US spring-forward day (2027-03-14 02:00): its midnight is still standard time
    ("film", "2027-03-14", "2027-03-13T08:00:00Z", "2027-03-14T08:00:00Z", 86400, False),
    ("film", "2027-03-15", "2027-03-14T08:00:00Z", "2027-03-15T07:00:00Z", 23 * 3600, False),
    # the US fall-back day (2026-11-01 02:00): its midnight is still daylight time
    ("film", "2026-11-01", "2026-10-31T07:00:00Z", "2026-11-01T07:00:00Z", 86400, False),
    ("film", "2026-11-02", "2026-11-01T07:00:00Z", "2026-11-02T08:00:00Z", 25 * 3600, False),
    # an instant given with an offset and no zone
    ("film", "2026-12-20T09:00+01:00", "2026-12-20T07:59:00Z", "2026-12-20T08:00:00Z", 60, False),
]  # fmt: skip


@pytest.mark.parametrize(("key", "release", "now", "target", "seconds", "released"), INSTANTS)
def test_countdown_to_instants_and_days(
    key: str, release: str | None, now: str, target: str, seconds: int, released: bool
) -> None:
    show = _film_released(release) if release else _show()
    cd = countdown(show, find_installment(show, parse_ref(key)), _at(now))
    assert cd.target == _at(target)
    assert cd.seconds == seconds
    assert cd.released is released
    assert cd.overdue is False
    is_day = key == "s2" or len(release or "") == len("2026-12-20")
    assert cd.assumed_zone == ("America/Los_Angeles" if is_day else None)


# (release window, now, window end UTC, seconds, overdue)
WINDOWS = [
    ("2026", "2026-11-24T12:00:00Z", "2027-01-01T08:00:00Z", 3268800, False),
    ("2026", "2027-01-01T07:59:59Z", "2027-01-01T08:00:00Z", 1, False),
    ("2026", "2027-01-01T08:00:00Z", "2027-01-01T08:00:00Z", 0, True),
    ("2026", "2027-02-01T08:00:00Z", "2027-01-01T08:00:00Z", -31 * 86400, True),
    # October ends before the US clocks go back, so its end is in daylight time
    ("2024-10", "2024-10-31T06:59:00Z", "2024-11-01T07:00:00Z", 86460, False),
    ("2026-12", "2026-12-31T12:00:00Z", "2027-01-01T08:00:00Z", 20 * 3600, False),
]


@pytest.mark.parametrize(("release", "now", "end", "seconds", "overdue"), WINDOWS)
def test_windows_count_to_their_end(
    release: str, now: str, end: str, seconds: int, overdue: bool
) -> None:
    show = _film_released(release)
    cd = countdown(show, find_installment(show, parse_ref("film")), _at(now))
    assert cd.precision == ("year" if len(release) == 4 else "month")
    assert cd.window_end == _at(end)
    assert cd.target == _at(end)
    assert cd.seconds == seconds
    assert cd.overdue is overdue


def test_tba_has_no_target() -> None:
    show = _film_released(None)
    cd = countdown(show, find_installment(show, parse_ref("film")), _at("2026-11-24T12:00:00Z"))
    assert (cd.precision, cd.target, cd.seconds, cd.overdue) == ("tba", None, None, False)


def test_json_fields(cli_subprocess: Sub) -> None:
    # a child process: its clock starts fresh, however long this test session has run
    env = {"HSTRACKER_NOW": "2024-10-03T06:58:00Z"}
    data = json.loads(cli_subprocess("countdown", "s3", "--json", env=env).stdout)
    assert {"installment", "target", "precision", "seconds", "window_end", "overdue",
            "assumed_zone"} <= set(data)  # fmt: skip
    assert data["installment"] == "s3"
    assert data["target"] == "2024-10-03T07:00:00Z"
    assert data["precision"] == "instant"
    assert 100 <= data["seconds"] <= 120
    assert data["window_end"] is None
    assert data["overdue"] is False
    assert data["assumed_zone"] is None


def test_json_defaults_to_the_next_installment_a_window(run: Run) -> None:
    data = run.json("countdown")
    assert data["installment"] == "film"
    assert data["precision"] == "year"
    assert data["window_end"] == "2027-01-01T08:00:00Z"
    assert data["assumed_zone"] == "America/Los_Angeles"
    assert data["overdue"] is False
    overdue = run.json("countdown", HSTRACKER_NOW="2027-03-01T00:00:00Z")
    assert overdue["overdue"] is True and overdue["seconds"] < 0


def test_window_and_overdue_text(run: Run) -> None:
    out = run("countdown").stdout
    assert "No exact date: this counts to the end of the year window 2026." in out
    assert "Fri 1 Jan 2027 00:00 PST" in out
    out = run("countdown", HSTRACKER_NOW="2027-03-01T00:00:00Z").stdout
    assert "Overdue: the year window (2026) closed" in out


def test_tba_text(run: Run, home: Path) -> None:
    write_copy(home, encode(_film_released(None)))
    assert "TBA: no release date or window announced." in run("countdown").stdout
    assert run.json("countdown")["target"] is None


def test_nothing_next_is_not_an_error(run: Run) -> None:
    run("add-news", "Forever is out", "--date", "2026-11-24", "--source", "Netflix",
        "--season", "film", "--set", "state=released")  # fmt: skip
    result = run("countdown")  # exit 0: everything being out is no mistake of the fan's
    assert "Nothing announced after the last release." in result.stdout
    assert result.stderr == ""


def test_unknown_ref(run: Run) -> None:
    assert "no installment 's8'" in run("countdown", "s8", code=3).stderr


@pytest.mark.parametrize(
    ("tz", "local"),
    [
        ("Europe/London", "Thu 3 Oct 2024 08:00 BST"),
        ("America/New_York", "Thu 3 Oct 2024 03:00 EDT"),
    ],
)
def test_exact_release_in_the_fans_zone_and_the_source_zone(
    cli_subprocess: Sub, tz: str, local: str
) -> None:
    # the clock is in winter (GMT), the release in summer time: each instant gets its own offset
    env = {"TZ": tz, "HSTRACKER_NOW": "2024-10-03T06:58:00Z"}
    out = cli_subprocess("countdown", "s3", env=env).stdout
    assert f"Release {local}  ·  Thu 3 Oct 2024 00:00 PDT" in out
    assert "1 min 5" in out
    assert "assumed" not in out


def test_a_date_says_the_zone_is_assumed(cli_subprocess: Sub, run: Run) -> None:
    run("add-news", "Forever gets a date", "--date", "2026-11-24", "--source", "Netflix",
        "--season", "film", "--set", "release=2026-12-20")  # fmt: skip
    out = cli_subprocess("countdown", env={"TZ": "Europe/London"}).stdout
    assert "Release Sun 20 Dec 2026 08:00 GMT  ·  Sun 20 Dec 2026 00:00 PST" in out
    assert "the time zone is assumed: Netflix releases at 00:00 America/Los_Angeles" in out
    assert "25 days 20 h 0 min 0 s to go" in out or "25 days 19 h 59 min 5" in out


def test_watch_without_a_terminal_prints_once(run: Run) -> None:
    out = run("countdown", "--watch").stdout
    assert out.count("Heartstopper: Heartstopper Forever") == 1


def _pty_watch(
    home: Path,
    now: str,
    until: bytes,
    interrupt: bool,
    term: str = "xterm",
    signum: int = signal.SIGINT,
) -> tuple[int, bytes]:
    """Run `countdown --watch` on a pseudo-terminal; read until `until`, maybe send signum."""
    master, slave = os.openpty()
    env = {**os.environ, "HSTRACKER_HOME": str(home), "HSTRACKER_NOW": now, "TERM": term}
    proc = subprocess.Popen(
        [sys.executable, "-m", "hstracker", "countdown", "--watch"],
        stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True,
    )  # fmt: skip
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 30
    try:
        while until not in seen and time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    seen += os.read(master, 65536)
                except OSError:
                    break
        if interrupt:
            proc.send_signal(signum)
        code = proc.wait(timeout=30)
        while True:
            ready, _, _ = select.select([master], [], [], 0.2)
            if not ready:
                break
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    return code, seen


def test_watch_ticks_and_ends_cleanly_on_ctrl_c(home: Path) -> None:
    # two frames a second apart: the clock starts at HSTRACKER_NOW and runs forward
    code, out = _pty_watch(home, "2024-10-03T06:58:00Z", b"1 min 58 s", interrupt=True)
    assert b"1 min 59 s to go" in out
    assert b"1 min 58 s to go" in out
    assert code in (0, 130)
    assert b"Traceback" not in out


HIDE_CURSOR, SHOW_CURSOR = b"\x1b[?25l", b"\x1b[?25h"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=str)
def test_a_signal_that_ends_the_watch_restores_the_cursor(home: Path, signum: int) -> None:
    code, out = _pty_watch(home, "2024-10-03T06:58:00Z", b"1 min 59 s", True, signum=signum)
    assert HIDE_CURSOR in out
    assert out.rfind(SHOW_CURSOR) > out.rfind(HIDE_CURSOR)  # the terminal is left as it was
    assert code == ExitCode.INTERRUPTED
    assert out.count(b"hstracker: interrupted.") == 1
    assert b"Traceback" not in out


def test_watch_shows_the_release_when_the_target_is_reached(home: Path) -> None:
    code, out = _pty_watch(home, "2024-10-03T06:59:58Z", b"is out!", interrupt=False)
    assert b"Season 3 is out!" in out
    assert b"1 s to go" in out
    assert code == 0
    assert b"Traceback" not in out


def test_watch_on_a_dumb_terminal_prints_lines_then_the_release(home: Path) -> None:
    # TERM=dumb cannot move the cursor, so a live view would show nothing until Ctrl-C
    code, out = _pty_watch(home, "2024-10-03T06:59:57Z", b"is out!", interrupt=False, term="dumb")
    assert code == 0
    text = out.decode()
    assert re.search(r"Season 3: \d s to go", text)  # a line at once
    assert "Season 3 is out!" in text
    assert "\x1b[" not in text  # no cursor movement or colour a dumb terminal cannot show
