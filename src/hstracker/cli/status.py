"""``hstracker status``: the dashboard for one show."""

import typer

from hstracker.adaptation import coverage
from hstracker.cli import context
from hstracker.cli.options import JsonOption, ShowOption
from hstracker.schedule import countdown, next_installment

LATEST_NEWS = 3


def status(ctx: typer.Context, show: ShowOption = None, json: JsonOption = False) -> None:
    """What comes next, when, how far the books are adapted, and the latest news."""
    app = context.get(ctx)
    store = app.store
    data = store.show(store.resolve(show))
    now = app.now()
    nxt = next_installment(data, now)
    cd = countdown(data, nxt, now) if nxt else None
    cov = coverage(data, now)
    latest = data.latest_news(LATEST_NEWS)
    as_of = data.facts_as_of()
    if json:
        from hstracker import views

        context.print_json(
            {
                "show": views.show_view(data),
                "now": now,
                "next": views.installment_view(data, nxt, now) if nxt else None,
                "countdown": views.countdown_view(cd) if cd else None,
                "adaptation": views.coverage_view(cov),
                "news": [views.news_view(item) for item in latest],
                "facts_as_of": as_of,
            }
        )
        return
    from hstracker.render import status_view

    app.out.print(status_view(data, nxt, cd, cov, latest, as_of, now))
