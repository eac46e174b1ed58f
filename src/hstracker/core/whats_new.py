"""What is new since the fan last looked: news added and facts changed after that moment."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec

from hstracker.core.facts import named_facts
from hstracker.core.model import Show


class Fresh(msgspec.Struct, frozen=True):
    """News ids and fact descriptions that arrived after ``since``."""

    since: datetime | None
    news: frozenset[str] = frozenset()
    facts: list[str] = msgspec.field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.news or self.facts)


def fresh_since(show: Show, since: datetime | None) -> Fresh:
    """News added after since, and facts whose source is that news or was reported after it.

    With no earlier look, nothing is new: marking the whole history would only be noise.
    """
    if since is None:
        return Fresh(None)
    news = frozenset(item.id for item in show.news if item.added > since)
    facts = [
        name
        for name, fact in named_facts(show)
        if (fact.source.news_id is not None and fact.source.news_id in news)
        or (fact.source.reported is not None and fact.source.reported.window(UTC)[0] > since)
    ]
    return Fresh(since, news, facts)
