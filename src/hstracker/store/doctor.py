"""Checking every file of a store, and repairing damaged ones from their newest good backup."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from hstracker.errors import HstrackerError, StoreTooNew
from hstracker.store import Store
from hstracker.store.atomic import BACKUP_DIR, BACKUPS, TMP_SUFFIX, backup_path, write_atomic

Kind = Literal["store", "backup", "temp"]
_ORIGINAL = re.compile(r"\.v(\d+)$")


@dataclass
class FileCheck:
    """One file of the store: what is wrong with it, and what a repair did."""

    path: Path
    kind: Kind
    problem: str | None = None
    action: str | None = None
    fixed: bool = False
    repairable: bool = True

    @property
    def open_problem(self) -> bool:
        """A store file still broken; backups and temp files never make the store unhealthy."""
        return self.kind == "store" and self.problem is not None and not self.fixed


def _problem(store: Store, path: Path) -> tuple[str | None, bool]:
    try:
        store.parse(path, path.read_bytes())
    except StoreTooNew as exc:
        return exc.message, False
    except HstrackerError as exc:
        return exc.message, True
    except OSError as exc:
        return f"{path} cannot be read: {exc.strerror or exc}.", False
    return None, True


def _backup_folders(store: Store) -> list[Path]:
    return [folder / BACKUP_DIR for folder in (store.home, store.shows_dir)]


def check(store: Store) -> list[FileCheck]:
    """Validate every store file and every backup; list temp files left by killed writers."""
    found: list[FileCheck] = []
    for path in store.files():
        problem, repairable = _problem(store, path)
        found.append(FileCheck(path, "store", problem, repairable=repairable))
    for folder in _backup_folders(store):
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.name.endswith(TMP_SUFFIX):
                    continue
                found.append(FileCheck(path, "backup", _problem(store, path)[0]))
    for folder in (store.home, store.shows_dir, *_backup_folders(store)):
        if folder.is_dir():
            for path in sorted(folder.glob(f".*{TMP_SUFFIX}")):
                found.append(FileCheck(path, "temp", "a temp file left by an interrupted write."))
    return found


def backups_of(path: Path) -> list[Path]:
    """Backups of a store file, newest first: the rolling ones, then pre-migration originals."""
    rolling = [backup_path(path, gen) for gen in range(1, BACKUPS + 1)]
    folder = path.parent / BACKUP_DIR
    originals = []
    if folder.is_dir():
        for entry in folder.glob(f"{path.name}.v*"):
            if m := _ORIGINAL.search(entry.name):
                originals.append((int(m[1]), entry))
    return [p for p in rolling if p.exists()] + [p for _, p in sorted(originals, reverse=True)]


def aside_path(path: Path, now: datetime) -> Path:
    """A free name next to path for keeping a damaged file: name.broken-20261124T120000Z."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.name}.broken-{stamp}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.broken-{stamp}-{n}")
    return candidate


def repair(store: Store, now: datetime) -> list[FileCheck]:
    """Under the lock: remove stale temp files, and restore each damaged file from a backup.

    A damaged file is never deleted: it is moved aside with a timestamped name first.
    """
    with store.lock():
        checks = check(store)
        for item in checks:
            if item.problem is None:
                continue
            if item.kind == "temp":
                item.path.unlink(missing_ok=True)
                item.action, item.fixed = "removed it.", True
            elif item.kind == "store":
                _restore(store, item, now)
    return checks


def _restore(store: Store, item: FileCheck, now: datetime) -> None:
    if not item.repairable:
        item.action = "left it untouched."
        return
    for backup in backups_of(item.path):
        if _problem(store, backup)[0] is not None:
            continue
        data = backup.read_bytes()
        aside = aside_path(item.path, now)
        os.replace(item.path, aside)
        write_atomic(item.path, data, backups=0)
        item.action = f"moved the damaged file to {aside.name} and restored it from {backup}."
        item.fixed = True
        return
    item.action = "found no good backup to restore; left it as it is."
