"""``hstracker seasons``: every installment with its state, release and source volumes."""

import typer

from hstracker.cli import context
from hstracker.cli.options import JsonOption, ShowOption
from hstracker.core.installments import ordered
from hstracker.store.layout import NONE


def seasons(ctx: typer.Context, show: ShowOption = None, json: JsonOption = False) -> None:
    """Every season, film and special: state, release at its precision, episodes, volumes."""
    app = context.get(ctx)
    data = app.store.read_show(app.store.resolve(show), NONE)[0]  # shows no news: reads none
    now = app.now()
    if json:
        from hstracker.render.json import seasons_document

        context.print_json(ctx, seasons_document(data, ordered(data), now))
        return
    from hstracker.render.tables import seasons_table

    app.out.print(seasons_table(data, now))
