"""One file as doctor found it, and how a damaged one is kept aside before any repair."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from hstracker.core.model import NewsItem
from hstracker.store.atomic import fsync_dir, write_atomic

# "index": a show's duplicate index (store/dupkeys.py), derived data that a repair rebuilds;
# "news": news items no head lists, or that cannot be read; "stale": a news part whose items
# the show holds, no longer needed
Kind = Literal["store", "backup", "temp", "index", "news", "stale"]
CONSENT = "Run `hstracker doctor --repair --accept-loss` to do it."


@dataclass
class FileCheck:
    """One file of the store: what is wrong with it, and what a repair did."""

    path: Path
    kind: Kind
    problem: str | None = None
    action: str | None = None
    fixed: bool = False
    repairable: bool = True
    source: Path | None = None  # a whole copy to restore it from
    adopt: list[NewsItem] = field(default_factory=list)  # items to merge back into the show
    consent: bool = False  # repairing it drops something: only with --accept-loss

    @property
    def open_problem(self) -> bool:
        """A store file still broken; backups, temp files and stale parts never make the
        store unhealthy."""
        broken = self.problem is not None and not self.fixed
        return broken and self.kind in ("store", "index", "news")


def aside_path(path: Path, now: datetime) -> Path:
    """A free name next to path for keeping a damaged file: name.broken-20261124T120000Z."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.name}.broken-{stamp}")
    n = 1
    while os.path.lexists(candidate):
        n += 1
        candidate = path.with_name(f"{path.name}.broken-{stamp}-{n}")
    return candidate


def keep_aside(path: Path, aside: Path, data: bytes | None) -> None:
    """Keep the damaged file (its bytes, or whatever is there) under aside, durably."""
    if data is None:
        os.rename(path, aside)  # a folder or FIFO in a file's place: moved, never opened
    else:
        try:
            os.link(path, aside)  # the very file, at no cost whatever its size
        except OSError:
            write_atomic(aside, data, backups=0)
    fsync_dir(aside.parent)
