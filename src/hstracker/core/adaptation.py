"""How much of the source work the screen version has adapted."""

from __future__ import annotations

from datetime import datetime

import msgspec

from hstracker.core.installments import is_released, ordered, release_zone
from hstracker.core.model import Show


class Coverage(msgspec.Struct, frozen=True):
    """Volumes adapted by released installments, out of the volumes published so far."""

    adapted: list[int]
    published: list[int]
    planned: dict[int, str]  # volume -> the unreleased installment expected to adapt it
    total: int | None  # the volume count as currently reported

    @property
    def fraction(self) -> float:
        """Share of published volumes already adapted, 0 to 1."""
        if not self.published:
            return 0.0
        return len(set(self.adapted) & set(self.published)) / len(self.published)

    @property
    def unadapted(self) -> list[int]:
        return [n for n in self.published if n not in self.adapted]

    @property
    def complete(self) -> bool:
        """Every volume is out and adapted: the story is fully adapted."""
        caught_up = bool(self.published) and not self.unadapted
        return caught_up and (self.total is None or len(self.published) >= self.total)


def published_volumes(show: Show, now: datetime) -> list[int]:
    """Volumes out by now. An undated volume counts once a later volume is known to be out."""
    tz, _ = release_zone(show)
    units = show.source_work.units
    dated_out = {u.number for u in units if u.published and u.published.value.window(tz)[0] <= now}
    any_dated = any(u.published for u in units)
    latest = max(dated_out, default=0)
    return sorted(
        u.number
        for u in units
        if u.number in dated_out or (u.published is None and (not any_dated or u.number < latest))
    )


def coverage(show: Show, now: datetime) -> Coverage:
    """Adaptation coverage as of now."""
    adapted: set[int] = set()
    planned: dict[int, str] = {}
    for inst in show.installments:
        volumes = inst.adapts.value if inst.adapts else []
        if is_released(show, inst, now):
            adapted.update(volumes)
        else:
            for volume in volumes:
                planned.setdefault(volume, inst.label)
    published = published_volumes(show, now)
    total = show.source_work.total.value if show.source_work.total else None
    if total is not None and published:
        total = max(total, published[-1])  # a total never says less than is out
    return Coverage(
        adapted=sorted(adapted),
        published=published,
        planned={v: label for v, label in planned.items() if v not in adapted},
        total=total,
    )


class MapRow(msgspec.Struct, frozen=True):
    """One installment on the adaptation map: the source units it covers."""

    key: str
    label: str
    volumes: list[int]
    chapters: int | None  # the chapters those volumes hold, when every one is known
    released: bool


def adaptation_map(show: Show, now: datetime) -> list[MapRow]:
    """Every installment in story order with the volumes (and chapters) it adapts."""
    chapters = {u.number: u.chapters for u in show.source_work.units}
    rows = []
    for inst in ordered(show):
        volumes = inst.adapts.value if inst.adapts else []
        counts = [chapters.get(v) for v in volumes]
        known = sum(c for c in counts if c is not None) if volumes and None not in counts else None
        rows.append(MapRow(inst.key, inst.label, volumes, known, is_released(show, inst, now)))
    return rows


def read_next(show: Show, watched: list[str], read: list[int]) -> int | None:
    """The first volume the screen version has not reached after the last installment watched.

    Volumes the fan has already read are skipped. None means there is nothing left to read.
    """
    reached = 0
    last = max((i for i, inst in enumerate(ordered(show)) if inst.key in watched), default=-1)
    for inst in ordered(show)[: last + 1]:
        if inst.adapts:
            reached = max(reached, *inst.adapts.value)
    start = max(reached, max(read, default=0)) + 1
    known = [u.number for u in show.source_work.units]
    total = show.source_work.total.value if show.source_work.total else 0
    return start if start <= max([*known, total], default=0) else None
