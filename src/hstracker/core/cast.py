"""Who is in an installment, and whether they are new to it or returning."""

from __future__ import annotations

from typing import Literal

from hstracker.core.installments import ordered
from hstracker.core.model import CastMember, Installment, Show

Arrival = Literal["new", "returning"]


def latest_with_cast(show: Show) -> Installment | None:
    """The last installment, in story order, that has anyone listed in it."""
    listed = {key for member in show.cast for key in member.installments}
    for inst in reversed(ordered(show)):
        if inst.key in listed:
            return inst
    return None


def arrival(show: Show, member: CastMember, inst: Installment) -> Arrival:
    """New if inst is the member's first installment, returning if they were in an earlier one."""
    keys = [i.key for i in ordered(show)]
    first = min((keys.index(k) for k in member.installments if k in keys), default=None)
    return "new" if first is None or keys[first] == inst.key else "returning"


def cast_of(
    show: Show, inst: Installment, only: Arrival | None = None
) -> list[tuple[CastMember, Arrival]]:
    """The cast of inst, main billing first, optionally only the new or returning members."""
    billing_order = {"main": 0, "recurring": 1, "guest": 2}
    found = [
        (member, arrival(show, member, inst))
        for member in show.cast
        if inst.key in member.installments
    ]
    if only is not None:
        found = [pair for pair in found if pair[1] == only]
    return sorted(found, key=lambda pair: billing_order[pair[0].billing])
