"""Rich renderables for sync and feeds: change reports, feed lists and a quiet progress bar."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table
from rich.text import Text

from hstracker.core.attribution import credit_lines
from hstracker.core.merge import Change
from hstracker.core.model import Feed, NewsItem

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


def sync_report(
    title: str, changes: list[Change], dry_run: bool, sources: set[str]
) -> RenderableType:
    """What a sync changed (or would change), with the source of each change and the credit
    lines the sources' terms ask for."""
    credit = [Text(line, style="dim") for line in credit_lines(sources)]
    if not changes:
        return Group(Text(f"{title}: already up to date; nothing was written."), *credit)
    table = Table(
        title=Text(f"{title}: {'would change' if dry_run else 'changes'}"), title_justify="left"
    )
    table.add_column("Change", no_wrap=True)
    table.add_column("What")
    table.add_column("Was")
    table.add_column("Now")
    table.add_column("Source")
    table.add_column("Note", style="dim")
    for change in changes:
        table.add_row(
            Text(change.action, style=ACTION_STYLE[change.action]),
            Text(change.what),
            Text(change.old or ""),
            Text(change.new),
            Text(change.source),
            Text(change.note),
        )
    tail = "Dry run: nothing was written." if dry_run else f"{len(changes)} changes saved."
    return Group(table, Text(tail), *credit)


def feeds_table(rows: list[tuple[str, Feed]]) -> RenderableType:
    if not rows:
        return Text("No feeds yet. Add one with `hstracker feeds add URL`.")
    table = Table(title=Text("Feeds"), title_justify="left")
    table.add_column("Show", no_wrap=True)
    table.add_column("URL")
    table.add_column("Title")
    table.add_column("Matches")
    for slug, feed in rows:
        table.add_row(
            Text(slug), Text(feed.url), Text(feed.title or ""), Text(", ".join(feed.match))
        )
    return table


def pulled(added: list[tuple[str, NewsItem]]) -> RenderableType:
    """What feeds pull added."""
    if added:
        table = Table(title=Text(f"{len(added)} new news items"), title_justify="left")
        table.add_column("Show", no_wrap=True)
        table.add_column("Date", no_wrap=True, style="cyan")
        table.add_column("Headline")
        table.add_column("Source")
        for slug, item in added:
            table.add_row(Text(slug), Text(str(item.date)), Text(item.headline), Text(item.source))
        return table
    return Text("No new news items.")
