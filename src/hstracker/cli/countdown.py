"""``hstracker countdown``: time left to a release, once or live with --watch."""

import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from hstracker.cli import complete, context
from hstracker.cli.options import JsonOption, ShowOption, installment_ref
from hstracker.core.countdown import countdown as count
from hstracker.core.countdown import counting_to
from hstracker.store.layout import NONE

if TYPE_CHECKING:
    from rich.console import RenderableType

    from hstracker.core.model import Installment, Show

TICK = 1.0


def countdown(
    ctx: typer.Context,
    ref: Annotated[
        str | None,
        typer.Argument(
            metavar="[REF]",
            help="An installment (default: the next one).",
            autocompletion=complete.installments,
            parser=installment_ref,
        ),
    ] = None,
    watch: Annotated[
        bool, typer.Option("--watch", help="Keep counting, live, until Ctrl-C or the release.")
    ] = False,
    show: ShowOption = None,
    json: JsonOption = False,
) -> None:
    """How long until a release, at the precision that is really known."""
    app = context.get(ctx)
    data = app.store.read_show(app.store.resolve(show), NONE)[0]  # shows no news: reads none
    now = app.now()
    counting = counting_to(data, ref, now)
    if json:
        from hstracker.render.json import countdown_document

        context.print_json(ctx, countdown_document(data, counting, now))
        return
    inst = counting.installment
    if inst is None:  # everything is out: not an error, but what came last and how long ago
        from hstracker.render.fan import nothing_next_view

        app.out.print(nothing_next_view(data, counting.last_released, now))
        return
    from hstracker.render.fan import countdown_view

    def frame() -> "tuple[RenderableType, bool]":
        cd = count(data, inst, app.now())
        return countdown_view(data, inst, cd), cd.released or cd.target is None

    view, done = frame()
    if not watch or done or not app.out.is_terminal:
        app.out.print(view)
        return
    if not app.out.is_interactive:
        _watch_by_lines(app, data, inst)
        return
    from rich.live import Live

    # Ctrl-C, SIGTERM and SIGHUP raise KeyboardInterrupt out of the loop; the terminal is
    # restored on the way (even if the signal came while Live was starting) and the root
    # group turns it into exit 130 with one line, no traceback.
    live = Live(view, console=app.out, auto_refresh=False, transient=False)

    def restore() -> None:
        live.stop()
        app.out.show_cursor(True)

    with _signals_interrupt(restore):
        live.start(refresh=True)
        while not done:
            time.sleep(TICK - (time.monotonic() % TICK))
            view, done = frame()
            live.update(view, refresh=True)


@contextmanager
def _signals_interrupt(restore: "Callable[[], None]") -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP raise KeyboardInterrupt while the block runs; restore()
    then runs with them held off, so a second signal cannot cut it short."""

    def interrupt(signum: int, frame: object) -> None:  # noqa: ARG001 (signal's signature)
        raise KeyboardInterrupt

    # SIGHUP does not exist on Windows
    signums = [getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n)]
    saved = {signum: signal.signal(signum, interrupt) for signum in signums}
    try:
        yield
    finally:
        for signum in signums:
            signal.signal(signum, signal.SIG_IGN)
        try:
            restore()
        finally:
            for signum, handler in saved.items():
                signal.signal(signum, handler)


LINE_EVERY = 60.0  # seconds between lines when the terminal cannot redraw


def _watch_by_lines(app: context.AppContext, data: "Show", inst: "Installment") -> None:
    """A terminal that cannot move its cursor (TERM=dumb) gets a line a minute, and the
    release when it comes, instead of a live view it would never draw."""
    from hstracker.render.fan import countdown_line, countdown_view

    last = time.monotonic()
    app.out.print(countdown_line(inst, count(data, inst, app.now())))
    while True:
        time.sleep(TICK - (time.monotonic() % TICK))
        cd = count(data, inst, app.now())
        if cd.released or cd.target is None:
            app.out.print(countdown_view(data, inst, cd))
            return
        if time.monotonic() - last >= LINE_EVERY:
            last = time.monotonic()
            app.out.print(countdown_line(inst, cd))
