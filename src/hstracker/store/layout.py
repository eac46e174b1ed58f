"""A show on disk: a head file (facts, cast, feeds) and its news in parts no write changes."""

# No `from __future__ import annotations`: msgspec reads these annotations at decode time.

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, NamedTuple

import msgspec

from hstracker.core.model import MAX_NEWS, NewsItem, Record, Show
from hstracker.store.codec import digest
from hstracker.store.files import BACKUP_DIR

PARTS_SUFFIX = ".news"  # shows/<slug>.news/ holds the parts of shows/<slug>.json
# a year's news is one part until it holds more than this; then it is one part per month
SPLIT = 1000
MAX_PARTS = 100_000
# <year>[-<month>]-<16 hex>.json: the name says where the part sorts, the hex makes it new
PART_NAME = re.compile(r"^(\d{4}(?:-\d{2})?)-[0-9a-f]{16}\.json$")
# keys-<16 hex>.json: a show's duplicate index (store/dupkeys.py), a new name on every change
KEYS_NAME = re.compile(r"^keys-[0-9a-f]{16}\.json$")


class PartKey(NamedTuple):
    """Where a part sorts: a year (month 0), or one month of a year cut by month."""

    year: int
    month: int = 0
    by_month: bool = False

    @classmethod
    def of(cls, key: str) -> "PartKey":
        """The key of a part's `key` field ("2024", or "2024-03"; checked by PART_NAME)."""
        year, _, month = key.partition("-")
        return cls(int(year), int(month or 0), bool(month))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}" if self.by_month else f"{self.year:04d}"


class NewsPart(Record, kw_only=True):
    """One part of a show's news, as its head lists it: enough to choose parts unread."""

    key: str  # "2024", or "2024-03" once 2024 is split by month ("2024-00": the year only)
    file: str
    # blake2b of the part's bytes: a read refuses a part that is not what its head wrote
    digest: str | None = None
    # the parts of the same year the write that made this one dropped (its lineage): a part
    # some listed part replaces may be deleted, any other is kept (store/parts.py)
    replaces: Annotated[list[str], msgspec.Meta(max_length=MAX_PARTS)] | None = None
    count: Annotated[int, msgspec.Meta(ge=1, le=MAX_NEWS)]
    added: datetime  # the latest time any item in it was added
    # how many of its items are about each installment
    installments: Annotated[dict[str, int], msgspec.Meta(max_length=10_000)] = msgspec.field(
        default_factory=dict
    )
    # how many of its items have each Shape (keyed by str(Shape)): what the spoiler guard uses,
    # so a read can count what the guard hides in a part it does not read
    shapes: Annotated[dict[str, int], msgspec.Meta(max_length=MAX_NEWS)] = msgspec.field(
        default_factory=dict
    )

    @property
    def at(self) -> PartKey:
        return PartKey.of(self.key)


class StoredShow(Show, kw_only=True):
    """A show's head file: the show without its news, and the parts that hold the news.

    The parts are listed oldest first; read in that order they give the news in store order.
    """

    parts: Annotated[list[NewsPart], msgspec.Meta(max_length=MAX_PARTS)] = msgspec.field(
        default_factory=list
    )
    # the file of its duplicate index in the parts folder (store/dupkeys.py), if it has one
    keys: str | None = None
    # the ids of the shipped news this copy has taken in: an upgrade adds only others, so a
    # shipped item the fan removed stays removed (store/upgrade.py)
    taken: Annotated[list[str], msgspec.Meta(max_length=MAX_NEWS)] = msgspec.field(
        default_factory=list
    )
    # parts the write of this head dropped that no new part replaces (a year emptied)
    dropped: Annotated[list[str], msgspec.Meta(max_length=MAX_PARTS)] = msgspec.field(
        default_factory=list
    )


class NewsFile(Record, kw_only=True):
    """The body of one part: items oldest first, as the show keeps them.

    replaces repeats the head's lineage in the part itself, so that the news a lost head
    listed can be found again from the parts alone (None: written before parts kept it).
    """

    schema_version: int
    news: Annotated[list[NewsItem], msgspec.Meta(max_length=MAX_NEWS)]
    replaces: Annotated[list[str], msgspec.Meta(max_length=MAX_PARTS)] | None = None


@dataclass(frozen=True)
class Pick:
    """Which news a read needs. Every part that might hold a wanted item is read whole."""

    newest: int = 0  # at least this many of the newest items (visible ones, given visible)
    visible: Callable[["NewsPart"], int] | None = None  # how many of a part's items are shown
    added_after: datetime | None = None  # and every item added after this
    since: tuple[int, int] | None = None  # only parts that may hold items on or after (y, m)
    installment: str | None = None  # only parts holding items about this installment
    everything: bool = False

    @property
    def filtered(self) -> bool:
        return self.since is not None or self.installment is not None


ALL = Pick(everything=True)
NONE = Pick()
# a pick that depends on the show (its installments), decided once its head is read
PickFor = Callable[[Show], Pick]


def parts_dir(head: Path) -> Path:
    """The folder of a head file's news parts."""
    return head.with_name(head.name.removesuffix(".json") + PARTS_SUFFIX)


def copies_dir(head: Path) -> Path:
    """The folder of the kept copy of each news part of a head file: backups/<slug>.news."""
    return head.parent / BACKUP_DIR / parts_dir(head).name


def split(
    news: list[NewsItem], others: dict[int, int] | None = None
) -> list[tuple[PartKey, list[NewsItem]]]:
    """The news, in store order, cut into parts: one per year, or per month in a busy year.

    Cuts fall only where the key changes, so joining the parts gives the list back as it was.
    others: per year, how many more items it holds in parts not given (a write that read
    only some parts), which count towards making it busy.
    """
    others = others or {}
    parts: list[tuple[PartKey, list[NewsItem]]] = []
    years = [item.date.year for item in news]  # one pass; the cuts are then found by slicing
    for start, end in _runs(years):
        if end - start + others.get(years[start], 0) > SPLIT:
            months = [item.date.month or 0 for item in news[start:end]]
            parts.extend(
                (PartKey(years[start], months[a], True), news[start + a : start + b])
                for a, b in _runs(months)
            )
        else:
            parts.append((PartKey(years[start]), news[start:end]))
    return parts


def _runs(keys: list[int]) -> list[tuple[int, int]]:
    """The [start, end) spans of equal neighbouring keys."""
    cuts = [i for i in range(1, len(keys)) if keys[i] != keys[i - 1]]
    bounds = [0, *cuts, len(keys)]
    return [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1) if keys]


def new_name(key: PartKey) -> str:
    """A fresh file name for a part: never the name of a file already written."""
    return f"{key}-{os.urandom(8).hex()}.json"


class Shape(NamedTuple):
    """What the spoiler guard looks at in an item: its installment and its tags. A part's
    tally keys each shape by str(shape), since JSON keys are strings; Shape.of_key reads one
    back, so no caller takes a key apart by position."""

    installment: str | None
    tags: tuple[str, ...]

    @classmethod
    def of(cls, item: NewsItem) -> "Shape":
        return cls(item.installment, tuple(sorted(item.tags)))

    @classmethod
    def of_key(cls, key: str) -> "Shape":
        installment, _, tags = key.partition("|")
        return cls(installment or None, tuple(tags.split(",")) if tags else ())

    def __str__(self) -> str:
        return f"{self.installment or ''}|{','.join(self.tags)}"


def tally(items: Iterable[NewsItem]) -> dict[str, int]:
    """How many items have each shape."""
    counts: dict[str, int] = {}
    for item in items:
        key = str(Shape.of(item))
        counts[key] = counts.get(key, 0) + 1
    return counts


def describe_part(
    key: PartKey, name: str, items: list[NewsItem], data: bytes, replaces: list[str]
) -> NewsPart:
    """The head's entry for a part holding items, stored under name as data."""
    counts: dict[str, int] = {}
    for item in items:
        if item.installment is not None:
            counts[item.installment] = counts.get(item.installment, 0) + 1
    return NewsPart(
        key=str(key),
        file=name,
        digest=digest(data),
        replaces=replaces,
        count=len(items),
        added=max(item.added for item in items),
        installments=counts,
        shapes=tally(items),
    )


def hidden(shapes: dict[str, int], hides: Callable[[str | None, list[str]], bool]) -> int:
    """How many of the items a tally counts the guard's hides() holds back."""
    found = (Shape.of_key(key) for key in shapes)
    return sum(
        count
        for shape, count in zip(found, shapes.values(), strict=True)
        if hides(shape.installment, list(shape.tags))
    )


def year_group(
    parts: list[NewsPart], year: int, month: int, *, removing: int = 0
) -> list[NewsPart]:
    """The parts a write that adds an item on (year, month), or removes removing items
    there, must read so that split() cuts what it read as before: the month's part in a year
    cut by month that stays busy, else the whole year's."""
    same = [part for part in parts if part.at.year == year]
    busy = sum(part.count for part in same) - removing > SPLIT
    if busy and all(p.at.by_month for p in same):
        return [part for part in same if part.at.month == month]
    return same


def year_counts(parts: list[NewsPart]) -> dict[int, int]:
    """How many items the parts hold, per year."""
    counts: dict[int, int] = {}
    for part in parts:
        year = part.at.year
        counts[year] = counts.get(year, 0) + part.count
    return counts


def _key_at_least(key: PartKey, since: tuple[int, int]) -> bool:
    if not key.by_month:
        return key.year >= since[0]
    return (key.year, key.month) >= since


def chosen(parts: list[NewsPart], pick: Pick) -> list[int]:
    """The indexes (oldest first) of the parts a read with pick must load."""
    if pick.everything:
        return list(range(len(parts)))
    wanted: set[int] = set()
    if pick.filtered:
        for i, part in enumerate(parts):
            if pick.installment is not None and not part.installments.get(pick.installment):
                continue
            if pick.since is not None and not _key_at_least(part.at, pick.since):
                continue
            wanted.add(i)
    else:
        have = 0
        for i in range(len(parts) - 1, -1, -1):
            if have >= pick.newest:
                break
            wanted.add(i)
            have += parts[i].count if pick.visible is None else pick.visible(parts[i])
    if pick.added_after is not None:
        wanted.update(i for i, part in enumerate(parts) if part.added > pick.added_after)
    return sorted(wanted)


def check_names(parts: list[NewsPart], keys: str | None = None) -> str | None:
    """What is wrong with the parts a head lists (a name that could leave the folder, a part
    listed twice), if any."""
    if keys is not None and not KEYS_NAME.match(keys):
        return "`$.keys` is not the name of a duplicate index"
    seen: set[str] = set()
    for i, part in enumerate(parts):
        m = PART_NAME.match(part.file)
        if m is None or m[1] != part.key:
            return f"`$.parts[{i}].file` is not the name of a news part"
        if sum(part.shapes.values()) != part.count:
            return f"`$.parts[{i}].shapes` does not count its {part.count} items"
        if part.file in seen:
            return f"`$.parts[{i}]` lists the news part {part.file} a second time"
        seen.add(part.file)
    return None


def head_of(
    show: Show,
    parts: list[NewsPart],
    keys: str | None = None,
    dropped: list[str] | None = None,
    taken: list[str] | None = None,
) -> StoredShow:
    """The head to store for show: every field but the news, the parts holding it, the
    name of their duplicate index, the parts its write dropped unreplaced, and the shipped
    news ids taken in."""
    fields = {f: getattr(show, f) for f in Show.__struct_fields__ if f != "news"}
    return StoredShow(**fields, parts=parts, keys=keys, dropped=dropped or [], taken=taken or [])


def show_of(head: Show, news: list[NewsItem]) -> Show:
    """A plain Show from a head and the news read for it (exports never see `parts`)."""
    fields = {f: getattr(head, f) for f in Show.__struct_fields__ if f != "news"}
    return Show(**fields, news=news)
