"""A show as this fan should see it: with their progress, and the spoiler guard that follows."""

from __future__ import annotations

import msgspec

from hstracker.cli.context import AppContext
from hstracker.core.model import Personal, Show, ShowProgress
from hstracker.core.spoilers import Guard, guard_for


class FanView(msgspec.Struct, frozen=True):
    """A show as this fan should see it."""

    personal: Personal
    show: Show
    mine: ShowProgress
    guard: Guard


def load_for_fan(app: AppContext, slug: str | None, spoilers: bool) -> FanView:
    """The show, the fan's progress for it, and the guard (off with --spoilers)."""
    personal = app.store.personal()
    show = app.store.show(app.store.resolve(slug, personal))
    mine = personal.progress.get(show.slug) or ShowProgress()
    guard = Guard.off() if spoilers else guard_for(show, mine)
    return FanView(personal, show, mine, guard)
