"""Benchmark `sync --all` against local stand-ins of TVmaze, Wikidata and Open Library.

Usage: python bench/sync.py [--shows 60,300] [--latency 0.1] [--json FILE]

Each service is its own HTTP server on 127.0.0.1 (its own port, so its own host), answering
every request after a fixed latency in the services' JSON shapes. The TVmaze stand-in enforces
TVmaze's published limit (20 calls in any 10 s) with 429s and a Retry-After. Every server counts
its requests, the 429s it sent and its peak of requests in flight.

For each show count it makes a store of that many shows linked to TVmaze and Wikidata (one in
five also an adaptation of a book series that Open Library finds), then runs, each through the
installed console script in a fresh process:
  1. a first `sync --all`: its wall time against the floor TVmaze's limit sets (its requests
     / 2 per second);
  2. the same again straight after: it waits for what is left of the first run's last TVmaze
     window (counted through the pace ledger), so it provokes no 429 either;
  3. after a pause of one TVmaze window, a `sync --all` with nothing changed: requests and
     wall time;
  4. another, after one show got a new season on TVmaze: that its new season landed.
Budgets (issue 25): 1 within 1.25 x the floor (or 15 s, whichever is larger), no 429 in any
run, at most 4 in flight per host; 3 at most 10 requests for 60 shows and 15 for 300, in under
5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from hstracker.core.model import SCHEMA_VERSION, Show, SourceWork
from hstracker.store import Store

START = datetime.fromisoformat("2026-12-06T08:00:00+00:00")
UPDATED = 1_764_000_000
TV_CALLS, TV_WINDOW = 20, 10.0
BOOKS_EVERY = 5  # one show in five adapts a book series that Open Library knows
SEASON = "Q3464665"


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


Route = Callable[[str, dict[str, str]], Reply]


class StandIn:
    """One service on its own port: fixed latency, counts, peak in flight, and an optional
    TVmaze-style limit of calls per window enforced with 429s."""

    def __init__(self, route: Route, latency: float, limit: tuple[int, float] | None = None):
        self.route = route
        self.latency = latency
        self.limit = limit
        self.requests = 0
        self.refused = 0
        self.peak = 0
        self._running = 0
        self._arrivals: deque[float] = deque()
        self._lock = threading.Lock()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                reply = stand_in.answer(self.path)
                self.send_response(reply.status)
                for name, value in {"Content-Type": "application/json", **reply.headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
                with stand_in._lock:
                    stand_in._running -= 1

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    def answer(self, target: str) -> Reply:
        now = time.monotonic()
        with self._lock:
            self.requests += 1
            self._running += 1
            self.peak = max(self.peak, self._running)
            if self.limit is not None:
                calls, window = self.limit
                while self._arrivals and now - self._arrivals[0] >= window:
                    self._arrivals.popleft()
                if len(self._arrivals) >= calls:
                    self.refused += 1
                    wait = window - (now - self._arrivals[0])
                    return Reply(429, b"{}", {"Retry-After": str(int(wait) + 1)})
                self._arrivals.append(now)
        time.sleep(self.latency)
        parts = urlsplit(target)
        return self.route(parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()})

    def reset(self) -> dict[str, int]:
        """The counts so far, then zero."""
        with self._lock:
            counts = {"requests": self.requests, "429s": self.refused, "peak": self.peak}
            self.requests = self.refused = self.peak = 0
        return counts

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _json(body: Any, status: int = 200) -> Reply:
    return Reply(status, json.dumps(body).encode())


class Catalogue:
    """What the stand-ins hold for shows 0..count-1; a show can get a new season."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.seasons = dict.fromkeys(range(count), 1)
        self.updated = dict.fromkeys(range(count), UPDATED)

    def new_season(self, n: int) -> None:
        self.seasons[n] += 1
        self.updated[n] += 3600

    # TVmaze: /shows/<id>?embed[]=..., /updates/shows
    def tvmaze(self, path: str, _query: dict[str, str]) -> Reply:
        if path == "/updates/shows":
            return _json({str(10_000 + n): self.updated[n] for n in range(self.count)})
        n = int(path.rsplit("/", 1)[-1]) - 10_000
        if not path.startswith("/shows/") or not 0 <= n < self.count:
            return _json({"name": "Not Found", "status": 404}, 404)
        seasons = [
            {"number": k, "premiereDate": f"{2018 + k}-05-01", "episodeOrder": 8}
            for k in range(1, self.seasons[n] + 1)
        ]
        episodes = [
            {"season": k, "number": e, "type": "regular",
             "airstamp": f"{2018 + k}-05-01T07:00:00+00:00"}
            for k in range(1, self.seasons[n] + 1) for e in range(1, 9)
        ]  # fmt: skip
        cast = [{"person": {"name": f"Actor {n}"}, "character": {"name": f"Lead {n}"}}]
        return _json(
            {"id": 10_000 + n, "name": f"Show {n}", "updated": self.updated[n],
             "webChannel": {"name": "Netflix"},
             "_embedded": {"seasons": seasons, "episodes": episodes, "cast": cast}}
        )  # fmt: skip

    # Wikidata: wbgetentities for a series (with one season as a part) or its season
    def wikidata(self, path: str, query: dict[str, str]) -> Reply:
        if path != "/w/api.php" or query.get("action") != "wbgetentities":
            return _json({"error": {"code": "badvalue"}})
        props = query.get("props", "").split("|")
        entities = {qid: self._entity(qid, props) for qid in query["ids"].split("|")}
        return _json({"entities": entities, "success": 1})

    def _entity(self, qid: str, props: list[str]) -> dict[str, Any]:
        number = int(qid[1:])
        season, n = number >= 500_000, number % 500_000 - 100_000
        if not 0 <= n < self.count:
            return {"id": qid, "missing": ""}
        entity: dict[str, Any] = {"id": qid, "type": "item"}
        if "info" in props:
            entity.update(lastrevid=2_000_000 + n, modified="2026-11-01T00:00:00Z")
        if "labels" in props:
            label = f"Show {n} season 1" if season else f"Show {n}"
            entity["labels"] = {"en": {"language": "en", "value": label}}
        if "claims" in props:
            entity["claims"] = (
                {"P31": [_item(SEASON)], "P577": [_day("2019-05-01")]}
                if season
                else {"P527": [_item(f"Q{600_000 + n}")]}
            )
        return entity

    # Open Library: search.json, and the editions of the one volume a book show has
    def openlibrary(self, path: str, query: dict[str, str]) -> Reply:
        if path == "/search.json":
            n = int(query.get("title", "Saga -1").rsplit(" ", 1)[-1])
            docs = []
            if n % BOOKS_EVERY == 0:
                docs = [{"key": f"/works/OL{n + 1}W", "title": f"Saga {n}: Volume 1"}]
            return _json({"numFound": len(docs), "docs": docs})
        n = int(path.split("/")[2].removeprefix("OL").removesuffix("W")) - 1
        edition = {"key": f"/books/OL{n + 1}M", "title": f"Saga {n}: Volume 1",
                   "publish_date": "2020-05-01", "publishers": ["Hodder"]}  # fmt: skip
        return _json({"entries": [edition]})


def _item(qid: str) -> dict[str, Any]:
    value = {"value": {"entity-type": "item", "id": qid}, "type": "wikibase-entityid"}
    return {"mainsnak": {"snaktype": "value", "datavalue": value}, "rank": "normal"}


def _day(day: str) -> dict[str, Any]:
    value = {"value": {"time": f"+{day}T00:00:00Z", "precision": 11}, "type": "time"}
    return {"mainsnak": {"snaktype": "value", "datavalue": value}, "rank": "normal"}


def make_store(home: Path, count: int) -> list[str]:
    """count shows linked to TVmaze and Wikidata; the shipped show removed."""
    store = Store(home)
    slugs = [f"show-{n:03d}" for n in range(count)]
    with store.transaction() as tx:
        personal = tx.personal()
        personal.removed_shows.append("heartstopper")
        tx.put_personal(personal)
        for n, slug in enumerate(slugs):
            tx.put_show(
                Show(
                    schema_version=SCHEMA_VERSION,
                    slug=slug,
                    title=f"Show {n}",
                    platform="Netflix",
                    source_work=SourceWork(title=f"Saga {n}", author="Someone"),
                    ids={"tvmaze": str(10_000 + n), "wikidata": f"Q{100_000 + n}"},
                )
            )
    return slugs


def sync(home: Path, cache: Path, urls: dict[str, str], now: datetime) -> tuple[float, int]:
    """One `hstracker sync --all` in a fresh process: its wall time and exit code."""
    exe = shutil.which("hstracker", path=str(Path(sys.executable).parent))
    env = {
        **os.environ,
        "HSTRACKER_HOME": str(home),
        "HSTRACKER_CACHE": str(cache),
        "HSTRACKER_NOW": now.isoformat(),
        "HSTRACKER_TVMAZE_URL": urls["tvmaze"],
        "HSTRACKER_WIKIDATA_URL": urls["wikidata"],
        "HSTRACKER_OPENLIBRARY_URL": urls["openlibrary"],
    }
    for name in ("TVMAZE", "WIKIDATA", "OPENLIBRARY"):
        env.pop(f"HSTRACKER_{name}_RATE", None)  # the published limits, as a fan has them
    start = time.perf_counter()
    done = subprocess.run([exe or "hstracker", "sync", "--all"], env=env, capture_output=True,
                          text=True, check=False)  # fmt: skip
    took = time.perf_counter() - start
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
    return took, done.returncode


def bench(count: int, latency: float) -> dict[str, Any]:
    catalogue = Catalogue(count)
    services = {
        "tvmaze": StandIn(catalogue.tvmaze, latency, (TV_CALLS, TV_WINDOW)),
        "wikidata": StandIn(catalogue.wikidata, latency),
        "openlibrary": StandIn(catalogue.openlibrary, latency),
    }
    urls = {name: s.url + ("/" if name == "wikidata" else "") for name, s in services.items()}
    home = Path(tempfile.mkdtemp(prefix="hstracker-sync-bench-"))
    cache = Path(tempfile.mkdtemp(prefix="hstracker-sync-bench-cache-"))
    try:
        slugs = make_store(home, count)
        runs: dict[str, Any] = {}

        def timed(label: str, when: datetime) -> None:
            took, code = sync(home, cache, urls, when)
            runs[label] = {"seconds": round(took, 2), "exit": code,
                           "hosts": {n: s.reset() for n, s in services.items()}}  # fmt: skip

        timed("first", START)
        # straight after: the first run's last TVmaze window still counts (the pace ledger)
        timed("right after", START + timedelta(minutes=1))
        time.sleep(TV_WINDOW)  # a daily timer's runs are a day apart; one window is enough
        timed("unchanged", START + timedelta(hours=1))
        changed = count // 2
        catalogue.new_season(changed)
        timed("one changed", START + timedelta(hours=2))
        keys = [i.key for i in Store(home).show(slugs[changed]).installments]
        runs["one changed"]["new season landed"] = "s2" in keys
    finally:
        shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        for service in services.values():
            service.close()
    first = runs["first"]
    tv_requests = first["hosts"]["tvmaze"]["requests"]
    floor = tv_requests / (TV_CALLS / TV_WINDOW)
    unchanged = runs["unchanged"]
    requests = sum(h["requests"] for h in unchanged["hosts"].values())
    budget = 10 if count <= 60 else 15
    checks = {
        "first within 1.25 x floor (or 15 s)": first["seconds"] <= max(1.25 * floor, 15.0),
        "no 429 provoked": all(h["429s"] == 0 for r in runs.values() for h in r["hosts"].values()),
        "at most 4 in flight per host": all(
            h["peak"] <= 4 for r in runs.values() for h in r["hosts"].values()
        ),
        f"unchanged: at most {budget} requests": requests <= budget,
        "unchanged: under 5 s": unchanged["seconds"] < 5.0,
        "one changed: its new season landed": runs["one changed"]["new season landed"],
        "every run exits 0": all(r["exit"] == 0 for r in runs.values()),
    }
    return {"shows": count, "tvmaze floor s": round(floor, 1), "runs": runs, "checks": checks}


def report(result: dict[str, Any]) -> None:
    print(f"\n== {result['shows']} linked shows (TVmaze floor {result['tvmaze floor s']} s)")
    for label, run in result["runs"].items():
        hosts = ", ".join(
            f"{name} {h['requests']} (peak {h['peak']}, 429s {h['429s']})"
            for name, h in run["hosts"].items()
        )
        print(f"  {label:<12} {run['seconds']:>7.2f} s   {hosts}")
    for check, ok in result["checks"].items():
        print(f"  {'ok  ' if ok else 'OVER'} {check}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shows", default="60,300")
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    results = []
    for count in (int(c) for c in args.shows.split(",")):
        results.append(bench(count, args.latency))
        report(results[-1])
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    sys.exit(0 if all(all(r["checks"].values()) for r in results) else 1)


if __name__ == "__main__":
    main()
