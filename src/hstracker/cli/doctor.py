"""``hstracker doctor``: check every store file, and repair damaged ones from backups."""

from typing import Annotated

import typer

from hstracker.cli import context
from hstracker.cli.options import JsonOption
from hstracker.errors import StoreCorrupt


def doctor(
    ctx: typer.Context,
    repair: Annotated[
        bool,
        typer.Option(
            "--repair",
            help="Move damaged files aside (kept), restore the newest good backup, and merge "
            "newer shipped data into your copies.",
        ),
    ] = False,
    accept_loss: Annotated[
        bool,
        typer.Option(
            "--accept-loss",
            help="With --repair: also do what drops something (restore an older backup, drop "
            "a news part that cannot be read), once doctor has named it.",
        ),
    ] = False,
    json: JsonOption = False,
) -> None:
    """Check every file of your store and its backups, and whether your copies are behind the
    shipped data; --repair fixes what it can."""
    from hstracker.store import catch_up, check, copies
    from hstracker.store import repair as fix

    app = context.get(ctx)
    store = app.store
    found = fix(store, app.now(), accept_loss=accept_loss) if repair else check(store)
    behind = copies(store)
    if repair and not any(item.open_problem for item in found):
        catch_up(store, behind)
    if json:
        from hstracker.render.json import doctor_view

        context.print_json(ctx, doctor_view(store.home, found, behind, repaired=repair))
    else:
        from hstracker.render.doctor import doctor_report

        app.out.print(doctor_report(store.home, found, behind, repaired=repair), soft_wrap=True)
    remaining = sum(item.open_problem for item in found)
    if remaining:
        raise StoreCorrupt(
            f"{remaining} store file(s) in {store.home} still have problems.",
            hint="Run `hstracker doctor --repair`, or restore the file from your own backup."
            if not repair
            else "Restore the file from your own backup, or move it aside to start afresh.",
        )
