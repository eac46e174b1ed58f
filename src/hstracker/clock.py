"""The current time, which ``HSTRACKER_NOW`` can pin so countdowns are reproducible."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta

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
    return start.astimezone(UTC) + timedelta(seconds=time.monotonic() - _STARTED)
