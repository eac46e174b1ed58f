"""Issue 22 (part A): a sync change keeps its type from the source to the render, so an id is
never read as a year; alerts name dates; totals follow what is published; the platform comes
from the channel; failures say what was (not) saved; help prints in any encoding."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import Run, snapshot
from hstracker.cli.app import COMMANDS, app
from hstracker.core.alerts import alert_for
from hstracker.core.dates import PartialDate
from hstracker.core.facts import FIELDS
from hstracker.core.merge import Change
from hstracker.core.spoilers import Guard
from hstracker.errors import ExitCode
from hstracker.store import Store
from httpserver import TVMAZE_SEARCH, Answer, Server
from living_sources import OPENLIBRARY_SEARCH

FOUR_DIGIT_IDS = [1370, 3928, 1058, 2500]  # Jessica Jones, The Daily Show, The A-Team, …


def tvmaze_show(server: Server, monkeypatch: pytest.MonkeyPatch, show_id: int) -> None:
    """TVmaze answering, in its own JSON shape, for one show with a four-digit id: two
    seasons, one of them with a year-like episode count, and a cast credit."""
    monkeypatch.setenv("HSTRACKER_TVMAZE_URL", server.url + "/api/v1/")
    channel = {"id": 2, "name": "Streamer"}
    body = {
        "id": show_id,
        "name": "Id Show",
        "webChannel": channel,
        "externals": {"thetvdb": 2019, "imdb": None},
        "_embedded": {
            "seasons": [
                {"number": 1, "premiereDate": "2015-11-20", "webChannel": channel},
                {"number": 2, "premiereDate": "2027-03", "webChannel": channel},
            ],
            "episodes": [
                {"season": 1, "number": n, "name": f"AKA {n}", "airstamp": None}
                for n in range(1, 14)
            ],
            "cast": [
                {"person": {"name": "Krysten Ritter"}, "character": {"name": "Jessica Jones"}}
            ],
        },
    }
    server.route(f"/api/v1/shows/{show_id}", Answer(body=json.dumps(body).encode()))
    found = {"id": show_id, "name": "Id Show"}
    server.route(TVMAZE_SEARCH, Answer(body=json.dumps(found).encode()))


@pytest.mark.parametrize("show_id", FOUR_DIGIT_IDS)
def test_sync_of_a_show_with_a_four_digit_tvmaze_id_saves_and_exits_0(
    run: Run, server: Server, monkeypatch: pytest.MonkeyPatch, show_id: int
) -> None:
    tvmaze_show(server, monkeypatch, show_id)
    run("shows", "add", "Id Show")  # found by a search: the sync adds the id
    result = run("sync", "--show", "id-show", "--source", "tvmaze")
    assert str(show_id) in result.stdout  # the id as it is, never a year
    assert "out of range" not in result.stdout + result.stderr and result.stderr == ""
    seasons = {i["key"]: i for i in run.json("seasons", "--show", "id-show")["installments"]}
    assert seasons["s1"]["episodes"] == 13 and seasons["s2"]["release"] == "2027-03"


@pytest.mark.parametrize("show_id", FOUR_DIGIT_IDS)
def test_shows_add_with_a_four_digit_tvmaze_id_saves_and_exits_0(
    run: Run, server: Server, monkeypatch: pytest.MonkeyPatch, show_id: int
) -> None:
    tvmaze_show(server, monkeypatch, show_id)
    result = run("shows", "add", "Id Show", "--tvmaze", str(show_id))
    assert result.stdout.startswith("Added Id Show as id-show.") and result.stderr == ""
    assert str(show_id) in result.stdout
    shows = {s["slug"]: s for s in run.json("shows", "list")["shows"]}
    assert shows["id-show"]["platform"] == "Streamer"  # from the channel: none was given


def test_sync_json_keeps_numbers_numbers_and_dates_iso(
    run: Run, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    tvmaze_show(server, monkeypatch, 1370)
    run("shows", "add", "Id Show", "--platform", "Netflix")
    doc = run.json("sync", "--show", "id-show", "--source", "tvmaze", "--dry-run")
    assert doc["schema"] == "hstracker.sync/2"
    changes = {(c["topic"], c["field"], c["subject"]): c for c in doc["shows"][0]["changes"]}
    assert changes[("fact", "episodes", "s1")]["new"] == 13
    assert changes[("fact", "release", "s1")]["new"] == "2015-11-20"
    assert changes[("fact", "release", "s2")]["new"] == "2027-03"
    assert changes[("fact", "channel", "s1")]["new"] == "Streamer"
    assert changes[("id", None, "tvmaze")]["new"] == "1370"  # an id stays a string
    assert changes[("cast", None, "s1")]["new"] == {
        "character": "Jessica Jones",
        "actor": "Krysten Ritter",
    }
    assert ("platform", None, None) not in changes  # the fan gave one: it is kept


def test_the_sync_table_prints_each_value_by_its_type(
    run: Run, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    tvmaze_show(server, monkeypatch, 2019)  # an id that reads like a year
    run("shows", "add", "Id Show", "--platform", "Netflix")
    out = run("sync", "--show", "id-show", "--source", "tvmaze", "--dry-run").stdout
    assert "20 Nov 2015" in out and "Mar 2027" in out  # dates in the one human form
    assert "2019" in out  # the id as typed, not "2019" turned into a year window
    assert "Jessica Jones (Krysten Ritter)" in out


# --- alerts name dates ---------------------------------------------------------------------

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def test_the_guard_never_hides_a_release_date_a_state_or_a_volume(home: Path) -> None:
    run = Run()
    run("status")  # the shipped show, into the store
    show = Store(home).show("heartstopper")
    film = next(i for i in show.installments if i.key == "film")
    assert film.release is not None
    unit = show.source_work.units[-1]
    unit.published = None  # a volume announced, with no date yet
    changes = [
        Change("updated", "fact", "film release", None, film.release.value, "Netflix", "",
               "film", FIELDS["release"]),
        Change("updated", "fact", "film state", "filming", "wrapped", "Netflix", "",
               "film", FIELDS["state"]),
        Change("added", "volume", "volume", None, None, "Open Library", "", str(unit.number)),
        Change("added", "fact", "film trailer", None, "https://t.example/", "Netflix", "",
               "film", FIELDS["trailer"]),
    ]  # fmt: skip
    nothing_seen = Guard(active=True, seen=frozenset(), read=frozenset())
    alert = alert_for(show, changes, nothing_seen, NOW)
    assert alert is not None
    assert alert.lines[:3] == [
        f"Heartstopper: Heartstopper Forever expected {_year(film.release.value)} (Netflix)",
        f"Heartstopper: Heartstopper Forever is now {film.state.value} (Netflix)",
        f"Heartstopper: volume {unit.number} announced (Open Library)",
    ]
    # only what a trailer shows is held back
    assert alert.lines[3:] == ["Heartstopper: 1 spoiler-guarded change"]


def _year(day: PartialDate) -> str:
    return str(day.year)


# --- totals follow what is published -------------------------------------------------------


def test_a_total_below_the_published_volumes_follows_them(
    run: Run, server: Server, openlibrary: Server
) -> None:
    run("shows", "add", "Heartstopper", "--slug", "hs", "--volumes", "3",
        "--source-title", "Heartstopper", "--source-author", "Alice Oseman")  # fmt: skip
    doc = run.json("sync", "--show", "hs", "--source", "openlibrary")
    totals = [c for c in doc["shows"][0]["changes"] if c["topic"] == "total"]
    assert [(t["action"], t["old"], t["new"]) for t in totals] == [("updated", 3, 6)]
    assert "past the total of 3" in totals[0]["note"]  # the conflict, reported
    progress = run.json("progress", "--show", "hs")
    assert progress["adaptation"]["total"] == 6
    assert max(progress["adaptation"]["published"]) <= progress["adaptation"]["total"]
    history = progress["source_total"]["history"]
    assert [h["value"] for h in history] == [3]  # the old total kept
    assert server.hits(OPENLIBRARY_SEARCH)


# --- honest messages -------------------------------------------------------------------------


def test_an_offline_dry_run_says_no_source_answered_and_nothing_was_written(
    run: Run, home: Path
) -> None:
    run("status")
    before = snapshot(home)
    result = run("sync", "--dry-run", code=ExitCode.NETWORK)
    assert "already up to date" not in result.stdout
    assert "Heartstopper: no source answered; nothing was written." in result.stdout
    last = result.stderr.strip().splitlines()[-1]
    assert last == "hstracker: 3 sources failed; dry run: nothing was written."
    assert snapshot(home) == before


def test_an_offline_sync_says_nothing_was_saved(run: Run, home: Path) -> None:
    run("status")
    before = snapshot(home)
    result = run("sync", code=ExitCode.NETWORK)
    assert result.stderr.strip().splitlines()[-1] == (
        "hstracker: 3 sources failed; nothing was saved."
    )
    one = run("sync", "--source", "tvmaze", code=ExitCode.NETWORK)
    assert len(one.stderr.strip().splitlines()) == 1
    assert one.stderr.strip().endswith(" Nothing was saved.")
    assert snapshot(home) == before


def test_a_source_that_fails_beside_one_that_answers_says_the_rest_was_saved(
    run: Run, tvmaze: Server
) -> None:
    tvmaze.route("/w/api.php", Answer(status=500))
    result = run(
        "sync", "--source", "tvmaze", "--source", "wikidata", code=ExitCode.NETWORK,
        HSTRACKER_HTTP_DEADLINE="2",
    )  # fmt: skip
    assert "changes saved" in result.stdout
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("hstracker: heartstopper: Wikidata: ")
    assert line.endswith(" What the other sources gave was saved.")


def test_feeds_pull_with_its_one_feed_failing_says_nothing_was_pulled(
    run: Run, server: Server, home: Path
) -> None:
    url = server.route("/feed.xml", Answer(status=500))
    run("feeds", "add", url)
    before = snapshot(home)
    result = run("feeds", "pull", code=ExitCode.NETWORK, HSTRACKER_HTTP_DEADLINE="2")
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].endswith(" Nothing was pulled.")
    assert "the rest were pulled" not in result.stderr and result.stdout == ""
    assert snapshot(home) == before


# --- help and errors in any encoding ---------------------------------------------------------


def _every_command() -> list[list[str]]:
    """Every command's words, subcommands of each group included."""
    import typer

    root: Any = typer.main.get_command(app)
    ctx = root.make_context("hstracker", [], resilient_parsing=True)
    found: list[list[str]] = [[]]
    for name in COMMANDS:
        command: Any = root.get_command(ctx, name)
        found.append([name])
        found.extend([name, sub] for sub in getattr(command, "commands", {}))
    return found


@pytest.mark.parametrize("words", _every_command(), ids=lambda w: " ".join(w) or "root")
def test_every_help_prints_in_ascii(words: list[str]) -> None:
    runner = CliRunner(charset="ascii")
    result = runner.invoke(app, [*words, "--help"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output and "hstracker: unexpected" not in result.output


def test_shows_link_help_in_an_ascii_terminal(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "HSTRACKER_HOME": str(tmp_path / "h")}
    done = subprocess.run(
        [sys.executable, "-m", "hstracker", "shows", "link", "--help"],
        capture_output=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert b"OL...W" in done.stdout and done.stderr == b""
    error = subprocess.run(
        [sys.executable, "-m", "hstracker", "shows", "link", "x", "--openlibrary", "né"],
        capture_output=True, env=env, check=False,
    )  # fmt: skip
    assert error.returncode == ExitCode.USAGE and b"unexpected" not in error.stderr
    assert len(error.stderr.decode("ascii").strip().splitlines()) == 1


# --- parsed once, at the edge ----------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("add-news", "X", "--source", "Me", "--date", "yesterday"),
        ("add-news", "X", "--source", "Me", "--date", "2023"),
        ("add-news", "X", "--source", "Me", "--date", "2023-08"),
        ("news", "--since", "2023-08"),
    ],
)
def test_a_day_option_names_the_one_form_it_takes(
    run: Run, home: Path, args: tuple[str, ...]
) -> None:
    line = refused(run, home, args)
    assert line.endswith("must be a whole day: YYYY-MM-DD."), line
    assert "YYYY-MM," not in line  # the forms a release takes are not offered here


def refused(run: Run, home: Path, args: tuple[str, ...]) -> str:
    """The one line a refusal prints, exit 2, with every file of the store byte-identical."""
    run("status")
    before = snapshot(home)
    result = run(*args, code=ExitCode.USAGE)
    lines: list[str] = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert snapshot(home) == before
    return lines[0]


def test_add_news_sets_the_typed_fact_and_keeps_the_text_as_typed(run: Run) -> None:
    run("add-news", "Film dated", "--source", "Netflix", "--date", "2026-11-20",
        "--season", "film", "--set", "release=2027-02", "--set", "episodes=1")  # fmt: skip
    film = next(i for i in run.json("seasons")["installments"] if i["key"] == "film")
    assert (film["release"], film["precision"], film["episodes"]) == ("2027-02", "month", 1)
    news = run.json("news", "--spoilers")["news"]  # tied to the unseen film: guarded
    (item,) = [n for n in news if n["headline"] == "Film dated"]
    assert item["changes"] == [
        {"installment": "film", "field": "release", "value": "2027-02"},
        {"installment": "film", "field": "episodes", "value": "1"},
    ]


# --- use cases out of cli/ -------------------------------------------------------------------


def test_cli_builds_no_json_shape_of_its_own() -> None:
    """Every --json document is a render/json.py function's answer, never a literal in cli/."""
    import ast

    import hstracker.cli

    folder = Path(hstracker.cli.__file__).parent
    calls = 0
    for module in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text())):
            if not (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "print_json"):
                continue
            calls += 1
            document = node.args[1]
            assert isinstance(document, ast.Call), f"{module.name}:{node.lineno}"
            name = getattr(document.func, "id", getattr(document.func, "attr", ""))
            assert name.endswith(("_document", "_view")), f"{module.name}:{node.lineno}"
    assert calls >= 10
