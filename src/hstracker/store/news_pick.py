"""Which news parts the `news` timeline reads: the newest up to its limit, or what it filters."""

from __future__ import annotations

from collections.abc import Callable

from hstracker.core.dates import PartialDate, parse_day
from hstracker.core.installments import find_installment
from hstracker.core.model import Show, ShowProgress
from hstracker.store.layout import ALL, Pick, PickFor


def timeline_pick(
    season: str | None, since: str | None, limit: int | None
) -> Callable[[ShowProgress, bool], Pick | PickFor]:
    """The news `news --season/--since/--limit` needs.

    Filters read every part that may hold a match (the timeline counts them all); with the
    spoiler guard on and no filter, every part, since it counts what it hides. Otherwise the
    newest parts up to the limit. A bad --since or --season is left to the timeline, which
    refuses it in one line.
    """

    def wanted(_mine: ShowProgress, guarded: bool) -> Pick | PickFor:
        if not (season or since):
            return ALL if guarded or limit is None else Pick(newest=limit)
        return lambda show: _filtered(show, season, since)

    return wanted


def _filtered(show: Show, season: str | None, since: str | None) -> Pick:
    from hstracker.errors import HstrackerError

    try:
        key = find_installment(show, season).key if season else None
        start = PartialDate.of(parse_day(since, "--since")) if since else None
    except HstrackerError:
        return Pick()  # the timeline raises the same error, with the show in hand
    return Pick(
        installment=key,
        since=(start.year, start.month or 0) if start else None,
        # a filter that names nothing still reads nothing more
        newest=0,
    )
