"""``hstracker sync``: refresh installments, dates, cast and volumes from every public source."""

from typing import Annotated

import typer

from hstracker.cli import context
from hstracker.cli.options import JsonOption, ShowOption


def sync(
    ctx: typer.Context,
    show: ShowOption = None,
    all_: Annotated[bool, typer.Option("--all", help="Sync every show you track.")] = False,
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source",
            metavar="NAME",
            help="Only this source: tvmaze, wikidata or openlibrary; repeat for more.",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    notify: Annotated[
        bool,
        typer.Option(
            "--notify",
            help="A desktop notification per show whose dates, states, trailers, volumes or "
            "upcoming cast changed (notify-send or osascript; else the summary on stderr).",
        ),
    ] = False,
    json: JsonOption = False,
) -> None:
    """Refresh seasons, films, dates, cast and volumes from TVmaze, Wikidata and Open Library."""

    from hstracker.core.alerts import alert_for
    from hstracker.core.merge import merge_report
    from hstracker.core.provenance import one_of
    from hstracker.core.spoilers import guard_for
    from hstracker.errors import InvalidInput, NetworkError, NotFound
    from hstracker.render.sync import progress, sync_report
    from hstracker.sources.sync import SOURCES, fetch_reports

    if all_ and show:
        raise InvalidInput("--all and --show exclude each other; give one.")
    names = list(dict.fromkeys(one_of(s, SOURCES, "source") for s in source or SOURCES))
    app = context.get(ctx)
    store = app.store
    personal = store.personal()
    slugs = store.slugs(personal) if all_ else [store.resolve(show, personal)]
    documents = []
    alerts = {}
    with progress(app.err) as bar:
        task = bar.add_task("Syncing", total=len(slugs) * len(names))
        for slug in slugs:
            before = store.show(slug)
            bar.update(task, description=f"Syncing {before.title}")
            # the network is done before taking the lock, so a slow source blocks no writer
            fetched = fetch_reports(before, names, app.now(), lambda: bar.advance(task))
            if dry_run:
                changes = [c for r in fetched.reports for c in merge_report(before, r)]
            else:
                with store.edit_show(slug) as data:
                    changes = [c for r in fetched.reports for c in merge_report(data, r)]
                guard = guard_for(data, personal.progress.get(slug))
                alerts[slug] = alert_for(data, changes, guard, app.now())
            used = {r.source for r in fetched.reports}
            documents.append((before, changes, fetched, used))
    lines: list[str] = []
    for before, changes, fetched, used in documents:
        if not json:
            app.out.print(sync_report(before.title, changes, dry_run, used))
        lines += [f"{before.slug}: {line}" for line in fetched.failures]
        if fetched.unknown and not fetched.reports and not fetched.failures:
            nobody = f"no source knows {before.slug}: {'; '.join(fetched.unknown)}"
            if not all_:
                raise NotFound(nobody, hint="Link it with `hstracker shows link`.")
            context.error_line(app.err, nobody, style=None)
    if json:
        from hstracker.render.json import sync_view

        context.print_json(ctx, sync_view(documents, dry_run, alerts))
    if notify:
        from hstracker.cli.alerts import deliver

        deliver(app.err, [alert for alert in alerts.values() if alert is not None])
    answered = any(fetched.reports for _, _, fetched, _ in documents)
    if len(lines) == 1:
        tail = _kept(dry_run, answered, "the other sources")
        raise NetworkError(f"{lines[0]} {tail[0].upper()}{tail[1:]}")
    for line in lines:
        context.error_line(app.err, line)
    if lines:
        raise NetworkError(f"{len(lines)} sources failed; {_kept(dry_run, answered, 'the others')}")


def _kept(dry_run: bool, answered: bool, others: str) -> str:
    """What became of what the sources that answered gave: the honest tail of a failure."""
    if dry_run:
        return "dry run: nothing was written."
    if not answered:
        return "nothing was saved."
    return f"what {others} gave was saved."
