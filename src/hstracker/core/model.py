"""The typed data model: shows, installments, cast, news, and facts that keep their provenance."""

# No `from __future__ import annotations` here: msgspec would have to eval every string
# annotation on the first decode (~3 ms on each run). Classes are ordered so none is needed.

from datetime import datetime
from typing import Annotated, Generic, Literal, TypeVar

import msgspec

from hstracker.core.dates import PartialDate

SCHEMA_VERSION = 4

Confidence = Literal["confirmed", "reported", "rumour"]
State = Literal[
    "announced", "renewed", "in-production", "filming", "wrapped", "dated", "released",
    "ended", "cancelled",
]  # fmt: skip
Kind = Literal["season", "film", "special"]
Billing = Literal["main", "recurring", "guest"]

CONFIDENCES: tuple[Confidence, ...] = ("confirmed", "reported", "rumour")
STATES: tuple[State, ...] = (
    "announced", "renewed", "in-production", "filming", "wrapped", "dated", "released",
    "ended", "cancelled",
)  # fmt: skip
# states a fan (or a source) sets for good: no date or clock changes them. "ended" is out and
# finished; "cancelled" will never come, so it is nobody's next installment.
FINAL_STATES: tuple[State, ...] = ("ended", "cancelled")
KINDS: tuple[Kind, ...] = ("season", "film", "special")
BILLINGS: tuple[Billing, ...] = ("main", "recurring", "guest")

T = TypeVar("T")

# Bounds on every count read from a file: a hand-edited `read: [100000000]` or
# `adapts: [1, 30000000]` is refused as damage when the file is read, instead of costing
# minutes and gigabytes later. Defaults are unchanged; only what a file may hold is bounded.
MAX_NUMBER = 9_999  # a volume, installment, chapter or episode count
MAX_UNITS = 9_999  # volumes of a work, installments of a show, volumes an installment adapts
MAX_CAST = 10_000
MAX_NEWS = 50_000
MAX_FEEDS = 1_000
MAX_NOTES = 1_000  # plot notes of an installment, claims in a fact's history
MAX_SMALL = 100  # tags and fact changes of a news item, match words of a feed
MAX_SEEN = 10_000  # guids a feed remembers (the feed code keeps 1,000)
MAX_MARKS = 10_000  # watched installments, read volumes, removed shows, shows with progress
MAX_EPISODES = 500  # episodes of one installment (TVmaze's longest seasons are well under it)

Number = Annotated[int, msgspec.Meta(ge=0, le=MAX_NUMBER)]
Units = Annotated[list[Number], msgspec.Meta(max_length=MAX_UNITS)]


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
    history: Annotated[list[Claim[T]], msgspec.Meta(max_length=MAX_NOTES)] = []

    def corrected(self, value: T, source: Source) -> "Fact[T]":
        """Return this fact with a new value; the old value moves into the history."""
        earlier = Claim(value=self.value, source=self.source)
        return Fact(value=value, source=source, history=[earlier, *self.history])

    def sources(self) -> list[Source]:
        return [self.source, *(claim.source for claim in self.history)]


class SourceUnit(Record, kw_only=True):
    """One volume (or other unit) of the source work."""

    number: Number
    title: str | None = None
    published: Fact[PartialDate] | None = None  # the first publication anywhere
    markets: Annotated[dict[str, Fact[PartialDate]], msgspec.Meta(max_length=50)] = {}
    chapters: Number | None = None


class SourceWork(Record, kw_only=True):
    """The book or comic a show adapts."""

    title: str
    author: str
    unit_name: str = "volume"
    units: Annotated[list[SourceUnit], msgspec.Meta(max_length=MAX_UNITS)] = []
    total: Fact[Number] | None = None


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


class Episode(Record, kw_only=True):
    """One episode as TVmaze lists it: its number in the installment, title and release."""

    number: Number
    title: Annotated[str, msgspec.Meta(max_length=500)] | None = None
    airs: datetime | None = None  # the release instant (TVmaze's airstamp)


class Installment(Record, kw_only=True):
    """A season, film or special, with facts about its release and production."""

    kind: Kind
    number: Number
    title: str | None = None
    state: Fact[State]
    release: Fact[PartialDate] | None = None  # None means TBA
    episodes: Fact[Number] | None = None
    trailer: Fact[str] | None = None
    filming: Filming = msgspec.field(default_factory=Filming)
    adapts: Fact[Units] | None = None  # the source units it covers
    draws_on: Fact[list[str]] | None = None  # other works it draws on, e.g. a novella
    plot: Annotated[list[PlotNote], msgspec.Meta(max_length=MAX_NOTES)] = []
    channel: Fact[str] | None = None  # the network or streaming service it premiered on
    # the episodes a source lists (TVmaze, on sync): the whole list is replaced each sync
    episode_list: Annotated[list[Episode], msgspec.Meta(max_length=MAX_EPISODES)] = []

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
    installments: Annotated[list[str], msgspec.Meta(max_length=MAX_UNITS)]
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
    tags: Annotated[list[str], msgspec.Meta(max_length=MAX_SMALL)] = []
    added: datetime
    confidence: Confidence = "reported"
    changes: Annotated[list[FactChange], msgspec.Meta(max_length=MAX_SMALL)] = []


class Feed(Record, kw_only=True):
    """A news feed the fan follows for one show, with what a conditional request needs."""

    url: str
    match: Annotated[
        list[str], msgspec.Meta(max_length=MAX_SMALL)
    ] = []  # words an item must mention; empty means the show's title
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    seen: Annotated[
        list[str], msgspec.Meta(max_length=MAX_SEEN)
    ] = []  # guids (or links) already pulled, newest last


class SyncMark(Record, kw_only=True):
    """When sync last read a show from one source, and the version of it that it saw."""

    read: datetime
    version: str | None = None  # TVmaze's `updated`, Wikidata's `lastrevid`; None: none given
    found: bool = True  # False: the source's search found nothing then


PLACEHOLDER = "unknown"  # what a show stores for a platform or author nobody has given


def known(value: str) -> str | None:
    """A show's platform or author, or None where only the placeholder is stored."""
    return None if value == PLACEHOLDER else value


class Show(Record, kw_only=True):
    """One tracked adaptation: everything hstracker knows about it."""

    schema_version: int  # required, so omit_defaults always writes it
    slug: str
    title: str
    platform: str
    release_zone: str | None = None  # the zone the platform releases in, e.g. Netflix's Pacific
    source_work: SourceWork
    installments: Annotated[list[Installment], msgspec.Meta(max_length=MAX_UNITS)] = []
    cast: Annotated[list[CastMember], msgspec.Meta(max_length=MAX_CAST)] = []
    news: Annotated[list[NewsItem], msgspec.Meta(max_length=MAX_NEWS)] = []
    # what each source knows it by: tvmaze, wikidata, openlibrary
    ids: Annotated[dict[str, str], msgspec.Meta(max_length=20)] = {}
    feeds: Annotated[list[Feed], msgspec.Meta(max_length=MAX_FEEDS)] = []
    # per source (tvmaze, wikidata, openlibrary), what the last sync read: what makes the
    # next one incremental (core/freshness.py); a defaulted field, so no migration
    synced: Annotated[dict[str, SyncMark], msgspec.Meta(max_length=20)] = {}

    def latest_news(self, limit: int | None = None) -> list[NewsItem]:
        """News newest first (the store keeps it oldest first)."""
        items = self.news[::-1]
        return items if limit is None else items[:limit]


class Watch(Record, kw_only=True, array_like=True):
    """One watched episode: ``[number, when first watched, how often]``, an array on disk
    because a fan who moved in from TV Time can have 100,000 of them in personal.json."""

    number: Number
    at: datetime | None = None  # when it was first watched, where known
    times: Annotated[int, msgspec.Meta(ge=1, le=MAX_NUMBER)] = 1


class ShowProgress(Record, kw_only=True):
    """What the fan has watched and read of one show, and when they last looked."""

    # installments marked watched whole (a film, or a season with no known episodes, or a
    # mark from before episodes were kept); a season with known episodes is marked by them
    watched: Annotated[list[str], msgspec.Meta(max_length=MAX_MARKS)] = []
    # per installment key, the episodes watched, by number; a defaulted field, so a
    # personal.json from before it loads as it is
    episodes: Annotated[
        dict[str, Annotated[list[Watch], msgspec.Meta(max_length=MAX_EPISODES)]],
        msgspec.Meta(max_length=MAX_MARKS),
    ] = {}
    read: Annotated[list[Number], msgspec.Meta(max_length=MAX_MARKS)] = []
    last_looked: datetime | None = None


class Personal(Record, kw_only=True):
    """The fan's own state, kept apart from the facts so sync and import never touch it."""

    schema_version: int = msgspec.field(default_factory=lambda: SCHEMA_VERSION)
    default_show: str | None = None
    removed_shows: Annotated[
        list[str], msgspec.Meta(max_length=MAX_MARKS)
    ] = []  # shipped shows the fan removed stay removed
    progress: Annotated[dict[str, ShowProgress], msgspec.Meta(max_length=MAX_MARKS)] = {}
    # the marks of removed shows, for `shows restore`; a new show under the slug starts clean
    removed_progress: Annotated[dict[str, ShowProgress], msgspec.Meta(max_length=MAX_MARKS)] = {}
    # per show, the digest of the shipped file the fan's copy last took in: newer shipped data
    # is merged into that copy once (store/upgrade.py); a defaulted field, so no migration
    shipped: Annotated[dict[str, str], msgspec.Meta(max_length=MAX_MARKS)] = {}
