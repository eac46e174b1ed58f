"""Rich renderables every view shares: dates, durations, label-value lines; never a Table.

Tables live in render.tables, so the dashboard and add-news never import rich.table.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.text import Text

from hstracker.core.attribution import credits
from hstracker.core.dates import Precision, months_between

# worded in core, where alerts need it too; every view imports it from here
from hstracker.core.dates import release_text as release_text

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult

    from hstracker.core.adaptation import Coverage
    from hstracker.core.model import Installment, NewsItem, Show

STATE_STYLE = {
    "announced": "cyan",
    "renewed": "cyan",
    "in-production": "yellow",
    "filming": "yellow",
    "wrapped": "magenta",
    "dated": "green",
    "released": "dim green",
}

NOTHING_NEXT = "Nothing announced after the last release."
GAP = 2  # spaces between a label and its value
MIN_VALUE_WIDTH = 20  # narrower than this, labels go above their values


class Pairs:
    """Label-value lines, the value wrapping under itself: a two-column grid without a Table.

    A Table measures every cell and pads each one; this knows its label width up front and
    wraps only the values, which renders the dashboard in well under half the time.
    """

    def __init__(self, label_style: str = "bold", rows: Iterable[tuple[str, Text]] = ()) -> None:
        self.label_style = label_style
        self.rows = list(rows)

    def add(self, label: str, value: Text) -> None:
        self.rows.append((label, value))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.rows:
            return
        indent = max(cell_len(label) for label, _ in self.rows) + GAP
        stacked = options.max_width - indent < MIN_VALUE_WIDTH  # too narrow for two columns
        if stacked:
            indent = GAP  # each label on a line of its own, above its value
        width = max(options.max_width - indent, 1)
        blank = (" " * indent, "")
        for label, value in self.rows:
            if stacked:
                yield Text(label, style=self.label_style)
                head = blank
            else:
                head = (label + " " * (indent - cell_len(label)), self.label_style)
            for line in value.wrap(console, width):
                line.rstrip()
                yield Text.assemble(head, line)
                head = blank


def duration(seconds: int) -> str:
    """'37 days 20 h', '5 h 3 min', '42 s': the two largest units that matter."""
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} day{'s' if days != 1 else ''} {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s"
    return f"{secs} s"


def ago_text(then: date, now: date) -> str:
    """'12 days ago', '4 months ago', '1 year 2 months ago': calendar spans, as a fan says them."""
    days = (now - then).days
    if days <= 0:
        return "today" if days == 0 else "in the future"
    months = months_between(then, now)
    if months == 0:
        return f"{days} day{'s' if days != 1 else ''} ago"
    years, months = divmod(months, 12)
    bits = [f"{years} year{'s' if years != 1 else ''}"] if years else []
    if months:
        bits.append(f"{months} month{'s' if months != 1 else ''}")
    return " ".join(bits) + " ago"


def last_release_text(show: Show, inst: Installment, now: datetime) -> Text:
    """'Heartstopper Forever, released 17 Jul 2026, 4 months ago': what came out last."""
    from hstracker.core.installments import release_window

    release = inst.release.value if inst.release else None
    line = Text(inst.label, style="bold")
    line.append(f", released {release_text(release)}" if release else ", released")
    window = release_window(show, inst)
    if release is not None and window is not None and release.precision != Precision.YEAR:
        line.append(f", {ago_text(window[0].date(), now.date())}")
    return line


BAR_WIDTH = 24


def coverage_bar(cov: Coverage, unit_name: str) -> Text:
    """A bar of the published volumes adapted, and the count: one line of Text.

    Drawn as Text rather than a ProgressBar in a grid: it renders in a fraction of the time
    and looks the same.
    """
    adapted = len(set(cov.adapted) & set(cov.published))
    filled = round(BAR_WIDTH * adapted / max(len(cov.published), 1))
    return Text.assemble(
        ("━" * filled, "bar.complete"),
        ("─" * (BAR_WIDTH - filled), "bar.back"),  # distinct even without colour
        f"  {adapted} of {len(cov.published)} published {unit_name}s adapted "
        f"({cov.fraction * 100:.0f}%)",
    )


def filming_text(inst: Installment) -> Text:
    film = inst.filming
    if not (film.start or film.wrap or film.place):
        return Text("no filming dates known", style="dim")
    bits = []
    if film.start:
        bits.append(f"started {film.start.value}")
    if film.wrap:
        bits.append(f"wrapped {film.wrap.value}")
    if film.place:
        bits.append(f"in {film.place.value}")
    return Text(", ".join(bits))


def attributed(show: Show, view: RenderableType) -> RenderableType:
    """view, followed by the credit lines its sources' terms ask for (TVmaze's CC BY-SA, Open
    Library's link) when it shows their facts.

    Lines of their own, not a table caption, so a narrow table does not wrap them.
    """
    lines = credits(show)
    if lines:
        return Group(view, *(Text(line, style="dim") for line in lines))
    return view


def hidden_line(count: int, what: str = "item") -> Text:
    """How many items the spoiler guard kept back, and how to see them."""
    plural = "s" if count != 1 else ""
    return Text(
        f"{count} {what}{plural} hidden by the spoiler guard (not watched or read yet); "
        "--spoilers shows them.",
        style="dim",
    )


def news_stored(item: NewsItem, verb: str = "Added") -> RenderableType:
    """What add-news prints: the item as stored."""
    rows = Pairs()
    rows.add("id", Text(item.id))
    rows.add("date", Text(str(item.date)))
    rows.add("headline", Text(item.headline))
    rows.add("source", Text(item.source))
    if item.url:
        rows.add("url", Text(item.url))
    if item.installment:
        rows.add("for", Text(item.installment))
    if item.tags:
        rows.add("tags", Text(", ".join(item.tags)))
    if item.body:
        rows.add("body", Text(item.body))
    for change in item.changes:
        rows.add("changed", Text(f"{change.installment} {change.field} = {change.value}"))
    return Group(Text(f"{verb} news {item.id}.", style="green"), rows)
