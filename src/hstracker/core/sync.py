"""A sync's plan and outcome: which sources to read a show from again, and what each gave."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hstracker.core.alerts import Alert
from hstracker.core.attribution import SOURCE_NAMES
from hstracker.core.merge import Change, merge_report
from hstracker.core.model import Show, SyncMark
from hstracker.core.report import Report

# Open Library's books, and a search that found nothing, are asked again after a week.
# Wikidata's seasons and volumes are items of their own, whose edits leave the series
# item's revision as it was: a linked series is read again at least once a week too.
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Signals:
    """What the cheap checks before any read said changed (None: not asked, or it failed)."""

    # TVmaze id -> `updated`, for the shows changed since `tvmaze_since` (None: ever)
    tvmaze: dict[str, str] | None = None
    tvmaze_since: datetime | None = None
    wikidata: dict[str, str] | None = None  # QID -> lastrevid of every linked item asked


def _miss(mark: SyncMark | None, now: datetime) -> bool:
    """Whether a search found nothing within the last week: it is not repeated yet."""
    return mark is not None and not mark.found and now - mark.read < WEEK


def to_read(show: Show, name: str, now: datetime, signals: Signals, full: bool) -> bool:
    """Whether a sync reads show from the source name again."""
    mark = show.synced.get(name)
    if full or mark is None:
        return True
    if not mark.found:
        return not _miss(mark, now)
    if name == "tvmaze":
        return _tvmaze_changed(show, mark, signals)
    if name == "wikidata":
        qid = show.ids.get("wikidata")
        seen = None if signals.wikidata is None or qid is None else signals.wikidata.get(qid)
        return seen is None or seen != mark.version or now - mark.read >= WEEK
    return now - mark.read >= WEEK


def _tvmaze_changed(show: Show, mark: SyncMark, signals: Signals) -> bool:
    known = show.ids.get("tvmaze")
    if known is None or signals.tvmaze is None:
        return True
    if known in signals.tvmaze:
        return signals.tvmaze[known] != mark.version
    # not among the changes: unchanged, if the window reaches back to when it was read
    return signals.tvmaze_since is None or mark.read < signals.tvmaze_since


def remembered_miss(show: Show, name: str, now: datetime) -> str | None:
    """The line for a source whose search found nothing this week, so is not asked yet."""
    mark = show.synced.get(name)
    if mark is None or not _miss(mark, now):
        return None
    asked, again = (d.date().isoformat() for d in (mark.read, mark.read + WEEK))
    return (
        f"{SOURCE_NAMES[name]}: found nothing on {asked}; asked again from {again} "
        "(or now with --full)."
    )


@dataclass(frozen=True)
class Used:
    """Which id a source was read by, and how hstracker came by it."""

    id: str | None
    linked: bool


@dataclass
class Fetched:
    """What the sources gave for one show: reports, sources that do not know it, failures."""

    reports: list[Report] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # "Wikidata: no item matches …"
    failures: list[str] = field(default_factory=list)  # "Open Library: … timed out."
    # per source read: the version it gave (None: none given); and the sources whose
    # search found nothing
    read: dict[str, str | None] = field(default_factory=dict)
    missed: list[str] = field(default_factory=list)
    # per source read, by its name: the id it was read by (None after a title search that
    # found works but no single id) and whether that id was linked before the sync
    used: dict[str, Used] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)  # not read: nothing new since the last

    @property
    def nobody(self) -> bool:
        """Whether no source knows the show: each one asked, now or this week, found nothing."""
        return bool(self.unknown) and not (self.reports or self.failures or self.unchanged)


def apply_fetched(show: Show, fetched: Fetched, now: datetime) -> list[Change]:
    """Merge what was fetched into show and record what each source was read at."""
    changes = [c for report in fetched.reports for c in merge_report(show, report)]
    read = now.replace(microsecond=0)  # to the second, as every other stored time
    for name, version in fetched.read.items():
        show.synced[name] = SyncMark(read=read, version=version)
    for name in fetched.missed:
        show.synced[name] = SyncMark(read=read, found=False)
    return changes


@dataclass
class ShowSynced:
    """One show's outcome: the show as it was, what changed, what was fetched, its alert."""

    before: Show
    changes: list[Change]
    fetched: Fetched
    alert: Alert | None = None

    @property
    def used(self) -> set[str]:
        """The sources that answered, or that had nothing new since the last sync."""
        unchanged = {SOURCE_NAMES[name] for name in self.fetched.unchanged}
        return {report.source for report in self.fetched.reports} | unchanged


@dataclass
class SyncResult:
    """A whole sync: each show done (in the order asked), how many were asked, and whether
    Ctrl-C ended it early."""

    shows: list[ShowSynced]
    asked: int
    requests: int = 0
    interrupted: bool = False
