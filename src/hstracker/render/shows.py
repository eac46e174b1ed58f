"""Rich renderables for the many-shows, editing and import commands."""

from __future__ import annotations

from rich.text import Text

from hstracker.core.model import known
from hstracker.core.sharing import MergeReport
from hstracker.core.shows import ShowSummary
from hstracker.core.validate import clean
from hstracker.render import STATE_STYLE
from hstracker.render.tables import Listing
from hstracker.render.time import date_text, plural


def shows_table(rows: list[ShowSummary]) -> Listing:
    """Every tracked show, its next installment and release; the default is starred."""
    listing = Listing(
        Text("Shows"),
        heading=2,
        caption="* the default show (change it with `hstracker shows use SLUG`)",
    )
    listing.column("", no_wrap=True)
    listing.column("Slug", no_wrap=True)
    listing.column("Title", no_wrap=True)
    listing.column("Platform", no_wrap=True)
    listing.column("Next", no_wrap=True)
    listing.column("State", no_wrap=True)
    listing.column("Release", no_wrap=True)
    for row in rows:
        nxt = row.next
        release = nxt.release.value if nxt and nxt.release else None
        state = row.state or ""
        listing.row(
            Text("*", style="bold green") if row.default else "",
            Text(row.show.slug),
            Text(row.show.title),
            Text(known(row.show.platform) or ""),
            Text(nxt.label) if nxt else Text("nothing announced", style="dim"),
            Text(state, style=STATE_STYLE.get(state, "")),
            Text(date_text(release)) if nxt else "",
        )
    return listing


def done(message: str) -> Text:
    """A one-line confirmation; message may carry untrusted names and paths, so it stays plain
    Text, cleaned of control characters as stored text is."""
    return Text(clean(message), style="green")


def merge_report(slug: str, report: MergeReport) -> Text:
    """What an import changed, or that it changed nothing."""
    if not report.changed:
        return Text(f"Nothing changed: {slug} already has everything in the file.", style="dim")
    verb = "Created" if report.created else "Merged into"
    parts = [
        plural(len(report.installments), "installment")
        + (f" ({', '.join(report.installments)})" if report.installments else ""),
        plural(report.facts, "fact"),
        plural(report.cast, "cast change"),
        plural(report.news, "news item"),
    ]
    return Text(f"{verb} {slug}: added {', '.join(parts)}.", style="green")
