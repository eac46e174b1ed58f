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
    from hstracker.core.merge import merge
    from hstracker.render.sync import progress, sync_report
    from hstracker.sources import tvmaze
    from hstracker.sources.http import Client

    app = context.get(ctx)
    store = app.store
    slug = store.resolve(show)
    before = store.show(slug)
    # the network is done before taking the lock, so a slow server never blocks other writers
    with progress(app.err) as bar, Client() as client:
        task = bar.add_task(f"Syncing {before.title} from TVmaze", total=2)
        show_id = before.tvmaze_id or tvmaze.find(client, before.title)
        bar.advance(task)
        synced = tvmaze.fetch(client, show_id, app.now(), before.release_zone)
        bar.advance(task)
    if dry_run:
        changes = merge(before, synced)
    else:
        with store.transaction() as tx:
            data = tx.show(slug)
            changes = merge(data, synced)
            if changes:
                tx.put_show(data)
    app.out.print(sync_report(before.title, changes, dry_run))
