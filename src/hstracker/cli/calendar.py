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
        ics = build_calendar_all(store.shows(store.slugs()), app.now())
    else:
        ics = build_calendar(store.show(store.resolve(show)), app.now())
    if output is None:
        stream = sys.stdout.buffer  # a local, so a failing write is known as the output's
        stream.write(ics)
        stream.flush()
        return
    from hstracker.store.atomic import write_output

    write_output(output, ics)
    from rich.text import Text

    from hstracker.store.files import shown

    app.err.print(Text(f"Wrote {shown(output)}."), soft_wrap=True)
