"""The iCalendar export, parsed back with icalendar and checked event by event."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

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
    assert events["heartstopper-s2-filming-start@hstracker"]["start"] == date(2022, 9, 22)
    assert events["heartstopper-s2-filming-wrap@hstracker"]["start"] == date(2022, 12, 2)
    assert events["heartstopper-film-filming-start@hstracker"]["start"] == date(2025, 6, 9)
    assert events["heartstopper-film-filming-wrap@hstracker"]["start"] == date(2025, 7, 27)
    assert events["heartstopper-volume-5-published@hstracker"]["start"] == date(2023, 12, 7)
    assert events["heartstopper-volume-6-published@hstracker"]["start"] == date(2026, 7, 2)
    # the film is only known to 2026: no event, but the calendar's description lists it
    assert "heartstopper-film-release@hstracker" not in events
    assert "Heartstopper Forever released on Netflix: expected 2026" in str(cal["X-WR-CALDESC"])
    assert len(events) == 9


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
