"""Sharing a show as one JSON document: export, strict validation of imports, and merging."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import msgspec

from hstracker.core import validate
from hstracker.core.model import SCHEMA_VERSION, Claim, Fact, Installment, Show, Source
from hstracker.core.news import find_duplicate
from hstracker.errors import InvalidInput
from hstracker.store.codec import convert, describe, to_builtins

FORMAT = "hstracker-show"
FORMAT_VERSION = 1
MAX_BYTES = 5_000_000  # a show with thousands of news items is well under 1 MB
MAX_DEPTH = 32

T = TypeVar("T")


class Document(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The exported file: what it is, which version, and the show's facts (no personal state)."""

    format: str
    version: int
    exported: datetime | None = None
    generator: str | None = None
    show: Show


def export_document(show: Show, now: datetime, generator: str) -> dict[str, Any]:
    """The show as a self-describing, plain JSON-ready document."""
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported": now.replace(microsecond=0),
        "generator": generator,
        "show": to_builtins(show),
    }


def _clean_tree(value: Any, path: str, depth: int = 0) -> Any:
    """Strip control characters from every string, refusing oversized or absurdly deep ones."""
    if depth > MAX_DEPTH:
        raise InvalidInput(f"the file nests too deeply at {path}.")
    if isinstance(value, str):
        if len(value) > validate.MAX_BODY:
            raise InvalidInput(f"the text at {path} is {len(value)} characters; the limit is "
                               f"{validate.MAX_BODY}.")  # fmt: skip
        return validate.clean(value)
    if isinstance(value, list):
        return [_clean_tree(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {k: _clean_tree(v, f"{path}.{k}", depth + 1) for k, v in value.items()}
    return value


def _check_urls(show: Show) -> None:
    """Every URL must be http(s): a file from someone else must not smuggle other schemes in."""
    sources: list[Source] = [s for fact in show.facts() for s in fact.sources()]
    sources += [m.source for m in show.cast if m.source is not None]
    sources += [note.source for inst in show.installments for note in inst.plot]
    for source in sources:
        source.url = validate.url(source.url, "a source URL")
    for item in show.news:
        item.url = validate.url(item.url, f"the URL of news {item.id}")
        item.tags = validate.tags(item.tags)
    for inst in show.installments:
        if inst.trailer is not None:
            validate.url(inst.trailer.value, f"the trailer of {inst.key}")


def _check_lines(show: Show) -> None:
    """One-line fields: folded white space, not blank, within the line limit."""
    show.title = validate.required_line(show.title, "the show title")
    show.platform = validate.required_line(show.platform, "the platform")
    for member in show.cast:
        member.character = validate.required_line(member.character, "a character")
        member.actor = validate.required_line(member.actor, "an actor")
    for item in show.news:
        item.id = validate.required_line(item.id, "a news id", limit=64)
        item.headline = validate.required_line(item.headline, f"the headline of news {item.id}")
        item.source = validate.required_line(item.source, f"the source of news {item.id}")
    keys = [inst.key for inst in show.installments]
    if len(keys) != len(set(keys)):
        raise InvalidInput("the file lists the same installment twice.")


def parse_document(data: bytes, name: str, slug: str | None = None) -> Show:
    """Validate a whole exported file and return its show; nothing is trusted until it passes."""
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"{name} is {len(data)} bytes; the limit is {MAX_BYTES}.")
    try:
        raw = msgspec.json.decode(data)
    except msgspec.DecodeError as exc:
        raise InvalidInput(f"{name} is not JSON: {describe(exc, data)}.") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise InvalidInput(f"{name} is not an hstracker show export (format {FORMAT!r}).")
    version = raw.get("version")
    if not isinstance(version, int) or not 0 < version <= FORMAT_VERSION:
        raise InvalidInput(
            f"{name} has export version {version!r}; this hstracker reads up to {FORMAT_VERSION}.",
            hint="Upgrade hstracker to import it.",
        )
    try:
        doc = convert(_clean_tree(raw, "$"), Document)
    except msgspec.ValidationError as exc:
        raise InvalidInput(f"{name} is not a valid show: {describe(exc, data)}.") from None
    show = doc.show
    if show.schema_version > SCHEMA_VERSION:
        raise InvalidInput(f"{name} holds a show of schema {show.schema_version}; "
                           f"this hstracker reads up to {SCHEMA_VERSION}.")  # fmt: skip
    show.schema_version = SCHEMA_VERSION
    show.slug = validate.slug(slug if slug is not None else show.slug, "--as" if slug else "slug")
    _check_lines(show)
    _check_urls(show)
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


def merge_fact(mine: Fact[T] | None, theirs: Fact[T] | None) -> tuple[Fact[T] | None, int]:
    """Add the claims mine lacks; their current value wins unless it was reported earlier.

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
        if _not_older(theirs.source, mine.source):
            result = mine.corrected(theirs.value, theirs.source)
        else:
            older = Claim(value=theirs.value, source=theirs.source)
            result = Fact(value=mine.value, source=mine.source, history=[*mine.history, older])
    known.append((theirs.value, theirs.source))
    extra: list[Claim[T]] = []
    for claim in theirs.history:
        if (claim.value, claim.source) not in known:
            known.append((claim.value, claim.source))
            extra.append(claim)
    if extra:
        result = Fact(value=result.value, source=result.source, history=[*result.history, *extra])
    return result, added + len(extra)


_INSTALLMENT_FACTS = ("state", "release", "episodes", "trailer", "adapts")
_FILMING_FACTS = ("start", "wrap", "place")


def _merge_installment(mine: Installment, theirs: Installment) -> int:
    added = 0
    for name in _INSTALLMENT_FACTS:
        merged, n = merge_fact(getattr(mine, name), getattr(theirs, name))
        setattr(mine, name, merged)
        added += n
    for name in _FILMING_FACTS:
        merged, n = merge_fact(getattr(mine.filming, name), getattr(theirs.filming, name))
        setattr(mine.filming, name, merged)
        added += n
    if mine.title is None and theirs.title is not None:
        mine.title = theirs.title
        added += 1
    for note in theirs.plot:
        if note not in mine.plot:
            mine.plot.append(note)
            added += 1
    return added


def _merge_work(mine: Show, theirs: Show) -> int:
    work, other = mine.source_work, theirs.source_work
    work.total, added = merge_fact(work.total, other.total)
    units = {unit.number: unit for unit in work.units}
    for unit in other.units:
        if unit.number not in units:
            work.units.append(unit)
            added += 1
            continue
        units[unit.number].published, n = merge_fact(units[unit.number].published, unit.published)
        added += n
    work.units.sort(key=lambda u: u.number)
    return added


def merge_show(mine: Show | None, theirs: Show) -> tuple[Show, MergeReport]:
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
            report.facts += _merge_installment(by_key[inst.key], inst)
        else:
            mine.installments.append(inst)
            report.installments.append(inst.key)
    report.facts += _merge_work(mine, theirs)
    for member in theirs.cast:
        same = next(
            (
                m
                for m in mine.cast
                if m.character.casefold() == member.character.casefold()
                and m.actor.casefold() == member.actor.casefold()
            ),
            None,
        )
        if same is None:
            mine.cast.append(member)
            report.cast += 1
        elif missing := [k for k in member.installments if k not in same.installments]:
            same.installments.extend(missing)
            report.cast += 1
    ids = {item.id for item in mine.news}
    for item in theirs.news:
        if item.id not in ids and find_duplicate(mine, item) is None:
            mine.news.append(item)
            ids.add(item.id)
            report.news += 1
    mine.news.sort(key=lambda n: (n.date.sort_key(), n.added))
    return mine, report
