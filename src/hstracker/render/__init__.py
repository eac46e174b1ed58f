"""Rich renderables: the core views here, the rest in sibling modules; text always as Text."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from hstracker.adaptation import Coverage
from hstracker.attribution import ATTRIBUTION, has_synced_facts
from hstracker.dates import PartialDate, Precision
from hstracker.model import CastMember, Installment, NewsItem, Show
from hstracker.schedule import Countdown, effective_state, ordered

if TYPE_CHECKING:
    from hstracker.casting import Arrival

STATE_STYLE = {
    "announced": "cyan",
    "renewed": "cyan",
    "in-production": "yellow",
    "filming": "yellow",
    "wrapped": "magenta",
    "dated": "green",
    "released": "dim green",
}


def release_text(value: PartialDate | None) -> str:
    """A release at its real precision: '2026', 'Aug 2023', '3 Aug 2023', or with the time."""
    if value is None:
        return "TBA"
    match value.precision:
        case Precision.YEAR:
            return str(value.year)
        case Precision.MONTH:
            return datetime(value.year, value.month or 1, 1).strftime("%b %Y")
        case Precision.DAY:
            return f"{value.day} {datetime(value.year, value.month or 1, 1):%b %Y}"
        case _:
            assert value.instant is not None
            local = value.instant
            return f"{local.day} {local:%b %Y %H:%M} {local.tzname() or ''}".rstrip()


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


def countdown_text(cd: Countdown, platform: str) -> Text:
    """The countdown line, honest about precision and any assumed time zone."""
    if cd.precision == "tba":
        return Text("No release date or window announced (TBA).", style="dim")
    assert cd.seconds is not None
    if cd.released:
        return Text(f"Out now (released {duration(cd.seconds)} ago).", style="green")
    if cd.overdue:
        return Text(
            f"Overdue: the {cd.precision} window closed {duration(cd.seconds)} ago with no date.",
            style="bold red",
        )
    if cd.precision in ("year", "month"):
        share = f"{(cd.window_left or 0) * 100:.0f}%"
        return Text(
            f"No exact date yet. {duration(cd.seconds)} left in the {cd.precision} window "
            f"({share} of it remains).",
            style="yellow",
        )
    line = Text(f"In {duration(cd.seconds)}", style="bold green")
    if cd.assumed_zone:
        line.append(
            f" (to 00:00 {cd.assumed_zone}: the hour is assumed from {platform}'s usual "
            "release time)",
            style="dim",
        )
    return line


def _pair_grid() -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    return grid


def news_lines(items: list[NewsItem], new: frozenset[str] = frozenset()) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="cyan")
    grid.add_column()
    for item in items:
        line = Text("new ", style="bold yellow") if item.id in new else Text()
        line.append(item.headline)
        line.append(f"  ({item.source})", style="dim")
        grid.add_row(str(item.date), line)
    return grid


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


def status_view(
    show: Show,
    nxt: Installment | None,
    cd: Countdown | None,
    cov: Coverage,
    latest: list[NewsItem],
    as_of: PartialDate | None,
    now: datetime,
    new: frozenset[str] = frozenset(),
) -> RenderableType:
    """The dashboard: what is next, when, the filming, adaptation progress and news."""
    title = Text(show.title, style="bold magenta")
    title.append(
        f"  ·  {show.platform}  ·  from {show.source_work.author}'s {show.source_work.title}"
    )
    parts: list[RenderableType] = [title, Text()]
    grid = _pair_grid()
    if nxt is None:
        grid.add_row("Next", Text("Nothing announced after the last release.", style="dim"))
    else:
        state = effective_state(show, nxt, now)
        heading = Text(nxt.label, style="bold")
        heading.append(f"  [{nxt.kind}]", style="dim")
        heading.append(f"  {state}", style=STATE_STYLE.get(state, ""))
        grid.add_row("Next", heading)
        release = nxt.release.value if nxt.release else None
        precision = release.precision.value if release else "tba"
        grid.add_row("Release", Text(f"{release_text(release)}  ({precision})"))
        if cd is not None:
            grid.add_row("Countdown", countdown_text(cd, show.platform))
        grid.add_row(
            "Trailer",
            Text(nxt.trailer.value) if nxt.trailer else Text("none yet", style="dim"),
        )
        grid.add_row("Filming", filming_text(nxt))
        if nxt.adapts:
            volumes = ", ".join(str(v) for v in nxt.adapts.value)
            grid.add_row("Adapts", Text(f"{show.source_work.unit_name} {volumes}"))
    grid.add_row("Adapted", coverage_bar(cov, show.source_work.unit_name))
    parts.append(grid)
    if latest:
        parts += [Text(), Text("Latest news", style="bold"), news_lines(latest, new)]
    stamp = f"Facts as of {as_of}" if as_of else "No dated facts yet"
    if as_of is not None:
        age = (now.date() - as_of.window(UTC)[0].date()).days
        stamp += f" ({age} days ago)." if age > 0 else " (today)."
    parts += [Text(), Text(stamp, style="dim")]
    if has_synced_facts(show):
        parts.append(Text(ATTRIBUTION, style="dim"))
    return Group(*parts)


def attributed(show: Show, view: RenderableType) -> RenderableType:
    """view, followed by the licence line TVmaze's CC BY-SA asks for when it shows synced facts.

    A line of its own, not a table caption, so a narrow table does not wrap it.
    """
    if has_synced_facts(show):
        return Group(view, Text(ATTRIBUTION, style="dim"))
    return view


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


def cast_table(
    show: Show, inst: Installment, rows: list[tuple[CastMember, Arrival]]
) -> RenderableType:
    table = Table(
        title=Text(f"{show.title}: cast of {inst.label}"),
        title_justify="left",
    )
    table.add_column("Character", style="bold")
    table.add_column("Actor")
    table.add_column("Installments")
    table.add_column("Billing")
    table.add_column(inst.label)
    for member, status in rows:
        table.add_row(
            Text(member.character),
            Text(member.actor),
            Text(", ".join(member.installments)),
            Text(member.billing),
            Text(status, style="green" if status == "new" else ""),
        )
    return attributed(show, table)


def news_table(show: Show, items: list[NewsItem], total: int) -> Table:
    caption = f"{len(items)} of {total} items" if len(items) < total else None
    table = Table(
        title=Text(f"{show.title}: news"),
        title_justify="left",
        caption=caption,
        caption_justify="left",
    )
    table.add_column("Date", no_wrap=True, style="cyan")
    table.add_column("Headline", ratio=3)
    table.add_column("Source", ratio=1)
    table.add_column("For", no_wrap=True)
    for item in items:
        headline = Text(item.headline)
        if item.url:
            headline.append(f"\n{item.url}", style="dim")
        table.add_row(
            Text(str(item.date)), headline, Text(item.source), Text(item.installment or "")
        )
    return table


def seasons_table(show: Show, now: datetime) -> RenderableType:
    table = Table(
        title=Text(f"{show.title}: installments"),
        title_justify="left",
    )
    table.add_column("Ref", no_wrap=True)
    table.add_column("Installment", style="bold", no_wrap=True)
    table.add_column("State", no_wrap=True)
    table.add_column("Release (precision)")
    table.add_column("Eps", justify="right", no_wrap=True)
    table.add_column(Text(f"{show.source_work.unit_name.capitalize()}s"), no_wrap=True)
    for inst in ordered(show):
        state = effective_state(show, inst, now)
        release = inst.release.value if inst.release else None
        when = Text(release_text(release))
        when.append(f" ({release.precision.value if release else 'tba'})", style="dim")
        table.add_row(
            inst.key,
            Text(inst.label),
            Text(state, style=STATE_STYLE.get(state, "")),
            when,
            str(inst.episodes.value) if inst.episodes else "?",
            ", ".join(str(v) for v in inst.adapts.value) if inst.adapts else "",
        )
    return attributed(show, table)


def news_stored(item: NewsItem, verb: str = "Added") -> RenderableType:
    """What add-news prints: the item as stored."""
    grid = _pair_grid()
    grid.add_row("id", Text(item.id))
    grid.add_row("date", Text(str(item.date)))
    grid.add_row("headline", Text(item.headline))
    grid.add_row("source", Text(item.source))
    if item.url:
        grid.add_row("url", Text(item.url))
    if item.installment:
        grid.add_row("for", Text(item.installment))
    if item.tags:
        grid.add_row("tags", Text(", ".join(item.tags)))
    if item.body:
        grid.add_row("body", Text(item.body))
    for change in item.changes:
        grid.add_row("changed", Text(f"{change.installment} {change.field} = {change.value}"))
    return Group(Text(f"{verb} news {item.id}.", style="green"), grid)
