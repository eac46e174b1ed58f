"""The `upcoming` view: one row per show's next installment, then one line per quiet show."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from hstracker.core.upcoming import Next, Quiet, Upcoming
from hstracker.render import STATE_STYLE, Pairs
from hstracker.render.tables import Listing
from hstracker.render.time import countdown_style, date_text, duration

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult


def countdown_cell(row: Next) -> Text:
    """'in 81 days 12 h', 'window: Feb 2027', 'overdue' or 'TBA'."""
    cd = row.countdown
    release = row.installment.release
    style = countdown_style(cd)  # the colours mean what they mean in status and countdown
    if release is None or cd.seconds is None:
        return Text("TBA", style=style)
    if cd.overdue:
        return Text("overdue", style=style)
    if cd.precision in ("year", "month"):
        return Text(f"window: {date_text(release.value)}", style=style)
    return Text(f"in {duration(cd.seconds)}", style=style)


def quiet_line(quiet: Quiet) -> Text:
    """'nothing announced: Heartstopper — last: Heartstopper Forever, Jul 2026'."""
    line = Text("nothing announced: ", style="dim")
    line.append(quiet.show.title)
    if quiet.last is not None:
        release = quiet.last.release.value if quiet.last.release else None
        line.append(f" — last: {quiet.last.label}, {date_text(release)}", style="dim")
    return line


# Below this width the five columns cannot all keep their words: each show becomes a block
NARROW = 72


class _Rows:
    """The next installments as a table, or as one block per show on a narrow terminal."""

    def __init__(self, rows: list[Next]) -> None:
        self.rows = rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.max_width >= NARROW:
            yield self._table()
            return
        yield Text("Coming up", style="italic")
        for row in self.rows:
            release = row.installment.release.value if row.installment.release else None
            block = Pairs()
            block.add("Next", Text(row.installment.label))
            block.add("State", Text(row.state, style=STATE_STYLE.get(row.state, "")))
            block.add("Release", Text(date_text(release)))
            block.add("Countdown", countdown_cell(row))
            yield Text()
            yield Text(row.show.title, style="bold")
            yield block

    def _table(self) -> Listing:
        table = Listing(Text("Coming up"))
        table.column("Show", style="bold")
        table.column("Next")
        table.column("State", no_wrap=True)
        table.column("Release", no_wrap=True)
        table.column("Countdown", no_wrap=True)
        for row in self.rows:
            release = row.installment.release.value if row.installment.release else None
            table.row(
                Text(row.show.title),
                Text(row.installment.label),
                Text(row.state, style=STATE_STYLE.get(row.state, "")),
                Text(date_text(release)),
                countdown_cell(row),
            )
        return table


def upcoming_view(found: Upcoming, more: int) -> RenderableType:
    """The next installments, soonest first, and the shows with nothing announced after."""
    parts: list[RenderableType] = []
    if found.next:
        parts.append(_Rows(found.next))
    elif not found.quiet:
        parts.append(Text("No shows tracked yet. Add one with `hstracker shows add TITLE`."))
    if more:
        parts.append(Text(f"{more} more; raise --limit to see them.", style="dim"))
    if found.next and found.quiet:
        parts.append(Text())
    parts += [quiet_line(quiet) for quiet in found.quiet]
    return Group(*parts)
