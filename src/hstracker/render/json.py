"""The documented JSON shapes that --json prints: plain values, ISO 8601 dates, no markup."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hstracker.core.adaptation import Coverage, MapRow
from hstracker.core.cast import Arrival
from hstracker.core.countdown import Countdown
from hstracker.core.episodes import Resume, Tally
from hstracker.core.facts import TABLE
from hstracker.core.installments import effective_state
from hstracker.core.merge import Change, Value
from hstracker.core.model import (
    CastMember,
    Fact,
    Feed,
    Installment,
    NewsItem,
    PlotNote,
    Show,
    Source,
    known,
)
from hstracker.core.report import Credit
from hstracker.core.shows import ShowSummary
from hstracker.core.upcoming import Upcoming

if TYPE_CHECKING:
    from hstracker.core.countdown import Counting
    from hstracker.core.news import Timeline
    from hstracker.core.spoilers import Filtered
    from hstracker.core.status import Status
    from hstracker.core.sync import SyncResult
    from hstracker.imports import Export, Placed
    from hstracker.store import CopyState, FileCheck


# Every --json document is versioned alike: a change to any document's shape that could break
# a script reading it bumps this, and the README's JSON output section says what changed.
SCHEMA_VERSION = 2


def schema(command: list[str]) -> str:
    """The `schema` of a command's JSON document: `hstracker.shows-list/1` for `shows list`."""
    return f"hstracker.{'-'.join(command)}/{SCHEMA_VERSION}"


def source_view(source: Source | None) -> dict[str, Any] | None:
    if source is None:
        return None
    return {
        "name": source.name,
        "reported": source.reported,
        "url": source.url,
        "confidence": source.confidence,
        "news_id": source.news_id,
    }


def fact_view(fact: Fact[Any] | None) -> dict[str, Any] | None:
    """A fact's value with its source and the values it replaced."""
    if fact is None:
        return None
    return {
        "value": fact.value,
        "source": source_view(fact.source),
        "history": [{"value": c.value, "source": source_view(c.source)} for c in fact.history],
    }


def installment_view(show: Show, inst: Installment, now: datetime) -> dict[str, Any]:
    release = inst.release.value if inst.release else None
    return {
        "key": inst.key,
        "kind": inst.kind,
        "number": inst.number,
        "title": inst.label,
        "state": effective_state(show, inst, now),
        "release": release,
        "precision": release.precision.value if release else "tba",
        "episodes": inst.episodes.value if inst.episodes else None,
        "trailer": inst.trailer.value if inst.trailer else None,
        "filming": {
            "start": inst.filming.start.value if inst.filming.start else None,
            "wrap": inst.filming.wrap.value if inst.filming.wrap else None,
            "place": inst.filming.place.value if inst.filming.place else None,
        },
        "adapts": inst.adapts.value if inst.adapts else [],
        "channel": inst.channel.value if inst.channel else None,
        "facts": {field.name: fact_view(field.get(inst)) for field in TABLE},
    }


def tally_view(t: Tally) -> dict[str, Any]:
    """One installment's episode progress: 's3', 4 watched of 8 known."""
    return {"key": t.key, "watched": t.watched, "known": t.known, "complete": t.whole}


def resume_view(resume: Resume | None) -> dict[str, Any] | None:
    """Where the fan continues, or None."""
    if resume is None:
        return None
    episode = resume.episode
    return {
        "installment": resume.installment.key,
        "episode": episode.number,
        "title": episode.title,
        "airs": episode.airs,
    }


def news_view(item: NewsItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "date": item.date,
        "headline": item.headline,
        "source": item.source,
        "url": item.url,
        "body": item.body,
        "installment": item.installment,
        "tags": item.tags,
        "confidence": item.confidence,
        "added": item.added,
        "changes": [
            {"installment": c.installment, "field": c.field, "value": c.value} for c in item.changes
        ],
    }


def cast_view(member: CastMember, status: Arrival | None) -> dict[str, Any]:
    return {
        "character": member.character,
        "actor": member.actor,
        "installments": member.installments,
        "billing": member.billing,
        "status": status,
        "note": member.note,
        "source": source_view(member.source),
    }


def countdown_view(cd: Countdown) -> dict[str, Any]:
    return {
        "installment": cd.installment,
        "target": cd.target,
        "precision": cd.precision,
        "seconds": cd.seconds,
        "window_start": cd.window_start,
        "window_end": cd.window_end,
        "window_left": cd.window_left,
        "overdue": cd.overdue,
        "released": cd.released,
        "assumed_zone": cd.assumed_zone,
    }


def coverage_view(cov: Coverage) -> dict[str, Any]:
    return {
        "adapted": cov.adapted,
        "published": cov.published,
        "unadapted": cov.unadapted,
        "planned": {str(volume): label for volume, label in cov.planned.items()},
        "total": cov.total,
        "percent": round(cov.fraction * 100, 1),
        "complete": cov.complete,
    }


def show_view(show: Show) -> dict[str, Any]:
    return {
        "slug": show.slug,
        "title": show.title,
        "platform": known(show.platform),  # None, not the placeholder nobody gave
        "source_work": {
            "title": show.source_work.title,
            "author": known(show.source_work.author),
            "total": show.source_work.total.value if show.source_work.total else None,
        },
    }


def summary_view(row: ShowSummary) -> dict[str, Any]:
    """One show in `shows list --json`."""
    nxt = row.next
    release = nxt.release.value if nxt and nxt.release else None
    return {
        **show_view(row.show),
        "default": row.default,
        "shipped": row.shipped,
        "next": None
        if nxt is None
        else {
            "key": nxt.key,
            "title": nxt.label,
            "state": row.state,
            "release": release,
            "precision": release.precision.value if release else "tba",
        },
    }


def doctor_view(
    home: Path, checks: list[FileCheck], copies: list[CopyState], *, repaired: bool
) -> dict[str, Any]:
    """What `doctor` found in each file, what --repair did about it, and which of the fan's
    copies of shipped shows are behind the shipped data."""
    return {
        "home": str(home),
        "repair": repaired,
        "healthy": not any(c.open_problem for c in checks),
        "files": [
            {
                "path": str(c.path),
                "kind": c.kind,
                "ok": c.problem is None,
                "problem": c.problem,
                "action": c.action,
                "fixed": c.fixed,
            }
            for c in checks
        ],
        "shipped": [{"show": c.slug, "behind": c.behind} for c in copies],
    }


def feed_view(slug: str, feed: Feed) -> dict[str, Any]:
    """One followed feed in `feeds list --json`."""
    return {
        "show": slug,
        "url": feed.url,
        "title": feed.title,
        "match": feed.match,
        "seen": len(feed.seen),
    }


def map_row_view(row: MapRow) -> dict[str, Any]:
    return {
        "installment": row.key,
        "title": row.label,
        "volumes": row.volumes,
        "chapters": row.chapters,
        "released": row.released,
    }


def plot_view(inst: Installment, note: PlotNote) -> dict[str, Any]:
    return {"installment": inst.key, "text": note.text, "source": source_view(note.source)}


def change_value(value: Value | None) -> Any:
    """A change's value in JSON: numbers as numbers, dates in their ISO form, a credit as an
    object."""
    if isinstance(value, Credit):
        return {"character": value.character, "actor": value.actor}
    return value


def change_view(change: Change) -> dict[str, Any]:
    return {
        "action": change.action,
        "topic": change.topic,
        "field": change.field.name if change.field else None,
        "subject": change.subject or None,
        "what": change.what,
        "old": change_value(change.old),
        "new": change_value(change.new),
        "source": change.source,
        "note": change.note or None,
    }


def sync_view(result: SyncResult, dry_run: bool) -> dict[str, Any]:
    """What `sync --json` planned or applied, per show, each change with its source, and the
    alert lines (the same with or without --notify; none on a dry run)."""
    return {
        "dry_run": dry_run,
        "interrupted": result.interrupted,
        "requests": result.requests,
        "shows": [
            {
                "slug": done.before.slug,
                "changes": [change_view(c) for c in done.changes],
                "unknown": done.fetched.unknown,
                "failures": done.fetched.failures,
                # the id each source was read by, and whether it was linked or searched for
                "ids": {
                    name: {"id": used.id, "by": "link" if used.linked else "search"}
                    for name, used in done.fetched.used.items()
                },
                "alerts": done.alert.lines if done.alert else [],
            }
            for done in result.shows
        ],
    }


def upcoming_view(found: Upcoming, now: datetime) -> dict[str, Any]:
    """`upcoming --json`: every show's next installment in order, then the quiet shows."""

    def brief(show: Show) -> dict[str, Any]:
        return {"slug": show.slug, "title": show.title}

    def named(inst: Installment) -> dict[str, Any]:
        return {"key": inst.key, "kind": inst.kind, "number": inst.number, "title": inst.label}

    upcoming = []
    for row in found.next:
        release = row.installment.release.value if row.installment.release else None
        upcoming.append(
            {
                "show": brief(row.show),
                "installment": named(row.installment),
                "state": row.state,
                "release": release,
                "precision": release.precision.value if release else "tba",
                "countdown": countdown_view(row.countdown),
            }
        )
    quiet = []
    for q in found.quiet:
        last = None
        if q.last is not None:
            release = q.last.release.value if q.last.release else None
            last = {**named(q.last), "release": release}
        quiet.append({"show": brief(q.show), "last": last})
    return {
        "now": now,
        "upcoming": upcoming,
        "nothing_announced": quiet,
    }


def status_document(st: Status) -> dict[str, Any]:
    """`status --json`."""
    show, now = st.show, st.now
    return {
        "show": show_view(show),
        "now": now,
        "next": installment_view(show, st.next, now) if st.next else None,
        "countdown": countdown_view(st.countdown) if st.countdown else None,
        "last_released": installment_view(show, st.last_released, now)
        if st.last_released
        else None,
        "adaptation": coverage_view(st.coverage),
        "news": [news_view(item) for item in st.latest],
        "continue": resume_view(st.resume),
        "facts_as_of": st.facts_as_of,
        "spoiler_guard": st.guard.active,
        "hidden": st.hidden,
        "new_since_last_looked": {
            "since": st.fresh.since,
            "news": sorted(st.fresh.news),
            "facts": st.fresh.facts,
        },
    }


def countdown_document(show: Show, counting: Counting, now: datetime) -> dict[str, Any]:
    """`countdown --json`: the countdown, or with nothing next what came out last."""
    if counting.countdown is not None:
        return countdown_view(counting.countdown)
    last = counting.last_released
    return {
        "installment": None,
        "target": None,
        "precision": None,
        "seconds": None,
        "released": last is not None,  # with nothing at all, nothing is out
        "last_released": installment_view(show, last, now) if last else None,
    }


def cast_document(
    show: Show, inst: Installment | None, rows: list[tuple[CastMember, Arrival | None]]
) -> dict[str, Any]:
    """`cast --json`: the cast of one installment, or with --all everyone."""
    return {
        "show": show.slug,
        "installment": inst.key if inst else None,
        "cast": [cast_view(member, status) for member, status in rows],
    }


def news_document(show: Show, found: Timeline) -> dict[str, Any]:
    """`news --json`."""
    return {
        "show": show.slug,
        "total": found.total,
        "hidden": found.hidden,
        "news": [news_view(item) for item in found.items],
    }


def seasons_document(show: Show, installments: list[Installment], now: datetime) -> dict[str, Any]:
    """`seasons --json`."""
    return {
        "show": show.slug,
        "installments": [installment_view(show, i, now) for i in installments],
    }


def progress_document(
    show: Show,
    rows: list[MapRow],
    cov: Coverage,
    watched: list[str],
    tallies: list[Tally],
    read: list[int],
    read_next: int | None,
    seen: Filtered,
) -> dict[str, Any]:
    """`progress --json`: watched is what counts as watched, in story order."""
    return {
        "show": show.slug,
        "installments": [map_row_view(row) for row in rows],
        "adaptation": coverage_view(cov),
        "source_total": fact_view(show.source_work.total),
        "watched": watched,
        "episodes": [tally_view(t) for t in tallies if t.known or t.watched],
        "read": read,
        "read_next": read_next,
        "plot": [plot_view(inst, note) for inst, note in seen.plot],
        "hidden": seen.hidden,
    }


def feeds_document(rows: list[tuple[str, Feed]]) -> dict[str, Any]:
    """`feeds list --json`."""
    return {"feeds": [feed_view(slug, feed) for slug, feed in rows]}


def shows_document(rows: list[ShowSummary]) -> dict[str, Any]:
    """`shows list --json`."""
    return {"shows": [summary_view(row) for row in rows]}


def moving_document(export: Export, placed: Placed, dry_run: bool) -> dict[str, Any]:
    """`import --from SERVICE --json`: what was (or would be) placed, and what could not be."""
    return {
        "from": export.service,
        "dry_run": dry_run,
        "files": export.files,
        "shows_made": placed.made,
        "shows_joined": placed.joined,
        "episodes_marked": placed.episodes,
        "rewatched": placed.rewatched,
        "films_marked": placed.films,
        "films_to_watch": placed.to_watch,
        "volumes_read": placed.volumes,
        "not_placed": [{"row": u.line, "reason": u.reason} for u in placed.unplaced],
    }
