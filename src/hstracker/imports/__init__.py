"""Moving in from another tracker: the readers of each service's export, and their placing.

The front door for `hstracker import --from`: nothing else imports this package.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hstracker.imports.archive import Bundle, NeedsPassword
from hstracker.imports.place import Placed, place
from hstracker.imports.records import Export

__all__ = ["SERVICES", "Bundle", "Export", "NeedsPassword", "Placed", "place", "read_export"]


def _tvtime(bundle: Bundle) -> Export:
    from hstracker.imports import tvtime

    return tvtime.read(bundle)


def _trakt(bundle: Bundle) -> Export:
    from hstracker.imports import trakt

    return trakt.read(bundle)


def _letterboxd(bundle: Bundle) -> Export:
    from hstracker.imports import letterboxd

    return letterboxd.read(bundle)


def _goodreads(bundle: Bundle) -> Export:
    from hstracker.imports import books

    return books.read_goodreads(bundle)


def _storygraph(bundle: Bundle) -> Export:
    from hstracker.imports import books

    return books.read_storygraph(bundle)


SERVICES: dict[str, Callable[[Bundle], Export]] = {
    "tvtime": _tvtime,
    "trakt": _trakt,
    "letterboxd": _letterboxd,
    "goodreads": _goodreads,
    "storygraph": _storygraph,
}


def read_export(service: str, path: Path, password: bytes | None = None) -> Export:
    """Read the export at path (a ZIP, its unzipped folder, or one CSV) as service's format."""
    return SERVICES[service](Bundle(path, password))
