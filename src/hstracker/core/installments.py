"""Installments: finding one by reference, story order, what is out, and adding or editing one."""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from typing import Any, NamedTuple

from hstracker.core import validate
from hstracker.core.dates import PartialDate, Precision, zone
from hstracker.core.facts import FIELDS, FactField, set_fact
from hstracker.core.model import KINDS, Fact, Installment, Kind, Show, Source, State
from hstracker.core.provenance import one_of
from hstracker.errors import Duplicate, InvalidInput, NotFound

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


def last_released(show: Show, now: datetime) -> Installment | None:
    """The latest installment, in story order, that is out by now."""
    out = [inst for inst in ordered(show) if is_released(show, inst, now)]
    return out[-1] if out else None


def ordered(show: Show) -> list[Installment]:
    """Installments in story order: by release where known, seasons before a same-year film."""
    far = (9999, 0, 0, datetime.max.replace(tzinfo=UTC))

    def key(item: tuple[int, Installment]) -> tuple[tuple[int, int, int, datetime], int]:
        index, inst = item
        return (inst.release.value.sort_key() if inst.release else far, index)

    return [inst for _, inst in sorted(enumerate(show.installments), key=key)]


class Ref(NamedTuple):
    """An installment as the fan named it, parsed once at the command line: the key or the
    title it names, folded ('s2', 'film', 'heartstopperforever'), and the text as typed."""

    wanted: str
    text: str


def parse_ref(text: str) -> Ref:
    """'s2', '2', 'season 2', 'film', 'film2' or a title; a blank one names nothing."""
    wanted = text.strip().lower().replace(" ", "")
    if not wanted:
        raise InvalidInput(
            f"installment {text!r} is blank.", hint="Give one like s2, 2, film or a title."
        )
    if wanted.isdigit():
        wanted = f"s{int(wanted)}"
    elif wanted.startswith("season") and wanted[6:].isdigit():
        wanted = f"s{int(wanted[6:])}"
    return Ref(wanted, text)


def find_installment(show: Show, ref: Ref) -> Installment:
    """The installment ref names, by key or title."""
    for inst in show.installments:
        if ref.wanted in (inst.key, (inst.title or "").lower().replace(" ", "")):
            return inst
    known = ", ".join(inst.key for inst in show.installments) or "none yet"
    raise NotFound(f"{show.title} has no installment {ref.text!r}.", hint=f"Known: {known}.")


def named_in(show: Show, text: str) -> Installment | None:
    """The installment text names: its title, "season 2", "series 2" or "s2", as whole words,
    in any case. When it names several, the latest in story order, the one it could spoil."""
    found = None
    for inst in ordered(show):
        pattern = _naming(show, inst)
        if pattern is not None and pattern.search(text):
            found = inst
    return found


def _naming(show: Show, inst: Installment) -> re.Pattern[str] | None:
    names = []
    # a title that is the show's own name is in every item about the show: it names nothing
    if inst.title and inst.title.casefold() != show.title.casefold():
        names.append(r"\s+".join(re.escape(word) for word in inst.title.split()))
    if inst.kind == "season":
        # "series" is how British outlets say season
        names.append(rf"(?:season|series)\s+0*{inst.number}|s0*{inst.number}")
    if not names:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(names)})(?!\w)", re.IGNORECASE)


MAX_NUMBER = 999


def parse_kind(value: str) -> Kind:
    """An installment's kind as typed: season, film or special, any case."""
    return one_of(value, KINDS, "kind")  # type: ignore[return-value]


def add_installment(
    show: Show,
    kind: Kind,
    number: int,
    source: Source,
    title: str | None = None,
    state: State = "announced",
    release: PartialDate | None = None,
) -> Installment:
    """Add a season, film or special; its state and release are facts from source."""
    if not 0 < number <= MAX_NUMBER:
        raise InvalidInput(f"number {number} must be from 1 to {MAX_NUMBER}.")
    inst = Installment(
        kind=kind,
        number=number,
        title=validate.optional_line(title, "title"),
        state=Fact(value=state, source=source),
    )
    if any(other.key == inst.key for other in show.installments):
        raise Duplicate(f"{show.title} already has {inst.key}.", hint="Nothing was added.")
    if release is not None:
        set_fact(inst, FIELDS["release"], release, source)
    show.installments.append(inst)
    return inst


def set_field(
    show: Show, ref: Ref, field: FactField, value: Any, source: Source
) -> tuple[str, Any, Any]:
    """Set one fact of an installment to a parsed value; a correction keeps the old value in
    its history."""
    inst = find_installment(show, ref)
    old, new = set_fact(inst, field, value, source)
    return inst.key, old, new
