"""The fan's own marks: what they have watched and read, validated against the show."""

from __future__ import annotations

from datetime import datetime

from hstracker.core.episodes import mark_target, parse_target
from hstracker.core.model import Personal, Show, ShowProgress
from hstracker.errors import InvalidInput


def progress_of(personal: Personal, slug: str) -> ShowProgress:
    """The fan's progress for a show, added to personal if there was none."""
    return personal.progress.setdefault(slug, ShowProgress())


def mark_watched(
    show: Show, progress: ShowProgress, ref: str, now: datetime, *, undo: bool = False
) -> str:
    """Mark (or with undo unmark) 's3e4', 's3e1-4' or a whole installment; returns what it
    named, for the message: 'Season 3 episodes 1-4'."""
    target = parse_target(show, ref)
    mark_target(show, progress, target, now, undo=undo)
    label = target.installment.label
    if target.first is None:
        return label
    if target.first == target.last:
        return f"{label} episode {target.first}"
    return f"{label} episodes {target.first}-{target.last}"


def check_volume(show: Show, number: int) -> int:
    """number, when the show's source work has such a volume: from 1 to its known total (any
    from 1 up when no total is known), or a one-line error."""
    work = show.source_work
    total = work.total.value if work.total is not None else None
    if number < 1 or (total is not None and number > total):
        raise InvalidInput(
            f"{work.title} has no {work.unit_name} {number}.", hint=f"Known: 1-{total}."
        )
    return number


def mark_read(show: Show, progress: ShowProgress, number: int, *, undo: bool = False) -> int:
    """Add (or with undo remove) a volume to what the fan has read."""
    check_volume(show, number)
    marks = {v for v in progress.read if v != number}
    if not undo:
        marks.add(number)
    progress.read = sorted(marks)
    return number


def record_look(personal: Personal, slug: str, now: datetime) -> None:
    """Remember when the fan last looked at a show: what came after it is "new" next time."""
    progress_of(personal, slug).last_looked = now.replace(microsecond=0)
