"""Rich renderables every view shares: label-value lines, bars, release lines; never a Table.

Dates, spans and counts are worded in render.time.

Tables live in render.tables, so the dashboard and add-news never import rich.table.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.text import Text

from hstracker.core.attribution import credits
from hstracker.core.dates import Precision
from hstracker.render.time import date_text, plural, since

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
    "ended": "dim green",
    "cancelled": "red",
}

NOTHING_NEXT = "Nothing announced after the last release."
NOTHING_YET = "Nothing announced yet: no season, film or special is listed."
NOTHING_YET_HINT = "Add one with `hstracker add-installment`, or fetch them: hstracker sync."


def nothing_next(show: Show) -> str:
    """What a view says when nothing is next: the same words in every view."""
    return NOTHING_NEXT if show.installments else NOTHING_YET


def no_cast_view(show: Show) -> RenderableType:
    """`cast` of a show with no cast listed: said, not an error; with nothing announced, that."""
    if not show.installments:
        lines = [Text(show.title, style="bold magenta"), Text(NOTHING_YET)]
        return Group(*lines, Text(NOTHING_YET_HINT, style="dim"))
    return Group(
        Text(f"No cast is listed for {show.title} yet.", style="dim"),
        Text("Add someone with `hstracker cast add`, or fetch them: hstracker sync.", style="dim"),
    )


def from_line(show: Show) -> str:
    """'Netflix  ·  from Alice Oseman's Heartstopper', leaving out what nobody has given."""
    from hstracker.core.model import known

    work = show.source_work
    author = known(work.author)
    source = f"from {author}'s {work.title}" if author else f"from {work.title}"
    platform = known(show.platform)
    return f"{platform}  ·  {source}" if platform else source


GAP = 2  # spaces between a label and its value
MIN_VALUE_WIDTH = 20  # narrower than this, labels go above their values


def value_indent(label_width: int) -> int:
    return label_width + GAP


def stacks(indent: int, width: int) -> bool:
    """Too narrow for label and value side by side: the label goes above its value."""
    return width - indent < MIN_VALUE_WIDTH


class Pairs:
    """Label-value lines, the value wrapping under itself: a two-column grid without a Table.

    A Table measures every cell and pads each one; this knows its label width up front and
    wraps only the values, which renders the dashboard in well under half the time.
    """

    def __init__(
        self,
        label_style: str = "bold",
        rows: Iterable[tuple[str, Text]] = (),
        label_width: int | None = None,
    ) -> None:
        self.label_style = label_style
        self.rows = list(rows)
        self.label_width = label_width  # to line up with other Pairs; else the widest label

    def add(self, label: str, value: Text) -> None:
        self.rows.append((label, value))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.rows:
            return
        indent = value_indent(self.label_width or max(cell_len(label) for label, _ in self.rows))
        stacked = stacks(indent, options.max_width)
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


def last_release_text(show: Show, inst: Installment, now: datetime) -> Text:
    """'Heartstopper Forever, released 17 Jul 2026, 4 months ago': what came out last."""
    from hstracker.core.installments import release_window

    release = inst.release.value if inst.release else None
    line = Text(inst.label, style="bold")
    line.append(f", released {date_text(release)}" if release else ", released")
    window = release_window(show, inst)
    if release is not None and window is not None and release.precision != Precision.YEAR:
        line.append(f", {since(window[0].date(), now.date())}")
    return line


BAR_WIDTH = 20  # leaves room for "5 of 6" beside it in a 40-column dashboard


def coverage_bar(cov: Coverage, unit_name: str) -> Text:
    """A bar of the published volumes adapted, and the count: one line of Text.

    Drawn as Text rather than a ProgressBar in a grid: it renders in a fraction of the time
    and looks the same.
    """
    if not cov.published and cov.total is None:
        return Text(f"no {unit_name}s are known yet", style="dim")
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
        bits.append(f"started {date_text(film.start.value)}")
    if film.wrap:
        bits.append(f"wrapped {date_text(film.wrap.value)}")
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


def hidden_line(count: int, what: str = "item", example: str | None = None) -> Text:
    """How many items the spoiler guard kept back, and the two ways to see them: record what
    you have watched (example names the installment to mark), or --spoilers."""
    them = "it" if count == 1 else "them"
    return Text(
        f"{plural(count, what)} hidden by the spoiler guard; "
        f"hstracker watched {example or 'REF'} or --spoilers shows {them}.",
        style="dim",
    )


def news_stored(item: NewsItem, verb: str = "Added") -> RenderableType:
    """What add-news prints: the item as stored."""
    rows = Pairs()
    rows.add("id", Text(item.id))
    rows.add("date", Text(date_text(item.date)))
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
