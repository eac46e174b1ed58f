"""The spoiler guard: which plot notes and news a fan should not see yet, and why."""

from __future__ import annotations

import re

import msgspec

from hstracker.core.episodes import touched_keys, watched_keys
from hstracker.core.installments import ordered
from hstracker.core.model import Installment, NewsItem, PlotNote, Show, ShowProgress

# Tags that say an item is about *when* or *whether*, not *what happens*: safe to show.
TIMING_TAGS = frozenset(
    {"release", "release-date", "renewal", "announcement", "production", "filming", "books"}
)
# Tags that say an item reveals story or who appears: hidden whenever it is tied to
# something unseen, even if it also carries a timing tag.
REVEAL_TAGS = frozenset({"plot", "spoiler", "spoilers", "casting", "cast", "ending", "trailer"})
# `volume-4` is the documented form; `v4` is accepted as shorthand.
_VOLUME_TAG = re.compile(r"^(?:volume-|v)(\d{1,3})$")


def volume_tags(tags: list[str]) -> list[int]:
    """The volumes an item's tags point at: ``volume-4`` or ``v4``."""
    return [int(m[1]) for tag in tags if (m := _VOLUME_TAG.match(tag))]


class Guard(msgspec.Struct, frozen=True):
    """What the fan has seen; ``active`` is False only when they asked for --spoilers."""

    active: bool
    seen: frozenset[str]  # installment keys watched, including those before the last marked
    read: frozenset[int]  # volumes read, including those before the highest marked

    @classmethod
    def off(cls) -> Guard:
        return cls(active=False, seen=frozenset(), read=frozenset())

    def unseen(self, key: str | None) -> bool:
        return self.active and key is not None and key not in self.seen

    def unread(self, volumes: list[int]) -> bool:
        return self.active and any(v not in self.read for v in volumes)

    def hides_news(self, item: NewsItem) -> bool:
        """Hide an item tied to something unseen unless it is only about timing."""
        return self.hides(item.installment, item.tags)

    def hides(self, installment: str | None, tags: list[str]) -> bool:
        """hides_news for an item about installment with tags: all the guard looks at, so a
        store can count what it hides from a tally of these two, without the items."""
        if not self.active:
            return False  # --spoilers, decided before any tag is read
        if not (self.unseen(installment) or self.unread(volume_tags(tags))):
            return False
        found = set(tags)
        if found & REVEAL_TAGS:
            return True
        return not found & TIMING_TAGS  # untagged or unknown tags: hide, to be safe

    def hides_plot(self, inst: Installment) -> bool:
        """Plot notes are always reveals: hidden until the installment is watched."""
        return self.unseen(inst.key)


def guard_for(show: Show, progress: ShowProgress | None) -> Guard:
    """The guard for a fan's progress: watching s2 implies s1, reading volume 4 implies 1-3.

    A partly watched installment is not yet watched: its plot and reveals stay hidden.

    It is on from the start: a fan who has recorded nothing has seen nothing, as far as we
    know, and a first look must not spoil the ending.
    """
    if progress is None:
        progress = ShowProgress()
    keys = [inst.key for inst in ordered(show)]
    touched = touched_keys(show, progress)
    # everything before the last installment touched; that one only once it is all watched
    seen = set(keys[: keys.index(touched[-1])]) if touched else set()
    seen.update(watched_keys(show, progress))
    top = max(progress.read, default=0)
    return Guard(active=True, seen=frozenset(seen), read=frozenset(range(1, top + 1)))


def watch_example(show: Show, guard: Guard) -> str | None:
    """The installment a fan would mark next (the first unseen one), for the hint under a view."""
    return next((inst.key for inst in ordered(show) if guard.unseen(inst.key)), None)


class Filtered(msgspec.Struct, frozen=True):
    """What survives the guard, and how much it hid."""

    news: list[NewsItem]
    hidden_news: int
    plot: list[tuple[Installment, PlotNote]]
    hidden_plot: int

    @property
    def hidden(self) -> int:
        return self.hidden_news + self.hidden_plot


def apply_guard(show: Show, guard: Guard, news: list[NewsItem]) -> Filtered:
    """Filter news (in the order given) and every plot note through the guard."""
    shown = [item for item in news if not guard.hides_news(item)]
    plot: list[tuple[Installment, PlotNote]] = []
    hidden_plot = 0
    for inst in ordered(show):
        if guard.hides_plot(inst):
            hidden_plot += len(inst.plot)
        else:
            plot.extend((inst, note) for note in inst.plot)
    return Filtered(shown, len(news) - len(shown), plot, hidden_plot)
