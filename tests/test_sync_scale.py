"""`sync --all` over many shows: the limiter, incremental reads, Ctrl-C, and per-show failures."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from conftest import NOW, Run, snapshot
from hstracker.core.model import SCHEMA_VERSION, Show, SourceWork, SyncMark
from hstracker.errors import NetworkError
from hstracker.sources.http import Client
from hstracker.sources.limits import Limiter, Manners, Policy
from hstracker.store import Store
from httpserver import Answer, Server
from living_sources import OPENLIBRARY_SEARCH, WIKIDATA_API, Wikidata

TV = "/api/v1"
UPDATED = 1_760_000_000
WEEK_LATER = "2026-12-02T12:00:00+00:00"


@dataclass
class Counter:
    """Arrival times and peak concurrency of the requests a test server answered."""

    latency: float = 0.0
    arrivals: list[float] = field(default_factory=list)
    peak: int = 0
    _running: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def answering(self, answer: Callable[[], Answer]) -> Callable[[str], Answer]:
        def respond(_query: str) -> Answer:
            with self._lock:
                self.arrivals.append(time.monotonic())
                self._running += 1
                self.peak = max(self.peak, self._running)
            try:
                time.sleep(self.latency)
                return answer()
            finally:
                with self._lock:
                    self._running -= 1

        return respond

    def most_in_window(self, window: float) -> int:
        """The most requests that arrived within any window seconds."""
        times = sorted(self.arrivals)
        return max((sum(1 for t in times[i:] if t - start < window)
                    for i, start in enumerate(times)), default=0)  # fmt: skip


def tv_show(show_id: int, seasons: int = 1, updated: int = UPDATED) -> bytes:
    """A TVmaze show with its embedded seasons, in TVmaze's shape."""
    return json.dumps(
        {
            "id": show_id,
            "name": f"Show {show_id}",
            "updated": updated,
            "webChannel": {"name": "Netflix"},
            "_embedded": {
                "seasons": [
                    {"number": n, "premiereDate": f"{2019 + n}-05-0{n}", "episodeOrder": 8}
                    for n in range(1, seasons + 1)
                ],
                "episodes": [],
                "cast": [],
            },
        }
    ).encode()


class TvMaze:
    """TVmaze's show resources and its list of changes, for many shows, on the test server."""

    def __init__(self, server: Server, monkeypatch: pytest.MonkeyPatch, ids: list[int]) -> None:
        monkeypatch.setenv("HSTRACKER_TVMAZE_URL", server.url + TV)
        self.server = server
        self.counter = Counter()
        self.seasons = dict.fromkeys(ids, 1)
        self.updated = dict.fromkeys(ids, UPDATED)
        self.failing: set[int] = set()
        self.unlisted: set[int] = set()  # left out of the list of changes
        for show_id in ids:
            server.route(f"{TV}/shows/{show_id}", self.counter.answering(self._show(show_id)))
        server.route(f"{TV}/updates/shows", self.counter.answering(self._updates))

    def _show(self, show_id: int) -> Callable[[], Answer]:
        def answer() -> Answer:
            if show_id in self.failing:
                return Answer(500, b"oops")
            return Answer(body=tv_show(show_id, self.seasons[show_id], self.updated[show_id]))

        return answer

    def _updates(self) -> Answer:
        listed = {str(k): v for k, v in self.updated.items() if k not in self.unlisted}
        return Answer(body=json.dumps(listed).encode())

    def new_season(self, show_id: int) -> None:
        self.seasons[show_id] += 1
        self.updated[show_id] += 3600

    def reads(self, show_id: int | None = None) -> int:
        paths = [r.path for r in self.server.requests if r.path.startswith(f"{TV}/shows/")]
        return len(paths) if show_id is None else paths.count(f"{TV}/shows/{show_id}")


def add_shows(home: Path, count: int, **ids: Callable[[int], str]) -> list[str]:
    """count hand-made shows, linked by the ids given (a function of the show's number), and
    the shipped Heartstopper removed, so a sync --all syncs exactly these."""
    store = Store(home)
    slugs = [f"show-{n:03d}" for n in range(count)]
    with store.transaction() as tx:
        personal = tx.personal()
        personal.removed_shows.append("heartstopper")
        tx.put_personal(personal)
        for n, slug in enumerate(slugs):
            show = Show(
                schema_version=SCHEMA_VERSION,
                slug=slug,
                title=f"Show {n}",
                platform="Netflix",
                source_work=SourceWork(title=f"Book {n}", author="Someone"),
                ids={name: make(n) for name, make in ids.items()},
            )
            tx.put_show(show)
    return slugs


def about(when: datetime, pinned: str) -> bool:
    """when is the pinned time, give or take the seconds the pinned clock ran on since."""
    return 0 <= (when - datetime.fromisoformat(pinned)).total_seconds() < 120


def marks(home: Path, slug: str) -> dict[str, SyncMark]:
    return Store(home).show(slug).synced


def linked_shows(
    server: Server, monkeypatch: pytest.MonkeyPatch, home: Path, ids: list[int]
) -> tuple[TvMaze, list[str]]:
    """A show on the test TVmaze for each id, and one hand-made show linked to each."""
    tv = TvMaze(server, monkeypatch, ids)
    return tv, add_shows(home, len(ids), tvmaze=lambda n: str(ids[n]))


@pytest.fixture
def quiet_others(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """Wikidata and Open Library on the test server, knowing none of the hand-made shows."""
    monkeypatch.setenv("HSTRACKER_WIKIDATA_URL", server.url + "/")
    monkeypatch.setenv("HSTRACKER_OPENLIBRARY_URL", server.url)
    server.route(WIKIDATA_API, Answer(body=b'{"search": [], "success": 1}'))
    server.route(OPENLIBRARY_SEARCH, Answer(body=b'{"numFound": 0, "docs": []}'))


# -- the limiter -------------------------------------------------------------------------------


def test_the_limiter_never_lets_a_21st_call_into_a_window(server: Server) -> None:
    counter = Counter(latency=0.02)
    url = server.route("/count", counter.answering(lambda: Answer(body=b"{}")))
    window = 0.6  # TVmaze's 20 calls in 10 s, with the window shortened so the test is quick
    manners = Manners({"tvmaze": Policy(calls=20, window=window, in_flight=4)})

    def caller() -> None:
        with Client(service="tvmaze", manners=manners) as client:
            for _ in range(10):
                client.get(url)

    threads = [threading.Thread(target=caller) for _ in range(7)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(counter.arrivals) == 70 and manners.requests() == 70
    assert counter.most_in_window(window) == 20  # used to the full, never over
    assert counter.peak <= 4
    assert max(counter.arrivals) - min(counter.arrivals) >= 3 * window  # 70 calls: 4 windows


def test_waiting_for_a_slot_does_not_count_against_the_deadline(server: Server) -> None:
    url = server.route("/quick", Answer(body=b"{}"))
    manners = Manners({"tvmaze": Policy(calls=1, window=1.5, in_flight=4)})
    with Client(service="tvmaze", manners=manners, deadline=1.0) as client:
        client.get(url)
        client.get(url)  # waits 1.5 s for the window: longer than the whole deadline
    assert len(server.hits("/quick")) == 2


def test_a_cancelled_wait_ends_at_once() -> None:
    limiter = Limiter(Policy(calls=1, window=60.0, in_flight=4), cancel := threading.Event())
    with limiter.slot():
        pass
    threading.Timer(0.2, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(NetworkError, match="interrupted"), limiter.slot():
        pass
    assert time.monotonic() - started < 1.0


def test_sync_all_keeps_to_tvmaze_limit(
    run: Run, server: Server, home: Path, monkeypatch: pytest.MonkeyPatch, quiet_others: None
) -> None:
    ids = list(range(101, 131))
    tv = TvMaze(server, monkeypatch, ids)
    tv.counter.latency = 0.02
    add_shows(home, len(ids), tvmaze=lambda n: str(ids[n]))
    result = run("sync", "--all", "--source", "tvmaze", HSTRACKER_TVMAZE_RATE="20/1")
    assert result.stdout.count(": changes") == 30
    assert tv.reads() == 30
    assert tv.counter.most_in_window(1.0) <= 20
    assert tv.counter.peak <= 4
    assert result.stderr == ""  # no progress display on a pipe


def test_two_syncs_in_a_row_keep_to_the_limit_together(
    run: Run, server: Server, home: Path, monkeypatch: pytest.MonkeyPatch, quiet_others: None
) -> None:
    tv, _ = linked_shows(server, monkeypatch, home, [151, 152, 153, 154])
    run("sync", "--all", "--source", "tvmaze", HSTRACKER_TVMAZE_RATE="5/1.5")
    # 4 more calls at once
    run("sync", "--all", "--source", "tvmaze", "--full", HSTRACKER_TVMAZE_RATE="5/1.5")
    assert tv.reads() == 8
    # the second run counted the first one's calls, kept in the cache folder's ledger
    assert tv.counter.most_in_window(1.5) <= 5
    assert (Path(os.environ["HSTRACKER_CACHE"]) / "pace.json").is_file()


# -- incremental ---------------------------------------------------------------------------------


def test_updates_skip_unchanged_shows_and_reread_a_changed_one(
    run: Run, server: Server, home: Path, monkeypatch: pytest.MonkeyPatch, quiet_others: None
) -> None:
    ids = [201, 202, 203]
    tv, slugs = linked_shows(server, monkeypatch, home, ids)
    run("sync", "--all", "--source", "tvmaze")
    assert tv.reads() == 3
    mark = marks(home, slugs[0])["tvmaze"]
    assert mark.version == str(UPDATED) and about(mark.read, NOW)

    files = snapshot(home)
    again = run("sync", "--all", "--source", "tvmaze")
    assert tv.reads() == 3  # one list of changes, no show read again
    assert again.stdout.count("already up to date; nothing was written") == 3
    assert snapshot(home) == files

    tv.new_season(202)
    run("sync", "--all", "--source", "tvmaze")
    assert (tv.reads(201), tv.reads(202), tv.reads(203)) == (1, 2, 1)
    seasons = run.json("seasons", "--show", slugs[1])["installments"]
    assert [i["key"] for i in seasons] == ["s1", "s2"]
    assert marks(home, slugs[1])["tvmaze"].version == str(UPDATED + 3600)
    updates = [r.query for r in server.requests if r.path == f"{TV}/updates/shows"]
    assert updates == ["since=day", "since=day"]


def test_updates_reach_back_to_the_oldest_read_and_a_failed_list_reads_all(
    run: Run, server: Server, home: Path, monkeypatch: pytest.MonkeyPatch, quiet_others: None
) -> None:
    ids = [301, 302]
    tv, _slugs = linked_shows(server, monkeypatch, home, ids)
    run("sync", "--all", "--source", "tvmaze")
    tv.unlisted.add(302)  # not changed within the window asked for
    run("sync", "--all", "--source", "tvmaze", HSTRACKER_NOW="2026-11-28T12:00:00+00:00")
    run("sync", "--all", "--source", "tvmaze", HSTRACKER_NOW="2027-01-10T12:00:00+00:00")
    updates = [r.query for r in server.requests if r.path == f"{TV}/updates/shows"]
    assert updates == ["since=week", ""]  # a read 47 days ago: the whole index
    # absent from the week's changes: unchanged; absent from the whole index: read again
    assert (tv.reads(301), tv.reads(302)) == (1, 2)
    # a list of changes that cannot be had: every show is read
    server.route(f"{TV}/updates/shows", Answer(500, b""))
    run("sync", "--all", "--source", "tvmaze", HSTRACKER_NOW="2027-01-10T12:00:00+00:00")
    assert (tv.reads(301), tv.reads(302)) == (2, 3)


def test_full_reads_everything_again(
    run: Run, server: Server, home: Path, monkeypatch: pytest.MonkeyPatch, quiet_others: None
) -> None:
    ids = [501, 502]
    tv, _slugs = linked_shows(server, monkeypatch, home, ids)
    run("sync", "--all")
    searches = len(server.hits(OPENLIBRARY_SEARCH))
    run("sync", "--all", "--full")
    assert tv.reads() == 4
    assert len(server.hits(OPENLIBRARY_SEARCH)) == 2 * searches
    assert [r.path for r in server.requests].count(f"{TV}/updates/shows") == 0


def test_wikidata_checks_linked_items_fifty_at_a_time(
    run: Run, home: Path, wikidata: Wikidata, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    qids = [f"Q77{n:03d}" for n in range(60)]
    for qid in qids:
        wikidata.entities[qid] = {"id": qid, "labels": {"en": {"value": qid}}, "claims": {}}
    slugs = add_shows(home, 60, wikidata=lambda n: qids[n])
    run("sync", "--all", "--source", "wikidata")
    assert all(marks(home, s)["wikidata"].version == "1000" for s in slugs)
    first = len(wikidata.calls())

    wikidata.revisions[qids[7]] = 1001  # one item edited since
    run("sync", "--all", "--source", "wikidata")
    calls = wikidata.calls()[first:]
    info = [c for c in calls if c.get("props") == "info"]
    assert [len(c["ids"].split("|")) for c in info] == [50, 10]
    read = {c["ids"] for c in calls if c not in info and c.get("action") == "wbgetentities"}
    assert qids[7] in read and len([i for i in read if "|" not in i]) == 1
    assert marks(home, slugs[7])["wikidata"].version == "1001"

    # a week on, every linked series is read again: its seasons are items of their own
    run("sync", "--all", "--source", "wikidata", HSTRACKER_NOW=WEEK_LATER)
    assert all(about(marks(home, s)["wikidata"].read, WEEK_LATER) for s in slugs)


def test_open_library_is_read_at_most_once_a_week(
    run: Run, tvmaze: Server, openlibrary: Server
) -> None:
    run("sync", "--source", "openlibrary")
    assert len(openlibrary.hits(OPENLIBRARY_SEARCH)) == 1
    run("sync", "--source", "openlibrary", HSTRACKER_NOW="2026-11-30T12:00:00+00:00")
    assert len(openlibrary.hits(OPENLIBRARY_SEARCH)) == 1
    run("sync", "--source", "openlibrary", HSTRACKER_NOW=WEEK_LATER)
    assert len(openlibrary.hits(OPENLIBRARY_SEARCH)) == 2


def test_a_search_that_found_nothing_waits_a_week(
    run: Run, server: Server, home: Path, quiet_others: None
) -> None:
    slugs = add_shows(home, 2)
    first = run("sync", "--all", "--source", "openlibrary", "--source", "wikidata")
    assert first.stderr.count("no source knows") == 2
    asked = len(server.requests)
    assert asked == 4  # one search each, per show
    assert not marks(home, slugs[0])["openlibrary"].found

    again = run("sync", "--all", "--source", "openlibrary", "--source", "wikidata")
    assert len(server.requests) == asked
    assert "Open Library: found nothing on 2026-11-24; asked again from 2026-12-01" in again.stderr
    assert run("sync", "--show", slugs[0], "--source", "wikidata", code=3).stderr.startswith(
        "hstracker: no source knows show-000: Wikidata: found nothing on 2026-11-24"
    )

    run("sync", "--all", "--source", "openlibrary", HSTRACKER_NOW=WEEK_LATER)
    assert len(server.requests) == asked + 2
    run("sync", "--all", "--source", "wikidata", "--full")
    assert len(server.requests) == asked + 4


# -- isolation, per show ---------------------------------------------------------------------


def test_a_source_failing_for_one_show_costs_only_that_shows_facts_from_it(
    run: Run, server: Server, home: Path, monkeypatch: pytest.MonkeyPatch, quiet_others: None
) -> None:
    ids = [601, 602, 603]
    tv, slugs = linked_shows(server, monkeypatch, home, ids)
    tv.failing.add(602)
    result = run("sync", "--all", code=8)
    assert result.stderr.startswith("hstracker: show-001: TVmaze: ")
    assert "answered HTTP 500" in result.stderr
    assert [len(run.json("seasons", "--show", s)["installments"]) for s in slugs] == [1, 0, 1]
    # the others' answers for that show were saved, and its TVmaze read waits for no week
    assert "openlibrary" in marks(home, slugs[1]) and "tvmaze" not in marks(home, slugs[1])
    tv.failing.clear()
    run("sync", "--all")
    assert len(run.json("seasons", "--show", slugs[1])["installments"]) == 1


def test_json_says_how_many_requests_were_made(
    run: Run, server: Server, home: Path, monkeypatch: pytest.MonkeyPatch, quiet_others: None
) -> None:
    TvMaze(server, monkeypatch, [701])
    add_shows(home, 1, tvmaze=lambda _: "701")
    data: dict[str, Any] = run.json("sync", "--all")
    assert data["interrupted"] is False and data["requests"] == 3
    assert data["shows"][0]["slug"] == "show-000"


def test_one_progress_display_on_a_terminal(
    server: Server, home: Path, monkeypatch: pytest.MonkeyPatch, quiet_others: None
) -> None:
    import pty

    linked_shows(server, monkeypatch, home, [901, 902, 903])
    main, terminal = pty.openpty()
    try:
        subprocess.run(
            [sys.executable, "-m", "hstracker", "sync", "--all", "--source", "tvmaze"],
            stdout=subprocess.PIPE,
            stderr=terminal,
            env={**os.environ, "HSTRACKER_TVMAZE_RATE": "1/0.5"},  # a run of about a second
            timeout=60,
            check=True,
        )
        drawn = b""
        while chunk := _read_some(main):
            drawn += chunk
    finally:
        os.close(terminal)
        os.close(main)
    text = drawn.decode(errors="replace")
    assert "Syncing" in text and "/3 shows" in text and "requests" in text


def _read_some(fd: int) -> bytes:
    import select

    ready, _, _ = select.select([fd], [], [], 0.5)
    return os.read(fd, 65536) if ready else b""


# -- Ctrl-C ------------------------------------------------------------------------------------


def test_ctrl_c_keeps_the_shows_already_synced_and_exits_130(
    server: Server, home: Path, monkeypatch: pytest.MonkeyPatch, quiet_others: None
) -> None:
    ids = list(range(801, 821))
    tv, slugs = linked_shows(server, monkeypatch, home, ids)
    child = subprocess.Popen(
        [sys.executable, "-m", "hstracker", "sync", "--all", "--source", "tvmaze"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # 4 shows a second: the run would take 5 s
        env={**os.environ, "HSTRACKER_TVMAZE_RATE": "4/1"},
    )
    deadline = time.monotonic() + 20
    while tv.reads() < 6 and time.monotonic() < deadline:
        time.sleep(0.05)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=20)
    assert child.returncode == 130, err
    synced = [s for s in slugs if "tvmaze" in marks(home, s)]
    assert 3 <= len(synced) < len(slugs)  # the last reads may still have been on the way
    assert f"interrupted: {len(synced)} of {len(slugs)} shows synced and saved" in err
    assert out.count(": changes") == len(synced)
    assert "Traceback" not in err
