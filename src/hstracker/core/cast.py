"""The cast: who is in an installment, new or returning, and adding or removing someone."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Literal

from hstracker.core import validate
from hstracker.core.installments import find_installment, next_installment, ordered
from hstracker.core.model import BILLINGS, Billing, CastMember, Installment, Show, Source
from hstracker.core.provenance import one_of
from hstracker.errors import Duplicate, InvalidInput, NotFound

Arrival = Literal["new", "returning"]
_BILLING_ORDER = {"main": 0, "recurring": 1, "guest": 2}


def latest_with_cast(show: Show) -> Installment | None:
    """The last installment, in story order, that has anyone listed in it."""
    listed = {key for member in show.cast for key in member.installments}
    for inst in reversed(ordered(show)):
        if inst.key in listed:
            return inst
    return None


def default_installment(show: Show, now: datetime) -> Installment | None:
    """The installment plain `cast` shows: the next one if it lists anyone, else the latest
    that does."""
    nxt = next_installment(show, now)
    if nxt is not None and any(nxt.key in member.installments for member in show.cast):
        return nxt
    return latest_with_cast(show)


def fuller_earlier(show: Show, inst: Installment) -> tuple[Installment, int] | None:
    """The latest earlier installment that lists more people than inst (the film names two
    actors; Season 3 lists many more), with how many it lists."""
    counts = Counter(key for member in show.cast for key in member.installments)
    insts = ordered(show)
    keys = [other.key for other in insts]
    earlier = insts[: keys.index(inst.key)] if inst.key in keys else []
    for other in reversed(earlier):
        if counts[other.key] > counts[inst.key]:
            return other, counts[other.key]
    return None


def ensemble(show: Show) -> list[CastMember]:
    """Everyone in the show, in order of first appearance, main billing first within it."""
    order = {inst.key: n for n, inst in enumerate(ordered(show))}

    def first(member: CastMember) -> int:
        return min((order.get(key, len(order)) for key in member.installments), default=0)

    return sorted(show.cast, key=lambda m: (first(m), _BILLING_ORDER[m.billing]))


def arrival(show: Show, member: CastMember, inst: Installment) -> Arrival:
    """New if inst is the member's first installment, returning if they were in an earlier one."""
    keys = [i.key for i in ordered(show)]
    first = min((keys.index(k) for k in member.installments if k in keys), default=None)
    return "new" if first is None or keys[first] == inst.key else "returning"


def cast_of(
    show: Show, inst: Installment, only: Arrival | None = None
) -> list[tuple[CastMember, Arrival]]:
    """The cast of inst, main billing first, optionally only the new or returning members."""
    found = [
        (member, arrival(show, member, inst))
        for member in show.cast
        if inst.key in member.installments
    ]
    if only is not None:
        found = [pair for pair in found if pair[1] == only]
    return sorted(found, key=lambda pair: _BILLING_ORDER[pair[0].billing])


def add_cast(
    show: Show,
    character: str,
    actor: str,
    refs: list[str],
    source: Source,
    billing: str = "main",
    note: str | None = None,
) -> tuple[CastMember, bool]:
    """Add a cast member, or add installments to one already listed; True when new."""
    if not refs:
        raise InvalidInput("give at least one --season for the installments they appear in.")
    name = validate.required_line(character, "character")
    player = validate.required_line(actor, "actor")
    level: Billing = one_of(billing, BILLINGS, "billing")  # type: ignore[assignment]
    keys = list(dict.fromkeys(find_installment(show, ref).key for ref in refs))
    for member in show.cast:
        if validate.fold(member.character) == validate.fold(name) and validate.fold(
            member.actor
        ) == validate.fold(player):
            missing = [key for key in keys if key not in member.installments]
            if not missing:
                raise Duplicate(
                    f"{name} ({player}) is already listed in {', '.join(keys)}.",
                    hint="Nothing was added.",
                )
            member.installments.extend(missing)
            return member, False
    member = CastMember(
        character=name,
        actor=player,
        installments=keys,
        billing=level,
        note=validate.optional_line(note, "note"),
        source=source,
    )
    show.cast.append(member)
    return member, True


def remove_cast(show: Show, character: str, ref: str | None = None) -> list[CastMember]:
    """Remove a character from one installment, or from the show; returns who was changed."""
    wanted = validate.fold(character)
    found = [m for m in show.cast if validate.fold(m.character) == wanted]
    if not found:
        known = ", ".join(m.character for m in show.cast) or "none"
        raise NotFound(f"{show.title} lists no character {character!r}.", hint=f"Known: {known}.")
    if ref is None:
        show.cast = [m for m in show.cast if m not in found]
        return found
    key = find_installment(show, ref).key
    changed = [m for m in found if key in m.installments]
    if not changed:
        raise NotFound(f"{found[0].character} is not listed in {key}.")
    for member in changed:
        member.installments.remove(key)
    show.cast = [m for m in show.cast if m.installments]
    return changed
