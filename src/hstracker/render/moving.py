"""The report of an import from another tracker: what was placed, and every row that was not."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from hstracker.core.validate import clean
from hstracker.render.time import plural

if TYPE_CHECKING:
    from hstracker.imports import Export, Placed

SHOWN_UNPLACED = 50  # rows named one by one; --json lists them all


def _names(slugs: list[str], limit: int = 10) -> str:
    shown = ", ".join(slugs[:limit])
    return shown + (f" and {len(slugs) - limit} more" if len(slugs) > limit else "")


def import_report(export: Export, placed: Placed, dry_run: bool) -> RenderableType:
    """What an import from export did (or, dry, would do)."""
    verb = "Would import" if dry_run else "Imported"
    head = Text(f"{verb} from {export.service} ({', '.join(export.files)})", style="bold")
    lines: list[RenderableType] = [head]
    if not placed.changed:
        lines.append(Text("Nothing changed: everything in it is already in your store.", "dim"))
    rows = [
        ("Shows made", f"{len(placed.made)}" + (f": {_names(placed.made)}" if placed.made else "")),
        ("Shows joined", f"{len(placed.joined)}"
         + (f": {_names(placed.joined)}" if placed.joined else "")),
        ("Episodes marked", f"{placed.episodes} new"
         + (f" ({plural(placed.rewatched, 'episode')} seen more than once)"
            if placed.rewatched else "")),
        ("Films marked", f"{placed.films} new" + (f"; {placed.to_watch} to watch"
                                                   if placed.to_watch else "")),
        ("Volumes read", f"{len(placed.volumes)}"
         + (f": {_names(placed.volumes)}" if placed.volumes else "")),
    ]  # fmt: skip
    for label, value in rows:
        line = Text(f"{label}: ", style="cyan")
        line.append(clean(value))
        lines.append(line)
    if placed.unplaced:
        lines.append(Text(f"Not placed: {plural(len(placed.unplaced), 'row')}", style="yellow"))
        lines += [Text(clean(f"  {r.line}: {r.reason}")) for r in placed.unplaced[:SHOWN_UNPLACED]]
        if len(placed.unplaced) > SHOWN_UNPLACED:
            more = len(placed.unplaced) - SHOWN_UNPLACED
            lines.append(Text(f"  and {more} more (--json lists them all)", style="dim"))
    if placed.made and not dry_run:
        lines.append(Text("Run `hstracker sync --all` to fetch their seasons, episodes and dates.",
                          style="dim"))  # fmt: skip
    return Group(*lines)
