"""Releases, filming and publications as an iCalendar (RFC 5545) document.

Only ``hstracker calendar`` imports this module, so read commands never load icalendar.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from hstracker.core.dates import PartialDate, Precision
from hstracker.core.facts import installment_facts
from hstracker.core.installments import ordered
from hstracker.core.model import Show

PRODID = "-//hstracker//hstracker calendar//EN"
RELEASE_LENGTH = timedelta(hours=1)  # a release is a moment; an hour keeps it visible


def _uid(show: Show, what: str) -> str:
    """Stable across runs, so a re-import updates an event instead of adding another."""
    return f"{show.slug}-{what}@hstracker"


def _all_day(day: date) -> dict[str, date]:
    return {"dtstart": day, "dtend": day + timedelta(days=1)}


def _event(uid: str, summary: str, stamp: datetime, when: dict[str, date] | None) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("summary", summary)
    event.add("dtstamp", stamp)
    for key, value in (when or {}).items():
        event.add(key, value)
    return event


def _timing(value: PartialDate) -> dict[str, date] | None:
    """Timed for an instant, all-day for a day, and None for a window: no fake day."""
    if value.precision == Precision.INSTANT:
        assert value.instant is not None
        start = value.instant.astimezone(UTC)
        return {"dtstart": start, "dtend": start + RELEASE_LENGTH}
    day = value.as_date()
    return _all_day(day) if day is not None else None


def build_calendar(show: Show, now: datetime) -> bytes:
    """The show's dated events; windows are listed in the calendar's description instead."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{show.title} ({show.platform})")
    stamp = now.astimezone(UTC).replace(microsecond=0)
    windows: list[str] = []
    for inst in ordered(show):
        for field, fact in installment_facts(inst):
            if field.calendar is None:
                continue
            what = field.name
            summary = field.calendar.format(label=inst.label, platform=show.platform)
            when = _timing(fact.value)
            if when is None:
                windows.append(f"{summary}: expected {fact.value} (no exact date)")
                continue
            cal.add_component(_event(_uid(show, f"{inst.key}-{what}"), summary, stamp, when))
    unit = show.source_work.unit_name
    for source_unit in show.source_work.units:
        if source_unit.published is None:
            continue
        summary = f"{show.source_work.title} {unit} {source_unit.number} published"
        when = _timing(source_unit.published.value)
        if when is None:
            windows.append(f"{summary}: {source_unit.published.value} (no exact date)")
            continue
        uid = _uid(show, f"{unit}-{source_unit.number}-published")
        cal.add_component(_event(uid, summary, stamp, when))
    description = f"{show.title}: releases, filming and {unit} publications from hstracker."
    if windows:
        description += " Not yet dated: " + "; ".join(windows) + "."
    cal.add("x-wr-caldesc", description)
    return bytes(cal.to_ical())


def build_calendar_all(shows: list[Show], now: datetime) -> bytes:
    """Every show's events in one calendar; UIDs carry the slug, so they stay unique.

    Built from each show's own calendar, so the events are exactly what `calendar --show`
    gives for that show.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "hstracker: every show")
    notes = []
    for show in shows:
        one = Calendar.from_ical(build_calendar(show, now))
        for event in one.walk("VEVENT"):
            summary = str(event.get("summary", ""))
            if not summary.startswith(show.title):
                # among every show's events, "Season 2 released" must say whose season
                del event["summary"]
                event.add("summary", f"{show.title}: {summary}")
            cal.add_component(event)
        notes.append(str(one.get("x-wr-caldesc", "")))
    cal.add("x-wr-caldesc", " ".join(note for note in notes if note))
    return bytes(cal.to_ical())
