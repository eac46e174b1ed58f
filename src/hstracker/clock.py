"""The current time, which ``HSTRACKER_NOW`` can pin so countdowns are reproducible."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta

from hstracker.core.dates import MAX_YEAR, MIN_YEAR
from hstracker.errors import InvalidInput

_STARTED = time.monotonic()


def now() -> datetime:
    """Return an aware UTC datetime; with HSTRACKER_NOW set, time runs forward from it."""
    pinned = os.environ.get("HSTRACKER_NOW")
    if not pinned:
        return datetime.now(UTC)
    try:
        start = datetime.fromisoformat(pinned)
    except ValueError:
        raise InvalidInput(
            f"HSTRACKER_NOW={pinned!r} is not an ISO datetime.",
            hint="Use a form like 2026-11-24T12:00:00+00:00.",
        ) from None
    if start.tzinfo is None:
        raise InvalidInput(
            f"HSTRACKER_NOW={pinned!r} has no UTC offset.",
            hint="Add one, for example +00:00.",
        )
    try:
        # 0001-01-01T00:00:00+14:00 is a year before the first one datetime can hold
        utc = start.astimezone(UTC)
    except (OverflowError, ValueError):
        utc = None
    if utc is None or not MIN_YEAR <= utc.year <= MAX_YEAR:
        raise InvalidInput(
            f"HSTRACKER_NOW={pinned!r} is out of range: years run {MIN_YEAR} to {MAX_YEAR}.",
            hint="Use a form like 2026-11-24T12:00:00+00:00.",
        )
    return utc + timedelta(seconds=time.monotonic() - _STARTED)
