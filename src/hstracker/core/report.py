"""What one source says about a show, in one shape that every source fills and one merge reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from hstracker.core.dates import PartialDate
from hstracker.core.model import Confidence, Kind


@dataclass(frozen=True)
class Credit:
    """One cast credit: an actor and the character they play (either may be unknown: skip)."""

    actor: str
    character: str


@dataclass(frozen=True)
class Release:
    """A release date, with the market it applies to when the source says (ISO 3166 or a name)."""

    date: PartialDate
    market: str | None = None


@dataclass(frozen=True)
class ReportedEpisode:
    """One episode as a source lists it: number within its installment, title, release."""

    number: int
    title: str | None = None
    airs: datetime | None = None


@dataclass(frozen=True)
class ReportedInstallment:
    """A season, film or special as a source knows it.

    ``number`` counts within the kind: the first film is film 1 even when the series' ordinal
    says 4. ``releases`` may hold several dates; the merge takes the most precise first
    release. ``url`` is the resource the facts came from, kept in their provenance.
    """

    kind: Kind
    number: int
    title: str | None = None
    releases: tuple[Release, ...] = ()
    episodes: int | None = None
    channel: str | None = None
    cast: tuple[Credit, ...] = ()
    url: str | None = None
    listed: tuple[ReportedEpisode, ...] = ()  # the episodes, where the source lists them


@dataclass(frozen=True)
class Publication:
    """One edition's or market's publication of a unit: its date, and where and by whom."""

    date: PartialDate
    market: str | None = None  # "UK", "US", ... when the source tells markets apart
    publisher: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class ReportedUnit:
    """A volume of the source work: its number in the series, title and publications."""

    number: int
    title: str | None = None
    publications: tuple[Publication, ...] = ()
    url: str | None = None


@dataclass
class Report:
    """Everything one source gave for one show, with where and when it was fetched.

    ``ids`` are the ids the source knows the show (and its source work) by, e.g.
    {"wikidata": "Q106591818", "wikidata_work": "Q98487316"} or {"openlibrary": "OL...W"};
    the merge stores them so the next sync needs no search.
    """

    source: str  # the name every fact records: "TVmaze", "Wikidata", "Open Library"
    url: str  # the show's resource at the source
    fetched: datetime
    confidence: Confidence = "reported"
    ids: dict[str, str] = field(default_factory=dict)
    # the source work as this source names it (a film's "based on"), for a show whose
    # source work the fan did not name
    work_title: str | None = None
    work_author: str | None = None
    installments: list[ReportedInstallment] = field(default_factory=list)
    units: list[ReportedUnit] = field(default_factory=list)
    total_units: int | None = None
    # the version of the show the source says it gave (TVmaze's `updated`, Wikidata's
    # `lastrevid`): the next sync compares it to decide whether to read the show again
    version: str | None = None
