"""Sharing a show as one document: export, checking an import, and merging it into yours."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar

import msgspec

from hstracker.core import validate
from hstracker.core.dates import zone
from hstracker.core.facts import TABLE, all_sources, installment_facts
from hstracker.core.model import SCHEMA_VERSION, Claim, Fact, Installment, Show, Source
from hstracker.core.news import NewsIndex, sort_news
from hstracker.errors import InvalidInput

FORMAT = "hstracker-show"
FORMAT_VERSION = 1

T = TypeVar("T")


class Document(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The exported file: what it is, which version, and the show's facts (no personal state)."""

    format: str
    version: int
    exported: datetime | None = None
    generator: str | None = None
    show: Show


def export_document(show: Show, now: datetime, generator: str) -> Document:
    """The show as a self-describing document."""
    return Document(
        format=FORMAT,
        version=FORMAT_VERSION,
        exported=now.replace(microsecond=0),
        generator=generator,
        show=show,
    )


def _check_urls(show: Show) -> None:
    """Every URL must be http(s): a file from someone else must not smuggle other schemes in."""
    for source in all_sources(show):
        source.url = validate.url(source.url, "a source URL")
    for item in show.news:
        item.url = validate.url(item.url, f"the URL of news {item.id}")
        item.tags = validate.tags(item.tags)
    for inst in show.installments:
        if inst.trailer is not None:
            validate.url(inst.trailer.value, f"the trailer of {inst.key}")


def _check_lines(show: Show) -> None:
    """Every one-line field as typed input is checked: folded white space, not blank, within
    the line limit; multi-line text within the body limit."""
    line = validate.required_line
    show.title = line(show.title, "the show title")
    show.platform = line(show.platform, "the platform")
    work = show.source_work
    work.title = line(work.title, "the source work's title")
    work.author = line(work.author, "the source work's author")
    work.unit_name = line(work.unit_name, "the source work's unit name", limit=32)
    for unit in work.units:
        unit.title = validate.optional_line(unit.title, f"the title of volume {unit.number}")
    for source in all_sources(show):
        source.name = line(source.name, "a source name")
        source.news_id = validate.optional_line(source.news_id, "a source's news id", limit=64)
    for inst in show.installments:
        inst.title = validate.optional_line(inst.title, f"the title of {inst.key}")
        for fact_field, fact in installment_facts(inst):
            values = fact.value if fact_field.name == "draws-on" else [fact.value]
            for value in values:
                if isinstance(value, str) and fact_field.name != "trailer":  # a URL: below
                    line(value, f"the {fact_field.label} of {inst.key}")
        for note in inst.plot:
            text = validate.body(note.text, f"a plot note of {inst.key}")
            if text is None:
                raise InvalidInput(f"a plot note of {inst.key} is empty.")
            note.text = text
    for member in show.cast:
        member.character = line(member.character, "a character")
        member.actor = line(member.actor, "an actor")
        member.note = validate.optional_line(member.note, f"the note on {member.character}")
    for item in show.news:
        item.id = line(item.id, "a news id", limit=64)
        item.headline = line(item.headline, f"the headline of news {item.id}")
        item.source = line(item.source, f"the source of news {item.id}")
        item.body = validate.body(item.body, f"the body of news {item.id}")
        for change in item.changes:
            line(change.value, f"a fact change of news {item.id}")
    for feed in show.feeds:
        feed.url = validate.url(feed.url, "a feed URL") or ""
        feed.title = validate.optional_line(feed.title, f"the title of feed {feed.url}")
    keys = [inst.key for inst in show.installments]
    if len(keys) != len(set(keys)):
        raise InvalidInput("the file lists the same installment twice.")


def _check_times(show: Show) -> None:
    """Times and zones that every later command reads: refused here, not when a view breaks."""
    if show.release_zone is not None:
        zone(show.release_zone)
    for item in show.news:
        if item.added.tzinfo is None:
            raise InvalidInput(
                f"news {item.id} was added at {item.added.isoformat()}, a time without a zone.",
                hint="Give it an offset, such as +00:00.",
            )


def accept_document(doc: Document, name: str, slug: str | None = None) -> Show:
    """Check a decoded export as typed input and return its show, under slug if given."""
    show = doc.show
    if show.schema_version > SCHEMA_VERSION:
        raise InvalidInput(f"{name} holds a show of schema {show.schema_version}; "
                           f"this hstracker reads up to {SCHEMA_VERSION}.")  # fmt: skip
    show.schema_version = SCHEMA_VERSION
    show.synced = {}  # what someone else's sync read says nothing about what this store holds
    show.slug = validate.slug(slug if slug is not None else show.slug, "--as" if slug else "slug")
    _check_lines(show)
    _check_urls(show)
    _check_times(show)
    return show


@dataclass
class MergeReport:
    """What an import added; all zero means the store already had everything."""

    created: bool = False
    installments: list[str] = field(default_factory=list)
    facts: int = 0
    cast: int = 0
    news: int = 0

    @property
    def changed(self) -> bool:
        return self.created or bool(self.installments or self.facts or self.cast or self.news)


def _not_older(a: Source, b: Source) -> bool:
    """a was reported no earlier than b; an undated report counts as the oldest."""
    if a.reported is None:
        return b.reported is None
    return b.reported is None or a.reported.sort_key() >= b.reported.sort_key()


Rule = Literal["newer", "supersedes"]


def _wins(rule: Rule, mine: Fact[T], theirs: Fact[T]) -> bool:
    """Whether their current claim replaces mine.

    "newer" (import): theirs unless it was reported earlier than mine. "supersedes" (newer
    shipped data): only when theirs lists mine among the claims it replaced, so a value the
    fan typed or synced, which the shipped data never held, stays current.
    """
    if rule == "newer":
        return _not_older(theirs.source, mine.source)
    return any(c.value == mine.value and c.source == mine.source for c in theirs.history)


def merge_shared_fact(
    mine: Fact[T] | None, theirs: Fact[T] | None, rule: Rule = "newer"
) -> tuple[Fact[T] | None, int]:
    """Add the claims mine lacks; whether their current value wins is the rule's to say.

    Their history only ever joins the history, so an old claim never becomes current.
    """
    if theirs is None:
        return mine, 0
    if mine is None:
        return theirs, 1
    known = [(mine.value, mine.source), *((c.value, c.source) for c in mine.history)]
    result, added = mine, 0
    if (theirs.value, theirs.source) not in known:
        added += 1
        if _wins(rule, mine, theirs):
            result = mine.corrected(theirs.value, theirs.source)
        else:
            older = Claim(value=theirs.value, source=theirs.source)
            result = Fact(
                value=mine.value, source=mine.source, history=_placed(mine.history, older)
            )
    known.append((theirs.value, theirs.source))
    history, extra = result.history, 0
    for claim in theirs.history:
        if (claim.value, claim.source) not in known:
            known.append((claim.value, claim.source))
            history, extra = _placed(history, claim), extra + 1
    if extra:
        result = Fact(value=result.value, source=result.source, history=history)
    return result, added + extra


def _placed(history: list[Claim[T]], claim: Claim[T]) -> list[Claim[T]]:
    """History with claim joined where its report date puts it: newest first, as `corrected`
    leaves it, so a round trip through export and import gives the same history back."""
    when = _reported(claim)
    at = next((i for i, old in enumerate(history) if _reported(old) < when), len(history))
    return [*history[:at], claim, *history[at:]]


def _reported(claim: Claim[Any]) -> tuple[int, int, int, datetime]:
    reported = claim.source.reported
    return reported.sort_key() if reported is not None else _UNDATED


_UNDATED = (0, 0, 0, datetime.min.replace(tzinfo=UTC))  # sorts after every dated report


def _merge_installment(mine: Installment, theirs: Installment, rule: Rule) -> int:
    added = 0
    for fact in TABLE:
        merged, n = merge_shared_fact(fact.get(mine), fact.get(theirs), rule)
        if merged is not None:
            fact.put(mine, merged)
        added += n
    if mine.title is None and theirs.title is not None:
        mine.title = theirs.title
        added += 1
    for note in theirs.plot:
        if note not in mine.plot:
            mine.plot.append(note)
            added += 1
    if theirs.episode_list and not mine.episode_list:  # a synced list is never overridden
        mine.episode_list = list(theirs.episode_list)
        added += 1
    return added


def _merge_work(mine: Show, theirs: Show, rule: Rule) -> int:
    work, other = mine.source_work, theirs.source_work
    work.total, added = merge_shared_fact(work.total, other.total, rule)
    units = {unit.number: unit for unit in work.units}
    for unit in other.units:
        if unit.number not in units:
            work.units.append(unit)
            added += 1
            continue
        ours = units[unit.number]
        ours.published, n = merge_shared_fact(ours.published, unit.published, rule)
        added += n
        for market, fact in unit.markets.items():
            merged, n = merge_shared_fact(ours.markets.get(market), fact, rule)
            if merged is not None:
                ours.markets[market] = merged
            added += n
        if ours.title is None and unit.title is not None:
            ours.title = unit.title
            added += 1
    work.units.sort(key=lambda u: u.number)
    return added


def refuse_other_show(mine: Show, theirs: Show) -> None:
    """Refuse to merge a file into a show it is not: its title or its source work differs."""
    differs = [
        f"{what} {b!r}, not {a!r}"
        for what, a, b in (
            ("is", mine.title, theirs.title),
            ("adapts", mine.source_work.title, theirs.source_work.title),
        )
        if validate.fold(a) != validate.fold(b)
    ]
    if differs:
        raise InvalidInput(
            f"the file's show {' and '.join(differs)}: it is not {mine.slug}; nothing was "
            "imported.",
            hint="Pick another --as for a show of its own, or add --force to merge it anyway.",
        )


def merge_show(mine: Show | None, theirs: Show, rule: Rule = "newer") -> tuple[Show, MergeReport]:
    """Merge an imported show into the stored one: add what is new, duplicate nothing."""
    if mine is None:
        return theirs, MergeReport(
            created=True,
            installments=[inst.key for inst in theirs.installments],
            cast=len(theirs.cast),
            news=len(theirs.news),
        )
    report = MergeReport()
    if mine.release_zone is None and theirs.release_zone is not None:
        mine.release_zone = theirs.release_zone
        report.facts += 1
    by_key = {inst.key: inst for inst in mine.installments}
    for inst in theirs.installments:
        if inst.key in by_key:
            report.facts += _merge_installment(by_key[inst.key], inst, rule)
        else:
            mine.installments.append(inst)
            report.installments.append(inst.key)
    report.facts += _merge_work(mine, theirs, rule)
    cast = {(validate.fold(m.character), validate.fold(m.actor)): m for m in mine.cast}
    for member in theirs.cast:
        key = (validate.fold(member.character), validate.fold(member.actor))
        same = cast.get(key)
        if same is None:
            mine.cast.append(member)
            cast[key] = member
            report.cast += 1
        elif missing := [k for k in member.installments if k not in same.installments]:
            same.installments.extend(missing)
            report.cast += 1
    index = NewsIndex(mine.news)
    for item in theirs.news:
        if item.id not in index.ids and index.duplicate_of(item) is None:
            mine.news.append(item)
            index.add(item)
            report.news += 1
    if report.news:
        sort_news(mine)
    for name, value in theirs.ids.items():
        if name not in mine.ids:
            mine.ids[name] = value
            report.facts += 1
    return mine, report
