"""TVmaze's keyless API: find a show, then fetch its seasons, episodes and cast in one call."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

import msgspec

from hstracker.core.dates import MAX_YEAR, MIN_YEAR, PartialDate
from hstracker.core.merge import released_by
from hstracker.core.model import Show
from hstracker.core.report import (
    Credit,
    Release,
    Report,
    ReportedEpisode,
    ReportedInstallment,
)
from hstracker.errors import HstrackerError, NetworkError, NotFound
from hstracker.sources.http import Client, decode_json

BASE_URL_ENV = "HSTRACKER_TVMAZE_URL"
DEFAULT_BASE_URL = "https://api.tvmaze.com"
EMBEDS = ("seasons", "episodes", "cast")
MAX_EPISODES_PER_SEASON = 500


# Only the parts hstracker reads are declared, under TVmaze's own camelCase names;
# TVmaze may add fields freely.
class _Channel(msgspec.Struct):
    name: str


class _Season(msgspec.Struct):
    number: int
    episodeOrder: int | None = None
    premiereDate: str | None = None
    endDate: str | None = None
    network: _Channel | None = None
    webChannel: _Channel | None = None


class _Episode(msgspec.Struct):
    season: int
    number: int | None = None
    type: str = "regular"
    airstamp: str | None = None
    name: str | None = None


class _Named(msgspec.Struct):
    name: str


class _Credit(msgspec.Struct):
    person: _Named
    character: _Named


class _Embedded(msgspec.Struct):
    seasons: list[_Season] = []
    episodes: list[_Episode] = []
    cast: list[_Credit] = []


class _Show(msgspec.Struct):
    id: int
    name: str
    network: _Channel | None = None
    webChannel: _Channel | None = None
    updated: int | None = None  # when TVmaze last changed the show, in epoch seconds
    embedded: _Embedded | None = msgspec.field(default=None, name="_embedded")


def base_url() -> str:
    """The API root: HSTRACKER_TVMAZE_URL (a mirror or a test server) or the public API."""
    return (os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")


def find(client: Client, title: str) -> int:
    """The TVmaze id of the show that best matches title."""
    url = f"{base_url()}/singlesearch/shows?{urlencode({'q': title})}"
    return _get_show(client, url, f"matching {title!r}").id


LOOKUPS = ("thetvdb", "imdb")  # the ids TVmaze's lookup takes, in the order tried


def lookup(client: Client, ids: dict[str, str]) -> int | None:
    """The TVmaze id of the show with one of these ids (TheTVDB's or IMDb's), without a
    title search; None when TVmaze knows none of them or none is given."""
    for name in LOOKUPS:
        value = ids.get(name)
        if not value:
            continue
        url = f"{base_url()}/lookup/shows?{urlencode({name: value})}"
        response = client.get(url, allow=(404,))
        if response.status != 404:
            return decode_json(response, _Show, "TVmaze").id
    return None


def _ids_text(ids: dict[str, str]) -> str:
    return ", ".join(f"{name} {ids[name]}" for name in LOOKUPS if name in ids)


def _get_show(client: Client, url: str, wanted: str) -> _Show:
    """GET a show resource; TVmaze's 404 means no such show, not a network failure."""
    response = client.get(url, allow=(404,))
    if response.status == 404:
        raise NotFound(
            f"TVmaze has no show {wanted}.",
            hint="Set the right id with `hstracker shows link SLUG --tvmaze ID`.",
        )
    return decode_json(response, _Show, "TVmaze")


def show_url(show_id: int) -> str:
    """The resource a sync reads, as recorded in each fact's source."""
    return f"{base_url()}/shows/{quote(str(show_id))}"


NAME = "TVmaze"


def fetch(client: Client, show_id: int, fetched: datetime, zone_name: str | None) -> Report:
    """Seasons, episodes and cast of show_id, from one embedded request.

    TVmaze lists one cast for the whole show: it is credited to the latest aired season.
    """
    resource = show_url(show_id)
    url = f"{resource}?{urlencode([('embed[]', e) for e in EMBEDS])}"
    data = _get_show(client, url, f"with id {show_id}")
    if data.embedded is None:
        raise NetworkError(f"TVmaze answered {url} without the embedded seasons and cast.")
    skipped: list[int] = []
    try:
        seasons = [_season(data, s, zone_name, skipped) for s in data.embedded.seasons]
    except HstrackerError as exc:
        raise NetworkError(f"TVmaze answered {url} with a bad date: {exc.message}") from None
    if skipped and not any(s.releases for s in seasons):
        raise NetworkError(
            f"TVmaze answered {url} with release dates only outside the years "
            f"{MIN_YEAR} to {MAX_YEAR} (such as {skipped[0]}); nothing was synced."
        )
    aired = [
        s for s in seasons if s.releases and released_by(s.releases[0].date, fetched) == "released"
    ]
    if aired:
        latest = max(aired, key=lambda s: s.number)
        cast = tuple(Credit(c.person.name, c.character.name) for c in data.embedded.cast)
        seasons[seasons.index(latest)] = ReportedInstallment(
            kind="season",
            number=latest.number,
            releases=latest.releases,
            episodes=latest.episodes,
            channel=latest.channel,
            cast=cast,
            listed=latest.listed,
        )
    return Report(
        source=NAME,
        url=resource,
        fetched=fetched,
        confidence="confirmed",
        ids={"tvmaze": str(data.id)},
        installments=seasons,
        version=None if data.updated is None else str(data.updated),
    )


def fetch_show(client: Client, show: Show, fetched: datetime, wanted: str | None = None) -> Report:
    """The report for a show: by the id wanted or linked, else by searching its title.

    `sync` and `shows add --tvmaze` both come here, so they fetch the same way.
    """
    known = wanted or show.ids.get("tvmaze")
    if known is None and any(name in show.ids for name in LOOKUPS):
        # an imported show or film: found by its TheTVDB or IMDb id, never by a search that
        # could pick another show of the same name
        found = lookup(client, show.ids)
        if found is None:
            raise NotFound(f"TVmaze has no show with the ids {_ids_text(show.ids)}.")
        known = str(found)
    show_id = int(known) if known and known.isdigit() else find(client, known or show.title)
    return fetch(client, show_id, fetched, show.release_zone)


def _season(
    show: _Show, season: _Season, zone_name: str | None, skipped: list[int]
) -> ReportedInstallment:
    assert show.embedded is not None
    episodes = [
        e for e in show.embedded.episodes if e.season == season.number and e.type == "regular"
    ]
    count = season.episodeOrder or len(episodes) or None
    if count is not None and not 0 < count <= MAX_EPISODES_PER_SEASON:
        count = None
    channel = season.webChannel or season.network or show.webChannel or show.network
    premiere = _premiere(season, episodes, zone_name, skipped)
    return ReportedInstallment(
        kind="season",
        number=season.number,
        releases=(Release(premiere),) if premiere else (),
        episodes=count,
        channel=channel.name if channel else None,
        listed=_listed(episodes, zone_name),
    )


def _listed(episodes: list[_Episode], zone_name: str | None) -> tuple[ReportedEpisode, ...]:
    """The numbered episodes with their titles and airstamps (an airstamp that cannot be
    stored is left out, as _premiere leaves it out of the season's date)."""
    listed: list[ReportedEpisode] = []
    for e in episodes[:MAX_EPISODES_PER_SEASON]:
        if e.number is None or not 0 < e.number <= MAX_EPISODES_PER_SEASON:
            continue
        airs = None
        if e.airstamp:
            try:
                instant = datetime.fromisoformat(e.airstamp)
            except ValueError:
                instant = None
            if (
                instant is not None
                and instant.tzinfo is not None
                and _storable_year(instant, zone_name) is None
            ):
                airs = instant.astimezone(UTC)
        listed.append(ReportedEpisode(e.number, e.name, airs))
    return tuple(listed)


def _premiere(
    season: _Season, episodes: list[_Episode], zone_name: str | None, skipped: list[int]
) -> PartialDate | None:
    """The first episode's airstamp (an exact instant), else the season's premiere day.

    A date outside the years a store holds is left out as if TVmaze had not given it, and
    its year noted in skipped: storing it would make hstracker refuse its own store.
    """
    instants: list[datetime] = []
    for stamp in (e.airstamp for e in episodes if e.airstamp):
        try:
            instant = datetime.fromisoformat(stamp)
        except ValueError as exc:
            raise NetworkError(f"airstamp is not an ISO datetime: {exc}.") from None
        if instant.tzinfo is None:
            raise NetworkError("an airstamp has no UTC offset.")
        year = _storable_year(instant, zone_name)
        if year is None:
            instants.append(instant)
        else:
            skipped.append(year)
    if instants:
        return PartialDate.at(min(instants), zone_name)
    if season.premiereDate:
        year_text = season.premiereDate.strip()[:4]
        if year_text.isdigit() and not MIN_YEAR <= int(year_text) <= MAX_YEAR:
            skipped.append(int(year_text))
            return None
        return PartialDate.parse(season.premiereDate)
    return None


def _storable_year(instant: datetime, zone_name: str | None) -> int | None:
    """None if instant can be stored; else the out-of-range year it falls in."""
    try:
        utc = instant.astimezone(UTC)
        local = PartialDate.at(instant, zone_name)
    except OverflowError:  # 9999-12-31T23:00-05:00 has no UTC form
        return instant.year
    for year in (instant.year, utc.year, local.year):
        if not MIN_YEAR <= year <= MAX_YEAR:
            return year
    return None


# /updates/shows windows, smallest first: the one that covers the oldest read is asked for
UPDATE_WINDOWS = (("day", 86_400), ("week", 7 * 86_400), ("month", 30 * 86_400))
SLACK = 3_600  # a window must reach an hour past the oldest read: clocks and caches differ
MAX_UPDATES = 1_000_000  # the whole index holds fewer than 100,000 shows


def updates(client: Client, oldest: float) -> tuple[dict[str, str], float]:
    """TVmaze's show index of changes: {show id: when it last changed} for the shows changed
    in the smallest window that reaches back oldest seconds (the whole index past a month),
    with the window's length in seconds (inf: the whole index)."""
    since, span = next(
        ((n, s) for n, s in UPDATE_WINDOWS if oldest + SLACK <= s), (None, float("inf"))
    )
    url = f"{base_url()}/updates/shows" + (f"?{urlencode({'since': since})}" if since else "")
    answer = decode_json(client.get(url), dict[str, int], NAME)
    if len(answer) > MAX_UPDATES:
        raise NetworkError(f"TVmaze answered {url} with more than {MAX_UPDATES} shows.")
    return {key: str(value) for key, value in answer.items()}, span
