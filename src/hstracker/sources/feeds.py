"""Fetching RSS and Atom feeds with conditional requests, and parsing their bytes safely."""

from __future__ import annotations

import io
import re
import xml.sax
from collections.abc import Callable
from datetime import date
from typing import Any

from hstracker.core.feeds import Entry, Pulled
from hstracker.core.model import Feed
from hstracker.errors import NetworkError
from hstracker.sources.http import Client, sendable

# Entity declarations are how XML bombs and external-entity reads work, and no honest feed
# needs them; expat would expand internal ones, so they are refused before parsing.
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
# HTML entities such as &nbsp; are common in real feeds and the loose parser handles them.
_TOLERATED = ("undefined entity",)


def fetch(client: Client, feed: Feed) -> Pulled | None:
    """The feed's current items, or None when the server says it has not changed."""
    headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9"}
    # a validator that is not printable ASCII (stored by an older hstracker) is never sent
    if feed.etag and sendable(feed.etag):
        headers["If-None-Match"] = feed.etag
    if feed.last_modified and sendable(feed.last_modified):
        headers["If-Modified-Since"] = feed.last_modified
    response = client.get(feed.url, headers=headers)
    if response.status == 304:
        return None
    pulled = parse(response.body, feed.url)
    pulled.etag = response.headers.get("etag")
    pulled.last_modified = response.headers.get("last-modified")
    return pulled


def parse(data: bytes, url: str) -> Pulled:
    """Parse a feed's bytes; anything hostile or not a feed raises NetworkError."""
    if _ENTITY.search(data.replace(b"\x00", b"")):  # NULs removed so UTF-16 is caught too
        raise NetworkError(f"{url} declares XML entities, which hstracker refuses to expand.")
    import feedparser  # type: ignore[import-untyped]

    # a stream, never a string: feedparser would fetch a URL or open a path it was given
    parsed: Any = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False)
    problem = parsed.get("bozo_exception")
    if not parsed.get("version"):
        raise NetworkError(f"{url} is not an RSS or Atom feed{_detail(problem)}.")
    if isinstance(problem, xml.sax.SAXParseException) and not any(
        t in str(problem) for t in _TOLERATED
    ):
        raise NetworkError(f"{url} is malformed XML{_detail(problem)}.")
    return Pulled(
        title=parsed.feed.get("title"),
        entries=[_entry(e) for e in parsed.entries],
    )


def _detail(problem: object) -> str:
    if isinstance(problem, xml.sax.SAXParseException):
        return f": {problem.getMessage()} at line {problem.getLineNumber()}"
    return f": {problem}" if problem else ""


def _published(raw: Any) -> date | None:
    """The item's day, or None if it has none or one no calendar has (year 0000)."""
    # plain dict lookups: feedparser's own get() maps the two keys onto each other, with a
    # deprecation warning, which would hide an entry that has neither
    stamp = dict.get(raw, "published_parsed") or dict.get(raw, "updated_parsed")
    if not stamp:
        return None
    try:
        return date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday)
    except (ValueError, OverflowError, TypeError, AttributeError):
        return None


def _entry(raw: Any) -> Entry:
    published = _published(raw)
    return Entry(
        guid=raw.get("id"),
        link=raw.get("link"),
        title=raw.get("title"),
        summary=raw.get("summary"),
        published=published,
    )


def fetch_all(
    client: Client, followed: list[tuple[str, Feed]], advance: Callable[[], object]
) -> tuple[dict[str, list[tuple[str, Pulled]]], list[str]]:
    """Fetch every followed feed: what changed, per show, and one line per feed that failed."""
    results: dict[str, list[tuple[str, Pulled]]] = {}
    failures: list[str] = []
    for slug, feed in followed:
        try:
            fresh = fetch(client, feed)
        except NetworkError as exc:
            failures.append(f"feed {exc}")
        else:
            if fresh is not None:
                results.setdefault(slug, []).append((feed.url, fresh))
        advance()
    return results, failures
