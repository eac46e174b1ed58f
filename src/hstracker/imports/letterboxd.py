"""Letterboxd's export: films watched (``watched.csv``) and the dated diary (``diary.csv``).

Columns as Letterboxd writes them: ``Date``, ``Name``, ``Year``, ``Letterboxd URI``, and in
the diary also ``Rating``, ``Rewatch``, ``Tags`` and ``Watched Date``.
"""

from __future__ import annotations

from hstracker.errors import InvalidInput
from hstracker.imports.archive import Bundle
from hstracker.imports.records import Export, FilmRow, Unreadable, earliest
from hstracker.imports.table import cell, number, rows, when

FILES = ("diary.csv", "watched.csv")


def read(bundle: Bundle) -> Export:
    """Every film watched, each once, with its first watch and how many diary entries."""
    present = [name for name in FILES if bundle.has(name)]
    if not present:
        raise InvalidInput(
            f"{bundle.path.name} is not a Letterboxd export: it has no diary.csv or watched.csv."
        )
    export = Export("Letterboxd")
    films: dict[str, FilmRow] = {}
    for name in present:
        data = bundle.read(name)
        assert data is not None
        export.files.append(name)
        for line, row in rows(data, name, {"Date", "Name", "Year"}, export.unreadable):
            where = f"{name} line {line}"
            title = cell(row.get("Name", ""))
            if not title:
                export.unreadable.append(Unreadable(where, "no film name"))
                continue
            year = number(row.get("Year"))
            key = f"{title.casefold()} ({year})"  # a diary entry's URI is the entry's own
            at = when(row.get("Watched Date") or row.get("Date"))
            seen = films.get(key)
            if seen is None:
                films[key] = FilmRow(title, True, at, 1, year, {}, where)
            elif name == "diary.csv":  # each diary entry is a viewing; watched.csv repeats them
                first = earliest(seen.at, at)
                films[key] = FilmRow(title, True, first, seen.times + 1, year, {}, seen.line)
    export.films = list(films.values())
    return export
