"""Finding installments: by reference, in story order, the next one, and whether it is out."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from hstracker.core.dates import Precision, zone
from hstracker.core.model import Installment, Show, State
from hstracker.errors import NotFound

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
