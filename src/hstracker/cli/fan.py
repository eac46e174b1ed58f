"""A show as this fan should see it: with their progress, and the spoiler guard that follows."""

from __future__ import annotations

from collections.abc import Callable

import msgspec

from hstracker.cli.context import AppContext
from hstracker.core.model import Personal, Show, ShowProgress
from hstracker.core.spoilers import Guard, guard_for
from hstracker.store import Pick, PickFor, hidden

# which news a command needs, from the fan's progress and whether the spoiler guard is on
NewsWanted = Callable[[ShowProgress, bool], "Pick | PickFor"]


class FanView(msgspec.Struct, frozen=True):
    """A show as this fan should see it."""

    personal: Personal
    show: Show
    mine: ShowProgress
    guard: Guard
    total_news: int  # how many items the show has, though show.news may hold fewer
    hidden_news: int  # how many of them the guard holds back, counted without reading them


def load_for_fan(app: AppContext, slug: str | None, spoilers: bool, news: NewsWanted) -> FanView:
    """The show, the fan's progress for it, and the guard (off with --spoilers).

    news says which news the command shows (from the fan's progress and whether the guard is
    on); only the parts of the store holding it are read. The view counts every item, and
    those the guard hides, from the head alone.
    """
    personal = app.store.personal()
    slug = app.store.resolve(slug, personal)
    mine = personal.progress.get(slug) or ShowProgress()
    guarded = not spoilers  # the guard is on from the start (core/spoilers.py)
    show, shapes = app.store.read_show(slug, news(mine, guarded))
    guard = Guard.off() if spoilers else guard_for(show, mine)
    total = sum(shapes.values())
    return FanView(personal, show, mine, guard, total, hidden(shapes, guard.hides))
