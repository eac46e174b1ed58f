"""Installments: finding one by reference, story order, what is out, and adding or editing one."""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from typing import Any

from hstracker.core import validate
from hstracker.core.dates import PartialDate, Precision, zone
from hstracker.core.facts import FIELDS, FactField, check_fits, set_fact
from hstracker.core.model import FINAL_STATES, KINDS, Fact, Installment, Kind, Show, Source, State
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
    if inst.state.value in FINAL_STATES:
        return inst.state.value == "ended"  # a cancelled one never comes, whatever its date
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
    if inst.state.value in FINAL_STATES:
        return inst.state.value
    if is_released(show, inst, now):
        return "released"
    if inst.state.value == "released":
        return "dated"
    return inst.state.value


def next_installment(show: Show, now: datetime) -> Installment | None:
    """The first installment, in story order, that is not out yet (a cancelled one never is)."""
    for inst in ordered(show):
        if inst.state.value != "cancelled" and not is_released(show, inst, now):
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


_NAME_ONE = "Name one: s2, 2, film, or a title (see `hstracker seasons`)."


def parse_ref(raw: str) -> str:
    """An installment reference as typed, cleaned of control characters and extra space; a
    blank one is refused, never read as the first untitled installment."""
    text = validate.clean_line(raw)
    if not text:
        raise InvalidInput(f"the installment given ({raw!r}) is blank.", hint=_NAME_ONE)
    return text


def find_installment(show: Show, ref: str) -> Installment:
    """Resolve 's2', '2', 'season 2', 'film', 'film2' or a title to an installment."""
    wanted = "".join(parse_ref(ref).lower().split())
    if wanted.isdigit():
        wanted = f"s{int(wanted)}"
    elif wanted.startswith("season") and wanted[6:].isdigit():
        wanted = f"s{int(wanted[6:])}"
    for inst in show.installments:
        if wanted == inst.key or (inst.title and wanted == "".join(inst.title.lower().split())):
            return inst
    known = ", ".join(inst.key for inst in show.installments) or "none yet"
    raise NotFound(f"{show.title} has no installment {ref!r}.", hint=f"Known: {known}.")


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
        title=None if title is None else _new_title(show, None, title),
        state=Fact(value=state, source=source),
    )
    if any(other.key == inst.key for other in show.installments):
        raise Duplicate(f"{show.title} already has {inst.key}.", hint="Nothing was added.")
    if release is not None:
        set_fact(inst, FIELDS["release"], release, source)
    show.installments.append(inst)
    return inst


TITLE = "title"  # a name, not a reported fact: set by hand, with no provenance to keep
# what a title must not look like: another installment's reference would then be ambiguous
_REF_SHAPED = re.compile(r"\d+|s\d+|season\d+|(?:film|special)\d*")


def set_field(
    show: Show, ref: str, field: FactField, value: Any, source: Source
) -> tuple[str, Any, Any]:
    """Set one fact of an installment to a parsed value; a correction keeps the old value in
    its history. Returns the installment's key and the old and new values."""
    inst = find_installment(show, ref)
    check_fits(show, field.name, value)
    old, new = set_fact(inst, field, value, source)
    return inst.key, old, new


def set_title(show: Show, ref: str, raw: str) -> tuple[str, str | None, str]:
    """Retitle an installment (a name, kept without provenance); returns its key and the old
    and new titles."""
    inst = find_installment(show, ref)
    old_title, inst.title = inst.title, _new_title(show, inst, raw)
    return inst.key, old_title, inst.title


def _new_title(show: Show, inst: Installment | None, raw: str) -> str:
    """A title for inst (None: a new one) that names no other installment."""
    title = validate.required_line(raw, "title")
    folded = "".join(title.lower().split())
    others = [other for other in show.installments if other is not inst]
    if _REF_SHAPED.fullmatch(folded) or any(
        folded in (other.key, "".join((other.title or "").lower().split())) for other in others
    ):
        raise InvalidInput(
            f"the title {title!r} would name another installment too.",
            hint="Give a title that is not a reference (s2, 2, film) or another's title.",
        )
    return title


def remove_installment(show: Show, ref: str) -> Installment:
    """Take an installment out of a show: the cast lose it (and anyone left in nothing goes),
    and news about it stays, about the show as a whole."""
    inst = find_installment(show, ref)
    show.installments.remove(inst)
    for member in show.cast:
        member.installments = [key for key in member.installments if key != inst.key]
    show.cast = [member for member in show.cast if member.installments]
    for item in show.news:
        if item.installment == inst.key:
            item.installment = None
    return inst
