"""The `doctor` report: one line per file that needs attention, and what was done."""

from __future__ import annotations

from pathlib import Path

from rich.console import Group
from rich.text import Text

from hstracker.render.time import plural
from hstracker.store import CopyState, FileCheck, shown


def doctor_report(
    home: Path, checks: list[FileCheck], copies: list[CopyState], *, repaired: bool
) -> Group:
    """Each problem and action as plain Text, then whether each copy of a shipped show is
    behind the shipped data; a closing line says whether the store is healthy."""
    lines: list[Text] = []
    stores = [c for c in checks if c.kind == "store"]
    backups = [c for c in checks if c.kind == "backup"]
    lines.append(
        Text(
            f"Checked {plural(len(stores), 'store file')} and "
            f"{plural(len(backups), 'backup')} in {shown(home)}."
        )
    )
    for item in checks:
        if item.problem is None:
            continue
        style = "red" if item.open_problem else "yellow"
        line = Text(f"{item.kind}: ", style="bold")
        line.append(item.problem, style=style)
        if item.action:
            line.append(f" Repair: {item.action}", style="green" if item.fixed else "red")
        lines.append(line)
    lines.extend(_copy_line(copy) for copy in copies)
    if not any(c.open_problem for c in checks):
        lines.append(Text("The store is healthy.", style="green"))
    elif not repaired:
        lines.append(Text("Run `hstracker doctor --repair` to fix what can be fixed.", style="red"))
    return Group(*lines)


def _copy_line(copy: CopyState) -> Text:
    if not copy.behind:
        return Text(f"shows/{copy.slug}.json is up to date with the shipped data.")
    line = Text(f"shows/{copy.slug}.json is behind the shipped data", style="yellow")
    line.append(
        ": this hstracker ships newer facts. The next command that reads or changes the show "
        "merges them in (yours stay current), or run `hstracker doctor --repair`."
    )
    return line
