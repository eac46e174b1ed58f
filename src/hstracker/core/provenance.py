"""Where a typed fact comes from: the fan's source, today, at a confidence parsed one way."""

from __future__ import annotations

from hstracker.core import validate
from hstracker.core.dates import PartialDate
from hstracker.core.model import CONFIDENCES, Confidence, Source
from hstracker.errors import InvalidInput


def one_of(value: str, allowed: tuple[str, ...], what: str) -> str:
    """A value from a fixed list, case-insensitive; anything else is a clear error."""
    found = value.strip().lower()
    if found not in allowed:
        raise InvalidInput(f"{what} {value!r} is not one of: {', '.join(allowed)}.")
    return found


def confidence(value: str) -> Confidence:
    """--confidence, the same in every command: confirmed, reported or rumour, any case."""
    return one_of(value, CONFIDENCES, "confidence")  # type: ignore[return-value]


def hand_source(name: str, day: PartialDate, level: str, url: str | None = None) -> Source:
    """The provenance of a fact the fan typed: who said it, today, how sure; no sync beats it."""
    return Source(
        name=validate.required_line(name, "source"),
        reported=day,
        url=validate.url(url),
        confidence=confidence(level),
        by_fan=True,
    )
