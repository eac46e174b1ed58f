"""``hstracker status``: the dashboard for one show."""

import contextlib
from datetime import datetime

import typer

from hstracker.cli import context
from hstracker.cli.fan import load_for_fan
from hstracker.cli.options import JsonOption, ShowOption, SpoilersOption
from hstracker.core.adaptation import coverage
from hstracker.core.countdown import countdown
from hstracker.core.episodes import where_to_continue
from hstracker.core.facts import facts_as_of
from hstracker.core.installments import last_released, next_installment
from hstracker.core.marks import record_look
from hstracker.core.model import ShowProgress
from hstracker.core.spoilers import apply_guard, watch_example
from hstracker.core.whats_new import fresh_since
from hstracker.errors import HstrackerError
from hstracker.store import Store
from hstracker.store.layout import Pick, PickFor

LATEST_NEWS = 3


def status(
    ctx: typer.Context,
    show: ShowOption = None,
    spoilers: SpoilersOption = False,
    json: JsonOption = False,
) -> None:
    """What comes next, when, how far the books are adapted, and the latest news."""
    app = context.get(ctx)
    loaded = load_for_fan(app, show, spoilers, _news_needed)
    data, mine, guard = loaded.show, loaded.mine, loaded.guard
    now = app.now()
    nxt = next_installment(data, now)
    cd = countdown(data, nxt, now) if nxt else None
    last = last_released(data, now) if nxt is None else None
    cov = coverage(data, now)
    seen = apply_guard(data, guard, data.latest_news())
    # counted over every item, not only those read (the newest, and what is new)
    held_back = loaded.hidden_news + seen.hidden_plot
    latest = seen.news[:LATEST_NEWS]
    as_of = facts_as_of(data)
    fresh = fresh_since(data, mine.last_looked)
    if json:
        from hstracker.render import json as views

        context.print_json(
            ctx,
            {
                "show": views.show_view(data),
                "now": now,
                "next": views.installment_view(data, nxt, now) if nxt else None,
                "countdown": views.countdown_view(cd) if cd else None,
                "last_released": views.installment_view(data, last, now) if last else None,
                "adaptation": views.coverage_view(cov),
                "news": [views.news_view(item) for item in latest],
                "continue": views.resume_view(where_to_continue(data, mine)),
                "facts_as_of": as_of,
                "spoiler_guard": guard.active,
                "hidden": held_back,
                "new_since_last_looked": {
                    "since": fresh.since,
                    "news": sorted(fresh.news),
                    "facts": fresh.facts,
                },
            },
        )
        return  # --json never records a look: a script polling must not use up "new" marks
    from rich.console import Group

    from hstracker.render import hidden_line
    from hstracker.render.dashboard import fresh_line, status_view
    from hstracker.render.fan import continue_line

    parts = [status_view(data, nxt, cd, cov, latest, as_of, now, fresh.news, last)]
    resume = continue_line(data, mine, now)
    if resume is not None:
        parts.insert(1, resume)
    if fresh:
        parts.append(fresh_line(fresh, seen.news))
    if held_back:
        parts.append(hidden_line(held_back, example=watch_example(data, guard)))
    app.out.print(Group(*parts))
    if fresh or mine.last_looked is None:
        _remember_look(app.store, data.slug, now)


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
