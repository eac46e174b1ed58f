"""The long listings as Rich tables: the cast, the news timeline and the installments."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from hstracker.core.installments import effective_state, ordered
from hstracker.core.model import CastMember, Installment, NewsItem, Show
from hstracker.render import STATE_STYLE, attributed, release_text

if TYPE_CHECKING:
    from hstracker.core.cast import Arrival


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
