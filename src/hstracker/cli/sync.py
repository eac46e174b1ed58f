"""``hstracker sync``: refresh installments, dates, cast and volumes from every public source."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
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
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Read every show from every source again, changed or not (a sync reads only "
            "what changed since the last one).",
        ),
    ] = False,
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
    from hstracker.core.model import Show
    from hstracker.core.provenance import one_of
    from hstracker.core.spoilers import guard_for
    from hstracker.core.sync import Fetched, ShowSynced, apply_fetched
    from hstracker.errors import ExitCode, InvalidInput, NetworkError, NotFound
    from hstracker.paths import cache_home
    from hstracker.render.sync import sync_progress, sync_report
    from hstracker.sources import sync as syncing
    from hstracker.sources.limits import Manners
    from hstracker.store import NONE

    if all_ and show:
        raise InvalidInput("--all and --show exclude each other; give one.")
    names = list(
        dict.fromkeys(one_of(s, syncing.SOURCES, "source") for s in source or syncing.SOURCES)
    )
    app = context.get(ctx)
    store = app.store
    personal = store.personal()
    slugs = store.slugs(personal) if all_ else [store.resolve(show, personal)]
    # what the plan needs (ids, marks, titles): no news; the write reads the show whole
    shows = store.shows(slugs, NONE)
    now = app.now()

    def save(before: Show, fetched: Fetched) -> ShowSynced:
        """Merge one show's answers: one write, and none when nothing was read."""
        if dry_run or not (fetched.read or fetched.missed):
            return ShowSynced(before, apply_fetched(before, fetched, now), fetched)
        # the network is done before taking the lock, so a slow source blocks no writer
        with store.edit_show(before.slug) as data:
            changes = apply_fetched(data, fetched, now)
        guard = guard_for(data, personal.progress.get(before.slug))
        return ShowSynced(before, changes, fetched, alert_for(data, changes, guard, now))

    stop = threading.Event()
    with sync_progress(app.err) as bar, _interrupts(stop):
        task = bar.add_task("Syncing", total=len(shows), requests=0)
        result = syncing.run(
            shows, names, now, save, full=full, stop=stop, manners=Manners(ledger=cache_home()),
            advance=lambda done, requests: bar.update(task, completed=done, requests=requests),
        )  # fmt: skip
    lines: list[str] = []
    for done in result.shows:
        fetched = done.fetched
        if not json:
            app.out.print(sync_report(done.before.title, done.changes, dry_run, done.used))
        lines += [f"{done.before.slug}: {line}" for line in fetched.failures]
        if fetched.nobody:
            nobody = f"no source knows {done.before.slug}: {'; '.join(fetched.unknown)}"
            if not all_ and not result.interrupted:
                raise NotFound(nobody, hint="Link it with `hstracker shows link`.")
            context.error_line(app.err, nobody, style=None)
    if json:
        from hstracker.render.json import sync_view

        context.print_json(ctx, sync_view(result, dry_run))
    if notify:
        from hstracker.cli.alerts import deliver

        deliver(app.err, [done.alert for done in result.shows if done.alert is not None])
    answered = any(done.fetched.reports for done in result.shows)
    if result.interrupted:
        for line in lines:
            context.error_line(app.err, line)
        synced = len(result.shows)
        context.error_line(
            app.err,
            f"interrupted: {synced} of {result.asked} shows synced and saved; "
            "the rest are as they were. Run sync again to finish.",
        )
        raise typer.Exit(ExitCode.INTERRUPTED)
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


@contextmanager
def _interrupts(stop: threading.Event) -> Iterator[None]:
    """While the block runs, Ctrl-C sets stop (the sync then ends after the show it is
    saving); a second Ctrl-C interrupts at once."""
    import signal

    def first(*_: object) -> None:
        stop.set()
        signal.signal(signal.SIGINT, previous)

    try:
        previous = signal.signal(signal.SIGINT, first)
    except ValueError:  # not the main thread: Ctrl-C is not ours to take
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
