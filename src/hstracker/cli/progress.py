"""``hstracker progress``, ``watched`` and ``read``: the adaptation map and the fan's marks."""

from collections.abc import Callable

import typer

from hstracker.cli import context
from hstracker.cli.fan import load_for_fan
from hstracker.cli.options import (
    JsonOption,
    ShowOption,
    SpoilersOption,
    UndoOption,
    VolumeArgument,
    WatchRefArgument,
)
from hstracker.core.adaptation import adaptation_map, coverage, read_next
from hstracker.core.episodes import tally, watched_keys
from hstracker.core.installments import ordered
from hstracker.core.marks import mark_read, mark_watched, progress_of
from hstracker.core.model import Show, ShowProgress
from hstracker.core.spoilers import apply_guard, guard_for, watch_example
from hstracker.store.layout import NONE


def progress(
    ctx: typer.Context,
    show: ShowOption = None,
    spoilers: SpoilersOption = False,
    json: JsonOption = False,
) -> None:
    """The adaptation map: what each installment adapts, what is left, and what to read next."""
    app = context.get(ctx)
    loaded = load_for_fan(app, show, spoilers, lambda _mine, _guarded: NONE)  # shows no news
    data, mine, guard = loaded.show, loaded.mine, loaded.guard
    now = app.now()
    rows = adaptation_map(data, now)
    cov = coverage(data, now)
    done = watched_keys(data, mine)
    nxt = read_next(data, done, mine.read)
    tallies = [tally(inst, mine) for inst in ordered(data)]
    seen = apply_guard(data, guard, [])
    if json:
        from hstracker.render.json import progress_document

        context.print_json(
            ctx, progress_document(data, rows, cov, done, tallies, mine.read, nxt, seen)
        )
        return
    from hstracker.render.fan import progress_view

    seen_keys = guard_for(data, mine).seen  # watching s2 implies s1, whatever --spoilers says
    example = watch_example(data, guard)
    app.out.print(progress_view(data, rows, cov, mine, nxt, seen, seen_keys, example, tallies, now))


def _mark(
    ctx: typer.Context, show: str | None, change: Callable[[Show, ShowProgress], str]
) -> None:
    """Apply one change to the fan's marks under the lock, then say where they now stand."""
    app = context.get(ctx)
    store = app.store
    with store.transaction() as tx:
        personal = tx.personal()
        data = tx.show(store.resolve(show, personal))
        mine = progress_of(personal, data.slug)
        message = change(data, mine)
        tx.put_personal(personal)
    from hstracker.render.fan import marked

    app.out.print(marked(message, data, mine, app.now()))


def watched(
    ctx: typer.Context,
    ref: WatchRefArgument,
    undo: UndoOption = False,
    show: ShowOption = None,
) -> None:
    """Record that you watched an episode (s3e4), a run (s3e1-4) or an installment (s3, film).

    With --undo, the mark is removed.
    """
    now = context.get(ctx).now()

    def change(data: Show, mine: ShowProgress) -> str:
        what = mark_watched(data, mine, ref, now, undo=undo)
        return f"Marked {what} as {'not watched' if undo else 'watched'}."

    _mark(ctx, show, change)


def read(
    ctx: typer.Context,
    volume: VolumeArgument,
    undo: UndoOption = False,
    show: ShowOption = None,
) -> None:
    """Record that you have read a volume (or, with --undo, that you have not)."""

    def change(data: Show, mine: ShowProgress) -> str:
        number = mark_read(data, mine, volume, undo=undo)
        unit = data.source_work.unit_name
        return f"Marked {unit} {number} as {'not read' if undo else 'read'}."

    _mark(ctx, show, change)
