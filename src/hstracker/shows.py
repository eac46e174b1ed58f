"""The list of tracked shows: each with its next installment, and which one is the default."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hstracker.model import Installment, Show
from hstracker.schedule import next_installment


@dataclass(frozen=True, slots=True)
class ShowSummary:
    """One row of `shows list`."""

    show: Show
    next: Installment | None
    default: bool
    shipped: bool


def summarize(
    shows: list[Show], default: str, shipped: set[str], now: datetime
) -> list[ShowSummary]:
    """Every show with what comes next, in slug order."""
    return [
        ShowSummary(show, next_installment(show, now), show.slug == default, show.slug in shipped)
        for show in sorted(shows, key=lambda s: s.slug)
    ]
