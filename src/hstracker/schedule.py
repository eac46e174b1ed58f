"""Which installment comes next, whether it is out, and how long until it is."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

import msgspec

from hstracker.dates import PartialDate, Precision, zone
from hstracker.errors import NotFound
from hstracker.model import Installment, Show, State

UTC_NAME = "UTC"


def release_zone(show: Show) -> tuple[tzinfo, str]:
    """The zone a date-only release starts in: the platform's usual one, else UTC."""
    name = show.release_zone or UTC_NAME
    return zone(name), name


def release_window(show: Show, inst: Installment) -> tuple[datetime, datetime] | None:
    """The [start, end) span of an installment's release, or None when it is TBA."""
    if inst.release is None:
        return None
    tz, _ = release_zone(show)
    return inst.release.value.window(tz)


def is_released(show: Show, inst: Installment, now: datetime) -> bool:
    """Out by now: a day or instant that has passed; otherwise what the stored state says."""
    if inst.release is not None and inst.release.value.precision in (
        Precision.DAY,
        Precision.INSTANT,
    ):
        window = release_window(show, inst)
        assert window is not None
        return now >= window[0]
    return inst.state.value == "released"


def effective_state(show: Show, inst: Installment, now: datetime) -> State:
    """The state as of now: a clock pinned before a release sees 'dated', not 'released'."""
    if is_released(show, inst, now):
        return "released"
    if inst.state.value == "released":
        return "dated"
    return inst.state.value


def next_installment(show: Show, now: datetime) -> Installment | None:
    """The first installment, in story order, that is not out yet."""
    for inst in ordered(show):
        if not is_released(show, inst, now):
            return inst
    return None


def ordered(show: Show) -> list[Installment]:
    """Installments in story order: by release where known, seasons before a same-year film."""
    far = (9999, 0, 0, datetime.max.replace(tzinfo=UTC))

    def key(item: tuple[int, Installment]) -> tuple[tuple[int, int, int, datetime], int]:
        index, inst = item
        return (inst.release.value.sort_key() if inst.release else far, index)

    return [inst for _, inst in sorted(enumerate(show.installments), key=key)]


def find_installment(show: Show, ref: str) -> Installment:
    """Resolve 's2', '2', 'season 2', 'film', 'film2' or a title to an installment."""
    wanted = ref.strip().lower().replace(" ", "")
    if wanted.isdigit():
        wanted = f"s{int(wanted)}"
    elif wanted.startswith("season") and wanted[6:].isdigit():
        wanted = f"s{int(wanted[6:])}"
    for inst in show.installments:
        if wanted in (inst.key, (inst.title or "").lower().replace(" ", "")):
            return inst
    known = ", ".join(inst.key for inst in show.installments) or "none yet"
    raise NotFound(f"{show.title} has no installment {ref!r}.", hint=f"Known: {known}.")


class Countdown(msgspec.Struct, frozen=True):
    """How long until an installment is out, honest about what is and is not known."""

    installment: str
    precision: str  # year, month, day, instant, or tba
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
