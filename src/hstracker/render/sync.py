"""Rich renderables for sync and feeds: change reports, feed lists and a quiet progress bar."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeRemainingColumn
from rich.text import Text

from hstracker.core.attribution import credit_lines
from hstracker.core.merge import Change
from hstracker.core.model import Feed, NewsItem
from hstracker.render.tables import Listing
from hstracker.render.time import date_text, plural, value_text

ACTION_STYLE = {"added": "green", "updated": "yellow", "conflict": "bold red"}


def progress(console: Console) -> Progress:
    """A transient progress display, drawn only when console is a terminal."""
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


def sync_progress(console: Console) -> Progress:
    """One display over a whole sync: shows done of all, requests made, and time left; drawn
    only when console is a terminal."""
    return Progress(
        SpinnerColumn(),
        TextColumn("Syncing {task.completed}/{task.total} shows"),
        BarColumn(),
        TextColumn("{task.fields[requests]} requests"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


def sync_report(
    title: str, changes: list[Change], dry_run: bool, sources: set[str]
) -> RenderableType:
    """What a sync changed (or would change), with the source of each change and the credit
    lines the sources' terms ask for; sources are those that answered."""
    credit = [Text(line, style="dim") for line in credit_lines(sources)]
    if not sources:  # every source failed or did not know the show: nothing to compare with
        return Text(f"{title}: no source answered; nothing was written.")
    if not changes:
        return Group(Text(f"{title}: already up to date; nothing was written."), *credit)
    table = Listing(Text(f"{title}: {'would change' if dry_run else 'changes'}"), heading=2)
    table.column("Change", no_wrap=True)
    table.column("What")
    table.column("Was")
    table.column("Now")
    table.column("Source")
    table.column("Note", style="dim")
    for change in changes:
        table.row(
            Text(change.action, style=ACTION_STYLE[change.action]),
            Text(change.what),
            Text(value_text(change.old)),
            Text(value_text(change.new)),
            Text(change.source),
            Text(change.note),
        )
    saved = f"{plural(len(changes), 'change')} saved."
    tail = "Dry run: nothing was written." if dry_run else saved
    return Group(table, Text(tail), *credit)


def feeds_table(rows: list[tuple[str, Feed]]) -> RenderableType:
    if not rows:
        return Text("No feeds yet. Add one with `hstracker feeds add URL`.")
    table = Listing(Text("Feeds"), heading=1)
    table.column("Show", no_wrap=True)
    table.column("URL", whole=True)
    table.column("Title")
    table.column("Matches")
    for slug, feed in rows:
        table.row(Text(slug), Text(feed.url), Text(feed.title or ""), Text(", ".join(feed.match)))
    return table


def pulled(added: list[tuple[str, NewsItem]]) -> RenderableType:
    """What feeds pull added."""
    if added:
        table = Listing(Text(plural(len(added), "new news item")), heading=3)
        table.column("Show", no_wrap=True)
        table.column("Date", no_wrap=True, style="cyan")
        table.column("Headline")
        table.column("Source")
        for slug, item in added:
            table.row(
                Text(slug), Text(date_text(item.date)), Text(item.headline), Text(item.source)
            )
        return table
    return Text("No new news items.")
