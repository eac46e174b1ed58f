"""`hstracker upcoming` and `calendar --all`: every tracked show at a glance."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import vobject
from icalendar import Calendar

from conftest import Run, snapshot
from hstracker import clock


@pytest.fixture(autouse=True)
def _clock_from_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pinned clock runs on from when hstracker was imported; restart it per test, so a
    countdown read late in a long run is still the pinned moment (give or take seconds)."""
    monkeypatch.setattr(clock, "_STARTED", time.monotonic())


@pytest.fixture
def four(run: Run) -> Run:
    """Four shows: an exact day, a month window, a year window, and nothing announced."""
    run("shows", "remove", "heartstopper", "--yes")
    shows = {
        "Moonlight Pages": ("film", "1", "--title", "The Film", "--state", "dated",
                            "--release", "2027-02-01"),
        "Starfall": ("season", "2", "--state", "renewed", "--release", "2027-02"),
        "Year Show": ("season", "1", "--state", "filming", "--release", "2027"),
        "Quiet Ones": ("season", "1", "--state", "released", "--release", "2026-07-10"),
    }  # fmt: skip
    for title, args in shows.items():
        run("shows", "add", title)
        run(
            "add-installment",
            *args,
            "--source",
            "Netflix",
            "--show",
            title.lower().replace(" ", "-"),
        )
    return run


def test_four_shows_in_order_with_the_quiet_one_after(four: Run) -> None:
    out = four("upcoming").stdout
    rows = [line for line in out.splitlines() if "│" in line]
    assert [row.split("│")[0].strip() for row in rows] == [
        "Year Show",
        "Moonlight Pages",
        "Starfall",
    ]
    # a year window starts on 1 Jan; on the 1 Feb tie the day comes before the month window
    assert "window: 2027" in rows[0] and "filming" in rows[0]
    assert "1 Feb 2027" in rows[1] and "in 2 months 7 days" in rows[1]  # the clock runs on
    assert "window: Feb 2027" in rows[2]
    assert out.rstrip().splitlines()[-1] == (
        "nothing announced: Quiet Ones — last: Season 1, 10 Jul 2026"
    )


def test_upcoming_json_has_the_documented_fields(four: Run) -> None:
    doc = four.json("upcoming")
    assert doc["schema"] == "hstracker.upcoming/2"
    assert doc["now"].startswith("2026-11-24T12:00:00")
    got = [(u["show"]["slug"], u["installment"]["key"], u["state"], u["release"], u["precision"])
           for u in doc["upcoming"]]  # fmt: skip
    assert got == [
        ("year-show", "s1", "filming", "2027", "year"),
        ("moonlight-pages", "film", "dated", "2027-02-01", "day"),
        ("starfall", "s2", "renewed", "2027-02", "month"),
    ]
    assert doc["upcoming"][1]["show"] == {"slug": "moonlight-pages", "title": "Moonlight Pages"}
    assert doc["upcoming"][1]["installment"]["title"] == "The Film"
    film = doc["upcoming"][1]["countdown"]
    assert (
        film["target"] == "2027-02-01T00:00:00Z"
        and 0 <= 68 * 86400 + 12 * 3600 - film["seconds"] < 60
    )
    assert doc["upcoming"][0]["countdown"]["window_start"] == "2027-01-01T00:00:00Z"
    (quiet,) = doc["nothing_announced"]
    assert quiet["show"]["slug"] == "quiet-ones" and quiet["last"]["release"] == "2026-07-10"


def test_an_overdue_window_and_a_release_that_came(four: Run) -> None:
    out = four("upcoming", HSTRACKER_NOW="2027-03-05T12:00:00+00:00").stdout
    rows = [line for line in out.splitlines() if "│" in line]
    assert [row.split("│")[0].strip() for row in rows] == ["Year Show", "Starfall"]
    assert "overdue" in rows[1]
    assert "nothing announced: Moonlight Pages — last: The Film, 1 Feb 2027" in out
    doc = four.json("upcoming", HSTRACKER_NOW="2027-03-05T12:00:00+00:00")
    assert doc["upcoming"][1]["countdown"]["overdue"] is True


def test_an_exact_instant_sorts_by_its_time_not_its_day(run: Run) -> None:
    run("shows", "remove", "heartstopper", "--yes")
    for title, when in (("Late", "2027-02-01"), ("Early", "2027-02-01T09:00:00+09:00")):
        run("shows", "add", title)
        run("add-installment", "season", "1", "--release", when, "--source", "X",
            "--show", title.lower())  # fmt: skip
    # 09:00 in Tokyo is the evening before in UTC: before Late's 1 Feb midnight (UTC)
    assert [u["show"]["slug"] for u in run.json("upcoming")["upcoming"]] == ["early", "late"]


def test_limit_cuts_the_rows_and_says_how_many_more(four: Run) -> None:
    out = four("upcoming", "--limit", "1").stdout
    assert "Year Show" in out and "Starfall" not in out
    assert "2 more; raise --limit to see them." in out
    assert len(four.json("upcoming", "--limit", "2")["upcoming"]) == 2


@pytest.mark.parametrize("bad", ["0", "-1", "many"])
def test_a_bad_limit_is_one_line_and_exit_2(run: Run, home: Path, bad: str) -> None:
    before = snapshot(home)
    result = run("upcoming", "--limit", bad, code=2)
    assert "--limit" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(home) == before


def test_the_shipped_show_alone_and_no_shows_at_all(run: Run) -> None:
    (row,) = run.json("upcoming")["upcoming"]
    assert (row["installment"]["title"], row["precision"]) == ("Heartstopper Forever", "year")
    run("shows", "remove", "heartstopper", "--yes")
    assert "No shows tracked yet" in run("upcoming").stdout
    assert run.json("upcoming")["upcoming"] == []


def test_upcoming_shows_timing_only_whatever_the_guard(four: Run) -> None:
    """The spoiler guard hides plot and cast; upcoming shows neither, so a guarded fan sees
    the same rows as anyone."""
    four("add-news", "The Film ends with a wedding", "--date", "2026-11-01", "--source",
         "Fan", "--season", "film", "--tag", "plot", "--show", "moonlight-pages")  # fmt: skip
    open_rows = four.json("upcoming")["upcoming"]
    four("watched", "s1", "--show", "quiet-ones")
    assert four.json("upcoming")["upcoming"] == open_rows
    assert "wedding" not in four("upcoming").stdout


def _icalendar_events(ics: bytes) -> dict[str, tuple[str, object]]:
    cal = Calendar.from_ical(ics)
    return {str(e["UID"]): (str(e["SUMMARY"]), e.decoded("DTSTART")) for e in cal.walk("VEVENT")}


def _vobject_events(ics: bytes) -> dict[str, tuple[str, object]]:
    cal = vobject.readOne(ics.decode())
    return {e.uid.value: (e.summary.value, e.dtstart.value) for e in cal.vevent_list}


def test_calendar_all_parses_back_the_same_with_two_parsers(run: Run, tmp_path: Path) -> None:
    run("shows", "add", "Moonlight Pages", "--platform", "Netflix")
    run("add-installment", "film", "1", "--title", "The Film", "--release", "2027-02-14",
        "--source", "Netflix", "--show", "moonlight-pages")  # fmt: skip
    run("add-installment", "season", "1", "--release", "2027-03-01T20:00:00+00:00",
        "--source", "Netflix", "--show", "moonlight-pages")  # fmt: skip
    ics = run("calendar", "--all").stdout_bytes
    one, two = _icalendar_events(ics), _vobject_events(ics)
    assert one == two
    assert len(one) == 10 + 2  # Heartstopper's ten, and Moonlight Pages' two
    assert one["moonlight-pages-film-release@hstracker"] == (
        "Moonlight Pages: The Film released on Netflix",
        date(2027, 2, 14),
    )
    assert one["moonlight-pages-s1-release@hstracker"][1] == datetime(2027, 3, 1, 20, tzinfo=UTC)
    assert one["heartstopper-s2-release@hstracker"] == (
        "Heartstopper: Season 2 released on Netflix",
        date(2023, 8, 3),
    )
    # each show's own calendar holds the same UIDs: re-importing either updates, never doubles
    alone = set(_icalendar_events(run("calendar", "--show", "moonlight-pages").stdout_bytes))
    assert alone == {uid for uid in one if uid.startswith("moonlight-pages-")}
    again = tmp_path / "all.ics"
    run("calendar", "--all", "--output", str(again), HSTRACKER_NOW="2026-12-01T00:00:00+00:00")
    assert set(_icalendar_events(again.read_bytes())) == set(one)
    assert "Heartstopper Forever released on Netflix: expected 2026" in str(
        Calendar.from_ical(ics)["X-WR-CALDESC"]
    )


def test_calendar_all_and_show_together_is_refused(run: Run, home: Path) -> None:
    result = run("calendar", "--all", "--show", "heartstopper", code=2)
    assert result.stderr.strip() == ("hstracker: --all and --show exclude each other; give one.")
    assert result.stdout == "" and snapshot(home) == {}


@pytest.mark.parametrize("width", ["40", "60", "100"])
def test_every_width_keeps_names_dates_and_countdowns_whole(four: Run, width: str) -> None:
    out = four("upcoming", COLUMNS=width).stdout
    for words in ("Moonlight Pages", "The Film", "1 Feb 2027", "window: Feb 2027", "filming",
                  "window: 2027", "Year Show", "Starfall"):  # fmt: skip
        assert words in out, (width, words)
    assert all(len(line) <= int(width) for line in out.splitlines())
