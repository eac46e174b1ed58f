"""A show's duplicate index: short hashes of each news part's ids, URLs and dated headlines."""

# No `from __future__ import annotations`: msgspec reads these annotations at decode time.

import os
from collections.abc import Callable, Iterable
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import msgspec

from hstracker.core import validate
from hstracker.core.dates import PartialDate
from hstracker.core.model import NewsItem, Record
from hstracker.core.news import NewsIndex, news_id
from hstracker.store import files
from hstracker.store.layout import MAX_PARTS, NewsPart, parts_dir
from hstracker.store.parse import PartGone, parse_head

if TYPE_CHECKING:
    from hstracker.store.folder import Store

try:  # the C code hashlib's blake2b is, without hashlib loading OpenSSL
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

WIDTH = 12  # hex digits per hash: 48 bits, so a false match is about one in 10^14 per item


class PartKeys(Record, kw_only=True):
    """One part's hashes, each WIDTH hex digits, joined: a lookup is one substring search.

    A match at an unaligned offset is only a false match, as a hash collision is: it makes
    the write read that part and check it exactly, never refuse or accept on the hash alone.
    """

    ids: str
    urls: str = ""
    headlines: str


class KeyFile(Record, kw_only=True):
    """The index of one show: per part file name, its keys."""

    schema_version: int
    parts: Annotated[dict[str, PartKeys], msgspec.Meta(max_length=MAX_PARTS)]


def name_of(data: bytes) -> str:
    """The file name of an index: its digest, so a read can tell it is the very file its
    head was written with, and a hand edit or a damaged disk makes it unused, not trusted."""
    return f"keys-{blake2b(data, digest_size=8).hexdigest()}.json"


def read(name: str, data: bytes, parts: list[NewsPart]) -> KeyFile | None:
    """The index in data, if it is the file named name and fit for parts; else None."""
    if name_of(data) != name:
        return None
    try:
        keys = msgspec.json.decode(data, type=KeyFile)
    except (msgspec.MsgspecError, RecursionError):
        return None
    return None if problem(keys, parts) else keys


def _hash(text: str) -> str:
    return blake2b(text.encode(), digest_size=WIDTH // 2).hexdigest()


def url_key(url: str) -> str:
    """The hash of a URL as the duplicate rule compares it (core/news.py: NewsIndex)."""
    return _hash(url.rstrip("/"))


def headline_key(day: PartialDate, headline: str) -> str:
    """The hash of (date, folded headline): equal dates always give equal text here (an
    instant in UTC), so an equal pair never hashes apart."""
    moment = day.instant.astimezone(UTC).isoformat() if day.instant else ""
    fields = f"{day.year}|{day.month}|{day.day}|{moment}|{day.zone_name}"
    return _hash(f"{fields}|{validate.fold(headline)}")


def id_key(item_id: str) -> str:
    return _hash(item_id)


def keys_of(items: Iterable[NewsItem]) -> PartKeys:
    """The keys of one part's items."""
    ids, urls, heads = [], [], []
    for item in items:
        ids.append(id_key(item.id))
        if item.url:
            urls.append(url_key(item.url))
        heads.append(headline_key(item.date, item.headline))
    return PartKeys(ids="".join(ids), urls="".join(urls), headlines="".join(heads))


def problem(keys: KeyFile, parts: list[NewsPart]) -> str | None:
    """What makes an index unfit for parts without reading them: other parts, wrong lengths."""
    if set(keys.parts) != {part.file for part in parts}:
        return "it lists other news parts than its show"
    for part in parts:
        entry = keys.parts[part.file]
        size = part.count * WIDTH
        if len(entry.ids) != size or len(entry.headlines) != size or len(entry.urls) > size:
            return f"its keys of {part.file} do not count its {part.count} items"
        if len(entry.urls) % WIDTH:
            return f"its URL keys of {part.file} are cut short"
    return None


class StoredKeys:
    """The duplicate check of core/news.py over a show whose news is only partly read.

    news: the items read so far (the show's own list, extended in place); unread: the parts
    not read yet; load(part) reads that part (and any its year needs, layout.year_group) and
    takes them off unread. A hash found in an unread part reads it, and the exact rule then
    decides over everything read, so a hash can only cost a read, never decide.
    """

    def __init__(
        self,
        news: list[NewsItem],
        unread: list[NewsPart],
        keys: KeyFile,
        load: Callable[[NewsPart], list[NewsItem]],
    ) -> None:
        self.news = news
        self.unread = unread
        self.keys = keys
        self._load = load

    def _read_where(self, field: str, key: str) -> None:
        for part in [p for p in self.unread if key in getattr(self.keys.parts[p.file], field)]:
            if part in self.unread:  # not read along with an earlier one of its year
                self.news.extend(self._load(part))

    def unique_id(self, day: PartialDate, headline: str) -> str:
        """A free id: the base, or base-2, base-3, ... Each candidate the items read so far
        do not hold is looked up in the unread parts' hashes once; a hit reads a part, so the
        search is linear in what it reads, whatever ids an import brought (it once rebuilt
        the whole id set at every step: a minute for 30,000 ids on one base)."""
        base = news_id(day, headline)
        ids = {item.id for item in self.news}
        item_id, suffix = base, 1
        while True:
            while item_id in ids:
                suffix += 1
                item_id = f"{base}-{suffix}"
            counted = len(self.news)
            self._read_where("ids", id_key(item_id))
            if len(self.news) == counted:
                return item_id
            ids.update(item.id for item in self.news[counted:])

    def duplicate_of(self, item: NewsItem) -> NewsItem | None:
        if item.url:
            self._read_where("urls", url_key(item.url))
        self._read_where("headlines", headline_key(item.date, item.headline))
        return NewsIndex(self.news).duplicate_of(item)


def check(store: "Store", path: Path) -> str | None:
    """What is wrong with a head's duplicate index, found by reading every part it covers
    (doctor's check); None when it agrees, or when the head has none."""
    data = store.read(path)
    if data is None:
        return None
    head = parse_head(path, data)
    if head.keys is None:
        return None
    index = parts_dir(path) / head.keys
    if os.path.lexists(index) and not files.is_regular(index):
        return f"its duplicate index {head.keys} is not a regular file"
    keys = store.dup_keys(path, head)
    if keys is None:
        return "its duplicate index is missing or damaged"
    for part in head.parts:
        try:
            items = store.read_part(path, part)
        except PartGone:
            return None  # the head's own check reports a missing part
        if keys.parts[part.file] != keys_of(items):
            return f"its duplicate index disagrees with its news part {part.file}"
    return None
