"""``hstracker sync``: refresh seasons, release dates and cast from TVmaze."""

from typing import Annotated

import typer

from hstracker.cli import context
from hstracker.cli.options import ShowOption


def sync(
    ctx: typer.Context,
    show: ShowOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
) -> None:
    """Refresh seasons, release dates, episodes and cast from TVmaze (CC BY-SA)."""
    from hstracker.core.merge import merge_report
    from hstracker.render.sync import progress, sync_report
    from hstracker.sources import tvmaze
    from hstracker.sources.http import Client

    app = context.get(ctx)
    store = app.store
    before = store.show(store.resolve(show))
    # the network is done before taking the lock, so a slow server never blocks other writers
    with progress(app.err) as bar, Client() as client:
        bar.add_task(f"Syncing {before.title} from TVmaze", total=None)
        report = tvmaze.fetch_show(client, before, app.now())
    if dry_run:
        changes = merge_report(before, report)
    else:
        with store.edit_show(before.slug) as data:
            changes = merge_report(data, report)
    app.out.print(sync_report(before.title, changes, dry_run))
