"""Releases, filming and publications as an iCalendar (RFC 5545) document.

Only ``hstracker calendar`` imports this module, so read commands never load icalendar.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from icalendar import Calendar, Event, vText

from hstracker.core.dates import PartialDate, Precision
from hstracker.core.facts import installment_facts
from hstracker.core.installments import ordered
from hstracker.core.model import Fact, Show, known
from hstracker.render.time import date_text

PRODID = "-//hstracker//hstracker calendar//EN"
RELEASE_LENGTH = timedelta(hours=1)  # a release is a moment; an hour keeps it visible


@dataclass
class _Parts:
    """One show's dated events, and the lines for what has no exact date yet."""

    events: list[Event] = field(default_factory=list)
    windows: list[str] = field(default_factory=list)


def _uid(show: Show, what: str) -> str:
    """Stable across runs, so a re-import updates an event instead of adding another."""
    return f"{show.slug}-{what}@hstracker"


def _all_day(day: date) -> dict[str, date]:
    return {"dtstart": day, "dtend": day + timedelta(days=1)}


def _timing(value: PartialDate) -> dict[str, date] | None:
    """Timed for an instant, all-day for a day, and None for a window: no fake day."""
    if value.precision == Precision.INSTANT:
        assert value.instant is not None
        start = value.instant.astimezone(UTC)
        return {"dtstart": start, "dtend": start + RELEASE_LENGTH}
    day = value.as_date()
    return _all_day(day) if day is not None else None


def _provenance(fact: Fact[Any]) -> str:
    """Where the fact comes from, as the event's description says it."""
    source = fact.source
    lines = [f"Source: {source.name}", f"Confidence: {source.confidence}"]
    if source.reported is not None:
        lines[-1] += f", reported {date_text(source.reported)}"
    if source.url:
        lines.append(source.url)
    return "\n".join(lines)


def _event(uid: str, summary: str, stamp: datetime, fact: Fact[Any]) -> Event | None:
    """The fact's event, or None when it is dated no closer than a month or a year.

    SEQUENCE counts the fact's corrections and LAST-MODIFIED is when its source reported it,
    so a calendar app that re-imports the file takes a corrected date as an update.
    """
    when = _timing(fact.value)
    if when is None:
        return None
    event = Event()
    event.add("uid", uid)
    event.add("summary", summary)
    event.add("dtstamp", stamp)
    for key, value in when.items():
        event.add(key, value)
    event.add("description", _provenance(fact))
    if fact.source.url:
        event.add("url", fact.source.url)
    event.add("sequence", len(fact.history))
    if fact.source.reported is not None:
        event.add("last-modified", fact.source.reported.window(UTC)[0])
    return event


def _parts(show: Show, now: datetime, *, named: bool = False) -> _Parts:
    """Every dated fact of the show as an event; named, each summary names the show."""
    stamp = now.astimezone(UTC).replace(microsecond=0)
    parts = _Parts()
    facts = []
    platform = known(show.platform)
    for inst in ordered(show):
        if inst.state.value == "cancelled":
            continue  # it will never come: no date of it belongs in a calendar
        for fact_field, fact in installment_facts(inst):
            if fact_field.calendar is not None:
                template = fact_field.calendar
                if platform is None:  # "released on unknown" says nothing
                    template = template.replace(" on {platform}", "")
                summary = template.format(label=inst.label, platform=platform)
                facts.append((f"{inst.key}-{fact_field.name}", summary, fact))
    unit = show.source_work.unit_name
    for source_unit in show.source_work.units:
        if source_unit.published is not None:
            summary = f"{show.source_work.title} {unit} {source_unit.number} published"
            what = f"{unit}-{source_unit.number}-published"
            facts.append((what, summary, source_unit.published))
    for what, summary, fact in facts:
        titled = summary
        if named and not summary.startswith(show.title):
            titled = f"{show.title}: {summary}"
        event = _event(_uid(show, what), titled, stamp, fact)
        if event is None:
            parts.windows.append(f"{summary}: expected {fact.value} (no exact date)")
        else:
            parts.events.append(event)
    return parts


def _description(show: Show, parts: _Parts) -> str:
    unit = show.source_work.unit_name
    text = f"{show.title}: releases, filming and {unit} publications from hstracker."
    if parts.windows:
        text += " Not yet dated: " + "; ".join(parts.windows) + "."
    return text


def _calendar(name: str, description: str, events: list[Event]) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    # icalendar would write these X- properties as they are: as vText, a comma or semicolon
    # in a title is escaped, so a strict reader does not cut the text there
    cal.add("x-wr-calname", vText(name))
    cal.add("x-wr-caldesc", vText(description))
    for event in events:
        cal.add_component(event)
    return bytes(cal.to_ical())


def build_calendar(show: Show, now: datetime) -> bytes:
    """The show's dated events; windows are listed in the calendar's description instead."""
    parts = _parts(show, now)
    platform = known(show.platform)
    name = f"{show.title} ({platform})" if platform else show.title
    return _calendar(name, _description(show, parts), parts.events)


def build_calendar_all(shows: list[Show], now: datetime) -> bytes:
    """Every show's events in one calendar; UIDs carry the slug, so they stay unique.

    The events are exactly what `calendar --show` gives for each show, except that a summary
    names its show ("Season 2 released" must say whose season).
    """
    events: list[Event] = []
    notes = []
    for show in shows:
        parts = _parts(show, now, named=True)
        events += parts.events
        notes.append(_description(show, parts))
    return _calendar("hstracker: every show", " ".join(notes), events)
