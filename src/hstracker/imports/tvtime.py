"""TV Time's GDPR export: followed shows, watched episodes with their times, and films.

Column names as TV Time's export writes them (seen in public importers' fixtures, cited in
the README): ``tracking-prod-records-v2.csv`` has one row per event, its ``key`` telling
``watch-episode-…``, ``rewatch-episode-…`` and ``user-series-…`` rows apart, with ``s_id``
(TheTVDB's series id), ``series_name``, ``season_number``, ``episode_number`` and
``created_at``. Older exports list watches in ``seen_episode.csv`` or
``watched_on_episode.csv`` (``tv_show_name``, ``episode_season_number``, ``episode_number``,
``created_at``). Films are in ``tracking-prod-records.csv`` (``entity_type`` = movie, ``type``
= watch, rewatch or towatch, ``movie_name``, ``release_date``, ``created_at``).
"""

from __future__ import annotations

from hstracker.errors import InvalidInput
from hstracker.imports.archive import Bundle
from hstracker.imports.records import EpisodeRow, Export, FilmRow, ShowRow, Unreadable, earliest
from hstracker.imports.table import cell, number, rows, when

SHOW_FILES = ("user_tv_show_data.csv", "followed_tv_show.csv")
WATCH_V2 = "tracking-prod-records-v2.csv"
WATCH_OLD = ("watched_on_episode.csv", "seen_episode.csv")
FILMS = "tracking-prod-records.csv"
ALL_FILES = (*SHOW_FILES, WATCH_V2, *WATCH_OLD, FILMS)

_Key = tuple[str, int, int]  # show (TheTVDB id, else title), season, episode


class _Episodes:
    """Watches gathered per episode: a rewatch counts once, with how often it was seen."""

    def __init__(self) -> None:
        self.found: dict[_Key, EpisodeRow] = {}

    def add(self, row: EpisodeRow, rewatch_count: int | None) -> None:
        key = (row.ids.get("thetvdb") or row.title.casefold(), row.season, row.number)
        seen = self.found.get(key)
        times = max(1 + (rewatch_count or 0), 1)
        if seen is None:
            self.found[key] = EpisodeRow(
                row.title, row.season, row.number, row.at, times, row.ids, row.line
            )
            return
        first = earliest(seen.at, row.at)
        total = max(seen.times + 1, times)
        self.found[key] = EpisodeRow(
            seen.title, seen.season, seen.number, first, total, seen.ids, seen.line
        )


def read(bundle: Bundle) -> Export:
    """Everything a TV Time export holds that hstracker keeps."""
    if not any(bundle.has(name) for name in ALL_FILES):
        raise InvalidInput(
            f"{bundle.path.name} is not a TV Time export: it has none of {', '.join(ALL_FILES)}."
        )
    export = Export("TV Time")
    names: dict[str, str] = {}  # TheTVDB id -> title
    for name in SHOW_FILES:
        data = bundle.read(name)
        if data is None:
            continue
        export.files.append(name)
        for line, row in rows(data, name, {"tv_show_id", "tv_show_name"}, export.unreadable):
            title, tvdb = cell(row.get("tv_show_name", "")), cell(row.get("tv_show_id", ""))
            if not title:
                export.unreadable.append(Unreadable(f"{name} line {line}", "no show name"))
                continue
            if tvdb.isdigit():
                names.setdefault(tvdb, title)
    episodes = _Episodes()
    data = bundle.read(WATCH_V2)
    if data is not None:
        export.files.append(WATCH_V2)
        _read_v2(data, export, episodes, names)
    else:
        for name in WATCH_OLD:
            older = bundle.read(name)
            if older is not None:
                export.files.append(name)
                _read_old(older, name, export, episodes, names)
                break
    export.episodes = list(episodes.found.values())
    export.shows = [ShowRow(title, {"thetvdb": tvdb}) for tvdb, title in names.items()]
    untracked = {e.title for e in export.episodes if "thetvdb" not in e.ids}
    export.shows += [ShowRow(title) for title in sorted(untracked)]
    films = bundle.read(FILMS)
    if films is not None:
        export.files.append(FILMS)
        export.films = _read_films(films, export)
    return export


def _read_v2(data: bytes, export: Export, episodes: _Episodes, names: dict[str, str]) -> None:
    needed = {"key", "s_id", "series_name", "season_number", "episode_number", "created_at"}
    for line, row in rows(data, WATCH_V2, needed, export.unreadable):
        key = row.get("key", "").strip()
        where = f"{WATCH_V2} line {line}"
        tvdb = row.get("s_id", "").strip()
        title = cell(row.get("series_name", ""))
        if key.startswith("user-series-"):
            if tvdb.isdigit() and title:
                names.setdefault(tvdb, title)
            continue
        if not key.startswith(("watch-episode-", "rewatch-episode-")):
            continue
        season, episode = number(row.get("season_number")), number(row.get("episode_number"))
        if not title or season is None or episode is None:
            export.unreadable.append(Unreadable(where, "no show name, season or episode number"))
            continue
        ids = {"thetvdb": tvdb} if tvdb.isdigit() else {}
        if tvdb.isdigit():
            names.setdefault(tvdb, title)
        at = when(row.get("created_at"))
        episodes.add(
            EpisodeRow(title, season, episode, at, 1, ids, where), number(row.get("rewatch_count"))
        )


def _read_old(
    data: bytes, name: str, export: Export, episodes: _Episodes, names: dict[str, str]
) -> None:
    by_title = {title.casefold(): tvdb for tvdb, title in names.items()}
    needed = {"tv_show_name", "episode_season_number", "episode_number"}
    for line, row in rows(data, name, needed, export.unreadable):
        where = f"{name} line {line}"
        title = cell(row.get("tv_show_name", ""))
        season = number(row.get("episode_season_number"))
        episode = number(row.get("episode_number"))
        if not title or season is None or episode is None:
            export.unreadable.append(Unreadable(where, "no show name, season or episode number"))
            continue
        tvdb = cell(row.get("tv_show_id", "")) or by_title.get(title.casefold(), "")
        ids = {"thetvdb": tvdb} if tvdb.isdigit() else {}
        at = when(row.get("created_at") or row.get("updated_at"))
        episodes.add(EpisodeRow(title, season, episode, at, 1, ids, where), None)


def _read_films(data: bytes, export: Export) -> list[FilmRow]:
    found: dict[str, FilmRow] = {}
    needed = {"entity_type", "type", "movie_name"}
    for line, row in rows(data, FILMS, needed, export.unreadable):
        if cell(row.get("entity_type", "")) != "movie":
            continue
        where = f"{FILMS} line {line}"
        kind, title = cell(row.get("type", "")), cell(row.get("movie_name", ""))
        if kind not in ("watch", "rewatch", "towatch"):
            continue
        if not title:
            export.unreadable.append(Unreadable(where, "no film name"))
            continue
        released = when(row.get("release_date"))
        key = cell(row.get("uuid", "")) or title.casefold()
        seen = found.get(key)
        watched = kind != "towatch"
        at = when(row.get("watch_date") or row.get("created_at")) if watched else None
        year = released.year if released else None
        if seen is None:
            found[key] = FilmRow(title, watched, at, 1, year, {}, where)
        elif watched:
            times = seen.times + 1 if seen.watched else 1
            found[key] = FilmRow(
                title, True, earliest(seen.at, at), times, seen.year, seen.ids, seen.line
            )
    return list(found.values())
