"""The names of the sources hstracker syncs from, and the credit each one's terms ask for."""

from __future__ import annotations

from hstracker.core.facts import all_sources
from hstracker.core.model import Show

TVMAZE = "TVmaze"
WIKIDATA = "Wikidata"
OPEN_LIBRARY = "Open Library"
# the key of each source's id in Show.ids, and the name its facts record
SOURCE_NAMES = {"tvmaze": TVMAZE, "wikidata": WIKIDATA, "openlibrary": OPEN_LIBRARY}

ATTRIBUTION = (
    "Season, episode and cast data from TVmaze (https://www.tvmaze.com), licensed CC BY-SA 4.0."
)
# Wikidata is CC0: no credit is owed, and each of its facts names it as the source anyway.
CREDITS = {
    TVMAZE: ATTRIBUTION,
    OPEN_LIBRARY: "Book editions from Open Library (https://openlibrary.org).",
}


def credit_lines(names: set[str]) -> list[str]:
    """The credit lines owed by facts from these sources, in a fixed order."""
    return [line for name, line in CREDITS.items() if name in names]


def credits(show: Show) -> list[str]:
    """The credit lines owed by the synced facts and cast this show holds."""
    return credit_lines({source.name for source in all_sources(show)})
