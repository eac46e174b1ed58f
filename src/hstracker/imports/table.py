"""CSV rows and the small value parsers every reader shares: dates, numbers, spreadsheet quoting."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import lru_cache

from hstracker.core import validate
from hstracker.errors import InvalidInput
from hstracker.imports.records import Unreadable

MAX_ROWS = 2_000_000  # rows read from one file; a decade of daily TV is ~50,000
MAX_FIELD = 100_000  # characters in one cell (a long review)
MAX_BROKEN = 10_000  # unreadable rows named before a file counts as not CSV at all
_EXCEL = re.compile(r'^="(.*)"$')  # Goodreads writes ISBNs as ="0123456789"


def rows(
    data: bytes, name: str, needed: set[str], broken: list[Unreadable]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Each row of a CSV as (line number, column -> raw text); a file whose header lacks the
    needed columns is not this format and is refused whole. A row the CSV reader cannot read
    (a cell over the size limit) goes into broken, and the rest are read."""
    # a stray bad byte or NUL costs its own character, not the file: titles keep U+FFFD
    text = data.decode("utf-8-sig", errors="replace").replace("\0", "")
    csv.field_size_limit(MAX_FIELD)
    reader = csv.DictReader(io.StringIO(text, newline=""), restval="")
    try:
        header = {(c or "").strip() for c in reader.fieldnames or []}
    except csv.Error as exc:
        raise InvalidInput(f"{name} is not a CSV file: {exc}.") from None
    missing = sorted(needed - header)
    if missing:
        raise InvalidInput(
            f"{name} is not the expected export: it has no {', '.join(missing)} column."
        )
    count = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line = reader.line_num + 1  # the reader counts the line it failed on only after
            broken.append(Unreadable(f"{name} line {line}", f"unreadable: {exc}"))
            if len(broken) > MAX_BROKEN:
                raise InvalidInput(f"{name} has over {MAX_BROKEN} unreadable rows.") from None
            continue
        count += 1
        if count > MAX_ROWS:
            raise InvalidInput(f"{name} has over {MAX_ROWS} rows, more than an export holds.")
        yield reader.line_num, row  # raw: each reader cleans the cells it keeps, with cell()


@lru_cache(maxsize=4_096)  # a show's name repeats on every row of its episodes
def cell(raw: str) -> str:
    """A cell's text: spreadsheet quoting (="…") undone, control characters removed."""
    text = raw.strip()
    found = _EXCEL.match(text)
    if found:
        text = found[1].strip()
    return validate.clean_line(text)[: validate.MAX_LINE]


def number(raw: str | None) -> int | None:
    """A whole number from 0 to 9,999, or None (blank, '1.0' and '6e0' read as numbers too)."""
    if not raw:
        return None
    text = raw.strip()
    try:
        value = float(text) if any(c in text for c in ".eE") else int(text)
    except ValueError:
        return None
    if value != int(value) or not 0 <= value <= 9_999:
        return None
    return int(value)


_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d", "%Y/%m/%d")


def when(raw: str | None) -> datetime | None:
    """An export's date or time, as a UTC instant: ISO 8601 (with or without a zone; none
    means UTC, as the exports write it), '2023-11-04 15:30:38', '2024/10/03', or seconds
    (or micro- or milliseconds) since 1970. None when blank or unreadable."""
    if not raw:
        return None
    text = raw.strip()
    if text.replace(".", "", 1).isdigit():
        seconds = float(text)
        while seconds > 1e11:  # milli- or microseconds
            seconds /= 1000
        try:
            return datetime.fromtimestamp(int(seconds), UTC)
        except (OverflowError, OSError, ValueError):
            return None
    try:
        found = datetime.fromisoformat(text)
    except ValueError:
        found = None
        for fmt in _FORMATS:
            try:
                found = datetime.strptime(text, fmt).replace(tzinfo=UTC)
                break
            except ValueError:
                continue
    if found is None or not 1900 <= found.year <= 2200:
        return None
    if found.tzinfo is None:
        found = found.replace(tzinfo=UTC)
    return found.astimezone(UTC).replace(microsecond=0)
