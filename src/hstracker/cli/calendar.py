"""``hstracker calendar``: releases, filming and publications as an iCalendar file."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from hstracker.cli import context
from hstracker.cli.options import ShowOption


def calendar(
    ctx: typer.Context,
    show: ShowOption = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE instead of stdout.",
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """An iCalendar (.ics) of exact releases, filming and publications; re-import updates."""
    from hstracker.render.calendar import build_calendar

    app = context.get(ctx)
    data = app.store.show(app.store.resolve(show))
    ics = build_calendar(data, app.now())
    if output is None:
        sys.stdout.buffer.write(ics)
        sys.stdout.flush()
        return
    from hstracker.store.atomic import write_atomic

    write_atomic(output, ics, backups=0)
    from rich.text import Text

    app.err.print(Text(f"Wrote {output}."), soft_wrap=True)
