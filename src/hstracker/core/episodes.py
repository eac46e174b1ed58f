"""Progress down to the episode: which episodes the fan has watched, and where to continue."""

from __future__ import annotations

import re
from datetime import datetime

import msgspec

from hstracker.core.installments import find_installment, ordered
from hstracker.core.model import MAX_EPISODES, Episode, Installment, Show, ShowProgress, Watch
from hstracker.errors import InvalidInput, NotFound

# `s3e4`, `s3e1-4`, `S03E04`: a season and an episode or a run of them
_EPISODE_REF = re.compile(r"^s(\d{1,4})e(\d{1,4})(?:-(?:e)?(\d{1,4}))?$")


class Target(msgspec.Struct, frozen=True):
    """What a `watched` reference names: an installment, and maybe a run of its episodes."""

    installment: Installment
    first: int | None = None  # None: the whole installment
    last: int | None = None


def parse_target(show: Show, ref: str) -> Target:
    """Resolve 's3e4', 's3e1-4' or any installment reference ('s3', 'film') against show."""
    wanted = ref.strip().lower().replace(" ", "")
    match = _EPISODE_REF.match(wanted)
    if match is None:
        return Target(find_installment(show, ref))
    inst = find_installment(show, f"s{int(match[1])}")
    first = int(match[2])
    last = int(match[3]) if match[3] else first
    if first < 1 or last < first:
        raise InvalidInput(
            f"{ref!r} is not a run of episodes.", hint="Give one like s3e4 or s3e1-4."
        )
    known = known_numbers(inst)
    if known:
        missing = [n for n in range(first, last + 1) if n not in known]
        if missing:
            raise NotFound(
                f"{inst.label} has no episode {missing[0]}.",
                hint=f"Known: {_runs(sorted(known))}.",
            )
    elif last > MAX_EPISODES:
        raise InvalidInput(f"{ref!r}: an installment has at most {MAX_EPISODES} episodes.")
    return Target(inst, first, last)


def known_numbers(inst: Installment) -> set[int]:
    """The episode numbers a source lists for inst (empty before a sync has fetched them)."""
    return {e.number for e in inst.episode_list}


def _runs(numbers: list[int]) -> str:
    """'1-8' or '1-3, 5'."""
    runs: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        runs.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(runs)


def watched_numbers(progress: ShowProgress, key: str) -> set[int]:
    return {w.number for w in progress.episodes.get(key, [])}


def add_watch(
    progress: ShowProgress, key: str, number: int, at: datetime | None, times: int = 1
) -> bool:
    """Record one watch of an episode; True if it was not marked before.

    A mark already there keeps its earliest date and the larger count: importing the same
    history twice changes nothing, and a rewatch counted in an export is kept.
    """
    marks = progress.episodes.setdefault(key, [])
    for i, mark in enumerate(marks):
        if mark.number == number:
            earliest = mark.at if at is None or (mark.at is not None and mark.at <= at) else at
            marks[i] = Watch(number=number, at=earliest, times=max(mark.times, times))
            return False
    marks.append(Watch(number=number, at=at, times=times))
    marks.sort(key=lambda w: w.number)
    return True


def mark_target(
    show: Show, progress: ShowProgress, target: Target, now: datetime, *, undo: bool = False
) -> None:
    """Mark (or with undo unmark) what target names: episodes where they are known, else the
    whole installment."""
    inst = target.installment
    key = inst.key
    known = sorted(known_numbers(inst))
    now = now.replace(microsecond=0)  # to the second, as the fan would say it
    if target.first is None:
        if undo:
            progress.episodes.pop(key, None)
            progress.watched = [k for k in progress.watched if k != key]
        elif known:
            for number in known:
                add_watch(progress, key, number, now)
            progress.watched = [k for k in progress.watched if k != key]
        elif key not in progress.watched:
            _add_key(show, progress, key)
        return
    assert target.last is not None
    numbers = range(target.first, target.last + 1)
    if undo:
        if key in progress.watched:  # watched whole: what is left is every other episode
            progress.watched = [k for k in progress.watched if k != key]
            for number in known:
                add_watch(progress, key, number, None)
        kept = [w for w in progress.episodes.get(key, []) if w.number not in numbers]
        if kept:
            progress.episodes[key] = kept
        else:
            progress.episodes.pop(key, None)
        return
    for number in numbers:
        add_watch(progress, key, number, now)


def _add_key(show: Show, progress: ShowProgress, key: str) -> None:
    order = [i.key for i in ordered(show)]
    marks = [*progress.watched, key]
    progress.watched = sorted(marks, key=lambda k: order.index(k) if k in order else len(order))


class Tally(msgspec.Struct, frozen=True):
    """How much of one installment the fan has watched."""

    key: str
    watched: int  # episodes watched (of those known, where they are known)
    known: int  # episodes known; 0 when none are
    whole: bool  # counts as watched: marked whole, or every known episode is

    @property
    def partly(self) -> bool:
        return not self.whole and self.watched > 0


def tally(inst: Installment, progress: ShowProgress) -> Tally:
    """The fan's tally of inst: a season counts as watched when all its known episodes are."""
    known = known_numbers(inst)
    marked = watched_numbers(progress, inst.key)
    if inst.key in progress.watched:
        return Tally(inst.key, len(known) or len(marked), len(known), True)
    if known:
        seen = len(known & marked)
        return Tally(inst.key, seen, len(known), seen == len(known))
    return Tally(inst.key, len(marked), 0, False)


def watched_keys(show: Show, progress: ShowProgress) -> list[str]:
    """The installments that count as watched, in story order."""
    return [inst.key for inst in ordered(show) if tally(inst, progress).whole]


def touched_keys(show: Show, progress: ShowProgress) -> list[str]:
    """The installments the fan has watched any of, in story order."""
    return [
        inst.key
        for inst in ordered(show)
        if inst.key in progress.watched or progress.episodes.get(inst.key)
    ]


class Resume(msgspec.Struct, frozen=True):
    """Where the fan continues: the next episode, and the installment it belongs to."""

    installment: Installment
    episode: Episode


def where_to_continue(show: Show, progress: ShowProgress) -> Resume | None:
    """The first unwatched known episode after the last installment the fan has touched
    (or within it), or None when nothing is marked or nothing known is left."""
    touched = touched_keys(show, progress)
    if not touched:
        return None
    order = ordered(show)
    start = next(i for i, inst in enumerate(order) if inst.key == touched[-1])
    for inst in order[start:]:
        if tally(inst, progress).whole:
            continue
        marked = watched_numbers(progress, inst.key)
        top = max(marked, default=0)
        episodes = sorted(inst.episode_list, key=lambda e: e.number)
        after = [e for e in episodes if e.number > top and e.number not in marked]
        left = after or [e for e in episodes if e.number not in marked]
        if left:
            return Resume(inst, left[0])
        if not episodes:
            return None  # the next installment has no episodes known yet
    return None
