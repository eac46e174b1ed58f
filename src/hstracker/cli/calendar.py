"""``hstracker calendar``: releases, filming and publications as an iCalendar file."""

import sys
from typing import Annotated

import typer

from hstracker.cli import context
from hstracker.cli.options import OutputOption, ShowOption
from hstracker.store import NONE


def calendar(
    ctx: typer.Context,
    show: ShowOption = None,
    all_: Annotated[
        bool, typer.Option("--all", help="One calendar with every show you track.")
    ] = False,
    output: OutputOption = None,
) -> None:
    """An iCalendar (.ics) of exact releases, filming and publications; re-import updates."""
    from rich.text import Text

    from hstracker.errors import InvalidInput
    from hstracker.render.calendar import build_calendar, build_calendar_all

    if all_ and show:
        raise InvalidInput("--all and --show exclude each other; give one.")
    app = context.get(ctx)
    store = app.store
    if all_:
        slug = "hstracker"
        ics = build_calendar_all(store.shows(store.slugs(), NONE), app.now())  # no news in it
    else:
        slug = store.resolve(show)
        ics = build_calendar(store.read_show(slug, NONE)[0], app.now())
    if output is None:
        stream = sys.stdout.buffer  # a local, so a failing write is known as the output's
        stream.write(ics)
        stream.flush()
        if sys.stdout.isatty():
            # raw iCalendar means little on a screen: say what it is for, once, on stderr
            again = "hstracker calendar" + (" --all" if all_ else f" --show {slug}" * bool(show))
            context.error_line(
                app.err,
                f"that is an iCalendar file for a calendar app; save it with "
                f"`{again} --output {slug}.ics` and open or import that file.",
                style=None,
            )
        return
    from hstracker.store import write_output

    write_output(output, ics)
    from hstracker.store import shown

    app.err.print(Text(f"Wrote {shown(output)}."), soft_wrap=True)
