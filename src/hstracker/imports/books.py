"""Goodreads' and StoryGraph's library exports: the books read, with author, series and ISBN.

Goodreads' ``goodreads_library_export.csv`` has ``Title`` (with the series in brackets:
``Heartstopper: Volume Two (Heartstopper, #2)``), ``Author``, ``ISBN`` and ``ISBN13`` (written
as ``="…"`` for spreadsheets), ``Exclusive Shelf`` and ``Date Read``. StoryGraph's export has
``Title``, ``Authors``, ``ISBN/UID``, ``Read Status`` and ``Last Date Read``.
"""

from __future__ import annotations

import re

from hstracker.errors import InvalidInput
from hstracker.imports.archive import Bundle
from hstracker.imports.records import BookRow, Export, Unreadable
from hstracker.imports.table import cell, rows, when

GOODREADS = "goodreads_library_export.csv"
_SERIES = re.compile(r"\(([^()#]+?),?\s*#(\d{1,4})(?:\.\d+)?\)\s*$")
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10}  # fmt: skip
_VOLUME = re.compile(r"\b(?:volume|vol\.?|book|#)\s*(\d{1,4}|[a-z]+)\b", re.IGNORECASE)


def series_of(title: str) -> tuple[str, str | None, int | None]:
    """The title without its series note, and the series and number it names."""
    found = _SERIES.search(title)
    if found:
        return title[: found.start()].strip(), found[1].strip(), int(found[2])
    volume = _VOLUME.search(title)
    if volume:
        word = volume[1].lower()
        value = int(word) if word.isdigit() else _WORDS.get(word)
        if value is not None:
            return title, None, value
    return title, None, None


def _isbns(*cells: str) -> tuple[str, ...]:
    found = []
    for raw in cells:
        digits = raw.replace("-", "").strip().upper()
        if len(digits) in (10, 13) and digits[:-1].isdigit():
            found.append(digits)
    return tuple(found)


def _csv_of(bundle: Bundle, wanted: str | None, service: str) -> tuple[str, bytes]:
    """The one CSV to read: by its name, or the only CSV given."""
    if wanted is not None and bundle.has(wanted):
        data = bundle.read(wanted)
        assert data is not None
        return wanted, data
    csvs = [name for name in bundle.names() if name.endswith(".csv")]
    if len(csvs) != 1 or (bundle.is_zip and wanted is not None):
        raise InvalidInput(
            f"{bundle.path.name} is not a {service} export: give its CSV file"
            + (f" ({wanted})." if wanted else ".")
        )
    data = bundle.read(csvs[0])
    assert data is not None
    return csvs[0], data


def read_goodreads(bundle: Bundle) -> Export:
    name, data = _csv_of(bundle, GOODREADS, "Goodreads")
    export = Export("Goodreads", files=[name])
    needed = {"Title", "Author", "Exclusive Shelf"}
    for line, row in rows(data, name, needed, export.unreadable):
        where = f"{name} line {line}"
        title, author = cell(row.get("Title", "")), cell(row.get("Author", ""))
        if not title:
            export.unreadable.append(Unreadable(where, "no title"))
            continue
        bare, series, number = series_of(title)
        isbns = _isbns(cell(row.get("ISBN", "")), cell(row.get("ISBN13", "")))
        shelf = cell(row.get("Exclusive Shelf", ""))
        at = when(row.get("Date Read"))
        export.books.append(BookRow(bare, author, isbns, series, number, at, where, shelf))
    return export


def read_storygraph(bundle: Bundle) -> Export:
    name, data = _csv_of(bundle, None, "StoryGraph")
    export = Export("StoryGraph", files=[name])
    for line, row in rows(data, name, {"Title", "Authors", "Read Status"}, export.unreadable):
        where = f"{name} line {line}"
        title = cell(row.get("Title", ""))
        if not title:
            export.unreadable.append(Unreadable(where, "no title"))
            continue
        bare, series, number = series_of(title)
        author = cell(row.get("Authors", "")).split(",")[0].strip()
        isbns = _isbns(cell(row.get("ISBN/UID", "")))
        shelf = cell(row.get("Read Status", ""))
        at = when(row.get("Last Date Read"))
        export.books.append(BookRow(bare, author, isbns, series, number, at, where, shelf))
    return export
