"""The dashboard's answer for one show: what comes next, when, how far, and the latest news."""

from __future__ import annotations

from datetime import datetime

import msgspec

from hstracker.core.adaptation import Coverage, coverage
from hstracker.core.countdown import Countdown, countdown
from hstracker.core.dates import PartialDate
from hstracker.core.episodes import Resume, where_to_continue
from hstracker.core.facts import facts_as_of
from hstracker.core.installments import last_released, next_installment
from hstracker.core.model import Installment, NewsItem, Show, ShowProgress
from hstracker.core.spoilers import Guard, apply_guard
from hstracker.core.whats_new import Fresh, fresh_since

LATEST_NEWS = 3


class Status(msgspec.Struct, frozen=True):
    """Everything `status` shows, worked out once for the table and the JSON alike."""

    show: Show
    now: datetime
    next: Installment | None
    countdown: Countdown | None
    last_released: Installment | None  # with nothing next, what came out last
    coverage: Coverage
    visible_news: list[NewsItem]  # the news read that the guard lets through, newest first
    hidden: int  # what the guard held back: news (counted over every item) and plot notes
    facts_as_of: PartialDate | None
    fresh: Fresh
    guard: Guard
    progress: ShowProgress  # the fan's marks, for where to continue
    resume: Resume | None  # the next episode to watch, if any

    @property
    def latest(self) -> list[NewsItem]:
        return self.visible_news[:LATEST_NEWS]


def status_of(
    show: Show, mine: ShowProgress, guard: Guard, hidden_news: int, now: datetime
) -> Status:
    """The dashboard for show as this fan sees it; hidden_news is what the guard holds back
    of every item, though show.news may hold only the newest."""
    nxt = next_installment(show, now)
    seen = apply_guard(show, guard, show.latest_news())
    return Status(
        show=show,
        now=now,
        next=nxt,
        countdown=countdown(show, nxt, now) if nxt else None,
        last_released=last_released(show, now) if nxt is None else None,
        coverage=coverage(show, now),
        visible_news=seen.news,
        hidden=hidden_news + seen.hidden_plot,
        facts_as_of=facts_as_of(show),
        fresh=fresh_since(show, mine.last_looked),
        guard=guard,
        progress=mine,
        resume=where_to_continue(show, mine),
    )
