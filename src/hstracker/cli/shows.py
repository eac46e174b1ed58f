"""``hstracker shows``: list, add, edit, link to TVmaze, choose the default, remove and restore."""

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from hstracker.cli import complete, context
from hstracker.cli.options import JsonOption

if TYPE_CHECKING:
    from collections.abc import Callable

    from hstracker.core.merge import Change
    from hstracker.core.model import Personal, Show
    from hstracker.core.report import Report
    from hstracker.sources.http import Client
    from hstracker.store import Store

app = typer.Typer(
    name="shows",
    help=(
        "The shows you track: list, add, edit, link to TVmaze, choose the default, remove, restore."
    ),
    no_args_is_help=True,
    add_completion=False,
)


@app.command("list")
def list_shows(ctx: typer.Context, json: JsonOption = False) -> None:
    """Every show with its next installment and release; the default is marked."""
    from hstracker.core.shows import summarize

    app_ctx = context.get(ctx)
    store = app_ctx.store
    personal = store.personal()
    slugs = store.slugs(personal)
    rows = summarize(
        store.listed_shows(slugs),  # skips a show another process removes meanwhile
        store.default_slug(personal, slugs),
        set(store.shipped_slugs()),
        app_ctx.now(),
    )
    if json:
        from hstracker.render.json import shows_document

        context.print_json(ctx, shows_document(rows))
        return
    from hstracker.render.shows import shows_table

    app_ctx.out.print(shows_table(rows))


@app.command("add")
def add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(metavar="TITLE", help="The show's title.")],
    slug: Annotated[
        str | None, typer.Option("--slug", help="Short name (default: made from the title).")
    ] = None,
    platform: Annotated[str | None, typer.Option("--platform", help="e.g. Netflix.")] = None,
    source_title: Annotated[
        str | None, typer.Option("--source-title", help="The book or comic it adapts.")
    ] = None,
    source_author: Annotated[
        str | None, typer.Option("--source-author", help="Who wrote the source work.")
    ] = None,
    volumes: Annotated[
        int | None, typer.Option("--volumes", metavar="N", help="How many volumes it has.")
    ] = None,
    source: Annotated[
        str, typer.Option("--source", help="Where the volume count comes from.")
    ] = "added by hand",
    tvmaze: Annotated[
        str | None,
        typer.Option(
            "--tvmaze",
            metavar="QUERY|ID",
            help="Bring seasons, release instants and cast from TVmaze: a search or a TVmaze id.",
        ),
    ] = None,
    wikidata: Annotated[
        str | None,
        typer.Option(
            "--wikidata",
            metavar="QID",
            help="Bring films (or seasons), dates, cast and the source book from this "
            "Wikidata item, and link it.",
        ),
    ] = None,
) -> None:
    """Start tracking a new show, by hand or from TVmaze (`--tvmaze`) or Wikidata (`--wikidata`)."""
    from hstracker.core.shows import ShowDraft, new_show, restore, start_clean
    from hstracker.core.slugs import slugify
    from hstracker.render.shows import done

    app_ctx = context.get(ctx)
    provenance = context.hand_source(app_ctx, source, "reported")
    hashed = False
    if slug is None:
        slug, hashed = slugify(title)
    show = new_show(
        ShowDraft(title, slug, platform, source_title, source_author, volumes), provenance
    )
    store = app_ctx.store
    _refuse_taken(store, show.slug, store.personal())  # before any network traffic
    qid = _wikidata_id(wikidata) if wikidata is not None else None
    changes = _from_tvmaze(app_ctx, show, tvmaze) if tvmaze else None
    if qid is not None:
        changes = [*(changes or []), *_from_wikidata(app_ctx, show, qid)]
    with store.transaction() as tx:
        personal = tx.personal()
        _refuse_taken(store, show.slug, personal)
        restore(personal, show.slug)  # adding a removed show again brings it back
        start_clean(personal, show.slug)  # ... as a new show: no marks of the old one
        tx.put_personal(personal)
        tx.put_show(show)
    why = " (a hash of the title, which has no Latin letters; --slug picks your own)"
    app_ctx.out.print(done(f"Added {show.title} as {show.slug}{why if hashed else ''}."))
    if changes is not None:
        from hstracker.render.sync import sync_report

        used = {name for name, given in (("TVmaze", tvmaze), ("Wikidata", qid)) if given}
        app_ctx.out.print(sync_report(show.title, changes, dry_run=False, sources=used))


def _refuse_taken(store: "Store", slug: str, personal: "Personal") -> None:
    from hstracker.errors import InvalidInput

    if slug in store.slugs(personal):
        # bad input, not a failed request: another --slug is all it takes
        raise InvalidInput(
            f"a show with slug {slug!r} already exists.", hint="Pick another with --slug."
        )


def _from_tvmaze(app_ctx: context.AppContext, show: "Show", wanted: str) -> "list[Change]":
    """Fill a new show from TVmaze (which also gives the platform, from the channel, when
    --platform was not given)."""
    from hstracker.core import validate
    from hstracker.sources import tvmaze

    query = validate.required_line(wanted, "--tvmaze")
    return _fetched(
        app_ctx, show, "TVmaze", lambda c: tvmaze.fetch_show(c, show, app_ctx.now(), query)
    )


def _wikidata_id(text: str) -> str:
    import re

    from hstracker.errors import InvalidInput

    qid = text.strip()
    if not re.fullmatch(r"Q[1-9][0-9]{0,11}", qid):
        raise InvalidInput(f"--wikidata {text!r} is not an item id like Q42.")
    return qid


def _from_wikidata(app_ctx: context.AppContext, show: "Show", qid: str) -> "list[Change]":
    """Fill a new show from its Wikidata item."""
    from hstracker.sources import wikidata

    return _fetched(app_ctx, show, "Wikidata", lambda c: wikidata.fetch(c, qid, app_ctx.now()))


def _fetched(
    app_ctx: context.AppContext,
    show: "Show",
    source: str,
    fetch: "Callable[[Client], Report]",
) -> "list[Change]":
    """One source's report for a new show, merged with the same merge as `sync`."""
    from hstracker.core.merge import merge_report
    from hstracker.render.sync import progress
    from hstracker.sources.http import Client

    with progress(app_ctx.err) as bar, Client() as client:
        bar.add_task(f"Fetching {show.title} from {source}", total=None)
        report = fetch(client)
    return merge_report(show, report)


@app.command("use")
def use(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(metavar="SLUG", autocompletion=complete.shows)],
) -> None:
    """Make a show the default for every command."""
    from hstracker.render.shows import done

    app_ctx = context.get(ctx)
    store = app_ctx.store
    with store.edit_personal() as personal:
        chosen = store.resolve(slug, personal)
        personal.default_show = chosen
    app_ctx.out.print(done(f"{chosen} is now the default show."))


@app.command("remove")
def remove(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(metavar="SLUG", autocompletion=complete.shows)],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Stop tracking a show; its file is kept as a backup, and a shipped show stays removed."""
    from hstracker.errors import InvalidInput
    from hstracker.render.shows import done

    app_ctx = context.get(ctx)
    store = app_ctx.store
    chosen = store.resolve(slug)
    if not yes:
        if not sys.stdin.isatty():
            raise InvalidInput(
                f"removing {chosen} needs confirmation and there is no terminal to ask on.",
                hint="Add --yes.",
            )
        if not typer.confirm(f"Remove {chosen} and everything stored about it?"):
            app_ctx.err.print("Nothing was removed.")
            raise typer.Exit(1)
    from hstracker.core.shows import forget
    from hstracker.store import drop_removed as drop
    from hstracker.store import keep_removed as keep

    kept = False
    try:
        with store.transaction() as tx:
            personal = tx.personal()
            chosen = store.resolve(chosen, personal)  # still there now that we hold the lock
            forget(personal, chosen, shipped=store.is_shipped(chosen))
            tx.put_personal(personal)
            data = tx.show(chosen)
            keep(store, data)  # first: a crash after it leaves the show tracked, and a copy
            kept = True
            tx.remove_show(data)
    except BaseException:
        if kept:  # the removal failed: the store is as it was, with no copy of a removal
            drop(store, chosen)
        raise
    from hstracker.store import backup_path

    backup = backup_path(store.show_path(chosen), 1)
    app_ctx.out.print(
        done(
            f"Removed {chosen}; a backup is kept at {backup}. "
            f"`hstracker shows restore {chosen}` brings it back with your marks."
        )
    )


@app.command("restore")
def restore_(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(metavar="SLUG", help="The removed show's slug.")],
) -> None:
    """Bring back a removed show, with its news and your marks."""
    from hstracker.core import validate
    from hstracker.core.shows import bring_back
    from hstracker.errors import InvalidInput, NotFound
    from hstracker.render.shows import done
    from hstracker.store import drop_removed as drop
    from hstracker.store import kept_removed as kept

    app_ctx = context.get(ctx)
    store = app_ctx.store
    wanted = validate.slug(slug)
    with store.transaction() as tx:
        personal = tx.personal()
        if wanted in store.slugs(personal):
            raise InvalidInput(
                f"{wanted} is tracked now; there is nothing to restore.",
                hint="Remove it first, or restore nothing.",
            )
        show = kept(store, wanted)
        shipped = wanted in personal.removed_shows and store.is_shipped(wanted)
        if show is None and not shipped:
            raise NotFound(
                f"no removed show {wanted!r} is kept.",
                hint="See the shows you track: hstracker shows list.",
            )
        bring_back(personal, wanted)
        tx.put_personal(personal)
        if show is not None:
            tx.put_show(show)
    drop(store, wanted)
    app_ctx.out.print(done(f"Restored {wanted}, with your marks."))


@app.command("edit")
def edit(
    ctx: typer.Context,
    slug: Annotated[
        str | None,
        typer.Argument(
            metavar="[SLUG]",
            help="The show (default: your default show).",
            autocompletion=complete.shows,
            show_default=False,
        ),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="The show's title.")] = None,
    platform: Annotated[str | None, typer.Option("--platform", help="e.g. Netflix.")] = None,
    source_title: Annotated[
        str | None, typer.Option("--source-title", help="The book or comic it adapts.")
    ] = None,
    author: Annotated[
        str | None, typer.Option("--author", help="Who wrote the source work.")
    ] = None,
    volumes: Annotated[
        int | None,
        typer.Option("--volumes", metavar="N", help="How many volumes the source work has."),
    ] = None,
    source: Annotated[
        str, typer.Option("--source", help="Where the volume count comes from.")
    ] = "added by hand",
) -> None:
    """Change a show's title, platform, source work, author or number of volumes."""
    from hstracker.core.shows import ShowEdit, edit_show
    from hstracker.render.shows import done

    app_ctx = context.get(ctx)
    provenance = context.hand_source(app_ctx, source, "reported")
    changes = ShowEdit(title, platform, source_title, author, volumes)
    with app_ctx.store.edit_show(slug) as data:
        said = edit_show(data, changes, provenance)
    app_ctx.out.print(done(f"Changed {data.slug}: {', '.join(said)}."))


@app.command("link")
def link(
    ctx: typer.Context,
    slug: Annotated[
        str, typer.Argument(metavar="SLUG", help="The show to link.", autocompletion=complete.shows)
    ],
    tvmaze: Annotated[
        int | None, typer.Option("--tvmaze", metavar="ID", min=1, help="The show's TVmaze id.")
    ] = None,
    wikidata: Annotated[
        str | None,
        typer.Option("--wikidata", metavar="QID", help="The series' or the film's Wikidata item."),
    ] = None,
    openlibrary: Annotated[
        str | None,
        typer.Option("--openlibrary", metavar="OL…W", help="A volume's Open Library work."),
    ] = None,
) -> None:
    """Set the ids that `sync` uses for a show, instead of searching by title."""
    import re

    from rich.text import Text

    from hstracker.errors import InvalidInput

    given = {"tvmaze": tvmaze, "wikidata": wikidata, "openlibrary": openlibrary}
    ids = {name: str(value).strip() for name, value in given.items() if value is not None}
    if not ids:
        raise InvalidInput("give an id to link, e.g. --tvmaze 53440 or --wikidata Q42.")
    if "wikidata" in ids:
        ids["wikidata"] = _wikidata_id(ids["wikidata"])
    if "openlibrary" in ids and not re.fullmatch(r"OL[1-9][0-9]{0,11}W", ids["openlibrary"]):
        raise InvalidInput(f"--openlibrary {ids['openlibrary']!r} is not a work id like OL1W.")
    app = context.get(ctx)
    with app.store.edit_show(slug) as data:
        data.ids.update({name: str(value) for name, value in ids.items()})
    from hstracker.core.attribution import SOURCE_NAMES

    linked = ", ".join(f"{SOURCE_NAMES[name]} {value}" for name, value in ids.items())
    app.out.print(Text(f"{data.title} is linked to {linked}."))
