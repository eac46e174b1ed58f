"""The sync use case: check what changed, read only that, many shows at once, within limits."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta

from hstracker.core.attribution import SOURCE_NAMES
from hstracker.core.model import Show
from hstracker.core.report import Report
from hstracker.core.sync import (
    Fetched,
    ShowSynced,
    Signals,
    SyncResult,
    Used,
    remembered_miss,
    to_read,
)
from hstracker.errors import HstrackerError, NotFound
from hstracker.sources.http import Client
from hstracker.sources.limits import Manners

SOURCES = ("tvmaze", "wikidata", "openlibrary")
TICK = 0.1  # how often the run looks at Ctrl-C while it waits for answers


def _tvmaze(client: Client, show: Show, now: datetime) -> Report:
    from hstracker.sources import tvmaze

    if show.installments and all(i.kind == "film" for i in show.installments):
        raise NotFound("TVmaze lists TV shows, and this is a film.")

    return tvmaze.fetch_show(client, show, now)


def _wikidata(client: Client, show: Show, now: datetime) -> Report:
    from hstracker.sources import wikidata

    qid = show.ids.get("wikidata")
    if qid is None and "imdb" in show.ids:  # an imported film or show: by its IMDb id
        qid = wikidata.find_by_imdb(client, show.ids["imdb"])
    qid = qid or wikidata.find(client, show.title, show.source_work.author)
    if qid is None:
        raise NotFound(f"no Wikidata item matches {show.title!r}.")
    return wikidata.fetch(client, qid, now)


def _openlibrary(client: Client, show: Show, now: datetime) -> Report:
    from hstracker.sources import openlibrary

    work = show.source_work
    author = None if work.author == "unknown" else work.author
    linked = show.ids.get("openlibrary")
    # a linked work is read by its id alone: no search, one editions request
    return openlibrary.fetch(client, work.title, author, now, [linked] if linked else None)


FETCHERS: dict[str, Callable[[Client, Show, datetime], Report]] = {
    "tvmaze": _tvmaze,
    "wikidata": _wikidata,
    "openlibrary": _openlibrary,
}

# What a show's answer from one source is: a report, a NotFound, or any other failure
Outcome = Report | HstrackerError


def signals(
    shows: list[Show], names: list[str], now: datetime, manners: Manners, full: bool
) -> Signals:
    """One TVmaze request for the shows changed since the oldest read, and Wikidata's latest
    revisions of every linked item, 50 a request. A check that fails reads every show."""
    if full:
        return Signals()
    changed: dict[str, str] | None = None
    since: datetime | None = None
    revisions: dict[str, str] | None = None
    tv_reads = [s.synced["tvmaze"].read for s in shows if _linked_and_read(s, "tvmaze")]
    if "tvmaze" in names and tv_reads:
        from hstracker.sources import tvmaze

        try:
            with Client(service="tvmaze", manners=manners) as client:
                changed, span = tvmaze.updates(client, (now - min(tv_reads)).total_seconds())
            since = None if span == float("inf") else now - timedelta(seconds=span)
        except HstrackerError:
            changed = None
    qids = [s.ids["wikidata"] for s in shows if _linked_and_read(s, "wikidata")]
    if "wikidata" in names and qids:
        from hstracker.sources import wikidata

        try:
            with Client(service="wikidata", manners=manners) as client:
                revisions = wikidata.revisions(client, qids)
        except HstrackerError:
            revisions = None
    return Signals(tvmaze=changed, tvmaze_since=since, wikidata=revisions)


def _linked_and_read(show: Show, name: str) -> bool:
    return name in show.ids and name in show.synced


def _fetch(name: str, show: Show, now: datetime, manners: Manners) -> Outcome:
    """One source's answer about one show, from its own client and deadline, so a source
    that hangs costs only its own facts."""
    try:
        with Client(service=name, manners=manners) as client:
            return FETCHERS[name](client, show, now)
    except HstrackerError as exc:
        return exc


def _fetched(show: Show, outcomes: dict[str, Outcome], skipped: list[str]) -> Fetched:
    fetched = Fetched(unknown=list(skipped))
    # in the sources' own order, whichever answered first: the merge is the same every time
    for name in sorted(outcomes, key=SOURCES.index):
        outcome = outcomes[name]
        label = SOURCE_NAMES[name]
        if isinstance(outcome, Report):
            fetched.reports.append(outcome)
            fetched.read[name] = outcome.version
            fetched.used[label] = Used(outcome.ids.get(name), name in show.ids)
        elif isinstance(outcome, NotFound):
            fetched.unknown.append(f"{label}: {outcome}")
            fetched.missed.append(name)
        else:
            fetched.failures.append(f"{label}: {outcome}")
    return fetched


def run(
    shows: list[Show],
    names: list[str],
    now: datetime,
    save: Callable[[Show, Fetched], ShowSynced],
    *,
    full: bool = False,
    manners: Manners | None = None,
    stop: threading.Event | None = None,
    advance: Callable[[int, int], object] | None = None,
) -> SyncResult:
    """Sync shows from the named sources: read again only what changed (everything if full),
    each show saved by save as soon as all its sources answered.

    Requests to different services and for different shows overlap, each service within its
    limits (sources/limits.py). Setting stop ends the run early: shows already saved stay
    saved, and the result says it was interrupted.
    """
    manners = manners or Manners()
    stop = stop or threading.Event()
    report = advance or (lambda *_: None)
    checks = signals(shows, names, now, manners, full)
    pools = {name: ThreadPoolExecutor(manners.policies[name].in_flight) for name in names}
    pending: dict[Future[Outcome], tuple[int, str]] = {}
    answered: queue.SimpleQueue[Future[Outcome]] = queue.SimpleQueue()
    outcomes: list[dict[str, Outcome]] = [{} for _ in shows]
    skipped: list[list[str]] = [[] for _ in shows]
    unchanged: list[list[str]] = [[] for _ in shows]
    done: dict[int, ShowSynced] = {}

    def finish(index: int) -> None:
        fetched = _fetched(shows[index], outcomes[index], skipped[index])
        fetched.unchanged = unchanged[index]
        done[index] = save(shows[index], fetched)
        report(len(done), manners.requests())

    try:
        waiting = [0] * len(shows)
        for index, show in enumerate(shows):
            for name in names:
                if to_read(show, name, now, checks, full):
                    future = pools[name].submit(_fetch, name, show, now, manners)
                    pending[future] = (index, name)
                    waiting[index] += 1
                    future.add_done_callback(answered.put)
                elif line := remembered_miss(show, name, now):
                    skipped[index].append(line)
                else:
                    unchanged[index].append(name)
        for index in (i for i, count in enumerate(waiting) if count == 0):
            if stop.is_set():
                break
            finish(index)
        while pending and not stop.is_set():
            try:
                future = answered.get(timeout=TICK)
            except queue.Empty:
                report(len(done), manners.requests())
                continue
            index, name = pending.pop(future)
            outcomes[index][name] = future.result()
            waiting[index] -= 1
            if waiting[index] == 0:
                finish(index)
    finally:
        manners.cancel.set()  # anything still running or queued ends now
        for pool in pools.values():
            pool.shutdown(wait=False, cancel_futures=True)
        manners.save()
    return SyncResult(
        shows=[done[i] for i in sorted(done)],
        asked=len(shows),
        requests=manners.requests(),
        interrupted=len(done) < len(shows),
    )
