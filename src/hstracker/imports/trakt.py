"""Trakt's export ZIP: the watch history (episodes and films) and the watchlist.

Field names as Trakt's API and export write them: ``watched-history.json`` (split into
``watched-history-1.json``, ``-2``, … in larger accounts) is a list of plays, each with
``watched_at``, ``type`` (episode or movie), ``episode`` (``season``, ``number``, ``title``),
``show`` or ``movie`` (``title``, ``year``, ``ids``: ``trakt``, ``slug``, ``tvdb``, ``imdb``,
``tmdb``). ``lists-watchlist.json`` lists ``show`` and ``movie`` entries the same way.
"""

from __future__ import annotations

import re
from datetime import datetime

import msgspec

from hstracker.errors import InvalidInput
from hstracker.imports.archive import Bundle
from hstracker.imports.records import EpisodeRow, Export, FilmRow, ShowRow, Unreadable, earliest
from hstracker.imports.table import cell, when

_HISTORY = re.compile(r"^watched-history(-\d{1,4})?\.json$")
_WATCHLIST = re.compile(r"^lists-watchlist(-\d{1,4})?\.json$")
MAX_ITEMS = 2_000_000


class _Ids(msgspec.Struct):
    trakt: int | str | None = None
    tvdb: int | str | None = None
    imdb: str | None = None
    tmdb: int | str | None = None


class _Media(msgspec.Struct):
    title: str | None = None
    year: int | None = None
    ids: _Ids = msgspec.field(default_factory=_Ids)


class _Episode(msgspec.Struct):
    season: int | None = None
    number: int | None = None
    title: str | None = None


class _Item(msgspec.Struct):
    type: str = ""
    watched_at: str | None = None
    show: _Media | None = None
    movie: _Media | None = None
    episode: _Episode | None = None


def ids_of(media: _Media) -> dict[str, str]:
    """The ids hstracker keeps, under its own names (TheTVDB's is ``thetvdb``)."""
    pairs = {"trakt": media.ids.trakt, "thetvdb": media.ids.tvdb, "imdb": media.ids.imdb,
             "tmdb": media.ids.tmdb}  # fmt: skip
    found = {name: cell(str(value)) for name, value in pairs.items() if value not in (None, "")}
    return {name: value for name, value in found.items() if value and len(value) <= 20}


def read(bundle: Bundle) -> Export:
    """Every play of the history and every watchlist entry."""
    history = [n for n in bundle.names() if _HISTORY.match(n)]
    watchlist = [n for n in bundle.names() if _WATCHLIST.match(n)]
    if not history and not watchlist:
        raise InvalidInput(
            f"{bundle.path.name} is not a Trakt export: it has no watched-history.json "
            "or lists-watchlist.json."
        )
    export = Export("Trakt")
    plays: dict[tuple[str, int, int], EpisodeRow] = {}
    films: dict[str, FilmRow] = {}
    shows: dict[str, ShowRow] = {}
    for name in history:
        for index, item in enumerate(_items(bundle, name)):
            where = f"{name} item {index + 1}"
            at = when(item.watched_at)
            if item.type == "episode" and item.show and item.episode:
                _play(export, plays, shows, item.show, item.episode, at, where)
            elif item.type == "movie" and item.movie and item.movie.title:
                _film(films, item.movie, True, at, where)
            else:
                export.unreadable.append(Unreadable(where, "neither an episode nor a film"))
        export.files.append(name)
    for name in watchlist:
        for index, item in enumerate(_items(bundle, name)):
            where = f"{name} item {index + 1}"
            if item.type == "show" and item.show and item.show.title:
                title = cell(item.show.title)
                shows.setdefault(_media_key(item.show), ShowRow(title, ids_of(item.show)))
            elif item.type == "movie" and item.movie and item.movie.title:
                _film(films, item.movie, False, None, where)
        export.files.append(name)
    export.episodes = list(plays.values())
    export.films = list(films.values())
    export.shows = list(shows.values())
    return export


def _items(bundle: Bundle, name: str) -> list[_Item]:
    data = bundle.read(name) or b"[]"
    try:
        items = msgspec.json.decode(data, type=list[_Item])
    except msgspec.ValidationError as exc:
        raise InvalidInput(f"{name} is not a Trakt list of plays: {exc}.") from None
    except msgspec.DecodeError as exc:
        raise InvalidInput(f"{name} is not JSON: {exc}.") from None
    if len(items) > MAX_ITEMS:
        raise InvalidInput(f"{name} has over {MAX_ITEMS} items, more than an export holds.")
    return items


def _media_key(media: _Media) -> str:
    ids = ids_of(media)
    return f"trakt:{ids['trakt']}" if "trakt" in ids else cell(media.title or "").casefold()


def _play(
    export: Export,
    plays: dict[tuple[str, int, int], EpisodeRow],
    shows: dict[str, ShowRow],
    show: _Media,
    episode: _Episode,
    at: datetime | None,
    where: str,
) -> None:
    title = cell(show.title or "")
    season, number = episode.season, episode.number
    if (
        not title
        or season is None
        or number is None
        or not 0 <= min(season, number) <= max(season, number) <= 9_999
    ):
        export.unreadable.append(Unreadable(where, "no show title, season or episode number"))
        return
    key = (_media_key(show), season, number)
    ids = ids_of(show)
    shows.setdefault(_media_key(show), ShowRow(title, ids))
    seen = plays.get(key)
    if seen is None:
        plays[key] = EpisodeRow(title, season, number, at, 1, ids, where)
        return
    plays[key] = EpisodeRow(
        title, season, number, earliest(seen.at, at), seen.times + 1, ids, seen.line
    )


def _film(
    films: dict[str, FilmRow], movie: _Media, watched: bool, at: datetime | None, where: str
) -> None:
    key = _media_key(movie)
    title = cell(movie.title or "")
    ids = ids_of(movie)
    seen = films.get(key)
    if seen is None or (watched and not seen.watched):
        films[key] = FilmRow(title, watched, at, 1, movie.year, ids, where)
    elif watched:
        films[key] = FilmRow(
            title, True, earliest(seen.at, at), seen.times + 1, seen.year, ids, seen.line
        )
