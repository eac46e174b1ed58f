"""The list of tracked shows: each with its next installment, and which one is the default."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hstracker.core.installments import effective_state, next_installment
from hstracker.core.model import Installment, Show, State


@dataclass(frozen=True, slots=True)
class ShowSummary:
    """One row of `shows list`."""

    show: Show
    next: Installment | None
    state: State | None  # the next installment's state as of now
    default: bool
    shipped: bool


def _summary(show: Show, default: str, shipped: set[str], now: datetime) -> ShowSummary:
    nxt = next_installment(show, now)
    state = effective_state(show, nxt, now) if nxt else None
    return ShowSummary(show, nxt, state, show.slug == default, show.slug in shipped)


def summarize(
    shows: list[Show], default: str, shipped: set[str], now: datetime
) -> list[ShowSummary]:
    """Every show with what comes next, in slug order."""
    return [_summary(show, default, shipped, now) for show in sorted(shows, key=lambda s: s.slug)]
