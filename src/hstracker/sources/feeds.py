"""Fetching RSS and Atom feeds with conditional requests, and parsing their bytes safely."""

from __future__ import annotations

import io
import re
import xml.sax
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin

from hstracker.core import rfc822
from hstracker.core.feeds import Entry, Pulled
from hstracker.core.model import Feed
from hstracker.errors import NetworkError
from hstracker.sources.http import Client, sendable

# Entity declarations are how XML bombs and external-entity reads work, and no honest feed
# needs them; expat would expand internal ones, so they are refused before parsing.
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
# expat's words for a document that ends before its root element closes
_CUT_OFF = ("no element found", "unclosed token")
_LEADING = re.compile(rb"\A(\xef\xbb\xbf)?[ \t\r\n]+(?=<)")


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
    # relative links resolve against where the feed really is, after any redirect
    pulled = parse(response.body, response.url, response.headers.get("last-modified"))
    pulled.etag = response.headers.get("etag")
    pulled.last_modified = response.headers.get("last-modified")
    return pulled


def parse(data: bytes, url: str, last_modified: str | None = None) -> Pulled:
    """Parse a feed's bytes as feedparser reads them; anything hostile or not a feed, or cut
    off before its end, raises NetworkError.

    Relative links resolve against the item's xml:base, else the feed's URL. An item whose
    date cannot be read takes the feed's own date (its updated or build date, else the
    response's Last-Modified), and is marked as dated by the feed; without one it is undated.
    """
    if _ENTITY.search(data.replace(b"\x00", b"")):  # NULs removed so UTF-16 is caught too
        raise NetworkError(f"{url} declares XML entities, which hstracker refuses to expand.")
    import feedparser  # type: ignore[import-untyped]

    # Whitespace before the XML declaration (common in podcast and blog feeds) is not XML;
    # feedparser would fall back to its loose parser for it, so it is simply dropped.
    data = _LEADING.sub(rb"\1", data, count=1)
    # a stream, never a string: feedparser would fetch a URL or open a path it was given.
    # It resolves links against xml:base itself; links still relative after that are
    # resolved against the feed's URL here (handing feedparser that URL as the base would
    # rewrite relative guids too, and a guid must stay what earlier pulls remembered).
    parsed: Any = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False)
    problem = parsed.get("bozo_exception")
    if not parsed.get("version"):
        raise NetworkError(f"{url} is not an RSS or Atom feed{_detail(problem)}.")
    # feedparser's loose parser reads what expat refuses (undeclared HTML entities, a bare
    # ampersand, a wrong declared encoding); a feed that stops before its end is refused,
    # since its last item may be cut short
    if isinstance(problem, xml.sax.SAXParseException) and any(t in str(problem) for t in _CUT_OFF):
        raise NetworkError(f"{url} is malformed XML{_detail(problem)}.")
    language = rfc822.language_of(parsed.feed.get("language"))
    own = _published(parsed.feed, language) or _day(rfc822.read_date(last_modified))
    return Pulled(
        title=parsed.feed.get("title"),
        entries=[_entry(e, language, own, url) for e in parsed.entries],
    )


def _detail(problem: object) -> str:
    if isinstance(problem, xml.sax.SAXParseException):
        return f": {problem.getMessage()} at line {problem.getLineNumber()}"
    return f": {problem}" if problem else ""


def _day(stamp: datetime | None) -> date | None:
    return stamp.date() if stamp is not None else None


def _published(raw: Any, language: str | None) -> date | None:
    """The item's (or feed's) day; None if it has none, or none that can be read."""
    # plain dict lookups: feedparser's own get() maps the two keys onto each other, with a
    # deprecation warning, which would hide an entry that has neither
    for key in ("published", "updated"):
        stamp = dict.get(raw, f"{key}_parsed")
        if stamp:
            try:
                return date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday)
            except (ValueError, OverflowError, TypeError, AttributeError):
                pass  # year 0000, or a day no calendar has: try the text
        text = dict.get(raw, key)
        # feedparser reads English RFC 822 only: "Seg, 24 Set 2018" is read here
        found = _day(rfc822.read_date(text if isinstance(text, str) else None, language))
        if found is not None:
            return found
    return None


def _entry(raw: Any, language: str | None, own: date | None, url: str) -> Entry:
    published = _published(raw, language)
    link = raw.get("link")
    return Entry(
        guid=raw.get("id"),
        link=urljoin(url, link) if isinstance(link, str) and link.strip() else None,
        title=raw.get("title"),
        summary=raw.get("summary"),
        published=published or own,
        dated_by_feed=published is None and own is not None,
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
