"""The fan's own marks: what they have watched and read, validated against the show."""

from __future__ import annotations

from datetime import datetime

from hstracker.core.installments import find_installment, ordered
from hstracker.core.model import Installment, Personal, Show, ShowProgress
from hstracker.errors import InvalidInput, NotFound


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


def parse_volume(show: Show, raw: str) -> int:
    """A volume number the show's source work has, or a one-line error."""
    unit = show.source_work.unit_name
    wanted = raw.strip().lower().removeprefix(unit).removeprefix("v").strip(" -")
    if not wanted.isdigit() or len(wanted) > 4:
        raise InvalidInput(f"{raw!r} is not a {unit} number.", hint="Give one like 4 or v4.")
    number = int(wanted)
    known = [u.number for u in show.source_work.units]
    if number not in known:
        listed = f"{min(known)}-{max(known)}" if known else "none"
        raise NotFound(
            f"{show.source_work.title} has no {unit} {number}.", hint=f"Known: {listed}."
        )
    return number


def mark_read(show: Show, progress: ShowProgress, raw: str, *, undo: bool = False) -> int:
    """Add (or with undo remove) a volume to what the fan has read."""
    number = parse_volume(show, raw)
    marks = {v for v in progress.read if v != number}
    if not undo:
        marks.add(number)
    progress.read = sorted(marks)
    return number


def record_look(personal: Personal, slug: str, now: datetime) -> None:
    """Remember when the fan last looked at a show: what came after it is "new" next time."""
    progress_of(personal, slug).last_looked = now.replace(microsecond=0)
