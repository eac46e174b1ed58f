"""`hstracker shows add --tvmaze`: a new show from TVmaze, through the same client and merge."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Run, snapshot
from hstracker.errors import ExitCode
from httpserver import (
    TVMAZE_SEARCH,
    TVMAZE_SHOW,
    Answer,
    Server,
)


def test_a_show_from_a_tvmaze_search_gets_seasons_instants_and_cast(
    run: Run, tvmaze: Server
) -> None:
    out = run("shows", "add", "Heartstopper Copy", "--slug", "hs2", "--tvmaze", "heartstopper")
    assert "Added Heartstopper Copy as hs2." in out.stdout and "CC BY-SA" in out.stdout
    (search,) = tvmaze.hits(TVMAZE_SEARCH)
    assert search.query == "q=heartstopper"
    seasons = {i["key"]: i for i in run.json("seasons", "--show", "hs2")["installments"]}
    assert {"s1", "s2", "s3"} <= set(seasons)
    assert seasons["s3"]["precision"] == "instant"  # an episode airstamp, not just a day
    assert seasons["s3"]["facts"]["release"]["source"]["name"] == "TVmaze"
    assert seasons["s3"]["facts"]["release"]["source"]["confidence"] == "confirmed"
    assert seasons["s2"]["episodes"] == 8
    cast = run.json("cast", "--show", "hs2", "--season", "3")["cast"]
    assert {m["actor"] for m in cast} >= {"Joe Locke", "Kit Connor"}
    assert all(m["source"]["name"] == "TVmaze" for m in cast)
    shows = {s["slug"]: s for s in run.json("shows", "list")["shows"]}
    assert shows["hs2"]["platform"] == "Netflix"  # taken from the channel when not given


def test_a_tvmaze_id_skips_the_search(run: Run, tvmaze: Server) -> None:
    run("shows", "add", "By Id", "--tvmaze", "53440", "--platform", "Streaming")
    assert tvmaze.hits(TVMAZE_SEARCH) == []
    assert len(tvmaze.hits(TVMAZE_SHOW)) == 1
    shows = {s["slug"]: s for s in run.json("shows", "list")["shows"]}
    assert shows["by-id"]["platform"] == "Streaming"  # the fan's own platform wins


def test_not_found_and_server_faults_leave_the_store_untouched(
    run: Run, server: Server, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HSTRACKER_TVMAZE_URL", server.url + "/api/v1")
    monkeypatch.setenv("HSTRACKER_HTTP_DEADLINE", "2")
    run("add-news", "Seed", "--date", "2026-01-01", "--source", "Me")
    before = snapshot(home)
    server.route(TVMAZE_SEARCH, Answer(status=404))
    missing = run("shows", "add", "Nope", "--tvmaze", "no such show", code=ExitCode.NOT_FOUND)
    assert "TVmaze has no show" in missing.stderr
    server.route(TVMAZE_SEARCH, Answer(status=500))
    failed = run("shows", "add", "Nope", "--tvmaze", "anything", code=ExitCode.NETWORK)
    assert len(failed.stderr.strip().splitlines()) == 1
    assert snapshot(home) == before


def test_a_taken_slug_is_refused_before_any_request(run: Run, tvmaze: Server) -> None:
    result = run("shows", "add", "Heartstopper", "--tvmaze", "heartstopper", code=2)
    assert "already exists" in result.stderr
    assert tvmaze.hits(TVMAZE_SEARCH) == [] and tvmaze.hits(TVMAZE_SHOW) == []
