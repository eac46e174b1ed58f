"""``hstracker cast``: who plays whom, and who is new or returning."""

from __future__ import annotations

from typing import Annotated

import typer

from hstracker.casting import Arrival, cast_of, latest_with_cast
from hstracker.cli import context
from hstracker.cli.options import JsonOption, SeasonOption, ShowOption
from hstracker.errors import InvalidInput, NotFound
from hstracker.schedule import find_installment


def cast(
    ctx: typer.Context,
    show: ShowOption = None,
    season: SeasonOption = None,
    new: Annotated[bool, typer.Option("--new", help="Only cast new in that installment.")] = False,
    returning: Annotated[
        bool, typer.Option("--returning", help="Only cast who were in an earlier one.")
    ] = False,
    json: JsonOption = False,
) -> None:
    """The cast of an installment (default: the latest with a cast list), new or returning."""
    if new and returning:
        raise InvalidInput("--new and --returning exclude each other; give one.")
    app = context.get(ctx)
    data = app.store.show(app.store.resolve(show))
    inst = find_installment(data, season) if season else latest_with_cast(data)
    if inst is None:
        raise NotFound(f"no cast is listed for {data.title} yet.")
    only: Arrival | None = "new" if new else "returning" if returning else None
    rows = cast_of(data, inst, only)
    if json:
        from hstracker import views

        context.print_json(
            {
                "show": data.slug,
                "installment": inst.key,
                "cast": [views.cast_view(member, status) for member, status in rows],
            }
        )
        return
    from hstracker.render import cast_table

    app.out.print(cast_table(data, inst, rows))
