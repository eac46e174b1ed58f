"""The fan's own marks: what they have watched and read, validated against the show."""

from __future__ import annotations

import re
from datetime import datetime

from hstracker.core.installments import Ref, find_installment, ordered
from hstracker.core.model import Installment, Personal, Show, ShowProgress
from hstracker.errors import InvalidInput, NotFound


def progress_of(personal: Personal, slug: str) -> ShowProgress:
    """The fan's progress for a show, added to personal if there was none."""
    return personal.progress.setdefault(slug, ShowProgress())


def mark_watched(
    show: Show, progress: ShowProgress, ref: Ref, *, undo: bool = False
) -> Installment:
    """Add (or with undo remove) an installment to what the fan has watched."""
    inst = find_installment(show, ref)
    marks = [k for k in progress.watched if k != inst.key]
    if not undo:
        marks.append(inst.key)
    order = [i.key for i in ordered(show)]
    progress.watched = sorted(marks, key=lambda k: order.index(k) if k in order else len(order))
    return inst


# 4, v4, vol 4, volume 4, book 4: a word or a letter before the number is the unit's name
_VOLUME = re.compile(r"(?:[a-z]+\.?\s*)?(\d{1,4})", re.IGNORECASE)


def parse_volume(raw: str) -> int:
    """A volume number as the fan typed it (4, v4, volume 4), from 1 up, or a one-line error."""
    found = _VOLUME.fullmatch(raw.strip())
    if found is None or int(found[1]) < 1:
        raise InvalidInput(f"{raw!r} is not a volume number.", hint="Give one like 4 or v4.")
    return int(found[1])


def known_volume(show: Show, number: int) -> int:
    """number, when the show's source work has that volume; else a one-line error."""
    unit = show.source_work.unit_name
    known = [u.number for u in show.source_work.units]
    if number not in known:
        listed = f"{min(known)}-{max(known)}" if known else "none"
        raise NotFound(
            f"{show.source_work.title} has no {unit} {number}.", hint=f"Known: {listed}."
        )
    return number


def mark_read(show: Show, progress: ShowProgress, number: int, *, undo: bool = False) -> int:
    """Add (or with undo remove) a volume to what the fan has read."""
    known_volume(show, number)
    marks = {v for v in progress.read if v != number}
    if not undo:
        marks.add(number)
    progress.read = sorted(marks)
    return number


def record_look(personal: Personal, slug: str, now: datetime) -> None:
    """Remember when the fan last looked at a show: what came after it is "new" next time."""
    progress_of(personal, slug).last_looked = now.replace(microsecond=0)
