"""Which changes from a sync a fan wants to hear about, worded as one alert per show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hstracker.core.dates import PartialDate, Precision, release_text
from hstracker.core.installments import is_released, release_window
from hstracker.core.merge import Change
from hstracker.core.model import Installment, Show, SourceUnit
from hstracker.core.report import Credit
from hstracker.core.spoilers import Guard

# What a fan waits for: new installments and volumes, first publications, who joins, and these
# facts. Episode counts, channels, ids, totals and per-market duplicates of a volume's date
# are bookkeeping: they change nothing a fan would act on.
_WANTED = frozenset({"installment", "volume", "published", "cast"})
_WANTED_FACTS = frozenset({"release", "state", "trailer"})
# What a trailer or a cast list shows is a reveal, as the guard's REVEAL_TAGS say for news.
# Dates, states, new installments and volumes are timing, never plot: always named.
_REVEALING = frozenset({"trailer", "cast"})
# A date that landed within this span is news; anything older is a source filling in history
# (a first sync of a show finds every past season and volume, and that is no alert).
RECENT = timedelta(days=14)


@dataclass(frozen=True, slots=True)
class Alert:
    """The summary lines of one show's alert; the same with or without a desktop notifier."""

    slug: str
    title: str
    lines: list[str]


def _when(value: PartialDate) -> str:
    if value.precision in (Precision.DAY, Precision.INSTANT):
        return f"dated {release_text(value)}"
    return f"expected {release_text(value)}"


def _about(change: Change) -> str:
    """What the change is about, in one word: its topic, or for a fact the fact's name."""
    return change.field.name if change.topic == "fact" and change.field else change.topic


def _wanted(change: Change) -> bool:
    return change.topic in _WANTED or (change.topic == "fact" and _about(change) in _WANTED_FACTS)


def _unit(show: Show, change: Change) -> SourceUnit | None:
    return next((u for u in show.source_work.units if str(u.number) == change.subject), None)


def _history(show: Show, change: Change, inst: Installment | None, now: datetime) -> bool:
    """True when the change is about something out for longer than RECENT."""
    if change.topic in ("published", "volume"):
        unit = _unit(show, change)
        if unit is None:
            return False
        # an undated volume is as old as any later volume that is out
        dated = [u for u in show.source_work.units if u.number >= unit.number and u.published]
        return any(u.published.value.window(UTC)[1] <= now - RECENT for u in dated if u.published)
    if inst is None or not is_released(show, inst, now):
        return False
    window = release_window(show, inst)
    return window is None or window[1] <= now - RECENT


def _line(show: Show, change: Change, inst: Installment | None) -> str | None:
    """The words for one change, or None when the show no longer holds what it names."""
    if change.topic == "published":
        unit = _unit(show, change)
        if unit is None or unit.published is None:
            return None
        name = f"{show.source_work.unit_name} {unit.number}"
        return f"{name} published {release_text(unit.published.value)}"
    if change.topic == "volume":
        unit = _unit(show, change)
        # a dated new volume is told by its "published" change
        if unit is None or unit.published is not None:
            return None
        return f"{show.source_work.unit_name} {unit.number} announced"
    if inst is None:
        return None
    match _about(change):
        case "installment":
            return f"{inst.label} announced"
        case "release":
            return f"{inst.label} {_when(inst.release.value)}" if inst.release else None
        case "state":
            return f"{inst.label} is now {inst.state.value}"
        case "trailer":
            return f"{inst.label} has a trailer"
        case _:  # cast
            if not isinstance(change.new, Credit):
                return None
            return f"{change.new.character} ({change.new.actor}) joins {inst.label}"


def alert_for(show: Show, changes: list[Change], guard: Guard, now: datetime) -> Alert | None:
    """The alert for what a sync changed in show (after the merge), or None when nothing in
    it matters to a fan. A revealing change is counted, never described."""
    by_key = {inst.key: inst for inst in show.installments}
    lines: list[str] = []
    guarded = 0
    for change in changes:
        if change.action == "conflict" or not _wanted(change):
            continue
        inst = by_key.get(change.subject)
        if inst is not None and inst.state.value == "cancelled" and _about(change) != "state":
            continue  # it will never come: only the cancellation itself is news
        if change.topic == "cast" and (inst is None or is_released(show, inst, now)):
            continue  # a source back-filling the cast of what is already out is not news
        if _history(show, change, inst, now):
            continue
        if _about(change) in _REVEALING and guard.unseen(change.subject):
            guarded += 1
            continue
        words = _line(show, change, inst)
        if words is not None:
            lines.append(f"{show.title}: {words} ({change.source})")
    if guarded:
        plural = "s" if guarded != 1 else ""
        lines.append(f"{show.title}: {guarded} spoiler-guarded change{plural}")
    lines = list(dict.fromkeys(lines))  # two sources saying the same thing: one line
    return Alert(show.slug, show.title, lines) if lines else None
