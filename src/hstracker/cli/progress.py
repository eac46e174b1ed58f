"""``hstracker progress``, ``watched`` and ``read``: the adaptation map and the fan's marks."""

from __future__ import annotations

from typing import Annotated

import typer

from hstracker.adaptation import adaptation_map, coverage, read_next
from hstracker.cli import context
from hstracker.cli.options import JsonOption, ShowOption, SpoilersOption, UndoOption
from hstracker.model import ShowProgress
from hstracker.personal import mark_read, mark_watched, progress_of
from hstracker.spoilers import Guard, apply_guard, guard_for


def progress(
    ctx: typer.Context,
    show: ShowOption = None,
    spoilers: SpoilersOption = False,
    json: JsonOption = False,
) -> None:
    """The adaptation map: what each installment adapts, what is left, and what to read next."""
    app = context.get(ctx)
    store = app.store
    personal = store.personal()
    data = store.show(store.resolve(show, personal))
    now = app.now()
    mine = personal.progress.get(data.slug) or ShowProgress()
    guard = Guard.off() if spoilers else guard_for(data, mine)
    rows = adaptation_map(data, now)
    cov = coverage(data, now)
    nxt = read_next(data, mine.watched, mine.read)
    seen = apply_guard(data, guard, [])
    if json:
        from hstracker import views

        context.print_json(
            {
                "show": data.slug,
                "installments": [views.map_row_view(row) for row in rows],
                "adaptation": views.coverage_view(cov),
                "source_total": views.fact_view(data.source_work.total),
                "watched": mine.watched,
                "read": mine.read,
                "read_next": nxt,
                "plot": [views.plot_view(inst, note) for inst, note in seen.plot],
                "hidden": seen.hidden,
            }
        )
        return
    from hstracker.render_fan import progress_view

    watched_keys = guard_for(data, mine).seen  # watching s2 implies s1, whatever --spoilers says
    app.out.print(progress_view(data, rows, cov, mine, nxt, seen, watched_keys))


def watched(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="REF", help="s2, 2, film, or a title.")],
    undo: UndoOption = False,
    show: ShowOption = None,
) -> None:
    """Record that you have watched an installment (or, with --undo, that you have not)."""
    app = context.get(ctx)
    store = app.store
    with store.transaction() as tx:
        personal = tx.personal()
        data = tx.show(store.resolve(show, personal))
        mine = progress_of(personal, data.slug)
        inst = mark_watched(data, mine, ref, undo=undo)
        tx.put_personal(personal)
    from hstracker.render_fan import marked

    verb = "not watched" if undo else "watched"
    app.out.print(marked(f"Marked {inst.label} as {verb}.", data, mine))


def read(
    ctx: typer.Context,
    volume: Annotated[str, typer.Argument(metavar="VOLUME", help="A volume number: 4 or v4.")],
    undo: UndoOption = False,
    show: ShowOption = None,
) -> None:
    """Record that you have read a volume (or, with --undo, that you have not)."""
    app = context.get(ctx)
    store = app.store
    with store.transaction() as tx:
        personal = tx.personal()
        data = tx.show(store.resolve(show, personal))
        mine = progress_of(personal, data.slug)
        number = mark_read(data, mine, volume, undo=undo)
        tx.put_personal(personal)
    from hstracker.render_fan import marked

    unit = data.source_work.unit_name
    verb = "not read" if undo else "read"
    app.out.print(marked(f"Marked {unit} {number} as {verb}.", data, mine))
