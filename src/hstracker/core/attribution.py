"""The credit TVmaze's CC BY-SA licence asks for, and whether a show holds any synced facts."""

from __future__ import annotations

from hstracker.core.model import Show

TVMAZE = "TVmaze"

ATTRIBUTION = (
    "Season, episode and cast data from TVmaze (https://www.tvmaze.com), licensed CC BY-SA 4.0."
)


def has_synced_facts(show: Show, source_name: str = TVMAZE) -> bool:
    """True when any fact or cast member shown for this show came from source_name."""
    if any(member.source and member.source.name == source_name for member in show.cast):
        return True
    return any(s.name == source_name for fact in show.facts() for s in fact.sources())
