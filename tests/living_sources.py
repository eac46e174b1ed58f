"""Wikidata and Open Library on the local test server, answering from recorded-shape fixtures."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import pytest

from httpserver import FIXTURES, Answer, Server, fixture_bytes

WIKIDATA_API = "/w/api.php"
OPENLIBRARY_SEARCH = "/search.json"
SHOW_QID = "Q990001"
BOOKS_QID = "Q990100"
WORKS = [f"/works/OL990000{n}W" for n in range(1, 7)]


def _json(body: Any) -> Answer:
    return Answer(body=json.dumps(body).encode(), headers={"Content-Type": "application/json"})


@dataclass
class Wikidata:
    """The site's API on one path, answering by the query string from a table of entities.

    Tests edit ``entities`` (a copy per test) to shape what the API holds.
    """

    server: Server
    entities: dict[str, Any] = field(
        default_factory=lambda: json.loads(fixture_bytes("wikidata/entities.json"))
    )
    # each item's latest revision, as props=info gives it (a test bumps one to edit the item)
    revisions: dict[str, int] = field(default_factory=dict)

    def answer(self, query: str) -> Answer:
        params = {k: v[0] for k, v in parse_qs(query).items()}
        action = params.get("action")
        if action == "wbsearchentities":
            return Answer(body=fixture_bytes("wikidata/wbsearchentities.json"))
        if action == "query" and params.get("list") == "search":
            series = params.get("srsearch", "").removeprefix("haswbstatement:P179=")
            name = {SHOW_QID: "show", BOOKS_QID: "books"}.get(series)
            if name is None:
                return _json({"batchcomplete": "", "query": {"search": []}})
            return Answer(body=fixture_bytes(f"wikidata/haswbstatement-{name}.json"))
        if action == "wbgetentities":
            ids = params["ids"].split("|")
            if len(ids) > 50:
                return _json({"error": {"code": "toomanyvalues", "info": "Too many values"}})
            props = set(params.get("props", "info|labels|descriptions|claims").split("|"))
            return _json({"entities": {i: self._entity(i, props) for i in ids}, "success": 1})
        return Answer(400, b'{"error": {"code": "badvalue"}}')

    def _entity(self, qid: str, props: set[str]) -> dict[str, Any]:
        if qid not in self.entities:
            return {"id": qid, "missing": ""}
        entity: dict[str, Any] = copy.deepcopy(self.entities[qid])
        for prop in ("labels", "descriptions", "claims"):
            if prop not in props:
                entity.pop(prop, None)
        if "info" in props:
            entity.update(lastrevid=self.revisions.get(qid, 1000), modified="2026-11-01T00:00:00Z")
        return entity

    def calls(self, action: str | None = None) -> list[dict[str, str]]:
        """The API requests made so far, as their query parameters."""
        seen = [
            {k: v[0] for k, v in parse_qs(r.query).items()} for r in self.server.hits(WIKIDATA_API)
        ]
        return [p for p in seen if action is None or p.get("action") == action]


@pytest.fixture(name="wikidata")
def wikidata_fixture(server: Server, monkeypatch: pytest.MonkeyPatch) -> Wikidata:
    """Wikidata's API at the test server's root, holding a Heartstopper-like series."""
    monkeypatch.setenv("HSTRACKER_WIKIDATA_URL", server.url + "/")
    site = Wikidata(server)
    server.route(WIKIDATA_API, site.answer)
    return site


@pytest.fixture(name="openlibrary")
def openlibrary_fixture(server: Server, monkeypatch: pytest.MonkeyPatch) -> Server:
    """Open Library at the test server's root: one search and six works' editions."""
    monkeypatch.setenv("HSTRACKER_OPENLIBRARY_URL", server.url)
    server.route(OPENLIBRARY_SEARCH, Answer(body=fixture_bytes("openlibrary/search.json")))
    for number, work in enumerate(WORKS, start=1):
        body = (FIXTURES / "openlibrary" / f"editions-{number}.json").read_bytes()
        server.route(f"{work}/editions.json", Answer(body=body))
    return server
