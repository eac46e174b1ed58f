"""Which news parts `news` and `status` read: the newest they show, or what a filter may match."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from hstracker.core.dates import PartialDate
from hstracker.core.installments import find_installment
from hstracker.core.model import Show, ShowProgress
from hstracker.core.spoilers import guard_for
from hstracker.errors import HstrackerError
from hstracker.store.layout import ALL, Pick, PickFor, hidden


def timeline_pick(
    season: str | None, since: PartialDate | None, limit: int | None
) -> Callable[[ShowProgress, bool], Pick | PickFor]:
    """The news `news --season/--since/--limit` needs.

    Filters read every part that may hold a match (the timeline counts them all); otherwise
    the newest parts up to the limit, the total and what the guard hides counted from the
    head. A bad --season is left to the timeline, which refuses it in one line; --since
    comes parsed.
    """

    def wanted(mine: ShowProgress, guarded: bool) -> Pick | PickFor:
        if not (season or since):
            return ALL if limit is None else newest(mine, guarded, limit)
        return lambda show: _filtered(show, season, since)

    return wanted


def newest(
    mine: ShowProgress, guarded: bool, count: int, added_after: datetime | None = None
) -> Pick | PickFor:
    """The newest parts holding count items the fan may see (and those holding items added
    after added_after). With the guard on, each part's tally says how many of its items the
    guard shows before the part is read."""
    if not guarded:
        return Pick(newest=count, added_after=added_after)

    def pick(show: Show) -> Pick:
        guard = guard_for(show, mine)
        return Pick(
            newest=count,
            added_after=added_after,
            visible=lambda part: part.count - hidden(part.shapes, guard.hides),
        )

    return pick


def _filtered(show: Show, season: str | None, since: PartialDate | None) -> Pick:
    try:
        key = find_installment(show, season).key if season else None
    except HstrackerError:
        return Pick()  # the timeline raises the same error, with the show in hand
    return Pick(
        installment=key,
        since=(since.year, since.month or 0) if since else None,
        # a filter that names nothing still reads nothing more
        newest=0,
    )
