"""Films as shows of their own: a film item, a film series, and the book a film is based on."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from conftest import Run
from hstracker.core.dates import PartialDate
from hstracker.core.report import Credit, Release
from hstracker.sources import wikidata as source
from hstracker.sources.http import Client
from httpserver import Answer, Server, fixture_bytes
from living_sources import WIKIDATA_API, Wikidata

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
FILM = "Q990500"
SERIES = "Q990700"
NOVEL = "Q990600"


class Films(Wikidata):
    """Wikidata holding one film and one film series; its search finds them by title."""

    def answer(self, query: str) -> Answer:
        if "action=wbsearchentities" in query:
            hits = [
                {"id": FILM, "label": "Paper Lanterns", "description": "2026 animated film"},
                {"id": NOVEL, "label": "Paper Lanterns", "description": "2019 novel"},
            ]
            return Answer(body=json.dumps({"search": hits, "success": 1}).encode())
        return super().answer(query)


@pytest.fixture
def films(server: Server, monkeypatch: pytest.MonkeyPatch) -> Films:
    monkeypatch.setenv("HSTRACKER_WIKIDATA_URL", server.url + "/")
    site = Films(server, json.loads(fixture_bytes("wikidata/films.json")))
    server.route(WIKIDATA_API, site.answer)
    return site


def installments(run: Run, slug: str) -> list[dict[str, Any]]:
    return run.json("seasons", "--show", slug)["installments"]  # type: ignore[no-any-return]


def test_a_film_item_is_one_film_with_its_dates_cast_and_book(films: Films) -> None:
    with Client() as client:
        report = source.fetch(client, FILM, NOW)
    (film,) = report.installments
    assert (film.kind, film.number, film.title) == ("film", 1, "Paper Lanterns")
    # one date per country: a statement naming two countries gives one release each
    assert film.releases == (
        Release(PartialDate(2026, 7, 17), "United Kingdom"),
        Release(PartialDate(2026, 7, 24), "United States"),
        Release(PartialDate(2026, 7, 24), "Canada"),
        Release(PartialDate(2026)),
    )
    assert film.cast == (
        Credit(actor="Ada Test", character="Mira"),  # P453: the character's item
        Credit(actor="Ben Test", character="The Lantern Keeper"),  # P4633: its name as a string
    )  # a credit with no character at all is left out: hstracker stores no actor without one
    assert film.url == f"{films.server.url}/wiki/{FILM}"
    # based on (P144) a single novel: the work and its author, the novel itself volume 1
    assert report.ids == {"wikidata": FILM, "wikidata_work": NOVEL}
    assert (report.work_title, report.work_author) == ("Paper Lanterns (novel)", "Ana Author")
    assert [(u.number, u.title) for u in report.units] == [(1, "Paper Lanterns (novel)")]
    assert report.total_units == 1
    # no parts are looked for: the item, its book with the book's parts search, the names
    actions = [c["action"] for c in films.calls()]
    assert actions == ["wbgetentities", "wbgetentities", "query", "wbgetentities"]


def test_a_film_added_by_title_fills_in_from_one_sync(run: Run, films: Films) -> None:
    run("shows", "add", "Paper Lanterns", "--slug", "lanterns")
    data = run.json("sync", "--show", "lanterns", "--source", "wikidata")
    (show,) = data["shows"]
    assert show["ids"] == {"Wikidata": {"id": FILM, "by": "search"}}
    (film,) = installments(run, "lanterns")
    assert film["key"] == "film" and film["title"] == "Paper Lanterns"
    release = film["facts"]["release"]
    assert release["value"] == "2026-07-17"  # the earliest country's day
    assert release["source"]["name"] == "Wikidata"
    cast = {(m["character"], m["actor"]) for m in run.json("cast", "--show", "lanterns")["cast"]}
    assert cast == {("Mira", "Ada Test"), ("The Lantern Keeper", "Ben Test")}
    progress = run.json("progress", "--show", "lanterns")
    assert progress["adaptation"]["total"] == 1
    # the id found is kept: the next sync that reads it (--full: it is unchanged) does so
    # directly, with no search
    again = run.json("sync", "--show", "lanterns", "--source", "wikidata", "--dry-run", "--full")
    assert again["shows"][0]["ids"] == {"Wikidata": {"id": FILM, "by": "link"}}
    assert len(films.calls("wbsearchentities")) == 1


def test_a_film_added_by_its_qid_needs_no_search(run: Run, films: Films) -> None:
    result = run("shows", "add", "Lanterns (2026)", "--slug", "pl", "--wikidata", FILM)
    assert "Wikidata" in result.stdout
    assert films.calls("wbsearchentities") == []
    (film,) = installments(run, "pl")
    assert film["facts"]["release"]["value"] == "2026-07-17"
    (shown,) = [s for s in run.json("shows", "list")["shows"] if s["slug"] == "pl"]
    # the fan named no book: the film's "based on" names it, with its author
    assert shown["source_work"] == {
        "title": "Paper Lanterns (novel)",
        "author": "Ana Author",
        "total": 1,
    }
    data = run.json("sync", "--show", "pl", "--source", "wikidata", "--dry-run")
    assert data["shows"][0]["ids"] == {"Wikidata": {"id": FILM, "by": "link"}}
    assert films.calls("wbsearchentities") == []


def test_a_named_source_work_is_never_renamed(run: Run, films: Films) -> None:
    run("shows", "add", "Paper Lanterns", "--slug", "mine", "--source-title", "My Book",
        "--source-author", "Me Myself")  # fmt: skip
    run("shows", "link", "mine", "--wikidata", FILM)
    changes = run.json("sync", "--show", "mine", "--source", "wikidata")["shows"][0]["changes"]
    assert [c["what"] for c in changes if c["what"].startswith("source")] == []
    (shown,) = [s for s in run.json("shows", "list")["shows"] if s["slug"] == "mine"]
    assert (shown["source_work"]["title"], shown["source_work"]["author"]) == (
        "My Book",
        "Me Myself",
    )


def test_a_bad_qid_for_add_is_a_usage_error(run: Run, films: Films) -> None:
    result = run("shows", "add", "X", "--wikidata", "42", code=2)
    assert "Q42" in result.stderr and "unexpected" not in result.stderr
    assert films.calls() == []
    assert "x" not in {s["slug"] for s in run.json("shows", "list")["shows"]}


def test_a_film_series_gives_one_film_per_part_in_series_order(films: Films) -> None:
    with Client() as client:
        report = source.fetch(client, SERIES, NOW)
    # listed 3, 1, 2 under P527; their own P179 ordinals put them in order
    assert [(i.kind, i.number, i.title) for i in report.installments] == [
        ("film", 1, "Lanterns"),
        ("film", 2, "Lanterns Rising"),
        ("film", 3, "Lanterns Forever"),  # a film project: announced, dated to its year
    ]
    assert [i.releases[0].date for i in report.installments] == [
        PartialDate(2020, 5, 1),
        PartialDate(2022, 6, 3),
        PartialDate(2027),
    ]
    assert report.installments[0].cast == (Credit(actor="Ada Test", character="Mira"),)
    # the series names no book; its first film's P144 does
    assert report.ids["wikidata_work"] == NOVEL


def test_a_film_series_synced_as_a_show(run: Run, films: Films) -> None:
    run("shows", "add", "Lantern Trilogy", "--slug", "trilogy", "--wikidata", SERIES)
    keys = [i["key"] for i in installments(run, "trilogy")]
    assert keys == ["film", "film2", "film3"]
    states = {i["key"]: i["state"] for i in installments(run, "trilogy")}
    assert states["film"] == "released" and states["film3"] != "released"


def test_a_season_without_p577_is_dated_by_its_start_time(wikidata: Wikidata) -> None:
    season = wikidata.entities["Q990012"]["claims"]
    season["P580"] = season.pop("P577")  # as real season items often carry it
    with Client() as client:
        report = source.fetch(client, "Q990001", NOW)
    s2 = next(i for i in report.installments if (i.kind, i.number) == ("season", 2))
    assert s2.releases == (Release(PartialDate(2023, 8, 3)),)


def test_a_lagging_wikidata_is_asked_again_after_its_retry_after(
    wikidata: Wikidata, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HSTRACKER_HTTP_RETRY_CAP", "0.05")
    lagged = Answer(
        body=b'{"error": {"code": "maxlag", "info": "Waiting for a replica: 6 seconds lagged"}}',
        headers={"Retry-After": "5"},
    )
    wikidata.server.route(WIKIDATA_API, lagged, wikidata.answer)
    with Client() as client:
        report = source.fetch(client, "Q990001", NOW)
    assert len(report.installments) == 4
    assert all(c.get("maxlag") == "5" for c in wikidata.calls())


def test_a_series_cast_is_credited_to_its_latest_season_out(wikidata: Wikidata) -> None:
    # as on real series items (Star Trek: Discovery, Q21296543): P161 on the series itself
    film_cast = wikidata.entities["Q990014"]["claims"].pop("P161")
    wikidata.entities["Q990001"]["claims"]["P161"] = film_cast
    with Client() as client:
        report = source.fetch(client, "Q990001", NOW)
    cast = {(i.kind, i.number): i.cast for i in report.installments}
    assert cast[("season", 3)] == (
        Credit(actor="Kit Connor", character="Nick Nelson"),
        Credit(actor="Joe Locke", character="Charlie Spring"),
    )
    assert cast[("season", 1)] == cast[("season", 2)] == cast[("film", 1)] == ()


def test_a_failing_wikidata_adds_nothing(run: Run, films: Films) -> None:
    films.server.route(WIKIDATA_API, Answer(500, b"{}"))
    result = run("shows", "add", "Paper Lanterns", "--slug", "pl", "--wikidata", FILM, code=8)
    assert "HTTP 500" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "pl" not in {s["slug"] for s in run.json("shows", "list")["shows"]}
