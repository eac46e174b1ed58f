"""Merging facts synced from a public source into a show without losing anything the fan has."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypeVar

from hstracker.core import validate
from hstracker.core.attribution import TVMAZE
from hstracker.core.dates import PartialDate, Precision
from hstracker.core.model import CastMember, Claim, Fact, Installment, Show, Source, State

T = TypeVar("T")

Action = Literal["added", "updated", "conflict"]

_PRECISION = [Precision.YEAR, Precision.MONTH, Precision.DAY, Precision.INSTANT]
_RANK = {"rumour": 0, "reported": 1, "confirmed": 2}


@dataclass(frozen=True)
class SyncedSeason:
    """What a source says about one season."""

    number: int
    premiere: PartialDate | None = None
    episodes: int | None = None
    channel: str | None = None


@dataclass(frozen=True)
class SyncedCast:
    """One credit: an actor and the character they play."""

    actor: str
    character: str


@dataclass
class Synced:
    """Everything one sync fetched, with where and when it was fetched."""

    source_id: int
    url: str
    fetched: datetime
    seasons: list[SyncedSeason] = field(default_factory=list)
    cast: list[SyncedCast] = field(default_factory=list)


@dataclass(frozen=True)
class Change:
    """One line of a sync report."""

    action: Action
    what: str
    old: str | None
    new: str
    note: str = ""


def _show_value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _refines(finer: Any, coarser: Any) -> bool:
    """True when finer is a more precise date that falls inside coarser."""
    if not (isinstance(finer, PartialDate) and isinstance(coarser, PartialDate)):
        return False
    if _PRECISION.index(finer.precision) <= _PRECISION.index(coarser.precision):
        return False
    return (
        finer.year == coarser.year
        and coarser.month in (None, finer.month)
        and coarser.day in (None, finer.day)
    )


def _entered_by_fan(source: Source) -> bool:
    # a fact a news item changed came from the fan's own add-news
    return source.news_id is not None


def _already_claimed(fact: Fact[T], value: T, source: Source) -> bool:
    claims = [Claim(value=fact.value, source=fact.source), *fact.history]
    return any(
        c.value == value and c.source.name == source.name and c.source.url == source.url
        for c in claims
    )


def merge_fact(
    current: Fact[T] | None, value: T, source: Source, what: str, changes: list[Change]
) -> Fact[T]:
    """The fact after hearing value from source; every change is appended to changes.

    A value that agrees, or is a less precise form of what is stored, changes nothing. A
    fan-entered fact, or one at least as well sourced, is kept: the synced value goes into
    its history and the disagreement is reported as a conflict.
    """
    if current is None:
        changes.append(Change("added", what, None, _show_value(value)))
        return Fact(value=value, source=source)
    if current.value == value or _refines(current.value, value):
        return current
    if _already_claimed(current, value, source):
        return current
    old = _show_value(current.value)
    if not _entered_by_fan(current.source) and (
        _refines(value, current.value)
        or current.source.name == source.name
        or _RANK[source.confidence] > _RANK[current.source.confidence]
    ):
        changes.append(Change("updated", what, old, _show_value(value)))
        return current.corrected(value, source)
    changes.append(
        Change("conflict", what, old, _show_value(value), f"kept {current.source.name}'s value")
    )
    rejected = Claim(value=value, source=source)
    return Fact(value=current.value, source=current.source, history=[rejected, *current.history])


def _fold(name: str) -> list[str]:
    return name.casefold().split()


def _same_character(a: str, b: str) -> bool:
    """'Elle' and 'Elle Argent' are one character: one name's words contain the other's."""
    x, y = set(_fold(a)), set(_fold(b))
    return bool(x and y) and (x <= y or y <= x)


def _find_member(show: Show, credit: SyncedCast) -> CastMember | None:
    for member in show.cast:
        if _fold(member.actor) == _fold(credit.actor) and _same_character(
            member.character, credit.character
        ):
            return member
    return None


def _new_state(premiere: PartialDate | None, now: datetime) -> State:
    if premiere is None:
        return "announced"
    start = premiere.instant or premiere.as_date()
    if start is None:
        return "announced"
    started = start <= now if isinstance(start, datetime) else start <= now.date()
    return "released" if started else "dated"


def _merge_season(
    show: Show, season: SyncedSeason, source: Source, now: datetime, changes: list[Change]
) -> None:
    inst = next(
        (i for i in show.installments if i.kind == "season" and i.number == season.number), None
    )
    if inst is None:
        state = _new_state(season.premiere, now)
        inst = Installment(
            kind="season", number=season.number, state=Fact(value=state, source=source)
        )
        show.installments.append(inst)
        changes.append(Change("added", inst.label, None, state))
    key = inst.key
    if season.premiere is not None:
        inst.release = merge_fact(inst.release, season.premiere, source, f"{key} release", changes)
    if season.episodes is not None:
        inst.episodes = merge_fact(
            inst.episodes, season.episodes, source, f"{key} episodes", changes
        )
    if season.channel is not None:
        inst.channel = merge_fact(inst.channel, season.channel, source, f"{key} channel", changes)


def merge(show: Show, synced: Synced) -> list[Change]:
    """Merge synced facts into show in place, returning what changed (empty: nothing new)."""
    changes: list[Change] = []
    source = Source(
        name=TVMAZE,
        reported=PartialDate.of(synced.fetched.date()),
        url=synced.url,
        confidence="confirmed",
    )
    if show.tvmaze_id != synced.source_id:
        old = None if show.tvmaze_id is None else str(show.tvmaze_id)
        changes.append(
            Change("added" if old is None else "updated", "TVmaze id", old, str(synced.source_id))
        )
        show.tvmaze_id = synced.source_id
    for season in sorted(synced.seasons, key=lambda s: s.number):
        _merge_season(show, season, source, synced.fetched, changes)
    aired = [
        s.number for s in synced.seasons if _new_state(s.premiere, synced.fetched) == "released"
    ]
    latest = f"s{max(aired)}" if aired else None
    for credit in synced.cast:
        actor = validate.clean_line(credit.actor)[: validate.MAX_LINE]
        character = validate.clean_line(credit.character)[: validate.MAX_LINE]
        if not actor or not character:
            continue
        if _find_member(show, SyncedCast(actor, character)) is not None:
            continue
        show.cast.append(
            CastMember(
                character=character,
                actor=actor,
                installments=[latest] if latest else [],
                billing="main",
                source=source,
            )
        )
        changes.append(Change("added", "cast", None, f"{character} ({actor})"))
    return changes
