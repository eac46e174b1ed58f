"""``hstracker feeds``: follow RSS and Atom feeds and pull the news that mentions a show."""

from typing import TYPE_CHECKING, Annotated

import typer

from hstracker.cli import complete, context
from hstracker.cli.options import JsonOption, ShowOption

if TYPE_CHECKING:
    from hstracker.core.model import Feed
    from hstracker.store import Store

feeds = typer.Typer(
    name="feeds",
    help="Follow RSS and Atom feeds for news about a show.",
    no_args_is_help=True,
    add_completion=False,
)

UrlArgument = Annotated[str, typer.Argument(metavar="URL", help="The feed's http(s) URL.")]
FollowedArgument = Annotated[
    str,
    typer.Argument(
        metavar="URL", help="A feed's URL (see `feeds list`).", autocompletion=complete.feeds
    ),
]


@feeds.command("add")
def add(
    ctx: typer.Context,
    url: UrlArgument,
    show: ShowOption = None,
    match: Annotated[
        list[str] | None,
        typer.Option(
            "--match",
            metavar="WORDS",
            help="Words an item must mention (comma-separated; default: the show's title).",
        ),
    ] = None,
) -> None:
    """Follow a feed for a show."""
    from rich.text import Text

    from hstracker.core.feeds import add_feed

    app = context.get(ctx)
    with app.store.edit_show(show) as data:
        feed = add_feed(data, url, match or [])
    app.out.print(Text(f"{data.title} now follows {feed.url}."))


@feeds.command("list")
def list_(ctx: typer.Context, show: ShowOption = None, json: JsonOption = False) -> None:
    """The feeds you follow (for every show, or the one given)."""
    app = context.get(ctx)
    if json:
        from hstracker.render.json import feeds_document

        context.print_json(ctx, feeds_document(_followed(app.store, show)))
        return
    from hstracker.render.sync import feeds_table

    # crop off: a URL wider than the terminal is printed whole, for the terminal to wrap
    app.out.print(feeds_table(_followed(app.store, show)), crop=False)


def _followed(store: "Store", show: str | None) -> "list[tuple[str, Feed]]":
    """Every (slug, feed) followed: for the show given, or for every show."""
    slugs = [store.resolve(show)] if show else store.slugs()
    return [(slug, feed) for slug in slugs for feed in store.show(slug).feeds]


@feeds.command("remove")
def remove(ctx: typer.Context, url: FollowedArgument, show: ShowOption = None) -> None:
    """Stop following a feed; news already pulled from it stays."""
    from rich.text import Text

    from hstracker.core.feeds import remove_feed
    from hstracker.core.validate import clean_line

    app = context.get(ctx)
    with app.store.edit_show(show) as data:
        remove_feed(data, url)
    app.out.print(Text(f"{data.title} no longer follows {clean_line(url)}."))


@feeds.command("pull")
def pull(ctx: typer.Context, show: ShowOption = None) -> None:
    """Fetch every followed feed and add the items that mention the show."""
    from rich.text import Text

    from hstracker.core.feeds import PullResult, apply_pulls
    from hstracker.errors import NetworkError
    from hstracker.render.sync import progress, pulled
    from hstracker.sources.feeds import fetch_all
    from hstracker.sources.http import Client

    app = context.get(ctx)
    store = app.store
    targets = _followed(store, show)
    if not targets:
        app.out.print(Text("No feeds to pull. Add one with `hstracker feeds add URL`."))
        return
    # fetch everything first: the lock is held only for the quick merge afterwards
    with progress(app.err) as bar, Client() as client:
        task = bar.add_task("Pulling feeds", total=len(targets))
        fetched, failures = fetch_all(client, targets, lambda: bar.advance(task))
    result = PullResult(followed=len(targets), failures=failures)
    with store.transaction() as tx:
        for slug, pulls in fetched.items():
            data = tx.show(slug)
            result.added += [(slug, item) for item in apply_pulls(data, pulls, app.now())]
            tx.put_show(data)
    failed = len(result.failures)
    if failed < result.followed:  # with every feed failed, "no new items" would be a guess
        app.out.print(pulled(result.added))
    undated = sum(p.left_out for pulls in fetched.values() for _, p in pulls)
    if undated:
        # never dated today: they wait for a pull in which they or their feed carry a date
        app.out.print(
            Text(f"{undated} matching items had no date hstracker can read; left for a later pull.")
        )
    if failed == 1 and result.followed == 1:
        raise NetworkError(f"{result.failures[0]} Nothing was pulled.")
    for line in result.failures:
        context.error_line(app.err, line)
    if failed == result.followed:
        raise NetworkError(f"all {failed} feeds failed; nothing was pulled.")
    if failed:
        raise NetworkError(f"{failed} of {result.followed} feeds failed; the rest were pulled.")
