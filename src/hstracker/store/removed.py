"""Removed shows, kept whole (news included) so `shows restore` can bring one back."""

from __future__ import annotations

import contextlib
import os
from typing import TYPE_CHECKING

from hstracker.store import files
from hstracker.store.atomic import write_atomic
from hstracker.store.codec import encode
from hstracker.store.parse import parse_store_file

if TYPE_CHECKING:
    from pathlib import Path

    from hstracker.core.model import Show
    from hstracker.store.folder import Store


def removed_path(store: Store, slug: str) -> Path:
    return store.home / files.REMOVED_DIR / f"{slug}.json"


def keep(store: Store, show: Show) -> None:
    """Write the whole show (every news part read in) as one file, before it is removed.

    One file, unlike the head's rolling backups, whose news parts go with the show.
    """
    path = removed_path(store, show.slug)
    files.check_write(store.home, path)
    write_atomic(path, encode(show), backups=0)


def kept(store: Store, slug: str) -> Show | None:
    """The show as it was removed, or None when none was kept."""
    from hstracker.core.model import Show

    path = removed_path(store, slug)
    data = files.read(store.home, path)
    return None if data is None else parse_store_file(path, data, Show)


def drop(store: Store, slug: str) -> None:
    """Forget a kept show once it is back (a leftover only costs the space)."""
    path = removed_path(store, slug)
    files.check_write(store.home, path)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
