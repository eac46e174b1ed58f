"""The status dashboard: what is next, when, the filming, adaptation progress and news."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from hstracker.core.adaptation import Coverage
from hstracker.core.attribution import credits
from hstracker.core.countdown import Countdown
from hstracker.core.dates import PartialDate
from hstracker.core.installments import effective_state
from hstracker.core.model import Installment, NewsItem, Show, known
from hstracker.core.spoilers import watch_example
from hstracker.core.whats_new import Fresh
from hstracker.render import (
    STATE_STYLE,
    Pairs,
    coverage_bar,
    filming_text,
    from_line,
    hidden_line,
    last_release_text,
    nothing_next,
)
from hstracker.render.time import ago, countdown_style, date_text, duration, plural, since

if TYPE_CHECKING:
    from hstracker.core.status import Status

STALE_DAYS = 30  # facts older than this: the dashboard suggests a sync


def countdown_text(cd: Countdown, platform: str) -> Text:
    """The countdown line, honest about precision and any assumed time zone."""
    style = countdown_style(cd)
    if cd.precision == "tba":
        return Text("No release date or window announced (TBA).", style=style)
    assert cd.seconds is not None
    if cd.released:
        return Text(f"Out now (released {ago(cd.seconds)}).", style=style)
    if cd.overdue:
        return Text(
            f"Overdue: the {cd.precision} window closed {duration(cd.seconds)} ago with no date.",
            style=style,
        )
    if cd.precision in ("year", "month"):
        share = f"{(cd.window_left or 0) * 100:.0f}%"
        return Text(
            f"No exact date yet. {duration(cd.seconds)} left in the {cd.precision} window "
            f"({share} of it remains).",
            style=style,
        )
    line = Text(f"In {duration(cd.seconds)}", style=style)
    if cd.assumed_zone:
        line.append(
            f" (to 00:00 {cd.assumed_zone}: the hour is assumed from {platform}'s usual "
            "release time)",
            style="dim",
        )
    return line


def news_lines(items: list[NewsItem], new: frozenset[str] = frozenset()) -> Pairs:
    """The latest news, one dated line each; items new since the last look are marked."""
    rows = Pairs(label_style="cyan")
    for item in items:
        line = Text("new ", style="bold yellow") if item.id in new else Text()
        line.append(item.headline)
        line.append(f"  ({item.source})", style="dim")
        rows.add(date_text(item.date), line)
    return rows


def dashboard(st: Status) -> RenderableType:
    """`status` as a fan sees it: the dashboard, what is new since the last look, and what the
    spoiler guard held back."""
    from hstracker.render.fan import continue_line

    parts = [
        status_view(
            st.show, st.next, st.countdown, st.coverage, st.latest, st.facts_as_of, st.now,
            st.fresh.news, st.last_released,
        )
    ]  # fmt: skip
    resume = continue_line(st.show, st.progress, st.now)
    if resume is not None:
        parts.insert(1, resume)
    if st.fresh:
        parts.append(fresh_line(st.fresh, st.visible_news))
    if st.hidden:
        parts.append(hidden_line(st.hidden, example=watch_example(st.show, st.guard)))
    return Group(*parts)


def status_view(
    show: Show,
    nxt: Installment | None,
    cd: Countdown | None,
    cov: Coverage,
    latest: list[NewsItem],
    as_of: PartialDate | None,
    now: datetime,
    new: frozenset[str] = frozenset(),
    last: Installment | None = None,
) -> RenderableType:
    """The dashboard: what is next (or, with nothing next, what came last), when, the filming,
    adaptation progress and news."""
    title = Text(show.title, style="bold magenta")
    title.append(f"  ·  {from_line(show)}")
    parts: list[RenderableType] = [title, Text()]
    rows = Pairs()
    if nxt is None:
        rows.add("Next", Text(nothing_next(show), style="dim"))
        if last is not None:
            rows.add("Last", last_release_text(show, last, now))
    else:
        state = effective_state(show, nxt, now)
        heading = Text(nxt.label, style="bold")
        heading.append(f"  [{nxt.kind}]", style="dim")
        heading.append(f"  {state}", style=STATE_STYLE.get(state, ""))
        rows.add("Next", heading)
        release = nxt.release.value if nxt.release else None
        precision = release.precision.value if release else "tba"
        rows.add("Release", Text(f"{date_text(release)}  ({precision})"))
        if cd is not None:
            rows.add("Countdown", countdown_text(cd, known(show.platform) or "the platform"))
        rows.add(
            "Trailer",
            Text(nxt.trailer.value) if nxt.trailer else Text("none yet", style="dim"),
        )
        rows.add("Filming", filming_text(nxt))
        if nxt.adapts:
            volumes = ", ".join(str(v) for v in nxt.adapts.value)
            rows.add("Adapts", Text(f"{show.source_work.unit_name} {volumes}"))
    rows.add("Adapted", coverage_bar(cov, show.source_work.unit_name))
    if cov.complete:
        rows.add("", Text(f"The story is fully adapted: {adapted_all(cov, show)}.", style="green"))
    parts.append(rows)
    if latest:
        parts += [Text(), Text("Latest news", style="bold"), news_lines(latest, new)]
    parts += [Text(), facts_line(as_of, now)]
    parts += [Text(line, style="dim") for line in credits(show)]
    return Group(*parts)


def adapted_all(cov: Coverage, show: Show) -> str:
    """'all 6 volumes are on screen'."""
    return f"all {plural(len(cov.published), show.source_work.unit_name)} are on screen"


def facts_line(as_of: PartialDate | None, now: datetime) -> Text:
    """How old the facts are; past STALE_DAYS it says how to refresh them."""
    if as_of is None:
        return Text("No dated facts yet. Run `hstracker sync` to fetch them.", style="dim")
    day = as_of.window(UTC)[0].date()
    stamp = f"Facts as of {date_text(as_of)} ({since(day, now.date())})."
    if (now.date() - day).days > STALE_DAYS:
        stamp += " Run `hstracker sync` to refresh them."
    return Text(stamp, style="dim")


def fresh_line(fresh: Fresh, visible: list[NewsItem]) -> Text:
    """'New since you last looked (…): 2 news items; changed: Season 3 release.'"""
    assert fresh.since is not None
    count = sum(1 for item in visible if item.id in fresh.news)
    line = Text(f"New since you last looked ({date_text(fresh.since)}): ", style="yellow")
    bits = []
    if count:
        bits.append(f"{plural(count, 'news item')} (marked new)")
    if fresh.facts:
        bits.append("changed: " + ", ".join(fresh.facts))
    line.append("; ".join(bits) or "nothing you can see yet")
    line.append(".")
    return line
