"""``hstracker calendar``: releases, filming and publications as an iCalendar file."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from hstracker.cli import context
from hstracker.cli.options import ShowOption
from hstracker.store.layout import NONE


def calendar(
    ctx: typer.Context,
    show: ShowOption = None,
    all_: Annotated[
        bool, typer.Option("--all", help="One calendar with every show you track.")
    ] = False,
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
    from hstracker.errors import InvalidInput
    from hstracker.render.calendar import build_calendar, build_calendar_all

    if all_ and show:
        raise InvalidInput("--all and --show exclude each other; give one.")
    app = context.get(ctx)
    store = app.store
    if all_:
        ics = build_calendar_all(store.shows(store.slugs(), NONE), app.now())  # no news in it
    else:
        ics = build_calendar(store.read_show(store.resolve(show), NONE)[0], app.now())
    if output is None:
        sys.stdout.buffer.write(ics)
        sys.stdout.flush()
        return
    from hstracker.store.atomic import write_atomic

    write_atomic(output, ics, backups=0)
    from rich.text import Text

    app.err.print(Text(f"Wrote {output}."), soft_wrap=True)
