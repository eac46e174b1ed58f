"""What an export says, in one shape every reader fills: shows, watches, films and books."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

IdName = str  # "thetvdb", "imdb", "tmdb", "trakt"


@dataclass(frozen=True)
class ShowRow:
    """A show the fan followed or means to watch."""

    title: str
    ids: dict[IdName, str] = field(default_factory=dict)


@dataclass(frozen=True)
class EpisodeRow:
    """One watched episode; times > 1 is a rewatch counted in the export."""

    title: str
    season: int
    number: int
    at: datetime | None = None
    times: int = 1
    ids: dict[IdName, str] = field(default_factory=dict)
    line: str = ""  # where it came from, for the report: "watched-history.json item 12"


@dataclass(frozen=True)
class FilmRow:
    """A film watched (with when and how often) or only meant to be watched."""

    title: str
    watched: bool
    at: datetime | None = None
    times: int = 1
    year: int | None = None
    ids: dict[IdName, str] = field(default_factory=dict)
    line: str = ""


@dataclass(frozen=True)
class BookRow:
    """A book on the fan's shelves; only a read one marks a volume."""

    title: str
    author: str
    isbns: tuple[str, ...] = ()
    series: str | None = None  # "(Heartstopper, #2)" gives "Heartstopper" and 2
    number: int | None = None
    at: datetime | None = None
    line: str = ""
    shelf: str = "read"  # Goodreads' Exclusive Shelf, StoryGraph's Read Status


@dataclass(frozen=True)
class Unreadable:
    """A row that could not be read, and why."""

    line: str
    reason: str


@dataclass
class Export:
    """Everything one export gave."""

    service: str  # "TV Time", "Trakt", ...
    shows: list[ShowRow] = field(default_factory=list)
    episodes: list[EpisodeRow] = field(default_factory=list)
    films: list[FilmRow] = field(default_factory=list)
    books: list[BookRow] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # the files it read, by name


def earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    """The earlier of two instants, either of which may be unknown."""
    if a is None or b is None:
        return a or b
    return min(a, b)
