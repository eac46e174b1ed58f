"""Feed subscriptions, and turning the items a feed carries into news for a show."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit

from hstracker.core import validate
from hstracker.core.dates import MAX_YEAR, MIN_YEAR, PartialDate
from hstracker.core.installments import named_in
from hstracker.core.model import Feed, NewsItem, Show
from hstracker.core.news import NewsIndex, sort_news
from hstracker.errors import Duplicate, InvalidInput, NotFound

MAX_SEEN = 1_000  # remembered guids per feed; older ones fall off once the feed drops them
MAX_MATCH = 20
_TAGS = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Entry:
    """One item of a feed, as the feed gave it (not yet cleaned)."""

    guid: str | None
    link: str | None
    title: str | None
    summary: str | None
    published: date | None
    dated_by_feed: bool = False  # the item's own date was unreadable: this is the feed's


@dataclass
class Pulled:
    """A fresh copy of a feed: its title, items, and the validators for the next request."""

    title: str | None
    entries: list[Entry] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None
    left_out: int = 0  # matching items that had no date at all, counted by apply_pull


# the tag of an item whose own date was unreadable, so it carries its feed's date instead
FEED_DATED = "feed-date"


def match_words(values: list[str]) -> list[str]:
    """--match values: comma-separated words or phrases, cleaned and de-duplicated."""
    found: list[str] = []
    for raw in values:
        for part in raw.split(","):
            word = validate.clean_line(part)
            if word and word.casefold() not in (w.casefold() for w in found):
                found.append(validate.required_line(word, "match word", 100))
    if len(found) > MAX_MATCH:
        raise InvalidInput(f"{len(found)} match words given; the limit is {MAX_MATCH}.")
    return found


def add_feed(show: Show, url: str, match: list[str]) -> Feed:
    """Subscribe show to the feed at url."""
    checked = validate.url(url, "feed URL")
    assert checked is not None
    if find_feed(show, checked) is not None:
        raise Duplicate(f"{show.slug} already follows {checked}.", hint="Nothing was added.")
    feed = Feed(url=checked, match=match_words(match))
    show.feeds.append(feed)
    return feed


def find_feed(show: Show, url: str) -> Feed | None:
    wanted = validate.clean(url).strip().rstrip("/")
    return next((f for f in show.feeds if f.url.rstrip("/") == wanted), None)


def remove_feed(show: Show, url: str) -> None:
    feed = find_feed(show, url)
    if feed is None:
        raise NotFound(f"{show.slug} does not follow {validate.clean_line(url)!r}.")
    show.feeds.remove(feed)


def _plain(value: str | None, limit: int) -> str:
    """Feed text without markup or control characters, cut to limit."""
    if not value:
        return ""
    flat = validate.clean_line(html.unescape(_TAGS.sub(" ", value)))
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _matches(show: Show, feed: Feed, headline: str, summary: str) -> bool:
    words = feed.match or [show.title]
    haystack = f"{headline}\n{summary}".casefold()
    return any(word.casefold() in haystack for word in words)


def _link(value: str | None) -> str | None:
    try:
        return validate.url(value, "item link")
    except InvalidInput:
        return None


def _day(published: date | None) -> PartialDate | None:
    """The item's day; None when it has none a store can hold: an item is never dated today."""
    if published is None or not MIN_YEAR <= published.year <= MAX_YEAR:
        return None
    return PartialDate.of(published)


def _validator(value: str | None) -> str | None:
    """An ETag or Last-Modified fit to be sent back: printable ASCII, else dropped.

    httpx refuses any other header value, so storing one would break every later pull.
    """
    if not value or not (value.isascii() and value.isprintable()):
        return None  # dropped, never mended: a changed validator would never match again
    return value.strip()[: validate.MAX_LINE] or None


def _source_name(feed: Feed, pulled: Pulled) -> str:
    return _plain(pulled.title, validate.MAX_LINE) or urlsplit(feed.url).hostname or feed.url


def apply_pull(
    show: Show, feed: Feed, pulled: Pulled, now: datetime
) -> tuple[list[NewsItem], bool]:
    """Add the new matching items of a pulled feed; returns them and whether show changed."""
    changed = False
    for name in ("etag", "last_modified"):
        stored = getattr(feed, name)
        if stored is not None and _validator(stored) is None:  # kept by an older hstracker
            setattr(feed, name, None)
            changed = True
    for name, raw in (
        ("etag", _validator(pulled.etag)),
        ("last_modified", _validator(pulled.last_modified)),
        ("title", _plain(pulled.title, validate.MAX_LINE) or None),
    ):
        value = validate.clean_line(raw)[: validate.MAX_LINE] if raw else None
        if value and getattr(feed, name) != value:
            setattr(feed, name, value)
            changed = True
    added: list[NewsItem] = []
    index = NewsIndex(show.news)
    seen = set(feed.seen)
    for entry in pulled.entries:
        link = _link(entry.link)
        key = validate.clean_line(entry.guid or "")[: validate.MAX_URL] or link
        headline = _plain(entry.title, validate.MAX_LINE)
        if not key or key in seen or not headline:
            continue
        summary = _plain(entry.summary, validate.MAX_BODY)
        matches = _matches(show, feed, headline, summary)
        day = _day(entry.published)
        if matches and day is None:
            # left unseen: a later pull, when the item or its feed carries a date, adds it
            pulled.left_out += 1
            continue
        seen.add(key)
        feed.seen.append(key)
        changed = True
        if not matches or day is None:
            continue
        # tied to the installment it names, so the spoiler guard can weigh it like any other
        named = named_in(show, f"{headline}\n{summary}")
        item = NewsItem(
            id=index.unique_id(day, headline),
            date=day,
            headline=headline,
            source=_source_name(feed, pulled),
            url=link,
            body=summary or None,
            added=now.replace(microsecond=0),
            confidence="reported",
            installment=named.key if named else None,
            tags=["feed", FEED_DATED] if entry.dated_by_feed else ["feed"],
        )
        if index.duplicate_of(item) is not None:
            continue
        show.news.append(item)
        index.add(item)
        added.append(item)
    del feed.seen[:-MAX_SEEN]
    if added:
        sort_news(show)
    return added, changed


@dataclass
class PullResult:
    """What one `feeds pull` did: the items it added to each show, and the feeds that failed."""

    followed: int
    added: list[tuple[str, NewsItem]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def apply_pulls(show: Show, pulls: list[tuple[str, Pulled]], now: datetime) -> list[NewsItem]:
    """Add what each pulled feed of show brought; a feed removed meanwhile is skipped."""
    added: list[NewsItem] = []
    for url, pulled in pulls:
        feed = find_feed(show, url)
        if feed is not None:
            added += apply_pull(show, feed, pulled, now)[0]
    return added
