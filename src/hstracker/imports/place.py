"""Placing an export: shows joined or made by title, watches and books marked, misfits named.

Each show joins the tracked one with its title or ids, or is made by title; each watch and
read book becomes a mark; every row that fits nowhere is named with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from hstracker.core import validate
from hstracker.core.episodes import known_numbers
from hstracker.core.model import (
    MAX_NUMBER,
    Fact,
    Installment,
    Personal,
    Show,
    ShowProgress,
    Source,
    State,
    Watch,
)
from hstracker.core.shows import ShowDraft, new_show
from hstracker.core.slugs import slugify
from hstracker.errors import InvalidInput
from hstracker.imports.records import BookRow, EpisodeRow, Export, FilmRow, Unreadable, earliest

KEPT_IDS = ("thetvdb", "imdb", "tmdb", "trakt")
_YEAR = re.compile(r"\s*\((\d{4})\)$")  # TV Time's "Bodyguard (2018)"


@dataclass
class Placed:
    """What an import did (or, with --dry-run, would do)."""

    service: str
    made: list[str] = field(default_factory=list)  # slugs of shows made
    joined: list[str] = field(default_factory=list)  # slugs of tracked shows it joined
    episodes: int = 0  # episode marks added
    rewatched: int = 0  # of those and the ones already there, how many were seen more than once
    films: int = 0  # film marks added
    to_watch: int = 0  # films only meant to be watched, tracked with no mark
    volumes: list[str] = field(default_factory=list)  # "heartstopper volume 2"
    unplaced: list[Unreadable] = field(default_factory=list)
    new_shows: list[Show] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.made or self.episodes or self.films or self.volumes)


def _fold(title: str) -> str:
    return validate.fold(title)


class _Index:
    """The tracked shows by folded title and by each id, and the shows made so far."""

    def __init__(self, shows: list[Show]) -> None:
        self.by_title: dict[str, Show] = {}
        self.by_id: dict[tuple[str, str], Show] = {}
        self.slugs = {show.slug for show in shows}
        for show in shows:
            self.add(show)

    def add(self, show: Show) -> None:
        self.by_title.setdefault(_fold(show.title), show)
        for name, value in show.ids.items():
            self.by_id.setdefault((name, value), show)
        for inst in show.installments:  # a film of a tracked show is found by its title
            if inst.kind == "film" and inst.title:
                self.by_title.setdefault(_fold(inst.title), show)
        self.slugs.add(show.slug)

    def find(self, title: str, ids: dict[str, str]) -> Show | None:
        for name in KEPT_IDS:
            if name in ids and (found := self.by_id.get((name, ids[name]))) is not None:
                return found
        bare = _YEAR.sub("", title)
        return self.by_title.get(_fold(title)) or self.by_title.get(_fold(bare))


class Placement:
    """One export being placed into personal, against the tracked shows."""

    def __init__(self, export: Export, shows: list[Show], personal: Personal, now: datetime):
        self.export = export
        self.personal = personal
        self.now = now
        self.index = _Index(shows)
        self.done = Placed(export.service, unplaced=list(export.unreadable))
        self.marks = _Marks(personal)
        # what an export implies (a film the fan watched is out) is the weakest of claims:
        # any source's fact replaces it at the next sync
        self.source = Source(name=f"{export.service} export", confidence="rumour")

    def show(
        self, title: str, ids: dict[str, str], line: str, film: FilmRow | None = None
    ) -> Show | None:
        """The tracked show this title and these ids name, made when there is none."""
        found = self.index.find(title, ids)
        if found is not None:
            if found.slug not in self.done.joined and found.slug not in self.done.made:
                self.done.joined.append(found.slug)
            return found
        bare = _YEAR.sub("", title) or title
        slug = _free_slug(slugify(bare)[0], self.index.slugs)
        try:
            made = new_show(ShowDraft(bare, slug), self.source)
        except InvalidInput as exc:
            self.done.unplaced.append(Unreadable(line, f"cannot make a show of it: {exc}"))
            return None
        made.ids.update({k: v for k, v in ids.items() if k in KEPT_IDS})
        if film is not None:  # a film on its own is a show with one film installment
            state: State = "released" if film.watched else "announced"
            made.installments.append(
                Installment(
                    kind="film",
                    number=1,
                    title=made.title,
                    state=Fact(value=state, source=self.source),
                )
            )
        self.index.add(made)
        self.done.made.append(made.slug)
        self.done.new_shows.append(made)
        return made

    def episode(self, row: EpisodeRow) -> None:
        if row.season == 0:
            what = f"{row.title} s0e{row.number}"
            self.done.unplaced.append(Unreadable(row.line, f"{what} is a special in season 0"))
            return
        show = self.show(row.title, row.ids, row.line)
        if show is None:
            return
        key = f"s{row.season}"
        seasons = {i.key: i for i in show.installments if i.kind == "season"}
        inst = seasons.get(key)
        if seasons and inst is None:
            reason = f"{show.title} has no season {row.season}"
            self.done.unplaced.append(Unreadable(row.line, reason))
            return
        known = known_numbers(inst) if inst is not None else set()
        if known and row.number not in known:
            reason = f"{show.title} season {row.season} has no episode {row.number}"
            self.done.unplaced.append(Unreadable(row.line, reason))
            return
        if self.marks.add(show.slug, key, row.number, row.at, min(row.times, MAX_NUMBER)):
            self.done.episodes += 1
        if row.times > 1:
            self.done.rewatched += 1

    def film(self, row: FilmRow) -> None:
        show = self.show(row.title, row.ids, row.line, row)
        if show is None:
            return
        if not row.watched:
            self.done.to_watch += 1
            return
        folded = _fold(row.title)
        films = [i for i in show.installments if i.kind == "film"]
        named = next((i for i in films if i.title and _fold(i.title) == folded), None)
        key = named.key if named else "film"
        # a film's watch keeps its date and count as its one part, number 1
        new = self.marks.add(show.slug, key, 1, row.at, min(row.times, MAX_NUMBER))
        progress = self.personal.progress.setdefault(show.slug, ShowProgress())
        if key not in progress.watched:
            progress.watched.append(key)
            new = True
        if new:
            self.done.films += 1

    def book(self, row: BookRow) -> None:
        if row.shelf.strip().lower() != "read":
            shelf = row.shelf or "no shelf"
            reason = f"{row.title} is on the {shelf!r} shelf; only books read are marked"
            self.done.unplaced.append(Unreadable(row.line, reason))
            return
        for show in self.index.by_title.values():
            volume = _volume_of(show, row)
            if volume is None:
                continue
            progress = self.personal.progress.setdefault(show.slug, ShowProgress())
            if volume not in progress.read:
                progress.read = sorted([*progress.read, volume])
                self.done.volumes.append(f"{show.slug} {show.source_work.unit_name} {volume}")
            return
        reason = f"{row.title} ({row.author}) is not a volume of a tracked show's source"
        self.done.unplaced.append(Unreadable(row.line, reason))


class _Marks:
    """The watches being added, by show, installment and number, so a big export costs one
    lookup per row; written back into personal, sorted, by flush()."""

    def __init__(self, personal: Personal) -> None:
        self.personal = personal
        self.open: dict[tuple[str, str], dict[int, Watch]] = {}

    def add(self, slug: str, key: str, number: int, at: datetime | None, times: int) -> bool:
        """True when the episode was not marked before; a mark there keeps its earliest date
        and the larger count, so the same export twice changes nothing."""
        marks = self.open.get((slug, key))
        if marks is None:
            progress = self.personal.progress.get(slug)
            stored = progress.episodes.get(key, []) if progress else []
            marks = self.open[(slug, key)] = {w.number: w for w in stored}
        seen = marks.get(number)
        if seen is None:
            marks[number] = Watch(number=number, at=at, times=times)
            return True
        first = earliest(seen.at, at)
        if first != seen.at or times > seen.times:
            marks[number] = Watch(number=number, at=first, times=max(times, seen.times))
        return False

    def flush(self) -> None:
        for (slug, key), marks in self.open.items():
            if marks:
                progress = self.personal.progress.setdefault(slug, ShowProgress())
                progress.episodes[key] = sorted(marks.values(), key=lambda w: w.number)


def _volume_of(show: Show, row: BookRow) -> int | None:
    """The volume of show's source work this book is: same author, and the series (or the
    title) naming the work, with a number the work has."""
    work = show.source_work
    if not row.author or _fold(row.author) != _fold(work.author):
        return None
    names = {_fold(work.title), _fold(show.title)}
    series = _fold(row.series) if row.series else None
    if series not in names and not any(_fold(row.title).startswith(n) for n in names):
        return None
    numbers = {u.number for u in work.units}
    if row.number is not None and row.number in numbers:
        return row.number
    return None


def _free_slug(slug: str, taken: set[str]) -> str:
    """slug, or slug-2, slug-3, ... when a show already has it or hstracker's files do."""

    def free(name: str) -> bool:
        return name not in taken and name not in validate.RESERVED_SLUGS

    if free(slug):
        return slug
    stem = slug[:40].rstrip("-")  # room for the number within a slug's 48 characters
    n = 2
    while not free(f"{stem}-{n}"):
        n += 1
    return f"{stem}-{n}"


def place(export: Export, shows: list[Show], personal: Personal, now: datetime) -> Placed:
    """Place every show, watch, film and book of export; personal gains the marks."""
    placing = Placement(export, shows, personal, now)
    for show in export.shows:
        placing.show(show.title, show.ids, f"{export.service} show {show.title}")
    for episode in export.episodes:
        placing.episode(episode)
    for film in export.films:
        placing.film(film)
    for book in export.books:
        placing.book(book)
    placing.marks.flush()
    return placing.done
