"""Open Library's keyless API: a book series' volumes and when each was first published where."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode

import msgspec

from hstracker.core import validate
from hstracker.core.dates import MAX_YEAR, MIN_YEAR, PartialDate
from hstracker.core.report import Publication, Report, ReportedUnit
from hstracker.errors import InvalidInput, NotFound
from hstracker.sources.http import Client, decode_json

SOURCE = "Open Library"
BASE_URL_ENV = "HSTRACKER_OPENLIBRARY_URL"
DEFAULT_BASE_URL = "https://openlibrary.org"
SEARCH_LIMIT = 20
EDITIONS_PAGE = 50
MAX_VOLUMES = 50
MAX_EDITIONS = 200
MAX_VOLUME_NUMBER = 99
ENGLISH = "/languages/eng"
# Publisher names that tell the markets apart: Hodder publishes the UK editions, Scholastic
# (under its Graphix imprint) the US ones. Anything else says nothing about the market.
MARKETS = (("hodder", "UK"), ("scholastic", "US"), ("graphix", "US"))

_WORK = re.compile(r"(?:/works/)?(OL[1-9][0-9]{0,11}W)")
_BOOK = re.compile(r"/books/OL[1-9][0-9]{0,11}M")
_NUMBER_WORDS = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    "twenty",
)  # fmt: skip
WORDS = {word: n for n, word in enumerate(_NUMBER_WORDS, start=1)}
_VOLUME = re.compile(
    r"(?:\b(?:volume|vol\.?|book)\s*|#\s*)(?P<n>\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")\b",
    re.IGNORECASE,
)
MONTHS = {
    name: n
    for n, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
# The free-text publish_date forms Open Library's editions really carry, most common first
_ISO = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?)?")
_MONTH_DAY_YEAR = re.compile(r"(?P<mon>[a-z]+)\.? (?P<d>\d{1,2})(?:st|nd|rd|th)?,? (?P<y>\d{4})")
_DAY_MONTH_YEAR = re.compile(r"(?P<d>\d{1,2})(?:st|nd|rd|th)? (?P<mon>[a-z]+)\.?,? (?P<y>\d{4})")
_MONTH_YEAR = re.compile(r"(?P<mon>[a-z]+)\.?,? (?P<y>\d{4})")
_YEAR = re.compile(r"\[?c?(?P<y>\d{4})\??\]?")  # "2019", "c2019", "[2019]", "[2019?]"


# Only the parts hstracker reads are declared, under Open Library's own names.
class _Doc(msgspec.Struct):
    key: str
    title: str = ""


class _Search(msgspec.Struct):
    docs: list[_Doc]


class _Key(msgspec.Struct):
    key: str


class _Edition(msgspec.Struct):
    key: str = ""
    title: str = ""
    publish_date: str | None = None
    publishers: list[str] = []
    languages: list[_Key] = []


class _Editions(msgspec.Struct):
    entries: list[_Edition]


@dataclass(frozen=True)
class _Volume:
    key: str  # "/works/OL...W"
    number: int | None
    title: str | None


def base_url() -> str:
    """The site root: HSTRACKER_OPENLIBRARY_URL (a mirror or a test server) or openlibrary.org."""
    return (os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")


def search_url(title: str, author: str | None) -> str:
    """The search a sync runs, also the report's resource when no work is linked."""
    params = {"title": title, **({"author": author} if author else {}), "limit": SEARCH_LIMIT}
    return f"{base_url()}/search.json?{urlencode(params)}"


def _line(text: str) -> str | None:
    return validate.clean_line(text)[: validate.MAX_LINE] or None


def volume_number(title: str) -> int | None:
    """The volume number a title names: 'Volume 4', 'Volume Two', 'Vol. 5', 'Book 3', '#4'."""
    m = _VOLUME.search(validate.clean_line(title)[: validate.MAX_LINE])
    if m is None:
        return None
    text = m["n"].lower()
    number = int(text) if text.isdigit() else WORDS[text]
    return number if 0 < number <= MAX_VOLUME_NUMBER else None


def parse_publish_date(text: str) -> PartialDate | None:
    """An edition's free-text publish_date at its real precision; None when it is not a date.

    Reads "2019", "c2019", "2019-05", "2019-05-02", "March 2020", "Jul 02, 2026",
    "July 2, 2026" and "2 July 2026".
    """
    raw = re.sub(r"\s+", " ", validate.clean_line(text)[:40].lower()).strip(" .")
    year = month = day = None
    if m := _ISO.fullmatch(raw):
        year = int(m["y"])
        month = int(m["m"]) if m["m"] else None
        day = int(m["d"]) if m["d"] else None
    elif (m := _MONTH_DAY_YEAR.fullmatch(raw)) or (m := _DAY_MONTH_YEAR.fullmatch(raw)):
        if m["mon"] not in MONTHS:
            return None
        year, month, day = int(m["y"]), MONTHS[m["mon"]], int(m["d"])
    elif m := _MONTH_YEAR.fullmatch(raw):
        if m["mon"] not in MONTHS:
            return None
        year, month = int(m["y"]), MONTHS[m["mon"]]
    elif m := _YEAR.fullmatch(raw):
        year = int(m["y"])
    else:
        return None
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return None
    return PartialDate(year, month, day)


def _work_key(text: str) -> str:
    m = _WORK.fullmatch(text.strip())
    if m is None:
        raise InvalidInput(
            f"{text!r} is not an Open Library work id.", hint="Use OL and digits and W: OL123W."
        )
    return f"/works/{m[1]}"


def _search(client: Client, title: str, author: str | None) -> list[_Volume]:
    """The series' volumes among the search hits, one work per number, in volume order.

    A hit counts when its title holds the series title and a volume number; the first hit
    for a number wins, since Open Library ranks the work with most editions first. Without
    any, a hit titled exactly as wanted is the one volume of a single book.
    """
    url = search_url(title, author)
    found = decode_json(client.get(url), _Search, "Open Library")
    wanted = validate.clean_line(title).casefold()
    volumes: dict[int, _Volume] = {}
    for doc in found.docs[:SEARCH_LIMIT]:
        name = _line(doc.title)
        number = volume_number(name or "")
        m = _WORK.fullmatch(doc.key)
        if name is None or number is None or m is None or wanted not in name.casefold():
            continue
        volumes.setdefault(number, _Volume(f"/works/{m[1]}", number, name))
    if not volumes:
        # no numbered volumes: a single book (a film's novel) is its own volume 1, when a
        # hit bears exactly its title
        for doc in found.docs[:SEARCH_LIMIT]:
            name, m = _line(doc.title), _WORK.fullmatch(doc.key)
            if name is not None and m is not None and name.casefold() == wanted:
                return [_Volume(f"/works/{m[1]}", 1, name)]
    return [volumes[n] for n in sorted(volumes)][:MAX_VOLUMES]


def find(client: Client, title: str, author: str | None) -> list[str]:
    """The work keys ("/works/OL...W") of the series' volumes, in volume order."""
    return [volume.key for volume in _search(client, title, author)]


def _editions(client: Client, key: str) -> tuple[list[_Edition], str]:
    url = f"{base_url()}{key}/editions.json?{urlencode({'limit': EDITIONS_PAGE})}"
    response = client.get(url, allow=(404,))
    if response.status == 404:
        raise NotFound(
            f"Open Library has no work {key.removeprefix('/works/')}.",
            hint="Set the right works with `hstracker shows link SLUG --openlibrary OL...W`.",
        )
    return decode_json(response, _Editions, "Open Library").entries[:MAX_EDITIONS], url


def _english(edition: _Edition) -> bool:
    """English, or in no language Open Library records: most English editions say none."""
    return not edition.languages or any(x.key == ENGLISH for x in edition.languages)


def _market(publishers: list[str]) -> str | None:
    for publisher in publishers:
        name = publisher.casefold()
        for word, market in MARKETS:
            if word in name:
                return market
    return None


def _latest_day(when: PartialDate) -> tuple[int, int, int]:
    """A year-only date says no more than 'by the end of that year': it sorts at its latest
    possible day, so a more precise edition from the same year counts as the earlier one."""
    if when.month is None:
        return (when.year, 12, 31)
    return (when.year, when.month, when.day or 31)


def _publications(editions: list[_Edition]) -> tuple[Publication, ...]:
    """The earliest English (or language-unknown) edition in each market, earliest first."""
    earliest: dict[str | None, tuple[tuple[int, int, int], Publication]] = {}
    for edition in filter(_english, editions):
        when = parse_publish_date(edition.publish_date or "")
        if when is None:
            continue
        market = _market(edition.publishers)
        publisher = next((p for p in map(_line, edition.publishers) if p), None)
        url = f"{base_url()}{edition.key}" if _BOOK.fullmatch(edition.key) else None
        publication = Publication(when, market, publisher, url)
        order = _latest_day(when)
        if market not in earliest or order < earliest[market][0]:
            earliest[market] = (order, publication)
    return tuple(p for _, p in sorted(earliest.values(), key=lambda pair: pair[0]))


def fetch(
    client: Client,
    title: str,
    author: str | None,
    fetched: datetime,
    work_ids: list[str] | None = None,
) -> Report:
    """Each volume's first publications per market, from its works' editions.

    Without work_ids the volumes come from a search; with them (keys or bare OL...W ids, in
    volume order) a volume's number is the one its editions' titles name, else its place.
    """
    if work_ids is None:
        volumes = _search(client, title, author)
    else:
        volumes = [_Volume(_work_key(w), None, None) for w in work_ids[:MAX_VOLUMES]]
    if not volumes:
        raise NotFound(
            f"Open Library has no numbered volumes of {title!r}.",
            hint="Set the works with `hstracker shows link SLUG --openlibrary OL...W`.",
        )
    # a search found several works, none of which stands for the series: only a linked
    # work is reported as the id (and so stays the one later syncs read)
    linked = {"openlibrary": volumes[0].key.removeprefix("/works/")} if work_ids else {}
    report = Report(
        source=SOURCE,
        url=search_url(title, author) if work_ids is None else f"{base_url()}{volumes[0].key}",
        fetched=fetched,
        ids=linked,
    )
    seen: set[int] = set()
    for position, volume in enumerate(volumes, start=1):
        editions, _ = _editions(client, volume.key)
        english = [
            e for e in editions if not e.languages or ENGLISH in {x.key for x in e.languages}
        ]
        number = volume.number or _most_named(english) or position
        if number in seen:
            continue
        seen.add(number)
        name = volume.title or next((t for t in (_line(e.title) for e in english) if t), None)
        report.units.append(
            ReportedUnit(number, name, _publications(editions), f"{base_url()}{volume.key}")
        )
    report.units.sort(key=lambda unit: unit.number)
    return report


def _most_named(editions: list[_Edition]) -> int | None:
    """The volume number most of a work's edition titles give."""
    counts: dict[int, int] = {}
    for edition in editions:
        number = volume_number(edition.title)
        if number is not None:
            counts[number] = counts.get(number, 0) + 1
    return max(counts, key=lambda n: counts[n]) if counts else None
