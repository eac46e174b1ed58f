"""`hstracker sync` over every source at once: TVmaze, Wikidata and Open Library on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Run, snapshot
from httpserver import TVMAZE_SHOW, Answer, Server
from living_sources import OPENLIBRARY_SEARCH, WIKIDATA_API, Wikidata


def film(run: Run) -> dict:  # type: ignore[type-arg]
    return next(i for i in run.json("seasons")["installments"] if i["key"] == "film")


def test_sync_brings_the_films_cast_and_dates_from_every_source(
    run: Run, tvmaze: Server, wikidata: Wikidata, openlibrary: Server
) -> None:
    run("cast", "remove", "Nick Nelson", "--season", "film")
    assert len(run.json("cast", "--season", "film")["cast"]) == 1
    planned = run.json("sync", "--dry-run")["shows"][0]["changes"]
    wanted = {"action": "added", "topic": "cast", "field": None, "subject": "film",
              "what": "cast of film", "old": None,
              "new": {"character": "Nick Nelson", "actor": "Kit Connor"},
              "source": "Wikidata", "note": None}  # fmt: skip
    assert wanted in planned
    result = run("sync")
    assert "Wikidata" in result.stdout and "Open Library" in result.stdout
    assert "Book editions from Open Library (https://openlibrary.org)." in result.stdout
    cast = {m["character"] for m in run.json("cast", "--season", "film")["cast"]}
    assert cast == {"Charlie Spring", "Nick Nelson"}
    release = film(run)["facts"]["release"]
    names = {release["source"]["name"], *(c["source"]["name"] for c in release["history"])}
    assert "Wikidata" in names  # agreeing, refining or in conflict: it is on record
    shows = run.json("shows", "list")["shows"]
    assert shows[0]["slug"] == "heartstopper"
    # a second sync finds nothing new and writes nothing
    home_files = snapshot(Path(run.json("doctor")["home"]))
    again = run("sync")
    assert "already up to date; nothing was written" in again.stdout
    assert snapshot(Path(run.json("doctor")["home"])) == home_files


def test_a_hand_made_show_fills_in_from_one_sync(
    run: Run, wikidata: Wikidata, openlibrary: Server, server: Server
) -> None:
    run("shows", "add", "Heartstopper Test", "--slug", "hs2", "--source-title", "Heartstopper",
        "--source-author", "Alice Oseman")  # fmt: skip
    run("shows", "link", "hs2", "--wikidata", "Q990001")
    result = run("sync", "--show", "hs2", "--source", "wikidata", "--source", "openlibrary")
    assert "added" in result.stdout
    keys = [i["key"] for i in run.json("seasons", "--show", "hs2")["installments"]]
    assert {"s1", "s2", "s3", "film"} <= set(keys)
    assert run.json("cast", "--show", "hs2", "--season", "film")["cast"]
    progress = run.json("progress", "--show", "hs2")
    assert progress["adaptation"]["total"] == 6


@pytest.mark.parametrize(
    "broken",
    [Answer(500, b"{}"), Answer(200, b"not json at all"), Answer(200, b'{"entities": 7}')],
    ids=["500", "garbage", "wrong shape"],
)
def test_a_failing_wikidata_costs_only_its_own_facts(
    run: Run, tvmaze: Server, openlibrary: Server, server: Server, broken: Answer
) -> None:
    server.route(WIKIDATA_API, broken)
    result = run("sync", code=8)
    assert "Wikidata" in result.stderr and "unexpected" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    s2 = next(i for i in run.json("seasons")["installments"] if i["key"] == "s2")
    assert s2["facts"]["release"]["source"]["name"] == "TVmaze"  # TVmaze's facts landed
    assert "Open Library" in run("progress").stdout or run.json("progress")


def test_a_failing_open_library_costs_only_its_own_facts(
    run: Run, tvmaze: Server, wikidata: Wikidata, server: Server
) -> None:
    server.route(OPENLIBRARY_SEARCH, Answer(500, b"{}"))
    run("cast", "remove", "Nick Nelson", "--season", "film")
    result = run("sync", code=8)
    assert result.stderr.startswith("hstracker: heartstopper: Open Library:")
    assert len(result.stderr.strip().splitlines()) == 1
    cast = {m["character"] for m in run.json("cast", "--season", "film")["cast"]}
    assert "Nick Nelson" in cast  # Wikidata's facts landed


def test_a_failing_tvmaze_costs_only_its_own_facts(
    run: Run, tvmaze: Server, wikidata: Wikidata, openlibrary: Server
) -> None:
    tvmaze.route(TVMAZE_SHOW, Answer(500, b"{}"))
    run("shows", "link", "heartstopper", "--tvmaze", "53440")
    run("cast", "remove", "Nick Nelson", "--season", "film")
    result = run("sync", code=8)
    assert result.stderr.startswith("hstracker: heartstopper: TVmaze:")
    cast = {m["character"] for m in run.json("cast", "--season", "film")["cast"]}
    assert "Nick Nelson" in cast  # Wikidata's facts landed


def test_sync_all_over_three_shows_one_unknown_to_every_source(
    run: Run, tvmaze: Server, wikidata: Wikidata, openlibrary: Server
) -> None:
    run("shows", "add", "Nobody Knows This", "--slug", "nobody")
    run("shows", "add", "Another One", "--slug", "another")
    wikidata.entities.clear()  # Wikidata now knows nothing; search finds nothing either
    result = run("sync", "--all", "--source", "wikidata", code=0)
    assert result.stderr.count("no source knows") == 3
    assert "unexpected" not in result.stderr


def test_sync_json_lists_changes_with_their_sources(
    run: Run, tvmaze: Server, wikidata: Wikidata, openlibrary: Server
) -> None:
    data = run.json("sync", "--dry-run")
    (show,) = data["shows"]
    assert show["slug"] == "heartstopper"
    assert {c["source"] for c in show["changes"]} >= {"TVmaze", "Wikidata", "Open Library"}
    assert run.json("seasons")["installments"][0]["facts"]["release"]["source"]["name"] != (
        "TVmaze"
    )  # a dry run wrote nothing


def test_a_bad_source_name_and_bad_ids_are_usage_errors(run: Run) -> None:
    assert "not one of" in run("sync", "--source", "imdb", code=2).stderr
    assert "Q42" in run("shows", "link", "heartstopper", "--wikidata", "42", code=2).stderr
    assert "OL1W" in run("shows", "link", "heartstopper", "--openlibrary", "x", code=2).stderr
