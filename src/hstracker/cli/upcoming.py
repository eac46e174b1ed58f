"""``hstracker upcoming``: the next installment of every tracked show, soonest first."""

import typer

from hstracker.cli import context
from hstracker.cli.options import JsonOption, LimitOption
from hstracker.core.upcoming import upcoming as gather
from hstracker.store import NONE

DEFAULT_LIMIT = 50


def upcoming(
    ctx: typer.Context,
    limit: LimitOption = DEFAULT_LIMIT,
    json: JsonOption = False,
) -> None:
    """What comes next across every show you track, soonest first."""
    app = context.get(ctx)
    store = app.store
    now = app.now()
    found = gather(store.shows(store.slugs(), NONE), now)
    more = max(len(found.next) - limit, 0)
    found.next[limit:] = []
    if json:
        from hstracker.render import json as views

        context.print_json(ctx, views.upcoming_view(found, now))
        return
    from hstracker.render.upcoming import upcoming_view

    app.out.print(upcoming_view(found, more))
