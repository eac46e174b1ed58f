"""The credit TVmaze's CC BY-SA licence asks for, and whether a show holds any synced facts."""

from __future__ import annotations

from hstracker.core.facts import all_sources
from hstracker.core.model import Show

TVMAZE = "TVmaze"
# the key of each source's id in Show.ids, and the name its facts record
SOURCE_NAMES = {"tvmaze": TVMAZE, "wikidata": "Wikidata", "openlibrary": "Open Library"}

ATTRIBUTION = (
    "Season, episode and cast data from TVmaze (https://www.tvmaze.com), licensed CC BY-SA 4.0."
)


def has_synced_facts(show: Show, source_name: str = TVMAZE) -> bool:
    """True when any fact or cast member shown for this show came from source_name."""
    return any(source.name == source_name for source in all_sources(show))
