"""The typed data model: shows, installments, cast, news, and facts that keep their provenance."""

# No `from __future__ import annotations` here: msgspec would have to eval every string
# annotation on the first decode (~3 ms on each run). Classes are ordered so none is needed.

from datetime import datetime
from typing import Generic, Literal, TypeVar

import msgspec

from hstracker.core.dates import PartialDate

SCHEMA_VERSION = 3

Confidence = Literal["confirmed", "reported", "rumour"]
State = Literal["announced", "renewed", "in-production", "filming", "wrapped", "dated", "released"]
Kind = Literal["season", "film", "special"]
Billing = Literal["main", "recurring", "guest"]

CONFIDENCES: tuple[Confidence, ...] = ("confirmed", "reported", "rumour")
STATES: tuple[State, ...] = (
    "announced", "renewed", "in-production", "filming", "wrapped", "dated", "released",
)  # fmt: skip
KINDS: tuple[Kind, ...] = ("season", "film", "special")
BILLINGS: tuple[Billing, ...] = ("main", "recurring", "guest")

T = TypeVar("T")


class Record(msgspec.Struct, kw_only=True, omit_defaults=True, forbid_unknown_fields=True):
    """Base for every stored record: compact on disk and strict on load.

    msgspec applies kw_only per class, so each subclass repeats it.
    """


class Source(Record, kw_only=True):
    """Where a fact came from, when it was reported, and how sure it is."""

    name: str
    reported: PartialDate | None = None  # a report may be dated only to its month
    url: str | None = None
    confidence: Confidence = "reported"
    news_id: str | None = None  # set when a news item carried this fact
    by_fan: bool = False  # typed by the fan (set, add-news, cast add): no source overrides it


class Claim(Record, Generic[T], kw_only=True):
    """An earlier value of a fact, kept in its history with its own source."""

    value: T
    source: Source


class Fact(Record, Generic[T], kw_only=True):
    """A current value with its provenance, and the values it replaced."""

    value: T
    source: Source
    history: list[Claim[T]] = []

    def corrected(self, value: T, source: Source) -> "Fact[T]":
        """Return this fact with a new value; the old value moves into the history."""
        earlier = Claim(value=self.value, source=self.source)
        return Fact(value=value, source=source, history=[earlier, *self.history])

    def sources(self) -> list[Source]:
        return [self.source, *(claim.source for claim in self.history)]


class SourceUnit(Record, kw_only=True):
    """One volume (or other unit) of the source work."""

    number: int
    title: str | None = None
    published: Fact[PartialDate] | None = None  # the first publication anywhere
    markets: dict[str, Fact[PartialDate]] = {}  # each market's own date: "UK", "US"
    chapters: int | None = None


class SourceWork(Record, kw_only=True):
    """The book or comic a show adapts."""

    title: str
    author: str
    unit_name: str = "volume"
    units: list[SourceUnit] = []
    total: Fact[int] | None = None


class Filming(Record, kw_only=True):
    """When and where an installment was filmed."""

    start: Fact[PartialDate] | None = None
    wrap: Fact[PartialDate] | None = None
    place: Fact[str] | None = None


class PlotNote(Record, kw_only=True):
    """A note about what happens in an installment: a spoiler for anyone who has not seen it."""

    text: str
    source: Source


def key_of(kind: Kind, number: int) -> str:
    """An installment's short reference from its kind and number within the kind."""
    if kind == "season":
        return f"s{number}"
    return kind if number == 1 else f"{kind}{number}"


class Installment(Record, kw_only=True):
    """A season, film or special, with facts about its release and production."""

    kind: Kind
    number: int
    title: str | None = None
    state: Fact[State]
    release: Fact[PartialDate] | None = None  # None means TBA
    episodes: Fact[int] | None = None
    trailer: Fact[str] | None = None
    filming: Filming = msgspec.field(default_factory=Filming)
    adapts: Fact[list[int]] | None = None  # the source units it covers
    draws_on: Fact[list[str]] | None = None  # other works it draws on, e.g. a novella
    plot: list[PlotNote] = []
    channel: Fact[str] | None = None  # the network or streaming service it premiered on

    @property
    def key(self) -> str:
        """A short reference: ``s2`` for Season 2, ``film`` for the first film, ``film2`` next."""
        return key_of(self.kind, self.number)

    @property
    def label(self) -> str:
        """A human name: the title where there is one, otherwise 'Season 2'."""
        return self.title or f"{self.kind.capitalize()} {self.number}"


class CastMember(Record, kw_only=True):
    """A character and the actor who plays them; new or returning follows from installments."""

    character: str
    actor: str
    installments: list[str]
    billing: Billing = "main"
    note: str | None = None  # a short description, e.g. "Nick's mother"
    source: Source | None = None


class FactChange(Record, kw_only=True):
    """A change to a fact that a news item reported."""

    installment: str
    field: str
    value: str


class NewsItem(Record, kw_only=True):
    """A dated piece of news with its source."""

    id: str
    date: PartialDate
    headline: str
    source: str
    url: str | None = None
    body: str | None = None
    installment: str | None = None
    tags: list[str] = []
    added: datetime
    confidence: Confidence = "reported"
    changes: list[FactChange] = []


class Feed(Record, kw_only=True):
    """A news feed the fan follows for one show, with what a conditional request needs."""

    url: str
    match: list[str] = []  # words an item must mention; empty means the show's title
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    seen: list[str] = []  # guids (or links) already pulled, newest last


class Show(Record, kw_only=True):
    """One tracked adaptation: everything hstracker knows about it."""

    schema_version: int  # required, so omit_defaults always writes it
    slug: str
    title: str
    platform: str
    release_zone: str | None = None  # the zone the platform releases in, e.g. Netflix's Pacific
    source_work: SourceWork
    installments: list[Installment] = []
    cast: list[CastMember] = []
    news: list[NewsItem] = []
    ids: dict[str, str] = {}  # what each source knows it by: tvmaze, wikidata, openlibrary
    feeds: list[Feed] = []

    def latest_news(self, limit: int | None = None) -> list[NewsItem]:
        """News newest first (the store keeps it oldest first)."""
        items = self.news[::-1]
        return items if limit is None else items[:limit]


class ShowProgress(Record, kw_only=True):
    """What the fan has watched and read of one show, and when they last looked."""

    watched: list[str] = []
    read: list[int] = []
    last_looked: datetime | None = None


class Personal(Record, kw_only=True):
    """The fan's own state, kept apart from the facts so sync and import never touch it."""

    schema_version: int = msgspec.field(default_factory=lambda: SCHEMA_VERSION)
    default_show: str | None = None
    removed_shows: list[str] = []  # shipped shows the fan removed stay removed
    progress: dict[str, ShowProgress] = {}
