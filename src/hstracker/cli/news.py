"""``hstracker news`` and ``hstracker add-news``: the timeline, and adding to it."""

from typing import Annotated

import typer

from hstracker.cli import context
from hstracker.cli.options import (
    ConfidenceOption,
    JsonOption,
    LimitOption,
    NewsIdArgument,
    SeasonOption,
    ShowOption,
    SpoilersOption,
)
from hstracker.core.facts import NAMES


def news(
    ctx: typer.Context,
    show: ShowOption = None,
    season: SeasonOption = None,
    since: Annotated[
        str | None, typer.Option("--since", metavar="YYYY-MM-DD", help="Only news on or after.")
    ] = None,
    limit: LimitOption = 20,
    spoilers: SpoilersOption = False,
    json: JsonOption = False,
) -> None:
    """The news timeline, newest first, including the shipped history."""
    from hstracker.cli.fan import load_for_fan
    from hstracker.core.dates import parse_day
    from hstracker.core.news import timeline
    from hstracker.store.news_pick import timeline_pick

    start = parse_day(since, "--since") if since is not None else None
    app = context.get(ctx)
    loaded = load_for_fan(app, show, spoilers, timeline_pick(season, start, limit))
    data = loaded.show
    counts = (loaded.total_news - loaded.hidden_news, loaded.hidden_news)
    found = timeline(data, loaded.guard, season=season, since=start, limit=limit, stored=counts)
    shown, total, hidden = found.items, found.total, found.hidden
    if json:
        from hstracker.render.json import news_document

        context.print_json(ctx, news_document(data, found))
        return
    from hstracker.render.tables import NewsTimeline

    # crop off: a URL wider than the terminal is printed whole, for the terminal to wrap
    app.out.print(NewsTimeline(data, shown, total), crop=False)
    if hidden:
        from hstracker.core.spoilers import watch_example
        from hstracker.render import hidden_line

        app.out.print(hidden_line(hidden, "news item", watch_example(data, loaded.guard)))


def add_news(
    ctx: typer.Context,
    headline: Annotated[
        str, typer.Argument(metavar="HEADLINE", help="The headline, as you want to see it.")
    ],
    date: Annotated[str, typer.Option("--date", metavar="YYYY-MM-DD", help="When the news broke.")],
    source: Annotated[str, typer.Option("--source", help="Who reported it, e.g. Netflix.")],
    url: Annotated[
        str | None, typer.Option("--url", help="Link to the story (http/https).")
    ] = None,
    season: SeasonOption = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="A short tag; repeat for more.")
    ] = None,
    body: Annotated[str | None, typer.Option("--body", help="Longer text.")] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="FIELD=VALUE",
            help="A fact this news changes, e.g. release=2023-08-03 (needs --season). "
            f"Fields: {NAMES}.",
        ),
    ] = None,
    confidence: ConfidenceOption = "reported",
    show: ShowOption = None,
) -> None:
    """Add a dated news item, optionally changing a fact with the item as its source."""
    from hstracker.core.dates import parse_day
    from hstracker.core.facts import parse_assignments
    from hstracker.core.news import NewsDraft
    from hstracker.core.news import add_news as add
    from hstracker.core.provenance import confidence as parse_confidence

    level = parse_confidence(confidence)
    draft = NewsDraft(
        headline=headline,
        date=parse_day(date, "--date"),
        source=source,
        url=url,
        body=body,
        installment=season,
        tags=tag or [],
        changes=parse_assignments(set_ or []),
        confidence=level,
    )
    app = context.get(ctx)
    # only the parts the item can go in, and the show's duplicate index for the rest
    with app.store.appending(show, draft.date) as (data, index):
        item = add(data, draft, app.now(), index)
    from hstracker.render import news_stored

    app.out.print(news_stored(item))


def remove_news(
    ctx: typer.Context,
    item_id: NewsIdArgument,
    show: ShowOption = None,
) -> None:
    """Remove a news item you added."""
    from hstracker.core.news import remove_news as remove

    app = context.get(ctx)
    with app.store.editing_item(show, item_id, removing=True) as (data, _):
        item = remove(data, item_id)
    from rich.text import Text

    from hstracker.render.time import date_text

    app.out.print(Text(f"Removed news {item.id} ({date_text(item.date)}: {item.headline})."))


def edit_news(
    ctx: typer.Context,
    item_id: NewsIdArgument,
    headline: Annotated[str | None, typer.Option("--headline", help="A new headline.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="A new source.")] = None,
    url: Annotated[str | None, typer.Option("--url", help="A new link (http/https).")] = None,
    body: Annotated[
        str | None, typer.Option("--body", help="New longer text; '' clears it.")
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Replace the tags; repeat for more.")
    ] = None,
    show: ShowOption = None,
) -> None:
    """Change a news item's text; its id and date stay the same."""
    from hstracker.core.news import NewsEdit
    from hstracker.core.news import edit_news as edit

    changes = NewsEdit(headline=headline, source=source, url=url, body=body, tags=tag)
    app = context.get(ctx)
    with app.store.editing_item(show, item_id) as (data, index):
        item = edit(data, item_id, changes, index)
    from hstracker.render import news_stored

    app.out.print(news_stored(item, "Changed"))
