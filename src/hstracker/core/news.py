"""News: adding, editing and removing items, stable ids, duplicates, and the timeline a fan sees."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

import msgspec

from hstracker.core import validate
from hstracker.core.dates import PartialDate
from hstracker.core.facts import Assignment, check_fits, set_fact
from hstracker.core.installments import find_installment
from hstracker.core.model import Confidence, FactChange, NewsItem, Show, Source
from hstracker.core.spoilers import Guard, apply_guard
from hstracker.errors import Duplicate, InvalidInput, NotFound


@dataclass
class NewsDraft:
    """What the fan typed: the date, installment and fact changes already parsed (cli/),
    the text not yet validated."""

    headline: str
    date: PartialDate  # a whole day
    source: str
    url: str | None = None
    body: str | None = None
    installment: str | None = None  # a reference, cleaned and checked by cli/
    tags: list[str] = field(default_factory=list)
    changes: list[Assignment] = field(default_factory=list)
    confidence: Confidence = "reported"


def news_id(day: PartialDate, headline: str) -> str:
    """A stable id from the date and headline; the same story gets the same id anywhere."""
    import hashlib  # loads OpenSSL (~2 ms): only adding news needs it, not every read

    digest = hashlib.blake2s(f"{day}|{validate.fold(headline)}".encode(), digest_size=5).hexdigest()
    return f"n{digest}"


def sort_news(show: Show) -> None:
    """The store keeps news oldest first, by date and then by when it was added."""
    show.news.sort(key=lambda n: (n.date.sort_key(), n.added))


class NewsIndex:
    """Keyed lookups over a show's news, so adding many items stays linear."""

    def __init__(self, items: list[NewsItem]) -> None:
        self.ids: set[str] = set()
        self._urls: dict[str, NewsItem] = {}
        self._headlines: dict[tuple[PartialDate, str], NewsItem] = {}
        for item in items:
            self.add(item)

    def add(self, item: NewsItem) -> None:
        self.ids.add(item.id)
        if item.url:
            self._urls.setdefault(item.url.rstrip("/"), item)
        self._headlines.setdefault((item.date, validate.fold(item.headline)), item)

    def duplicate_of(self, item: NewsItem) -> NewsItem | None:
        """A stored item with the same URL, or the same headline on the same date."""
        for other in (
            self._urls.get(item.url.rstrip("/")) if item.url else None,
            self._headlines.get((item.date, validate.fold(item.headline))),
        ):
            if other is not None and other.id != item.id:  # an edited item is no duplicate
                return other
        return None

    def unique_id(self, day: PartialDate, headline: str) -> str:
        """news_id, with a suffix when another stored item already has it."""
        item_id = base = news_id(day, headline)
        suffix = 1
        while item_id in self.ids:  # an edited headline can free an id a new item then wants
            suffix += 1
            item_id = f"{base}-{suffix}"
        return item_id


class Duplicates(Protocol):
    """What adding an item asks of the stored news: NewsIndex, or the store's own index
    (store/dupkeys.py) where only some of the news was read."""

    def unique_id(self, day: PartialDate, headline: str) -> str: ...

    def duplicate_of(self, item: NewsItem) -> NewsItem | None: ...


def find_duplicate(show: Show, item: NewsItem) -> NewsItem | None:
    """A stored item with the same URL, or the same headline on the same date."""
    return NewsIndex([other for other in show.news if other.id != item.id]).duplicate_of(item)


def add_news(
    show: Show, draft: NewsDraft, now: datetime, index: Duplicates | None = None
) -> NewsItem:
    """Validate a draft, apply its fact changes with the item as their source, and store it.

    index: the duplicate check to use; by default one over every item in show.news.
    """
    day = draft.date
    _refuse_future(day, now)
    headline = validate.required_line(draft.headline, "headline")
    source_name = validate.required_line(draft.source, "source")
    inst = find_installment(show, draft.installment) if draft.installment else None
    changes = draft.changes
    if changes and inst is None:
        raise InvalidInput("a fact change needs --season to say which installment it is about.")
    if index is None:
        index = NewsIndex(show.news)  # built once: a show may hold 100,000 items
    item = NewsItem(
        id=index.unique_id(day, headline),
        date=day,
        headline=headline,
        source=source_name,
        url=validate.url(draft.url),
        body=validate.body(draft.body),
        installment=inst.key if inst else None,
        tags=validate.tags(draft.tags),
        added=now.replace(microsecond=0),
        confidence=draft.confidence,
        changes=[
            FactChange(installment=inst.key, field=c.field.name, value=c.text) for c in changes
        ]
        if inst
        else [],
    )
    # its id is new, so the index of every stored item finds what find_duplicate would
    _refuse_duplicate(index.duplicate_of(item))
    if inst is not None:
        provenance = Source(
            name=source_name,
            reported=day,
            url=item.url,
            confidence=draft.confidence,
            news_id=item.id,
            by_fan=True,
        )
        for change in changes:
            check_fits(show, change.field.name, change.value)
        for change in changes:
            set_fact(inst, change.field, change.value, provenance)
    show.news.append(item)
    sort_news(show)
    return item


# a day of slack: where the fan is, it may already be tomorrow
SLACK = timedelta(days=1)


def _refuse_future(day: PartialDate, now: datetime) -> None:
    """News is what has happened: a date after today is a typo (2030 for 2026), not news."""
    when = day.as_date()
    latest = (now + SLACK).date()
    if when is not None and when > latest:
        raise InvalidInput(
            f"date {day} is after today ({now.date()}); news reports what has happened.",
            hint="Check the year; a coming release goes in with `set REF release DATE`.",
        )


def _refuse_duplicate(dup: NewsItem | None) -> None:
    if dup is not None:
        raise Duplicate(
            f"this news is already stored as {dup.id} ({dup.date}: {dup.headline!r}).",
            hint="Nothing was changed.",
        )


def find_news(show: Show, item_id: str) -> NewsItem:
    """The stored item with this id."""
    wanted = validate.clean_line(item_id)
    for item in show.news:
        if item.id == wanted:
            return item
    raise NotFound(f"no news item {wanted!r} in {show.title}.", hint="See the ids: news --json.")


def remove_news(show: Show, item_id: str) -> NewsItem:
    """Remove an item; facts it changed keep it as their source, by name and URL."""
    item = find_news(show, item_id)
    show.news.remove(item)
    return item


@dataclass
class NewsEdit:
    """The fields to change; None leaves a field as it is, and an empty body clears it."""

    headline: str | None = None
    source: str | None = None
    url: str | None = None
    body: str | None = None
    tags: list[str] | None = None


def edit_news(
    show: Show, item_id: str, edit: NewsEdit, index: Duplicates | None = None
) -> NewsItem:
    """Change an item's text fields, checked like new input; its id stays the same.

    index: the duplicate check to use; by default one over every item in show.news.
    """
    if all(getattr(edit, name) is None for name in NewsEdit.__dataclass_fields__):
        raise InvalidInput(
            "nothing to change was given.",
            hint="Give one or more of --headline, --source, --url, --body or --tag.",
        )
    item = find_news(show, item_id)
    changed = msgspec.structs.replace(
        item,
        headline=item.headline
        if edit.headline is None
        else validate.required_line(edit.headline, "headline"),
        source=item.source
        if edit.source is None
        else validate.required_line(edit.source, "source"),
        url=item.url if edit.url is None else validate.url(edit.url),
        body=item.body if edit.body is None else validate.body(edit.body),
        tags=item.tags if edit.tags is None else validate.tags(edit.tags),
    )
    _refuse_duplicate(
        find_duplicate(show, changed) if index is None else index.duplicate_of(changed)
    )
    show.news[show.news.index(item)] = changed
    return changed


@dataclass(frozen=True)
class Timeline:
    """The news a fan sees: newest first, cut to the limit, and how much the guard hid."""

    items: list[NewsItem]
    total: int  # visible items before the limit
    hidden: int


def timeline(
    show: Show,
    guard: Guard,
    *,
    season: str | None = None,
    since: PartialDate | None = None,
    limit: int | None = None,
    stored: tuple[int, int] | None = None,
) -> Timeline:
    """News newest first, for one installment or from a day on, through the spoiler guard.

    stored: how many items the guard shows and hides in all, where show.news holds only the
    newest (the store read only what the limit shows); they count when nothing filters.
    """
    items = show.latest_news()
    if season:
        key = find_installment(show, season).key
        items = [item for item in items if item.installment == key]
    if since:
        start = since.sort_key()
        items = [item for item in items if item.date.sort_key() >= start]
    seen = apply_guard(show, guard, items)
    shown = seen.news if limit is None else seen.news[:limit]
    total, hidden = len(seen.news), seen.hidden_news
    if stored is not None and not (season or since):
        total, hidden = stored
    return Timeline(shown, total, hidden)
