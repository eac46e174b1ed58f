"""Rich renderables for the many-shows, editing and import commands."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from hstracker.core.sharing import MergeReport
from hstracker.core.shows import ShowSummary
from hstracker.render import STATE_STYLE, release_text


def shows_table(rows: list[ShowSummary]) -> Table:
    """Every tracked show, its next installment and release; the default is starred."""
    table = Table(title="Shows", title_justify="left", show_edge=False)
    table.add_column("", no_wrap=True)
    table.add_column("Slug", no_wrap=True)
    table.add_column("Title")
    table.add_column("Platform")
    table.add_column("Next")
    table.add_column("State", no_wrap=True)
    table.add_column("Release", no_wrap=True)
    for row in rows:
        nxt = row.next
        release = nxt.release.value if nxt and nxt.release else None
        state = row.state or ""
        table.add_row(
            Text("*", style="bold green") if row.default else "",
            Text(row.show.slug),
            Text(row.show.title),
            Text(row.show.platform),
            Text(nxt.label) if nxt else Text("nothing announced", style="dim"),
            Text(state, style=STATE_STYLE.get(state, "")),
            Text(release_text(release)) if nxt else "",
        )
    table.caption = "* the default show (change it with `hstracker shows use SLUG`)"
    return table


def done(message: str) -> Text:
    """A one-line confirmation; message may carry untrusted names, so it stays plain Text."""
    return Text(message, style="green")


def merge_report(slug: str, report: MergeReport) -> Text:
    """What an import changed, or that it changed nothing."""
    if not report.changed:
        return Text(f"Nothing changed: {slug} already has everything in the file.", style="dim")
    verb = "Created" if report.created else "Merged into"
    parts = [
        f"{len(report.installments)} installment(s)"
        + (f" ({', '.join(report.installments)})" if report.installments else ""),
        f"{report.facts} fact(s)",
        f"{report.cast} cast change(s)",
        f"{report.news} news item(s)",
    ]
    return Text(f"{verb} {slug}: added {', '.join(parts)}.", style="green")
