"""Every `--json` document: found by walking the real command tree, parsed, and named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from conftest import Run
from hstracker.cli.app import app
from httpserver import Answer, Server, fixture_bytes
from living_sources import Wikidata


def _json_commands(group: Any, ctx: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The path of every command, at any depth, that declares --json."""
    found = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if any("--json" in getattr(p, "opts", ()) for p in command.params):
            found.append((*path, name))  # a group such as `cast` may take it itself
        if hasattr(command, "list_commands"):
            found += _json_commands(command, ctx, (*path, name))
    return found


def test_every_command_with_json_prints_one_document_with_its_schema(
    run: Run, tvmaze: Server, wikidata: Wikidata, openlibrary: Server, tmp_path: Path
) -> None:
    root = typer.main.get_command(app)
    with typer.Context(root) as ctx:
        paths = _json_commands(root, ctx)
    # the walk itself must find what the README lists, or this test would check nothing
    listed = {"status", "cast", "news", "seasons", "countdown", "upcoming", "progress", "doctor",
              "sync", ("shows", "list"), ("feeds", "list")}  # fmt: skip
    assert {p if len(p) > 1 else p[0] for p in paths} >= listed
    shelf = tmp_path / "goodreads_library_export.csv"
    shelf.write_text("Title,Author,Exclusive Shelf\nSolitaire,Alice Oseman,read\n")
    needs: dict[tuple[str, ...], list[str]] = {("import",): ["--from", "goodreads", str(shelf)]}
    for path in paths:
        result = run(*path, *needs.get(path, []), "--json")
        document = json.loads(result.stdout)
        assert document["schema"] == f"hstracker.{'-'.join(path)}/2", path
        assert len(document) > 1, path  # the schema comes on top of the document, not instead


def test_feeds_list_json_names_each_feed_and_what_it_has_given(run: Run, server: Server) -> None:
    server.route("/rss.xml", Answer(body=fixture_bytes("feeds/rss.xml")))
    assert run.json("feeds", "list") == {"schema": "hstracker.feeds-list/2", "feeds": []}
    run("feeds", "add", server.url + "/rss.xml", "--match", "Heartstopper,Oseman")
    run("feeds", "pull")
    (feed,) = run.json("feeds", "list")["feeds"]
    assert feed == {
        "show": "heartstopper",
        "url": server.url + "/rss.xml",
        "title": "Screen News Daily",
        "match": ["Heartstopper", "Oseman"],
        "seen": 3,  # the cooking show was read too, and is skipped next time
    }
    assert run.json("feeds", "list", "--show", "heartstopper")["feeds"] == [feed]


def test_sync_json_applies_what_the_dry_run_planned_each_change_with_its_source(
    run: Run, tvmaze: Server, wikidata: Wikidata, openlibrary: Server
) -> None:
    planned = run.json("sync", "--dry-run")
    assert planned["schema"] == "hstracker.sync/2" and planned["dry_run"] is True
    applied = run.json("sync")
    assert applied["dry_run"] is False
    (before,), (after,) = planned["shows"], applied["shows"]
    assert after["changes"] and after["changes"] == before["changes"]
    assert {c["source"] for c in after["changes"]} == {"TVmaze", "Wikidata", "Open Library"}
    s2 = next(i for i in run.json("seasons")["installments"] if i["key"] == "s2")
    assert s2["facts"]["release"]["source"]["name"] == "TVmaze"  # this time it was stored
    assert run.json("sync")["shows"][0]["changes"] == []
