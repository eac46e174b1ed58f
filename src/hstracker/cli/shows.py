"""``hstracker shows``: managing the tracked shows (here: linking one to TVmaze)."""

from __future__ import annotations

from typing import Annotated

import typer

from hstracker.cli import context

shows = typer.Typer(name="shows", help="Manage the shows you track.", no_args_is_help=True)


@shows.command("link")
def link(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(metavar="SLUG", help="The show to link.")],
    tvmaze: Annotated[
        int, typer.Option("--tvmaze", metavar="ID", min=1, help="The show's TVmaze id.")
    ],
) -> None:
    """Set the TVmaze id that `sync` uses for a show, instead of searching by title."""
    from rich.text import Text

    app = context.get(ctx)
    store = app.store
    resolved = store.resolve(slug)
    with store.transaction() as tx:
        data = tx.show(resolved)
        if data.tvmaze_id != tvmaze:
            data.tvmaze_id = tvmaze
            tx.put_show(data)
    app.out.print(Text(f"{data.title} is linked to TVmaze show {tvmaze}."))
