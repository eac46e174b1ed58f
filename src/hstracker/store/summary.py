"""The summary `shows list` reads: each show cut to what the list needs, checked by digest."""

# No `from __future__ import annotations`: msgspec reads these annotations at decode time.

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import msgspec

from hstracker.core.model import (
    MAX_MARKS,
    SCHEMA_VERSION,
    Fact,
    Installment,
    Record,
    Show,
    SourceWork,
)
from hstracker.errors import HstrackerError
from hstracker.store import files
from hstracker.store.codec import decode, digest, encode

if TYPE_CHECKING:
    from hstracker.store import Store

SUMMARY_FILE = "summary.json"


class Entry(Record, kw_only=True):
    """One show as the list needs it, and the digest of the head file it was cut from."""

    head: str
    show: Show


class Summary(Record, kw_only=True):
    """Every show the fan holds a head file for, by slug."""

    schema_version: int
    shows: Annotated[dict[str, Entry], msgspec.Meta(max_length=MAX_MARKS)] = msgspec.field(
        default_factory=dict
    )


def cut(show: Show) -> Show:
    """What `shows list` reads of a show: names, and each installment's state and release.

    Whatever the list computes (the next installment as of now, its state) is computed from
    these at each read, so the summary never goes stale with time, only with writes.
    """
    work = show.source_work
    return Show(
        schema_version=show.schema_version,
        slug=show.slug,
        title=show.title,
        platform=show.platform,
        release_zone=show.release_zone,
        source_work=SourceWork(
            title=work.title,
            author=work.author,
            unit_name=work.unit_name,
            total=None
            if work.total is None
            else Fact(value=work.total.value, source=work.total.source),
        ),
        installments=[
            Installment(
                kind=inst.kind,
                number=inst.number,
                title=inst.title,
                state=Fact(value=inst.state.value, source=inst.state.source),
                release=None
                if inst.release is None
                else Fact(value=inst.release.value, source=inst.release.source),
            )
            for inst in show.installments
        ],
    )


def _path(store: "Store") -> Path:
    return store.home / SUMMARY_FILE


def load(store: "Store") -> dict[str, Entry]:
    """The summary's entries; none when it is missing or damaged (reads then use the heads)."""
    try:
        data = files.read(store.home, _path(store))
        if data is None:
            return {}
        found = decode(data, Summary)
    except (HstrackerError, msgspec.MsgspecError, RecursionError):
        return {}
    return found.shows if found.schema_version == SCHEMA_VERSION else {}


def listed(store: "Store", slug: str, entries: dict[str, Entry]) -> Show | None:
    """slug's show from the summary, if the summary agrees with its head file; else None.

    Agreement is the digest of the head's bytes: any write of the head, by any hstracker,
    or a hand edit, changes it, and then the head itself is read.
    """
    entry = entries.get(slug)
    if entry is None:
        return None
    try:
        data = store.read(store.show_path(slug))
    except HstrackerError:
        return None
    if data is None or digest(data) != entry.head:
        return None
    return entry.show


def update(store: "Store", heads: dict[str, tuple[bytes, Show] | None]) -> None:
    """Under the lock, after the heads are written: the entries of the shows written (a
    (head bytes, show) pair) or removed (None). A missing or damaged summary is started
    afresh; a crash before this write only leaves entries a read finds stale."""
    from hstracker.store.atomic import write_atomic

    entries = load(store)
    for slug, written in heads.items():
        if written is None:
            entries.pop(slug, None)
        else:
            entries[slug] = Entry(head=digest(written[0]), show=cut(written[1]))
    with contextlib.suppress(HstrackerError):  # the summary is a shortcut, never a reason to fail
        write_atomic(
            _path(store), encode(Summary(schema_version=SCHEMA_VERSION, shows=entries)), backups=0
        )


def rebuild(store: "Store", slugs: list[str]) -> None:
    """Under the lock: entries for every head file of slugs, read afresh (doctor --repair, or
    a read that found stale entries and the lock free)."""
    heads: dict[str, tuple[bytes, Show] | None] = {}
    for slug in slugs:
        path = store.show_path(slug)
        try:
            data = store.read(path)
            heads[slug] = None if data is None else (data, store.parse_head(path, data))
        except HstrackerError:
            heads[slug] = None  # a damaged head has no entry: reads go to it, and fail there
    update(store, heads)
