"""How long until an installment is out, honest about what is and is not known."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import msgspec

from hstracker.core.dates import PartialDate, Precision
from hstracker.core.installments import (
    find_installment,
    is_released,
    last_released,
    next_installment,
    release_zone,
)
from hstracker.core.model import Installment, Show


class Countdown(msgspec.Struct, frozen=True):
    """How long until an installment is out, honest about what is and is not known."""

    installment: str
    precision: str  # year, month, day, instant, tba, or cancelled
    target: datetime | None  # the instant counted to (UTC): the release, or a window's end
    window_start: datetime | None
    window_end: datetime | None
    seconds: int | None  # until the target; negative once it has passed
    overdue: bool  # a window that closed with no release
    released: bool
    assumed_zone: str | None  # set when a date-only release is pinned to the platform's zone

    @property
    def window_left(self) -> float | None:
        """The share of a month or year window still to come, 0 to 1."""
        if (
            self.window_start is None
            or self.window_end is None
            or self.precision
            not in (
                "year",
                "month",
            )
        ):
            return None
        span = (self.window_end - self.window_start).total_seconds()
        left = self.seconds if self.seconds is not None else 0
        return max(0.0, min(1.0, left / span)) if span else None


def countdown(show: Show, inst: Installment, now: datetime) -> Countdown:
    """Count to an exact instant, to the start of a known day, or to the end of a window."""
    released = is_released(show, inst, now)
    if inst.state.value == "cancelled":  # it will never come: there is nothing to count to
        return Countdown(inst.key, "cancelled", None, None, None, None, False, False, None)
    if inst.release is None:
        return Countdown(inst.key, "tba", None, None, None, None, False, released, None)
    value: PartialDate = inst.release.value
    precision = value.precision
    tz, zone_name = release_zone(show)
    start, end = value.window(tz)
    if precision in (Precision.DAY, Precision.INSTANT):
        target = start.astimezone(UTC)
        assumed = zone_name if precision == Precision.DAY else None
        seconds = int((target - now).total_seconds())
        return Countdown(
            inst.key, precision.value, target, None, None, seconds, False, released, assumed
        )
    target = end.astimezone(UTC)
    seconds = int((target - now).total_seconds())
    overdue = seconds <= 0 and not released
    return Countdown(
        inst.key,
        precision.value,
        target,
        start.astimezone(UTC),
        target,
        seconds,
        overdue,
        released,
        zone_name,
    )


@dataclass(frozen=True, slots=True)
class Counting:
    """What `countdown` answers: the installment counted to and its countdown, or, with
    nothing next, the installment that came out last (None if none has)."""

    installment: Installment | None
    countdown: Countdown | None
    last_released: Installment | None


def counting_to(show: Show, ref: str | None, now: datetime) -> Counting:
    """The countdown to the installment ref names, or to the next one."""
    inst = find_installment(show, ref) if ref else next_installment(show, now)
    if inst is None:
        return Counting(None, None, last_released(show, now))
    return Counting(inst, countdown(show, inst, now), None)
