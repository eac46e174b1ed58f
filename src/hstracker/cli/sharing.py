"""``hstracker export`` and ``hstracker import``: share a show as one JSON document."""

from pathlib import Path
from typing import Annotated

import typer

from hstracker.cli import context
from hstracker.cli.options import JsonOption, OutputOption, ShowOption
from hstracker.errors import InvalidInput


def export(ctx: typer.Context, show: ShowOption = None, output: OutputOption = None) -> None:
    """Write a show's facts, cast and news (not your personal state) as one JSON document."""
    import msgspec

    from hstracker import __version__
    from hstracker.core.sharing import export_document
    from hstracker.store.codec import encode

    app_ctx = context.get(ctx)
    data = app_ctx.store.show(app_ctx.store.resolve(show))
    doc = export_document(data, app_ctx.now(), f"hstracker {__version__}")
    body = msgspec.json.format(encode(doc), indent=2) + b"\n"
    if output is None:
        context.write_json(body.decode())
        return
    from hstracker.render.shows import done
    from hstracker.store.atomic import write_output

    write_output(output, body)
    app_ctx.out.print(done(f"Exported {data.slug} to {output}."))


def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="A file written by `hstracker export`, or - for standard input; with --from, "
            "the other tracker's export (a ZIP, its folder, or its CSV).",
        ),
    ],
    as_: Annotated[
        str | None, typer.Option("--as", metavar="SLUG", help="Store it under this slug.")
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="With --as, merge into that show even when the file is another show."
        ),
    ] = False,
    from_: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="SERVICE",
            help="Move in from tvtime, trakt, letterboxd, goodreads or storygraph.",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="With --from: say what it would do; write nothing.")
    ] = False,
    password_file: Annotated[
        Path | None,
        typer.Option(
            "--password-file",
            metavar="FILE",
            help="With --from: the encrypted ZIP's password, on the first line of FILE.",
            dir_okay=False,
        ),
    ] = None,
    sync: Annotated[
        bool, typer.Option("--sync", help="With --from: then fetch every show's facts.")
    ] = False,
    json: JsonOption = False,
) -> None:
    """Add a shared show, or merge it into yours: new facts, cast and news, no duplicates."""
    if from_ is not None:
        from hstracker.cli.moving import import_from

        if as_ is not None:
            raise InvalidInput("--as applies to hstracker's own files, not to --from.")
        import_from(
            ctx, from_, file, dry_run=dry_run, json=json, password_file=password_file, sync=sync
        )
        return
    if dry_run or password_file is not None or sync or json:
        raise InvalidInput(
            "--dry-run, --password-file, --sync and --json go with --from.",
            hint="Give --from tvtime (or trakt, letterboxd, goodreads, storygraph).",
        )
    from hstracker.core.sharing import merge_show, refuse_other_show
    from hstracker.core.shows import restore, start_clean
    from hstracker.render.shows import merge_report
    from hstracker.store.documents import read_document

    incoming = read_document(file, as_)
    app_ctx = context.get(ctx)
    store = app_ctx.store
    with store.transaction() as tx:
        personal = tx.personal()
        known = store.slugs(personal)
        mine = tx.show(incoming.slug) if incoming.slug in known else None
        if mine is not None and as_ is not None and not force:
            refuse_other_show(mine, incoming)
        merged, report = merge_show(mine, incoming)
        if report.changed:
            restore(personal, incoming.slug)  # importing a removed show brings it back
            if mine is None:
                start_clean(personal, incoming.slug)  # a new show: no removed show's marks
            tx.put_personal(personal)
            tx.put_show(merged)
    app_ctx.out.print(merge_report(incoming.slug, report))
