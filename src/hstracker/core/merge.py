"""The one merge of a source's report into a show: provenance kept, nothing the fan entered lost."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, TypeVar

from hstracker.core import validate
from hstracker.core.attribution import SOURCE_NAMES
from hstracker.core.dates import PartialDate, Precision
from hstracker.core.facts import FIELDS, FactField
from hstracker.core.model import (
    MAX_EPISODES,
    MAX_NUMBER,
    CastMember,
    Claim,
    Episode,
    Fact,
    Installment,
    Show,
    Source,
    SourceUnit,
    State,
    key_of,
    known,
)
from hstracker.core.report import Credit, Publication, Report, ReportedInstallment, ReportedUnit

T = TypeVar("T")

Action = Literal["added", "updated", "conflict"]

_PRECISION = [Precision.YEAR, Precision.MONTH, Precision.DAY, Precision.INSTANT]
_RANK = {"rumour": 0, "reported": 1, "confirmed": 2}


# What a change is about, a closed set: a fact of an installment (its FactField says which),
# a new installment, a cast credit, a new volume, a volume's first or per-market publication,
# the work's total, a source's id for the show, the show's platform, the work's title or
# author, or an installment's episode list (its length as the value).
Topic = Literal[
    "fact",
    "installment",
    "cast",
    "volume",
    "published",
    "market",
    "total",
    "id",
    "platform",
    "work",
    "episode_list",
]
# A change's value keeps its type from the source to the render: a date, a count, a line of
# text or an id, a list of volumes or titles, a cast credit.
Value = PartialDate | int | str | list[int] | list[str] | Credit


@dataclass(frozen=True)
class Change:
    """One line of a sync report: what changed, from what to what, and which source said so.

    ``subject`` is the installment key, the volume number or the id's name the change
    concerns; ``field`` is the fact's row in core/facts when ``topic`` is "fact".
    """

    action: Action
    topic: Topic
    what: str
    old: Value | None
    new: Value | None
    source: str = ""
    note: str = ""
    subject: str = ""
    field: FactField | None = None


def refines(finer: Any, coarser: Any) -> bool:
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


def entered_by_fan(source: Source) -> bool:
    """A fact the fan typed (`set`, or add-news, whose item it names): no source overrides it."""
    return source.by_fan or source.news_id is not None


def _already_claimed(fact: Fact[T], value: T, source: Source) -> bool:
    claims = [Claim(value=fact.value, source=fact.source), *fact.history]
    return any(
        c.value == value and c.source.name == source.name and c.source.url == source.url
        for c in claims
    )


def merge_synced_fact(
    current: Fact[T] | None,
    value: T,
    source: Source,
    what: str,
    changes: list[Change],
    about: tuple[Topic, str, FactField | None] = ("fact", "", None),
) -> Fact[T]:
    """The fact after hearing value from a source; every change is appended to changes.

    A value that agrees, or is a less precise form of what is stored, changes nothing. A
    fan-entered fact, or one at least as well sourced, is kept: the synced value goes into
    its history and the disagreement is reported as a conflict. ``about`` is the change's
    topic, subject and field.
    """
    topic, subject, field = about
    new: Any = value  # a fact's value is one of the Value types: the table's parsers make them

    def change(action: Action, old: Any, note: str = "") -> None:
        changes.append(Change(action, topic, what, old, new, source.name, note, subject, field))

    if current is None:
        change("added", None)
        return Fact(value=value, source=source)
    if current.value == value or refines(current.value, value):
        return current
    if _already_claimed(current, value, source):
        return current
    if not entered_by_fan(current.source) and (
        refines(value, current.value)
        or current.source.name == source.name
        or _RANK[source.confidence] > _RANK[current.source.confidence]
    ):
        change("updated", current.value)
        return current.corrected(value, source)
    change("conflict", current.value, f"kept {current.source.name}'s value")
    rejected = Claim(value=value, source=source)
    return Fact(value=current.value, source=current.source, history=[rejected, *current.history])


def _words(name: str) -> frozenset[str]:
    return frozenset(validate.fold(name).split())


def _same_character(a: str, b: str) -> bool:
    """'Elle' and 'Elle Argent' are one character: one name's words contain the other's."""
    x, y = _words(a), _words(b)
    return bool(x and y) and (x <= y or y <= x)


def released_by(premiere: PartialDate | None, now: datetime) -> State:
    """The state a new installment starts in: released once its day or instant has come."""
    if premiere is None:
        return "announced"
    start = premiere.instant or premiere.as_date()
    if start is None:
        return "announced"
    started = start <= now if isinstance(start, datetime) else start <= now.date()
    return "released" if started else "dated"


def first_release(reported: ReportedInstallment) -> PartialDate | None:
    """The most precise of the dates a source gives; among those, the earliest."""
    dates = [r.date for r in reported.releases]
    if not dates:
        return None
    best = max(_PRECISION.index(d.precision) for d in dates)
    return min((d for d in dates if _PRECISION.index(d.precision) == best), key=_sort_key)


def _sort_key(day: PartialDate) -> tuple[int, int, int, datetime]:
    return day.sort_key()


class _Merge:
    """One report being merged into one show, with the keyed lookups that keep it linear."""

    def __init__(self, show: Show, report: Report) -> None:
        self.show = show
        self.report = report
        self.changes: list[Change] = []
        self.source = Source(
            name=report.source,
            reported=PartialDate.of(report.fetched.date()),
            url=report.url,
            confidence=report.confidence,
        )
        self.by_key = {inst.key: inst for inst in show.installments}
        self.by_title = {validate.fold(i.title): i for i in show.installments if i.title}
        self.by_actor: dict[str, list[CastMember]] = {}
        for member in show.cast:
            self.by_actor.setdefault(validate.fold(member.actor), []).append(member)

    def sourced(self, url: str | None) -> Source:
        return (
            self.source
            if url is None
            else Source(
                name=self.source.name,
                reported=self.source.reported,
                url=url,
                confidence=self.source.confidence,
            )
        )

    def change(
        self,
        action: Action,
        topic: Topic,
        what: str,
        old: Value | None,
        new: Value | None,
        subject: str = "",
    ) -> None:
        self.changes.append(Change(action, topic, what, old, new, self.source.name, "", subject))

    def ids(self) -> None:
        for name, value in sorted(self.report.ids.items()):
            old = self.show.ids.get(name)
            if old != value:
                what = f"{SOURCE_NAMES.get(name, name)} id"
                action: Action = "added" if old is None else "updated"
                self.change(action, "id", what, old, value, name)
                self.show.ids[name] = value

    def work(self) -> None:
        """Name the source work from the report where the fan left it unnamed: an author of
        "unknown", and a title that is only the show's own (what `shows add` defaults to)."""
        work = self.show.source_work
        if work.author != "unknown":
            return
        title, author = _line(self.report.work_title), _line(self.report.work_author)
        if title and work.title == self.show.title and title != work.title:
            self.change("updated", "work", "source work", work.title, title, "title")
            work.title = title
        if author:
            self.change("updated", "work", "source author", work.author, author, "author")
            work.author = author

    def installment(self, reported: ReportedInstallment) -> None:
        source = self.sourced(reported.url)
        release = first_release(reported)
        inst = self._find(reported)
        if inst is None:
            state = released_by(release, self.report.fetched)
            inst = Installment(
                kind=reported.kind,
                number=reported.number,
                title=_line(reported.title),
                state=Fact(value=state, source=source),
            )
            self.show.installments.append(inst)
            self.by_key[inst.key] = inst
            if inst.title:
                self.by_title[validate.fold(inst.title)] = inst
            self.change("added", "installment", inst.label, None, state, inst.key)
        values = {
            "release": release,
            "episodes": reported.episodes,
            "channel": _line(reported.channel),
        }
        for name, value in values.items():
            if value is not None:
                self.hear(inst, name, value, source)
        for credit in reported.cast:
            self.credit(inst, credit, source)
        if reported.listed:
            self.episode_list(inst, reported)

    def episode_list(self, inst: Installment, reported: ReportedInstallment) -> None:
        """A source that lists episodes gives the whole list: it replaces the one stored."""
        listed: dict[int, Episode] = {}
        for e in reported.listed:
            if 0 < e.number <= MAX_NUMBER and len(listed) < MAX_EPISODES:
                listed.setdefault(
                    e.number, Episode(number=e.number, title=_line(e.title), airs=e.airs)
                )
        episodes = sorted(listed.values(), key=lambda e: e.number)
        if episodes == inst.episode_list:
            return
        old = len(inst.episode_list) or None
        inst.episode_list = episodes
        action: Action = "added" if old is None else "updated"
        what = f"{inst.key} episode list"
        self.change(action, "episode_list", what, old, len(episodes), inst.key)

    def _find(self, reported: ReportedInstallment) -> Installment | None:
        found = self.by_key.get(key_of(reported.kind, reported.number))
        if found is None and reported.title:
            found = self.by_title.get(validate.fold(reported.title))
        return found

    def hear(self, inst: Installment, name: str, value: Any, source: Source) -> None:
        field = FIELDS[name]
        what = f"{inst.key} {field.label}"
        merged = merge_synced_fact(
            field.get(inst), value, source, what, self.changes, ("fact", inst.key, field)
        )
        field.put(inst, merged)

    def credit(self, inst: Installment, credit: Credit, source: Source) -> None:
        actor, character = _line(credit.actor), _line(credit.character)
        if not actor or not character:
            return
        credit = Credit(actor=actor, character=character)
        same = [
            m
            for m in self.by_actor.get(validate.fold(actor), [])
            if _same_character(m.character, character)
        ]
        if same:
            if not any(inst.key in m.installments for m in same):
                same[0].installments.append(inst.key)
                self.change("added", "cast", f"cast of {inst.key}", None, credit, inst.key)
            return
        member = CastMember(
            character=character, actor=actor, installments=[inst.key], source=source
        )
        self.show.cast.append(member)
        self.by_actor.setdefault(validate.fold(actor), []).append(member)
        self.change("added", "cast", f"cast of {inst.key}", None, credit, inst.key)

    def unit(self, reported: ReportedUnit) -> None:
        work = self.show.source_work
        unit = next((u for u in work.units if u.number == reported.number), None)
        if unit is None:
            unit = SourceUnit(number=reported.number, title=_line(reported.title))
            work.units.append(unit)
            work.units.sort(key=lambda u: u.number)
            what = f"{work.unit_name} {unit.number}"
            self.change("added", "volume", what, None, unit.title, str(unit.number))
        elif unit.title is None and reported.title:
            unit.title = _line(reported.title)
        source = self.sourced(reported.url)
        what = f"{work.unit_name} {unit.number}"
        first = _earliest(reported.publications)
        if first is not None:
            unit.published = merge_synced_fact(
                unit.published, first.date, self.sourced(first.url or reported.url),
                f"{what} published", self.changes, ("published", str(unit.number), None),
            )  # fmt: skip
        markets: dict[str, Publication] = {}
        for publication in sorted(reported.publications, key=lambda p: _sort_key(p.date)):
            market = _line(publication.market)
            if market:
                markets.setdefault(market, publication)
        for market, publication in markets.items():
            unit.markets[market] = merge_synced_fact(
                unit.markets.get(market), publication.date,
                self.sourced(publication.url) if publication.url else source,
                f"{what} published ({market})", self.changes, ("market", str(unit.number), None),
            )  # fmt: skip

    def total(self, count: int) -> None:
        work = self.show.source_work
        what = f"{work.unit_name}s in total"
        work.total = merge_synced_fact(
            work.total, count, self.source, what, self.changes, ("total", "", None)
        )

    def total_follows_published(self) -> None:
        """A total below the volumes a source reports published follows them: the old total
        goes into its history, and the disagreement is reported."""
        work = self.show.source_work
        count = max((u.number for u in self.report.units if u.publications), default=0)
        if work.total is None or count <= work.total.value:
            return
        what = f"{work.unit_name}s in total"
        note = f"{work.unit_name} {count} is published, past the total of {work.total.value}"
        self.changes.append(
            Change("updated", "total", what, work.total.value, count, self.source.name, note)
        )
        work.total = work.total.corrected(count, self.source)

    def platform(self) -> None:
        """A show with no platform takes the channel its first installment is on."""
        if known(self.show.platform):
            return
        channel = next(
            (_line(r.channel) for r in self.report.installments if _line(r.channel)), None
        )
        if channel is not None:
            self.change("added", "platform", "platform", None, channel)
            self.show.platform = channel


def _line(value: str | None) -> str | None:
    """A source's one-line text, cleaned and cut to the limit; None when nothing is left."""
    if value is None:
        return None
    return validate.clean_line(value)[: validate.MAX_LINE] or None


def _earliest(publications: tuple[Publication, ...]) -> Publication | None:
    """A unit's first publication: the earliest date, where a coarse date that a finer one
    refines ("2026" beside "2026-07-02") gives way to the finer one."""
    kept = [p for p in publications if not any(refines(o.date, p.date) for o in publications)]
    return min(kept, key=lambda p: _sort_key(p.date), default=None)


def merge_report(show: Show, report: Report) -> list[Change]:
    """Merge one source's report into show in place; returns what changed (empty: nothing new)."""
    merge = _Merge(show, report)
    merge.ids()
    merge.work()
    order = {"season": 0, "film": 1, "special": 2}
    for reported in sorted(report.installments, key=lambda r: (order[r.kind], r.number)):
        merge.installment(reported)
    for unit in sorted(report.units, key=lambda u: u.number):
        merge.unit(unit)
    if report.total_units is not None:
        merge.total(report.total_units)
    merge.total_follows_published()
    merge.platform()
    return merge.changes
