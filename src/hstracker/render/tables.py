"""The long listings: Rich tables while they fit, one block per record when they do not."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.box import HEAVY_HEAD
from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.segment import Segment
from rich.text import Text

from hstracker.core.installments import effective_state, ordered
from hstracker.core.model import CastMember, Installment, NewsItem, Show
from hstracker.render import GAP, STATE_STYLE, Pairs, attributed, stacks, value_indent
from hstracker.render.time import date_text, plural

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.table import Table

    from hstracker.core.cast import Arrival


def _extent(text: Text, no_wrap: bool) -> tuple[int, int]:
    """The narrowest a cell can be without cutting anything (its longest line, or its longest
    word when it may wrap), and the width it takes unwrapped."""
    lines = text.plain.splitlines() or [""]
    widest = max(cell_len(line) for line in lines)
    if no_wrap:
        return widest, widest
    return max((cell_len(word) for line in lines for word in line.split()), default=0), widest


class Listing:
    """A table while every column fits whole; narrower, one block per record: its heading
    (the first `heading` cells), then each other cell under its column's label.

    Rich squeezes a table that does not fit by cutting cells ("Prie…"); this never cuts.
    """

    def __init__(self, title: Text, heading: int = 1, caption: str | None = None) -> None:
        self.title = title
        self.heading = heading
        self.caption = caption
        self.columns: list[tuple[str, dict[str, Any]]] = []
        self.rows: list[list[Text]] = []
        self.whole: set[int] = set()  # columns of URLs: never wrapped, a line of their own

    def column(self, header: str, whole: bool = False, **options: Any) -> None:
        """A column; whole=True for a URL, which is printed unbroken (print with crop off)."""
        if whole:
            self.whole.add(len(self.columns))
            options["no_wrap"] = True
        self.columns.append((header, options))

    def row(self, *cells: Text | str) -> None:
        self.rows.append([cell if isinstance(cell, Text) else Text(cell) for cell in cells])

    def table(self, widths: list[int] | None = None) -> Table:
        """Rich's own table, for cells that wrap or hold several lines."""
        from rich.table import Table  # a listing whose cells fit is drawn without it

        table = Table(
            title=self.title,
            title_justify="left",
            caption=self.caption,
            caption_justify="left",
            show_edge=False,
        )
        for index, (header, options) in enumerate(self.columns):
            table.add_column(header, **options, width=widths[index] if widths else None)
        for cells in self.rows:
            table.add_row(*cells)
        return table

    def _extents(self) -> list[tuple[int, int]]:
        """Each column's (narrowest, unwrapped) content width, its header included."""
        found = []
        for index, (header, options) in enumerate(self.columns):
            no_wrap = bool(options.get("no_wrap"))
            cells = [Text(header)] + [cells[index] for cells in self.rows]
            extents = [_extent(cell, no_wrap) for cell in cells]
            found.append((max(e[0] for e in extents), max(e[1] for e in extents)))
        return found

    def _room(self, width: int) -> int:
        """The width left for content: each column has a space each side, a rule between."""
        return width - 3 * len(self.columns) + 1

    def _widths(self, extents: list[tuple[int, int]], room: int) -> list[int]:
        """Column widths that fit `room` with no cell cut, for a table that must wrap: each
        column gets its narrowest, then the room left is shared out fairly, the columns that
        need least first, so a date or a short label stays on one line and only the long
        texts wrap.

        Rich's own squeeze narrows the widest columns first, below their longest word, and
        then cuts ("Balderra…"); fixed widths keep it from doing that.
        """
        widths = [low for low, _ in extents]
        spare = room - sum(widths)
        wanting = sorted(range(len(extents)), key=lambda i: extents[i][1] - extents[i][0])
        for place, index in enumerate(wanting):
            share = spare // (len(wanting) - place)
            given = min(extents[index][1] - widths[index], share)
            widths[index] += given
            spare -= given
        return widths

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        extents = self._extents()  # measured once: every cell of a long listing is read
        room = self._room(options.max_width)
        if sum(high for _, high in extents) <= room:  # every cell fits unwrapped
            if self._plain():
                yield from self._drawn(console, options, [high for _, high in extents])
            else:
                yield self.table()
            return
        if sum(low for low, _ in extents) <= room:  # fits once the long texts wrap
            yield self.table(self._widths(extents, room))
            return
        yield self.title
        for cells in self.rows:
            yield Text()
            yield from self._block(cells)
        if self.caption:
            yield Text()
            yield Text(self.caption, style="dim")

    def _plain(self) -> bool:
        """Whether every cell is one line with no tab: then the table is drawn directly."""
        return not any(
            "\n" in cell.plain or "\t" in cell.plain for row in self.rows for cell in row
        )

    def _drawn(
        self, console: Console, options: ConsoleOptions, widths: list[int]
    ) -> Iterator[RenderableType | Segment]:
        """The table Rich would draw for one-line cells that all fit, segment for segment,
        without Rich's measuring and per-cell layout: a 100-row `shows list` costs a few ms
        instead of tens (tests/test_listing_drawn.py holds the two to the same output)."""
        padded = [width + 2 for width in widths]  # a space each side, as Table's padding
        table_width = sum(padded) + len(padded) - 1
        edges = HEAVY_HEAD.substitute(options, safe=console.safe_box)
        yield from console.render(self.title, options.update(width=table_width, justify="left"))
        header = console.get_style("table.header")
        styles = [console.get_style(opts.get("style") or "") for _, opts in self.columns]
        justify = [opts.get("justify") or "left" for _, opts in self.columns]
        heads = [Text(name) for name, _ in self.columns]
        for index, cells in enumerate([heads, *self.rows]):
            line = Text()
            for column, (cell, width) in enumerate(zip(cells, widths, strict=True)):
                if column:
                    line.append(edges.head_vertical if index == 0 else edges.mid_vertical)
                start = len(line)
                text = cell.copy()
                if (cell.justify or justify[column]) == "right":
                    text.rstrip()  # as Rich does before it aligns a line right
                    text.pad_left(width - cell_len(text.plain))
                else:
                    text.pad_right(width - cell_len(text.plain))
                line.append(" ")
                line.append_text(text)
                line.append(" ")
                line.stylize_before(header if index == 0 else styles[column], start, len(line))
            yield from line.render(console)
            yield Segment.line()
            if index == 0:
                yield Segment(edges.get_row(padded, "head", edge=False), console.get_style(""))
                yield Segment.line()
        if self.caption:
            caption = console.render_str(self.caption, style="table.caption", highlight=False)
            yield from console.render(caption, options.update(width=table_width, justify="left"))

    def _block(self, cells: list[Text]) -> Iterator[RenderableType]:
        first = [cells[i] for i in range(self.heading) if i not in self.whole]
        head = Text("  ").join(cell for cell in first if cell.plain)
        head.stylize("bold")
        yield head
        labels = [header for header, _ in self.columns]
        rest = range(self.heading, len(self.columns))
        yield Pairs(
            label_style="dim",
            rows=[
                (labels[i] or "-", cells[i]) for i in rest if cells[i].plain and i not in self.whole
            ],
        )
        for i in sorted(self.whole):
            if cells[i].plain:
                yield Text(cells[i].plain, no_wrap=True, overflow="ignore")


def cast_table(
    show: Show, inst: Installment | None, rows: list[tuple[CastMember, Arrival | None]]
) -> Listing:
    """The cast of inst with who is new or returning, or (inst None) the whole ensemble."""
    of = inst.label if inst is not None else "every installment"
    listing = Listing(Text(f"{show.title}: cast of {of}"), heading=2)
    listing.column("Character", style="bold", no_wrap=True)
    listing.column("Actor", no_wrap=True)
    listing.column("Installments")
    listing.column("Billing", no_wrap=True)
    if inst is not None:
        listing.column("new/returning", no_wrap=True)
    order = {i.key: n for n, i in enumerate(ordered(show))}
    for member, status in rows:
        cells = [
            Text(member.character),
            Text(member.actor),
            Text(", ".join(sorted(member.installments, key=lambda k: order.get(k, len(order))))),
            Text(member.billing),
        ]
        if inst is not None:
            cells.append(Text(status or "", style="green" if status == "new" else ""))
        listing.row(*cells)
    return listing


def cast_view(
    show: Show,
    inst: Installment | None,
    rows: list[tuple[CastMember, Arrival | None]],
    fuller: tuple[Installment, int] | None = None,
) -> RenderableType:
    """The cast table, a pointer to a fuller list when there is one, and the credits."""
    parts: list[RenderableType] = [cast_table(show, inst, rows)]
    if fuller is not None:
        other, count = fuller
        ref = str(other.number) if other.kind == "season" else other.key
        parts.append(
            Text(
                f"{other.label} lists {count} — `hstracker cast --season {ref}` or `--all`",
                style="dim",
            )
        )
    return attributed(show, Group(*parts))


def seasons_table(show: Show, now: datetime) -> RenderableType:
    unit = f"{show.source_work.unit_name.capitalize()}s"
    listing = Listing(Text(f"{show.title}: installments"), heading=2)
    listing.column("Ref", no_wrap=True)
    listing.column("Installment", style="bold", no_wrap=True)
    listing.column("State", no_wrap=True)
    listing.column("Release", no_wrap=True)  # the date's own form says its precision
    listing.column("Eps", justify="right", no_wrap=True)
    listing.column(unit)
    for inst in ordered(show):
        state = effective_state(show, inst, now)
        listing.row(
            Text(inst.key),
            Text(inst.label),
            Text(state, style=STATE_STYLE.get(state, "")),
            Text(date_text(inst.release.value if inst.release else None)),
            str(inst.episodes.value) if inst.episodes else "?",
            ", ".join(str(v) for v in inst.adapts.value) if inst.adapts else "",
        )
    return attributed(show, listing)


class NewsTimeline:
    """The news, newest first: date and headline, then source, installment and id, then the
    URL whole (on a line of its own when the width needs it, so a terminal can link it).

    A URL is never wrapped or cut: `news` prints with crop off, and the terminal soft-wraps
    a line that is too long, which keeps the URL one clickable run of text.
    """

    def __init__(self, show: Show, items: list[NewsItem], total: int) -> None:
        self.title = Text(f"{show.title}: news")
        self.items = items
        self.caption = f"{len(items)} of {plural(total, 'item')}" if len(items) < total else None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.title
        if not self.items:
            yield Text("No news yet.", style="dim")
        dates = [date_text(item.date) for item in self.items]
        label_width = max((cell_len(d) for d in dates), default=0)
        indent = value_indent(label_width)
        room = options.max_width - (GAP if stacks(indent, options.max_width) else indent)
        for when, item in zip(dates, self.items, strict=True):
            yield Text()
            about = Text(item.source, style="dim")
            if item.installment:
                about.append(f" · {item.installment}", style="dim")
            about.append(f" · id {item.id}", style="dim")
            rows = [(when, Text(item.headline)), ("", about)]
            url = Text(item.url or "", style="blue", no_wrap=True, overflow="ignore")
            if item.url and cell_len(item.url) <= room:
                rows.append(("", url))
            yield Pairs("cyan", rows, label_width)
            if item.url and cell_len(item.url) > room:
                yield url
        if self.caption:
            yield Text()
            yield Text(self.caption, style="dim")
