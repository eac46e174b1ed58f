"""Every tracked show's next installment, soonest first, and the shows with nothing announced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from hstracker.core.countdown import Countdown, countdown
from hstracker.core.dates import Precision
from hstracker.core.installments import effective_state, next_installment, ordered, release_window
from hstracker.core.model import Installment, Show, State

# on a tie, the finer date comes first: it is the one a fan can plan around
_FINENESS = {Precision.INSTANT: 0, Precision.DAY: 1, Precision.MONTH: 2, Precision.YEAR: 3}
_NEVER = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Next:
    """One show's next installment: its state as of now and its countdown."""

    show: Show
    installment: Installment
    state: State
    countdown: Countdown


@dataclass(frozen=True, slots=True)
class Quiet:
    """A show with nothing announced after its last installment (None: it has none yet)."""

    show: Show
    last: Installment | None


@dataclass(frozen=True, slots=True)
class Upcoming:
    """What `upcoming` shows: the next installments in order, then the quiet shows."""

    next: list[Next]
    quiet: list[Quiet]


def _order(row: Next) -> tuple[datetime, int, str, str]:
    """An instant or a day by its time, a month or year window by its start; TBA last."""
    inst = row.installment
    window = release_window(row.show, inst)
    if inst.release is None or window is None:
        return (_NEVER, len(_FINENESS), row.show.title.casefold(), row.show.slug)
    start = window[0].astimezone(UTC)
    return (start, _FINENESS[inst.release.value.precision], row.show.title.casefold(), inst.key)


def upcoming(shows: list[Show], now: datetime) -> Upcoming:
    """The next installment of every show, soonest first; shows with none come after."""
    rows: list[Next] = []
    quiet: list[Quiet] = []
    for show in shows:
        nxt = next_installment(show, now)
        if nxt is None:
            story = [inst for inst in ordered(show) if inst.state.value != "cancelled"]
            quiet.append(Quiet(show, story[-1] if story else None))
            continue
        rows.append(Next(show, nxt, effective_state(show, nxt, now), countdown(show, nxt, now)))
    rows.sort(key=_order)
    quiet.sort(key=lambda q: (q.show.title.casefold(), q.show.slug))
    return Upcoming(rows, quiet)
