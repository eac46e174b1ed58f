"""Wikidata's keyless API: a show's seasons, films, dates, cast and book volumes, batched."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Generic, TypeVar
from urllib.parse import urlencode

import msgspec

from hstracker.core import validate
from hstracker.core.dates import MAX_YEAR, MIN_YEAR, PartialDate
from hstracker.core.merge import first_release, released_by
from hstracker.core.model import Kind
from hstracker.core.report import (
    Credit,
    Publication,
    Release,
    Report,
    ReportedInstallment,
    ReportedUnit,
)
from hstracker.errors import InvalidInput, NetworkError, NotFound
from hstracker.sources.http import Client, decode_json

SOURCE = "Wikidata"
BASE_URL_ENV = "HSTRACKER_WIKIDATA_URL"
DEFAULT_BASE_URL = "https://www.wikidata.org"
BATCH = 50  # wbgetentities refuses more ids than this in one request
MAX_PARTS = 200
MAX_VOLUMES = 50
MAX_CAST = 500  # credits read per installment
# Actors, characters, countries and channels to name: 5 batches at most, so a whole sync
# stays near a dozen requests however long a cast list grows.
MAX_LABELS = 250
MAX_EPISODES = 500
MAX_RELEASES = 20  # dates read per part or volume

# P31 "instance of" values that say what kind of installment a part is. Items name the
# subclass, not "film", so the common ones are listed (ids checked against other projects'
# tables of Wikidata film classes; see the README's sources section).
SEASON = "Q3464665"  # television series season
FILMS = frozenset(
    {
        "Q11424",  # film
        "Q506240",  # television film
        "Q24869",  # feature film
        "Q24862",  # short film
        "Q202866",  # animated film
        "Q29168811",  # animated feature film
        "Q20650540",  # anime film
        "Q93204",  # documentary film
        "Q1257444",  # film adaptation
        "Q229390",  # 3D film
        "Q18011172",  # film project: announced, not yet released
    }
)
FILM_SERIES = frozenset({"Q24856", "Q13593818"})  # film series, film trilogy
SPECIAL = "Q1261214"  # television special
TV_SERIES = "Q5398426"  # a spin-off series among the parts is not an installment
# A work that is one book, not a series: a film based on it adapts that book as volume 1
SINGLE_WORKS = frozenset({"Q571", "Q7725634", "Q8261", "Q47461344"})  # book, literary
# work, novel, written work
MAXLAG = "5"  # seconds of replication lag past which Wikidata asks batch readers to wait
MAXLAG_WAITS = 2  # a lagged answer is asked again this often, after its Retry-After
MAXLAG_WAIT_CAP = 10.0

# wbsearchentities descriptions that point at the screen version, not the books
SCREEN_WORDS = ("television", "tv ", "series", "film")
PAGE_WORDS = ("book", "novel", "comic", "manga")

_QID = re.compile(r"Q[1-9][0-9]{0,11}")
# A Wikibase time: signed year of any width, then month and day that are 00 when unknown
_TIME = re.compile(r"^(?P<sign>[+-])(?P<y>\d{1,16})-(?P<m>\d{2})-(?P<d>\d{2})T")
YEAR, MONTH, DAY = 9, 10, 11  # Wikibase time precisions

T = TypeVar("T")


# Only the parts hstracker reads are declared, under Wikibase's own names; a property is a
# field only if it is read, so the values of every other property are never decoded.
class _EntityId(msgspec.Struct):
    id: str


class _Time(msgspec.Struct):
    time: str
    precision: int


class _Quantity(msgspec.Struct):
    amount: str


class _Value(msgspec.Struct, Generic[T]):
    value: T


class _Snak(msgspec.Struct, Generic[T]):
    snaktype: str = "value"  # "somevalue" and "novalue" snaks carry no datavalue
    datavalue: _Value[T] | None = None


class _Qualifiers(msgspec.Struct):
    P291: list[_Snak[_EntityId]] = []  # place of publication
    P453: list[_Snak[_EntityId]] = []  # character role, as an item
    P4633: list[_Snak[str]] = []  # name of the character role, as a string
    P1545: list[_Snak[str]] = []  # series ordinal


class _Statement(msgspec.Struct, Generic[T]):
    mainsnak: _Snak[T]
    rank: str = "normal"
    qualifiers: _Qualifiers = msgspec.field(default_factory=_Qualifiers)


class _Claims(msgspec.Struct):
    P31: list[_Statement[_EntityId]] = []  # instance of
    P144: list[_Statement[_EntityId]] = []  # based on
    P161: list[_Statement[_EntityId]] = []  # cast member
    P179: list[_Statement[_EntityId]] = []  # part of the series
    P50: list[_Statement[_EntityId]] = []  # author
    P449: list[_Statement[_EntityId]] = []  # original broadcaster
    P527: list[_Statement[_EntityId]] = []  # has part(s)
    P577: list[_Statement[_Time]] = []  # publication date
    P580: list[_Statement[_Time]] = []  # start time: what many season items give instead
    P1113: list[_Statement[_Quantity]] = []  # number of episodes


class _Text(msgspec.Struct):
    value: str


class _Redirect(msgspec.Struct):
    source: str = msgspec.field(name="from")


class _Entity(msgspec.Struct):
    id: str | None = None
    missing: str | None = None  # present (as "") when the id names no entity
    redirects: _Redirect | None = None
    lastrevid: int | None = None  # with props=info: the item's latest revision
    labels: dict[str, _Text] = {}
    claims: _Claims = msgspec.field(default_factory=_Claims)


class _ApiError(msgspec.Struct):
    code: str
    info: str = ""


class _Entities(msgspec.Struct):
    entities: dict[str, _Entity] | None = None
    error: _ApiError | None = None


class _Hit(msgspec.Struct):
    id: str
    label: str = ""
    description: str = ""


class _Found(msgspec.Struct):
    search: list[_Hit] | None = None
    error: _ApiError | None = None


class _Page(msgspec.Struct):
    title: str


class _Query(msgspec.Struct):
    search: list[_Page] = []


class _Searched(msgspec.Struct):
    query: _Query | None = None
    error: _ApiError | None = None


def base_url() -> str:
    """The site root: HSTRACKER_WIKIDATA_URL (a mirror or a test server) or wikidata.org."""
    return (os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")


def item_url(qid: str) -> str:
    """The item's page, as recorded in each fact's source."""
    return f"{base_url()}/wiki/{qid}"


def _not_found(qid: str) -> NotFound:
    return NotFound(
        f"Wikidata has no item {qid}.",
        hint="Set the right item with `hstracker shows link SLUG --wikidata QID`.",
    )


def _api(client: Client, params: dict[str, str], kind: type[T]) -> tuple[T, str]:
    """One API answer. Every read sends maxlag, as Wikidata asks of clients that are not a
    person waiting on a page: a lagged server answers with a maxlag error and Retry-After,
    and the read is asked again a few times after that wait (capped) before failing."""
    url = f"{base_url()}/w/api.php?{urlencode({**params, 'maxlag': MAXLAG})}"
    for attempt in range(MAXLAG_WAITS + 1):
        response = client.get(url, allow=(404,))
        if response.status == 404:
            raise NotFound(
                f"Wikidata has no API at {url}.",
                hint="Check HSTRACKER_WIKIDATA_URL, or link the item with "
                "`hstracker shows link SLUG --wikidata QID`.",
            )
        answer = decode_json(response, kind, "Wikidata")
        error = getattr(answer, "error", None)
        if error is None or error.code != "maxlag" or attempt == MAXLAG_WAITS:
            return answer, url
        client.wait_as_asked(response, url, "is lagged", default=float(MAXLAG), cap=MAXLAG_WAIT_CAP)
    raise AssertionError("unreachable")  # pragma: no cover


def _check_error(error: _ApiError | None, url: str, qid: str | None = None) -> None:
    if error is None:
        return
    if error.code == "no-such-entity" and qid is not None:
        raise _not_found(qid)
    code = validate.clean_line(error.code)[:80]
    raise NetworkError(f"Wikidata answered {url} with the error {code!r}.")


def _line(text: str) -> str | None:
    return validate.clean_line(text)[: validate.MAX_LINE] or None


def _is_qid(text: str) -> bool:
    return _QID.fullmatch(text) is not None


def find(client: Client, title: str, author: str | None = None) -> str | None:
    """The QID of the screen adaptation called title, or None when no hit looks like one.

    A hit counts when its description mentions television, a series or a film and no book;
    one that also names the author wins over the first such hit.
    """
    params = {
        "action": "wbsearchentities",
        "search": title,
        "language": "en",
        "type": "item",
        "format": "json",
        "limit": "10",
    }
    found, url = _api(client, params, _Found)
    _check_error(found.error, url)
    if found.search is None:
        raise NetworkError(f"Wikidata answered {url} without search results.")
    screen = [
        (hit.id, text)
        for hit in found.search[:10]
        if _is_qid(hit.id)
        and _on_screen(text := f"{validate.clean_line(hit.description).lower()} ")
    ]
    surname = (author or "").strip().split(" ")[-1].lower()
    for qid, text in screen:
        if surname and surname in text:
            return qid
    return screen[0][0] if screen else None


def find_by_imdb(client: Client, imdb: str) -> str | None:
    """The QID of the item whose IMDb id (P345) is imdb, found without a title search."""
    if not _IMDB.fullmatch(imdb):
        return None
    params = {
        "action": "query",
        "list": "search",
        "srsearch": f"haswbstatement:P345={imdb}",
        "srlimit": "1",
        "format": "json",
    }
    found, url = _api(client, params, _Searched)
    _check_error(found.error, url)
    hits = found.query.search if found.query else []
    return next((hit.title for hit in hits if _is_qid(hit.title)), None)


_IMDB = re.compile(r"tt\d{5,10}")


def _on_screen(description: str) -> bool:
    """Television or film says screen; 'series' does too, unless books or comics are named."""
    if "television" in description or "film" in description:
        return True
    return any(w in description for w in SCREEN_WORDS) and not any(
        w in description for w in PAGE_WORDS
    )


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _entities(client: Client, ids: Iterable[str], props: str) -> dict[str, _Entity]:
    """The entities named by ids, in batches; missing ones are left out of the answer."""
    wanted = list(dict.fromkeys(i for i in ids if _is_qid(i)))
    found: dict[str, _Entity] = {}
    for chunk in _chunks(wanted):
        params = {
            "action": "wbgetentities",
            "ids": "|".join(chunk),
            "props": props,
            "languages": "en",
            "format": "json",
        }
        answer, url = _api(client, params, _Entities)
        _check_error(answer.error, url, chunk[0] if len(chunk) == 1 else None)
        if answer.entities is None:
            raise NetworkError(f"Wikidata answered {url} without entities.")
        for key, entity in answer.entities.items():
            if entity.missing is not None:
                continue
            found[key] = entity
            # an id that was merged into another comes back under its new id
            if entity.redirects is not None:
                found[entity.redirects.source] = entity
    return found


def _members(client: Client, qid: str, entity: _Entity, limit: int) -> list[str]:
    """The parts of a series: its P527 claims, else the items whose P179 names it."""
    parts = [p for p in _values(entity.claims.P527) if _is_qid(p)]
    if parts:
        return list(dict.fromkeys(parts))[:limit]
    params = {
        "action": "query",
        "list": "search",
        "srsearch": f"haswbstatement:P179={qid}",
        "format": "json",
        "srlimit": str(BATCH),
    }
    searched, url = _api(client, params, _Searched)
    _check_error(searched.error, url)
    if searched.query is None:
        raise NetworkError(f"Wikidata answered {url} without a query result.")
    titles = [p.title for p in searched.query.search if _is_qid(p.title)]
    return list(dict.fromkeys(titles))[:limit]


def _ranked(statements: list[_Statement[T]]) -> list[_Statement[T]]:
    """Deprecated statements dropped, preferred ones first (sorted() keeps the rest in order)."""
    kept = [s for s in statements if s.rank != "deprecated"]
    return sorted(kept, key=lambda s: s.rank != "preferred")


def _values(statements: list[_Statement[_EntityId]]) -> list[str]:
    return [
        s.mainsnak.datavalue.value.id
        for s in _ranked(statements)
        if s.mainsnak.snaktype == "value" and s.mainsnak.datavalue is not None
    ]


def _first(snaks: list[_Snak[T]]) -> T | None:
    for snak in snaks:
        if snak.snaktype == "value" and snak.datavalue is not None:
            return snak.datavalue.value
    return None


def _ordinal(
    part: _Entity, series: str, via_series: _Statement[_EntityId] | None
) -> Decimal | None:
    """The part's series ordinal: its own P179 qualifier, else the one on the series' P527."""
    texts = [
        _first(s.qualifiers.P1545)
        for s in _ranked(part.claims.P179)
        if s.mainsnak.datavalue is not None and s.mainsnak.datavalue.value.id == series
    ]
    if via_series is not None:
        texts.append(_first(via_series.qualifiers.P1545))
    for text in texts:
        if text is None:
            continue
        try:
            value = Decimal(validate.clean_line(text)[:20])
        except InvalidOperation:
            continue
        if value.is_finite():
            return value
    return None


def _date(value: _Time) -> PartialDate | None:
    """A Wikibase time at its real precision; coarser than a year, BCE or out of range: None."""
    m = _TIME.match(value.time)
    if m is None or m["sign"] == "-" or value.precision < YEAR:
        return None
    year, month, day = int(m["y"]), int(m["m"]), int(m["d"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        if value.precision == YEAR:
            return PartialDate(year)
        date(year, month, 1)
        if value.precision == MONTH:
            return PartialDate(year, month)
        # finer than a day (hours, minutes) is still only a day without a time zone
        date(year, month, day)
        return PartialDate(year, month, day)
    except ValueError:
        return None


def _dates(
    statements: list[_Statement[_Time]], start: list[_Statement[_Time]] | None = None
) -> list[tuple[PartialDate, str | None]]:
    """Every usable publication date, with the QID of each country it applies to, if given.

    One statement may name several countries (one P291 each); a season item that gives no
    P577 often gives its start time (P580), which is then read as its release.
    """
    out: list[tuple[PartialDate, str | None]] = []
    for statement in _ranked(statements or start or [])[:MAX_RELEASES]:
        if statement.mainsnak.datavalue is None:
            continue
        when = _date(statement.mainsnak.datavalue.value)
        if when is None:
            continue
        places = [
            snak.datavalue.value.id
            for snak in statement.qualifiers.P291
            if snak.snaktype == "value" and snak.datavalue is not None
        ]
        out += [(when, place) for place in places] or [(when, None)]
    return out[:MAX_RELEASES]


def _episodes(part: _Entity) -> int | None:
    for statement in _ranked(part.claims.P1113):
        if statement.mainsnak.datavalue is None:
            continue
        try:
            amount = Decimal(statement.mainsnak.datavalue.value.amount[:20])
        except InvalidOperation:
            continue
        if amount.is_finite() and amount == amount.to_integral_value():
            count = int(amount)
            if 0 < count <= MAX_EPISODES:
                return count
    return None


def _kind(part: _Entity) -> Kind | None:
    kinds = set(_values(part.claims.P31))
    if TV_SERIES in kinds:
        return None
    if SEASON in kinds:
        return "season"
    if kinds & FILMS:
        return "film"
    if SPECIAL in kinds:
        return "special"
    return None


def _label(entity: _Entity | None) -> str | None:
    if entity is None or "en" not in entity.labels:
        return None
    return _line(entity.labels["en"].value)


def _generic_season_title(title: str, series: str | None) -> bool:
    """'Heartstopper season 2' or 'season 2' says nothing the kind and number do not."""
    text = title.casefold()
    prefix = f"{series.casefold()} " if series else ""
    return re.fullmatch(rf"(?:{re.escape(prefix)})?(?:series|season) \d+", text) is not None


def _ordered(
    series: str, entity: _Entity, parts: dict[str, _Entity], ids: list[str]
) -> list[tuple[str, _Entity, Decimal | None]]:
    """Parts in series order: by ordinal, those without one after, each in the listed order."""
    via = {
        s.mainsnak.datavalue.value.id: s
        for s in _ranked(entity.claims.P527)
        if s.mainsnak.datavalue is not None
    }
    found = [
        (qid, parts[qid], _ordinal(parts[qid], series, via.get(qid))) for qid in ids if qid in parts
    ]
    return sorted(found, key=lambda part: (part[2] is None, part[2] or Decimal(0)))


def _is_film(entity: _Entity) -> bool:
    """The item is itself a film (not a series of them, nor a TV series)."""
    kinds = set(_values(entity.claims.P31))
    return bool(kinds & FILMS) and not kinds & (FILM_SERIES | {TV_SERIES})


def fetch(client: Client, qid: str, fetched: datetime) -> Report:
    """The seasons, films, releases, cast and book volumes Wikidata holds for qid.

    qid may be a TV series or a film series (its parts are the installments), or a film on
    its own (one film installment, from the item itself).
    """
    if not _is_qid(qid):
        raise InvalidInput(f"{qid!r} is not a Wikidata item id.", hint="Use Q and digits: Q42.")
    show = _entities(client, [qid], "info|labels|claims").get(qid)
    if show is None:
        raise _not_found(qid)
    film = _is_film(show)
    part_ids = [] if film else _members(client, qid, show, MAX_PARTS)
    books = _values(show.claims.P144)[:1]
    batch = _entities(client, [*part_ids, *books], "labels|claims")
    ordered_parts: list[tuple[str, _Entity, Decimal | None]] = (
        [(qid, show, None)] if film else _ordered(qid, show, batch, part_ids)
    )
    if not books:
        # a film series rarely says what it is based on; its first film usually does
        books = next((_values(p.claims.P144)[:1] for _, p, _ in ordered_parts if p.claims.P144), [])
        batch.update(_entities(client, books, "labels|claims"))
    book = batch.get(books[0]) if books else None

    volume_ids = _members(client, books[0], book, MAX_VOLUMES) if book and books else []
    volumes = _entities(client, volume_ids, "labels|claims") if volume_ids else {}
    ordered_volumes = _ordered(books[0], book, volumes, volume_ids) if book else []
    if book is not None and not ordered_volumes and set(_values(book.claims.P31)) & SINGLE_WORKS:
        ordered_volumes = [(books[0], book, Decimal(1))]  # one novel: the work is volume 1

    items = [(qid, show, None), *ordered_parts, *ordered_volumes]
    authors = _values(book.claims.P50)[:1] if book is not None else []
    named = [*authors, *_label_ids(items)]
    labels = _entities(client, named[:MAX_LABELS], "labels")

    report = Report(source=SOURCE, url=item_url(qid), fetched=fetched, ids={"wikidata": qid})
    report.version = None if show.lastrevid is None else str(show.lastrevid)
    if book is not None:
        report.ids["wikidata_work"] = books[0]
        report.work_title = _label(book)
        report.work_author = _label(labels.get(authors[0])) if authors else None
    report.installments = _installments(show, ordered_parts, labels)
    if not film:
        _credit_series_cast(report.installments, _cast(show, labels), fetched)
    report.units = _units(ordered_volumes, labels)
    report.total_units = len(report.units) or None
    return report


def _installments(
    show: _Entity, parts: list[tuple[str, _Entity, Decimal | None]], labels: dict[str, _Entity]
) -> list[ReportedInstallment]:
    """Seasons, films and specials, each numbered within its kind in series order."""
    series_title = _label(show)
    # seasons rarely repeat the broadcaster their series names
    series_channel = next((_label(labels.get(c)) for c in _values(show.claims.P449)), None)
    counts: dict[Kind, int] = {}
    installments = []
    for part_id, part, _ in parts:
        kind = _kind(part)
        if kind is None:
            continue
        counts[kind] = counts.get(kind, 0) + 1
        title = _label(part)
        if kind == "season" and title and _generic_season_title(title, series_title):
            title = None
        channel = next((_label(labels.get(c)) for c in _values(part.claims.P449)), None)
        installments.append(
            ReportedInstallment(
                kind=kind,
                number=counts[kind],
                title=title,
                releases=tuple(
                    Release(when, _label(labels.get(place)) if place else None)
                    for when, place in _dates(part.claims.P577, _start(part, kind))
                ),
                episodes=_episodes(part) if kind == "season" else None,
                channel=channel or (series_channel if kind == "season" else None),
                cast=_cast(part, labels),
                url=item_url(part_id),
            )
        )
    return installments


def _start(part: _Entity, kind: Kind | None) -> list[_Statement[_Time]]:
    """A season's start time (P580), read when it has no P577; a film's is no release."""
    return part.claims.P580 if kind == "season" else []


def _credit_series_cast(
    installments: list[ReportedInstallment], cast: tuple[Credit, ...], fetched: datetime
) -> None:
    """A series item often lists the cast (P161) itself while its seasons list none; as with
    TVmaze's one cast per show, it is then credited to the latest season already out."""
    if not cast or any(i.cast for i in installments):
        return
    aired = [
        (n, i)
        for n, i in enumerate(installments)
        if i.kind == "season" and released_by(first_release(i), fetched) == "released"
    ]
    if aired:
        n, latest = max(aired, key=lambda pair: pair[1].number)
        installments[n] = replace(latest, cast=cast)


def _label_ids(items: list[tuple[str, _Entity, Decimal | None]]) -> list[str]:
    """Every item whose name the report shows: places and channels first, then the cast."""
    places: list[str] = []
    people: list[str] = []
    for _, entity, _ in items:
        places += [p for _, p in _dates(entity.claims.P577, _start(entity, _kind(entity))) if p]
        places += _values(entity.claims.P449)[:1]
        for statement in _ranked(entity.claims.P161)[:MAX_CAST]:
            if statement.mainsnak.datavalue is None:
                continue
            people.append(statement.mainsnak.datavalue.value.id)
            character = _first(statement.qualifiers.P453)
            if character is not None:
                people.append(character.id)
    return list(dict.fromkeys(i for i in [*places, *people] if _is_qid(i)))


def _cast(part: _Entity, labels: dict[str, _Entity]) -> tuple[Credit, ...]:
    """Credits with a named actor and a character (an item, else a string); others skipped."""
    credits: list[Credit] = []
    for statement in _ranked(part.claims.P161)[:MAX_CAST]:
        if statement.mainsnak.datavalue is None:
            continue
        actor = _label(labels.get(statement.mainsnak.datavalue.value.id))
        item = _first(statement.qualifiers.P453)
        named = _first(statement.qualifiers.P4633)
        character = _label(labels.get(item.id)) if item is not None else None
        if character is None and named is not None:
            character = _line(named)
        if actor and character:
            credits.append(Credit(actor=actor, character=character))
    return tuple(dict.fromkeys(credits))


def _units(
    volumes: list[tuple[str, _Entity, Decimal | None]], labels: dict[str, _Entity]
) -> list[ReportedUnit]:
    """The volumes, each P577 date a publication, numbered by their ordinals.

    The ordinals are the volume numbers when every volume has its own whole one (a volume
    missing from Wikidata then leaves a gap, not a shift); otherwise they count 1, 2, ...
    in series order.
    """
    ordinals = [o for _, _, o in volumes]
    whole = all(
        o is not None and o == o.to_integral_value() and 0 < o <= MAX_VOLUMES for o in ordinals
    ) and len(set(ordinals)) == len(ordinals)
    units = []
    for position, (qid, volume, ordinal) in enumerate(volumes, start=1):
        number = int(ordinal) if whole and ordinal is not None else position
        url = item_url(qid)
        publications = tuple(
            Publication(when, _label(labels.get(place)) if place else None, url=url)
            for when, place in _dates(volume.claims.P577)
        )
        units.append(ReportedUnit(number, _label(volume), publications, url))
    return units


def revisions(client: Client, qids: Iterable[str]) -> dict[str, str]:
    """Each item's latest revision id, asked for 50 items a request (props=info only); an
    item that no longer exists is left out."""
    found = _entities(client, qids, "info")
    return {qid: str(e.lastrevid) for qid, e in found.items() if e.lastrevid is not None}
