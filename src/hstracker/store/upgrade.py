"""Newer shipped data reaching the fan's own copy of a show: found by digest, merged once.

A fan's first change copies a shipped show into the store; from then on the shipped file and
the fan's copy live apart. Each copy's record in personal.json (`shipped`) holds the digest of
the shipped bytes it last took in. When the installed package ships other bytes, the copy is
behind: reads show it merged with the shipped show through import's merge under the
"supersedes" rule (core/sharing.py), and the first write, or a read that finds the lock free,
stores the merged copy and the new digest together, so the merge happens once.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import msgspec

from hstracker.errors import HstrackerError
from hstracker.paths import shipped_dir

try:  # the C code hashlib's blake2b is, without hashlib loading OpenSSL (~3 ms and ~4 MB)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

if TYPE_CHECKING:
    from collections.abc import Callable

    from hstracker.core.model import Personal, Show
    from hstracker.core.sharing import MergeReport
    from hstracker.store import Store


def digest(data: bytes) -> str:
    """What identifies one content of a shipped file: any change to its bytes changes it."""
    return blake2b(data, digest_size=16).hexdigest()


def shipped(slug: str) -> tuple[bytes, str] | None:
    """The shipped file of a show and its digest; None for a show hstracker does not ship."""
    try:
        data = (shipped_dir() / f"{slug}.json").read_bytes()
    except OSError:
        return None
    return data, digest(data)


def behind(personal: Personal, slug: str) -> tuple[bytes, str] | None:
    """The shipped bytes the fan's copy of slug has not taken in yet, with their digest."""
    found = shipped(slug)
    if found is None or personal.shipped.get(slug) == found[1]:
        return None
    return found


class Upgrade(msgspec.Struct):
    """The fan's copy with newer shipped data merged in, and what the merge added."""

    show: Show
    digest: str
    report: MergeReport


def take_in(show: Show, personal: Personal) -> Upgrade | None:
    """Merge the newer shipped show into the fan's copy (in place); None when it is current.

    A show the fan removed is never brought back: only a copy they hold is merged into.
    """
    found = _pending(personal, show.slug)
    return None if found is None else _merged(show, found)


def _pending(personal: Personal, slug: str) -> tuple[bytes, str] | None:
    """The shipped bytes (and digest) to merge into the fan's copy of slug, if any."""
    return None if slug in personal.removed_shows else behind(personal, slug)


def _merged(show: Show, found: tuple[bytes, str]) -> Upgrade | None:
    """show with the shipped bytes found merged in; None when they are damaged."""
    from hstracker.core.model import Show
    from hstracker.core.sharing import merge_show
    from hstracker.store import parse_store_file

    try:
        newer = parse_store_file(f"shipped {show.slug}.json", found[0], Show)
    except HstrackerError:
        return None  # a damaged package must not take the fan's copy down with it
    merged, report = merge_show(show, newer, rule="supersedes")
    return Upgrade(merged, found[1], report)


def read_view(
    store: Store, show: Show, current: Callable[[], bool], whole: Callable[[], Show]
) -> Show:
    """The fan's copy as a read should show it: merged with newer shipped data, if any.

    show may hold only some of the news; whole() reads all of it, which a merge needs.

    The merged copy is stored by a write that waits for no lock; a busy lock, a damaged
    personal.json or a refusing disk leaves the copy as it is (the next write stores it), so
    a read never fails or waits because of an upgrade. A file of an older schema (current()
    False) is left alone, as every read leaves it: the next write migrates and merges it.
    """
    if shipped(show.slug) is None:
        return show  # a show hstracker does not ship: no need to read personal.json at all
    try:
        personal = store.personal()
    except HstrackerError:
        return show
    if (found := _pending(personal, show.slug)) is None:
        return show  # the common case: nothing newer shipped, so no need for all the news
    upgrade = _merged(whole(), found)
    if upgrade is None or not current():
        return upgrade.show if upgrade else show
    with contextlib.suppress(HstrackerError, OSError), store.edit_show(show.slug, lock_timeout=0):
        pass  # the transaction's own read merges it again, under the lock, and records it
    return upgrade.show


class CopyState(msgspec.Struct):
    """Whether one of the fan's copies of a shipped show has taken in the shipped data."""

    slug: str
    behind: bool


def copies(store: Store) -> list[CopyState]:
    """Every shipped show the fan holds a copy of, and whether that copy is behind.

    With personal.json damaged nothing can be said (doctor reports that file instead).
    """
    try:
        personal = store.personal()
        return [
            CopyState(slug, behind(personal, slug) is not None)
            for slug in store.shipped_slugs()
            if slug not in personal.removed_shows and store.read(store.show_path(slug)) is not None
        ]
    except (HstrackerError, OSError):
        return []


def catch_up(store: Store, found: list[CopyState]) -> None:
    """Store every copy that is behind merged with the shipped data (doctor --repair)."""
    for copy in found:
        if copy.behind:
            with store.edit_show(copy.slug):
                pass  # the transaction's read merges the shipped data; its commit stores it
            copy.behind = False
