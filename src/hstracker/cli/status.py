"""``hstracker status``: the dashboard for one show."""

import contextlib
from datetime import datetime

import typer

from hstracker.cli import context
from hstracker.cli.fan import load_for_fan
from hstracker.cli.options import JsonOption, ShowOption, SpoilersOption
from hstracker.core.marks import record_look
from hstracker.core.model import ShowProgress
from hstracker.core.status import LATEST_NEWS, status_of
from hstracker.errors import HstrackerError
from hstracker.store import Store
from hstracker.store.layout import Pick, PickFor


def status(
    ctx: typer.Context,
    show: ShowOption = None,
    spoilers: SpoilersOption = False,
    json: JsonOption = False,
) -> None:
    """What comes next, when, how far the books are adapted, and the latest news."""
    app = context.get(ctx)
    loaded = load_for_fan(app, show, spoilers, _news_needed)
    now = app.now()
    st = status_of(loaded.show, loaded.mine, loaded.guard, loaded.hidden_news, now)
    if json:
        from hstracker.render.json import status_document

        context.print_json(ctx, status_document(st))
        return  # --json never records a look: a script polling must not use up "new" marks
    from hstracker.render.dashboard import dashboard

    app.out.print(dashboard(st))
    if st.fresh or loaded.mine.last_looked is None:
        _remember_look(app.store, st.show.slug, now)


def _news_needed(mine: ShowProgress, guarded: bool) -> Pick | PickFor:
    """The latest items the fan may see, and what is new since the last look."""
    from hstracker.store.news_pick import newest

    return newest(mine, guarded, LATEST_NEWS, mine.last_looked)


def _remember_look(store: Store, slug: str, now: datetime) -> None:
    """Record the look without ever slowing or failing the dashboard.

    Nothing changes when nothing was new, so that case skips the write entirely. A busy lock
    or a refusing disk skips it too: the next look marks the same items again, which is the
    honest outcome.
    """
    with contextlib.suppress(HstrackerError, OSError), store.edit_personal(lock_timeout=0) as me:
        record_look(me, slug, now)
