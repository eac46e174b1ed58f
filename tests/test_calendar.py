"""The iCalendar export, parsed back with icalendar and checked event by event."""

from __future__ import annotations

import os
import select
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import vobject
from icalendar import Calendar

from conftest import Run


def _events(ics: bytes | str) -> dict[str, dict[str, object]]:
    cal = Calendar.from_ical(ics)
    found = {}
    for event in cal.walk("VEVENT"):
        found[str(event["UID"])] = {
            "summary": str(event["SUMMARY"]),
            "start": event.decoded("DTSTART"),
            "end": event.decoded("DTEND"),
        }
    return found


def test_events_have_real_times_days_and_no_fake_day_for_windows(run: Run) -> None:
    out = run("calendar").stdout
    cal = Calendar.from_ical(out)
    assert str(cal["VERSION"]) == "2.0"
    events = _events(out)
    s3 = events["heartstopper-s3-release@hstracker"]
    assert s3["start"] == datetime(2024, 10, 3, 7, 0, tzinfo=UTC)  # 00:00 Pacific, timed
    start, end = s3["start"], s3["end"]
    assert isinstance(start, datetime) and isinstance(end, datetime) and end > start
    s2 = events["heartstopper-s2-release@hstracker"]
    assert s2["start"] == date(2023, 8, 3) and not isinstance(s2["start"], datetime)
    assert s2["end"] == date(2023, 8, 4)
    assert events["heartstopper-s1-release@hstracker"]["start"] == date(2022, 4, 22)
    # Season 2's filming start is known to its month only (issue 26): no event, a line
    assert "heartstopper-s2-filming-start@hstracker" not in events
    assert "Season 2: filming starts: expected 2022-09" in str(cal["X-WR-CALDESC"])
    assert events["heartstopper-s2-filming-wrap@hstracker"]["start"] == date(2022, 12, 2)
    assert events["heartstopper-s3-filming-wrap@hstracker"]["start"] == date(2023, 12, 15)
    assert events["heartstopper-film-filming-start@hstracker"]["start"] == date(2025, 6, 9)
    assert events["heartstopper-film-filming-wrap@hstracker"]["start"] == date(2025, 7, 27)
    assert events["heartstopper-volume-3-published@hstracker"]["start"] == date(2020, 2, 6)
    assert events["heartstopper-volume-5-published@hstracker"]["start"] == date(2023, 12, 7)
    assert events["heartstopper-volume-6-published@hstracker"]["start"] == date(2026, 7, 2)
    # the film is only known to 2026: no event, but the calendar's description lists it
    assert "heartstopper-film-release@hstracker" not in events
    assert "Heartstopper Forever released on Netflix: expected 2026" in str(cal["X-WR-CALDESC"])
    assert len(events) == 10


def test_uids_are_stable_and_a_new_date_updates_the_same_event(run: Run, tmp_path: Path) -> None:
    first = tmp_path / "a.ics"
    second = tmp_path / "b.ics"
    run("calendar", "--output", str(first))
    dated = "release=2026-12-20T00:00:00-08:00[America/Los_Angeles]"
    run("add-news", "Forever gets a date", "--date", "2026-11-24", "--source", "Netflix",
        "--season", "film", "--set", dated)  # fmt: skip
    run("calendar", "-o", str(second), HSTRACKER_NOW="2026-11-25T12:00:00+00:00")
    before, after = _events(first.read_bytes()), _events(second.read_bytes())
    assert set(before) < set(after)
    assert set(after) - set(before) == {"heartstopper-film-release@hstracker"}
    film = after["heartstopper-film-release@hstracker"]
    assert film["start"] == datetime(2026, 12, 20, 8, 0, tzinfo=UTC)
    assert film["end"] == film["start"] + timedelta(hours=1)  # type: ignore[operator]


def test_output_goes_to_the_file_only(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "hs.ics"
    result = run("calendar", "--output", str(target))
    assert result.stdout == ""
    assert f"Wrote {target}" in result.stderr
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_other_commands_never_import_icalendar() -> None:
    code = (
        "import sys; from hstracker.cli.app import app; "
        "from typer.testing import CliRunner; "
        "r = CliRunner().invoke(app, ['countdown']); assert r.exit_code == 0, r.output; "
        "r = CliRunner().invoke(app, ['progress']); assert r.exit_code == 0, r.output; "
        "print('icalendar' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _vobject_events(ics: bytes) -> dict[str, Any]:
    """The events as vobject, a second parser independent of the icalendar that wrote them."""
    cal = vobject.readOne(ics.decode())
    return {e.uid.value: e for e in cal.vevent_list}


def test_every_event_says_where_it_comes_from_and_how_often_it_changed(run: Run) -> None:
    ics = run("calendar").stdout_bytes
    events = _vobject_events(ics)
    assert len(events) == len(_events(ics)) == 10  # both parsers read every event
    s2 = events["heartstopper-s2-release@hstracker"]
    lines = s2.description.value.split("\n")
    assert lines[:2] == ["Source: Radio Times", "Confidence: confirmed, reported 24 Apr 2023"]
    assert lines[2] == s2.url.value and lines[2].startswith("https://www.radiotimes.com/")
    assert s2.sequence.value == "1"  # the article's "2023" was corrected once
    assert s2.last_modified.value == datetime(2023, 4, 24, tzinfo=UTC)
    # every other event likewise, checked against the facts as `seasons --json` shows them
    facts = {
        f"heartstopper-{i['key']}-{name}@hstracker": fact
        for i in run.json("seasons")["installments"]
        for name, fact in i["facts"].items()
        if fact
    }
    for uid, event in events.items():
        assert event.description.value.startswith("Source: "), uid
        assert int(event.sequence.value) >= 0, uid
        assert event.last_modified.value.utcoffset() == timedelta(0), uid
        if uid in facts:
            source = facts[uid]["source"]
            assert f"Source: {source['name']}\nConfidence: {source['confidence']}" in (
                event.description.value
            ), uid
            assert int(event.sequence.value) == len(facts[uid]["history"]), uid
            assert (source["url"] is None) == ("url" not in event.contents), uid


def test_a_corrected_date_raises_the_sequence_and_the_last_modified(run: Run) -> None:
    run("set", "s2", "release", "2023-08-04", "--source", "Netflix", "--url",
        "https://about.netflix.com/s2")  # fmt: skip
    s2 = _vobject_events(run("calendar").stdout_bytes)["heartstopper-s2-release@hstracker"]
    assert s2.sequence.value == "2"
    assert s2.last_modified.value == datetime(2026, 11, 24, tzinfo=UTC)  # reported today
    assert s2.dtstart.value == date(2023, 8, 4)
    assert s2.description.value.split("\n")[2] == "https://about.netflix.com/s2"


def test_commas_semicolons_and_newlines_survive_a_strict_parser(run: Run) -> None:
    run("shows", "add", "Love, Death; Robots", "--slug", "ldr", "--platform", "Net, flix")
    run("add-installment", "season", "1", "--release", "2019-03-15", "--show", "ldr",
        "--source", "Netflix, Inc.; Tudum", "--confidence", "confirmed")  # fmt: skip
    run("add-installment", "season", "2", "--release", "2027", "--show", "ldr",
        "--source", "Rumour, mill")  # fmt: skip
    ics = run("calendar", "--show", "ldr").stdout_bytes
    assert b"Love\\, Death\\; Robots" in ics  # escaped as RFC 5545 says, not left bare
    cal = vobject.readOne(ics.decode())
    assert cal.contents["x-wr-calname"][0].value == "Love, Death; Robots (Net, flix)"
    assert cal.contents["x-wr-caldesc"][0].value == (
        "Love, Death; Robots: releases, filming and volume publications from hstracker. "
        "Not yet dated: Season 2 released on Net, flix: expected 2027 (no exact date)."
    )
    (event,) = cal.vevent_list
    assert event.summary.value == "Season 1 released on Net, flix"
    assert event.description.value == (
        "Source: Netflix, Inc.; Tudum\nConfidence: confirmed, reported 24 Nov 2026"
    )
    # icalendar reads the event's text back the same
    (again,) = Calendar.from_ical(ics).walk("VEVENT")
    assert str(again["DESCRIPTION"]) == event.description.value
    # and in the calendar of every show, the show's name goes in front, escaped alike
    everything = vobject.readOne(run("calendar", "--all").stdout_bytes.decode())
    summaries = {e.summary.value for e in everything.vevent_list}
    assert "Love, Death; Robots: Season 1 released on Net, flix" in summaries
    assert "Not yet dated: Season 2 released on Net, flix" in (
        everything.contents["x-wr-caldesc"][0].value
    )


def _on_a_terminal(home: Path, *args: str) -> tuple[bytes, str]:
    """Run `calendar` with stdout on a pseudo-terminal and stderr on a pipe."""
    master, slave = os.openpty()
    env = {**os.environ, "HSTRACKER_HOME": str(home)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "hstracker", "calendar", *args],
        stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    os.close(slave)
    seen = b""
    try:
        while True:  # read as it comes, so a full terminal buffer never blocks the writer
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the child closed its side
                    break
                if not chunk:
                    break
                seen += chunk
            elif proc.poll() is not None:
                break
        assert proc.wait(timeout=60) == 0
        assert proc.stderr is not None
        return seen, proc.stderr.read().decode()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()  # type: ignore[union-attr]
        os.close(master)


def test_on_a_terminal_the_calendar_comes_with_a_hint(run: Run, home: Path) -> None:
    out, err = _on_a_terminal(home)
    assert b"BEGIN:VCALENDAR" in out and b"END:VCALENDAR" in out
    (line,) = err.splitlines()
    assert "iCalendar" in line and "hstracker calendar --output heartstopper.ics" in line
    _, err = _on_a_terminal(home, "--all")
    assert "hstracker calendar --all --output hstracker.ics" in err
    # piped or redirected, the file comes alone
    assert run("calendar").stderr == ""
