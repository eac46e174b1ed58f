"""The fan's own marks: what they have watched and read, validated against the show."""

from __future__ import annotations

from datetime import datetime

from hstracker.core.installments import find_installment, ordered
from hstracker.core.model import Installment, Personal, Show, ShowProgress
from hstracker.errors import InvalidInput


def progress_of(personal: Personal, slug: str) -> ShowProgress:
    """The fan's progress for a show, added to personal if there was none."""
    return personal.progress.setdefault(slug, ShowProgress())


def mark_watched(
    show: Show, progress: ShowProgress, ref: str, *, undo: bool = False
) -> Installment:
    """Add (or with undo remove) an installment to what the fan has watched."""
    inst = find_installment(show, ref)
    marks = [k for k in progress.watched if k != inst.key]
    if not undo:
        marks.append(inst.key)
    order = [i.key for i in ordered(show)]
    progress.watched = sorted(marks, key=lambda k: order.index(k) if k in order else len(order))
    return inst


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
