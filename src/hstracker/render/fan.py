"""Rich renderables for the fan features: the adaptation map, marks, the countdown."""

from __future__ import annotations

from datetime import datetime

from rich.console import Group, RenderableType
from rich.text import Text

from hstracker.core.adaptation import Coverage, MapRow, read_next
from hstracker.core.countdown import Countdown
from hstracker.core.dates import PartialDate, zone
from hstracker.core.episodes import Tally, tally, watched_keys, where_to_continue
from hstracker.core.installments import ordered, release_zone
from hstracker.core.model import Installment, Show, ShowProgress, known
from hstracker.core.spoilers import Filtered
from hstracker.render import (
    NOTHING_YET,
    NOTHING_YET_HINT,
    Pairs,
    coverage_bar,
    hidden_line,
    last_release_text,
    nothing_next,
)
from hstracker.render.tables import Listing
from hstracker.render.time import ago, clock_text, countdown_style, date_text, duration


def _volumes(numbers: list[int]) -> str:
    """'1-2', '3', '4-5': a run of volumes, or a list where there are gaps."""
    if not numbers:
        return "-"
    if numbers == list(range(numbers[0], numbers[-1] + 1)) and len(numbers) > 1:
        return f"{numbers[0]}-{numbers[-1]}"
    return ", ".join(str(n) for n in numbers)


def progress_line(show: Show, mine: ShowProgress, nxt: int | None) -> Text:
    """The read-next advice, from what the fan has watched."""
    unit = show.source_work.unit_name
    done = watched_keys(show, mine)
    if nxt is None and not show.source_work.units and show.source_work.total is None:
        work = show.source_work.title
        return Text(f"Read next: no {unit}s of {work} are known yet.", style="dim")
    if not done and not mine.read and not mine.episodes and nxt is not None:
        line = Text(f"Read next: {unit} {nxt}", style="bold")
        first = next(iter(ordered(show)), None)  # the installment a new fan would mark first
        if first is not None:
            line.append(
                f"  (record what you have watched: hstracker watched {first.key})", style="dim"
            )
        return line
    if nxt is None:
        return Text(f"Read next: nothing. You have reached the last {unit}.", style="green")
    line = Text(f"Read next: {unit} {nxt}", style="bold green")
    if done:
        last = done[-1]
        label = next((i.label for i in show.installments if i.key == last), last)
        line.append(f"  (the screen version has not reached it by {label})", style="dim")
    return line


def progress_view(
    show: Show,
    rows: list[MapRow],
    cov: Coverage,
    mine: ShowProgress,
    nxt: int | None,
    seen: Filtered,
    watched: frozenset[str],
    example: str | None,
    tallies: list[Tally],
    now: datetime,
) -> RenderableType:
    """The adaptation map: installments against volumes, coverage, what is left, read next."""
    unit = show.source_work.unit_name
    by_key = {t.key: t for t in tallies}
    table = Listing(Text(f"{show.title}: adaptation map"), heading=2)
    table.column("Ref", no_wrap=True)
    table.column("Installment", style="bold", no_wrap=True)
    table.column(f"{unit.capitalize()}s", no_wrap=True)
    table.column("Chapters", justify="right", no_wrap=True)
    table.column("State", no_wrap=True)
    for row in rows:
        state = Text("out", style="green") if row.released else Text("expected", style="yellow")
        if row.key in watched:
            state.append("  watched", style="cyan")
        elif (t := by_key.get(row.key)) is not None and t.partly:
            state.append(f"  {tally_text(t)}", style="cyan")
        table.row(
            row.key,
            Text(row.label),
            _volumes(row.volumes),
            str(row.chapters) if row.chapters is not None else "?",
            state,
        )
    parts: list[RenderableType] = [table, coverage_bar(cov, unit)]
    if not show.installments:
        parts[0] = Group(Text(f"{show.title}: adaptation map", style="bold"), Text(NOTHING_YET))
    for volume in cov.unadapted:
        who = cov.planned.get(volume)
        line = Text(f"Not yet adapted: {unit} {volume}")
        line.append(f", expected in {who}" if who else ", with no installment announced")
        parts.append(line)
    total = show.source_work.total
    if total is not None:
        parts.append(Text(f"The source has {total.value} {unit}s ({total.source.name})."))
        for old in total.history:
            when = f", {date_text(old.source.reported)}" if old.source.reported else ""
            parts.append(
                Text(
                    f"  earlier report, superseded: {old.value} {unit}s ({old.source.name}{when})",
                    style="dim",
                )
            )
    parts += [Text(), progress_line(show, mine, nxt)]
    counted = [t for t in tallies if t.known and (t.watched or t.partly)]
    if counted:
        parts.append(Text("Episodes: " + "; ".join(tally_text(t) for t in counted)))
    resume = continue_line(show, mine, now)
    if resume is not None:
        parts.append(resume)
    if seen.plot:
        parts += [Text(), Text("Plot notes", style="bold")]
        for inst, note in seen.plot:
            parts.append(Text(f"{inst.key}  {note.text}"))
    if seen.hidden_plot:
        parts.append(hidden_line(seen.hidden_plot, "plot note", example))
    return Group(*parts)


def tally_text(t: Tally) -> str:
    """'s3: 4 of 8'."""
    return f"{t.key}: {t.watched} of {t.known}" if t.known else f"{t.key}: {t.watched}"


def continue_line(show: Show, mine: ShowProgress, now: datetime) -> Text | None:
    """'Continue: s3e5 Title, out since 3 Oct 2024' (or when it comes out)."""
    resume = where_to_continue(show, mine)
    if resume is None:
        return None
    episode = resume.episode
    line = Text("Continue: ", style="bold")
    line.append(f"{resume.installment.key}e{episode.number}")
    if episode.title:
        line.append(f" {episode.title}")
    if episode.airs is not None:
        day = date_text(PartialDate.at(episode.airs, show.release_zone))
        out = episode.airs <= now
        line.append(f", out since {day}" if out else f", out on {day}", style="dim")
    return line


def marked(message: str, show: Show, mine: ShowProgress, now: datetime) -> RenderableType:
    """What watched/read print: the change, then where the fan now stands."""
    done = watched_keys(show, mine)
    partly = [tally_text(t) for inst in ordered(show) if (t := tally(inst, mine)).partly]
    watched = ", ".join([*done, *partly]) or "nothing yet"
    read = _volumes(mine.read) if mine.read else "nothing yet"
    grid = Pairs(rows=[("Watched", Text(watched)), ("Read", Text(read))])
    nxt = read_next(show, done, mine.read)
    parts: list[RenderableType] = [Text(message, style="green"), grid]
    resume = continue_line(show, mine, now)
    if resume is not None:
        parts.append(resume)
    parts.append(progress_line(show, mine, nxt))
    return Group(*parts)


def nothing_next_view(show: Show, last: Installment | None, now: datetime) -> RenderableType:
    """The countdown with nothing to count to: what came last, and how long ago."""
    lines: list[RenderableType] = [Text(show.title, style="bold magenta"), Text(nothing_next(show))]
    if not show.installments:
        lines.append(Text(NOTHING_YET_HINT, style="dim"))
    if last is not None:
        lines.append(Text.assemble("Last: ", last_release_text(show, last, now)))
        lines.append(Text(f"Name one to count from it, e.g. hstracker countdown {last.key}.",
                          style="dim"))  # fmt: skip
    return Group(*lines)


def countdown_view(show: Show, inst: Installment, cd: Countdown) -> RenderableType:
    """The countdown: time left at its honest precision, in the fan's zone and the source's."""
    label = inst.label
    title = Text(f"{show.title}: {label}", style="bold magenta")
    if cd.precision == "cancelled":
        return Group(title, Text(f"{label} is cancelled: there is nothing to count down to."))
    style = countdown_style(cd)
    if cd.precision == "tba":
        return Group(title, Text("TBA: no release date or window announced.", style=style))
    assert cd.target is not None and cd.seconds is not None
    release = inst.release.value if inst.release else None
    source_tz, source_name = release_zone(show)
    if release is not None and release.zone_name:
        source_tz, source_name = zone(release.zone_name), release.zone_name
    lines: list[RenderableType] = [title]
    if cd.released:
        lines.append(Text(f"{label} is out!", style=f"bold {style}"))
        lines.append(Text(f"Released {ago(cd.seconds)}.", style="dim"))
        return Group(*lines)
    if cd.overdue:
        lines.append(
            Text(
                f"Overdue: the {cd.precision} window ({date_text(release)}) closed "
                f"{duration(cd.seconds)} ago with no date.",
                style=style,
            )
        )
        return Group(*lines)
    big = Text(f"{duration(max(cd.seconds, 0), exact=True)} to go", style=f"bold {style}")
    lines.append(big)
    when = Text(clock_text(cd.target, None))
    when.append("  ·  ")
    when.append(clock_text(cd.target, source_tz))
    if cd.precision in ("year", "month"):
        lines.append(
            Text(
                f"No exact date: this counts to the end of the {cd.precision} window "
                f"{date_text(release)}.",
                style=style,
            )
        )
        lines.append(Text.assemble("Window ends ", when))
        return Group(*lines)
    lines.append(Text.assemble("Release ", when))
    if cd.assumed_zone:
        lines.append(
            Text(
                f"Only the day is known; the time zone is assumed: "
                f"{known(show.platform) or 'the platform'} releases at "
                f"00:00 {source_name}.",
                style="dim",
            )
        )
    return Group(*lines)


def countdown_line(inst: Installment, cd: Countdown) -> Text:
    """One line of a countdown for a terminal that cannot redraw: 'Season 3: 2 min 5 s to go'."""
    if cd.seconds is None:
        return Text(f"{inst.label}: TBA", style=countdown_style(cd))
    left = duration(max(cd.seconds, 0), exact=cd.seconds < 3_600)
    window = f" (end of the {cd.precision} window)" if cd.precision in ("year", "month") else ""
    return Text(f"{inst.label}: {left} to go{window}", style=countdown_style(cd))
