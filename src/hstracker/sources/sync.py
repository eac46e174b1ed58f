"""Fetching one show's report from each source; a source that fails costs only its own facts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from hstracker.core.attribution import SOURCE_NAMES
from hstracker.core.model import Show
from hstracker.core.report import Report
from hstracker.errors import HstrackerError, NotFound
from hstracker.sources.http import Client

SOURCES = ("tvmaze", "wikidata", "openlibrary")


@dataclass(frozen=True)
class Used:
    """Which id a source was read by, and how hstracker came by it."""

    id: str | None
    linked: bool


@dataclass
class Fetched:
    """What the sources gave for one show: reports, sources that do not know it, failures."""

    reports: list[Report] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # "Wikidata: no item matches …"
    failures: list[str] = field(default_factory=list)  # "Open Library: … timed out."
    # per source asked: the id it was read by (None after a title search that found works
    # but no single id) and whether that id was linked before the sync or found by a search
    used: dict[str, Used] = field(default_factory=dict)


def _tvmaze(client: Client, show: Show, now: datetime) -> Report:
    from hstracker.sources import tvmaze

    if show.installments and all(i.kind == "film" for i in show.installments):
        raise NotFound("TVmaze lists TV shows, and this is a film.")

    return tvmaze.fetch_show(client, show, now)


def _wikidata(client: Client, show: Show, now: datetime) -> Report:
    from hstracker.sources import wikidata

    qid = show.ids.get("wikidata")
    if qid is None and "imdb" in show.ids:  # an imported film or show: by its IMDb id
        qid = wikidata.find_by_imdb(client, show.ids["imdb"])
    qid = qid or wikidata.find(client, show.title, show.source_work.author)
    if qid is None:
        raise NotFound(f"no Wikidata item matches {show.title!r}.")
    return wikidata.fetch(client, qid, now)


def _openlibrary(client: Client, show: Show, now: datetime) -> Report:
    from hstracker.sources import openlibrary

    work = show.source_work
    author = None if work.author == "unknown" else work.author
    linked = show.ids.get("openlibrary")
    # a linked work is read by its id alone: no search, one editions request
    return openlibrary.fetch(client, work.title, author, now, [linked] if linked else None)


FETCHERS: dict[str, Callable[[Client, Show, datetime], Report]] = {
    "tvmaze": _tvmaze,
    "wikidata": _wikidata,
    "openlibrary": _openlibrary,
}


def fetch_reports(
    show: Show, names: list[str], now: datetime, advance: Callable[[], object]
) -> Fetched:
    """Ask each named source about show, each with its own bounded client and deadline, so a
    source that hangs costs only its own facts."""
    fetched = Fetched()
    for name in names:
        label = SOURCE_NAMES[name]
        try:
            with Client() as client:
                report = FETCHERS[name](client, show, now)
            fetched.reports.append(report)
            fetched.used[label] = Used(report.ids.get(name), name in show.ids)
        except NotFound as exc:
            fetched.unknown.append(f"{label}: {exc}")
        except HstrackerError as exc:
            fetched.failures.append(f"{label}: {exc}")
        advance()
    return fetched
