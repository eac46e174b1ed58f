"""Checking every file of a store, and repairing damaged ones from their newest good backup."""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from hstracker.errors import HstrackerError, StorePathError, StoreTooNew
from hstracker.store import Store
from hstracker.store.atomic import (
    BACKUP_DIR,
    BACKUPS,
    backup_path,
    fsync_dir,
    stale_temps,
    write_atomic,
)
from hstracker.store.files import check_folders, is_real_folder, shown

# "index": a show's duplicate index (store/dupkeys.py), derived data that a repair rebuilds
Kind = Literal["store", "backup", "temp", "index"]
_ORIGINAL = re.compile(r"\.v(\d+)$")
_ROLLING = re.compile(r"\.\d+$")


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
        return self.kind in ("store", "index") and self.problem is not None and not self.fixed


def _problem(store: Store, path: Path) -> tuple[str | None, bool]:
    """What is wrong with a store file or backup, and whether a backup may replace it.

    A link, a folder or an unreadable path is reported but never repaired: it is not damage
    hstracker made, and replacing it could write where the fan did not expect.
    """
    try:
        if path == store.shows_dir:  # listed because it is a link or a file, not a folder
            check_folders(store.home, path)
        data = store.read(path)
        if data is None:
            return None, True  # gone since it was listed
        if store.holds_personal(path):
            store.parse(path, data)
        else:  # a show's head: it and every news part it lists
            store.check_parts(path, data)
    except (StoreTooNew, StorePathError) as exc:
        return exc.message, False
    except HstrackerError as exc:
        return exc.message, True
    except OSError as exc:
        return f"{shown(path)} cannot be read: {exc.strerror or exc}.", False
    return None, True


def _backup_folders(store: Store) -> list[Path]:
    return [folder / BACKUP_DIR for folder in (store.home, store.shows_dir)]


def _is_backup(name: str) -> bool:
    """Rolling backups (name.json.1) and pre-migration originals (name.json.v1); anything else
    in a backup folder is not ours to judge."""
    return ".json." in name and bool(_ROLLING.search(name) or _ORIGINAL.search(name))


def check(store: Store) -> list[FileCheck]:
    """Validate every store file and every backup; list temp files left by killed writers."""
    found: list[FileCheck] = []
    listed = store.files()
    for path in listed:
        problem, repairable = _problem(store, path)
        found.append(FileCheck(path, "store", problem, repairable=repairable))
    for folder in _backup_folders(store):
        if os.path.islink(folder):
            found.append(FileCheck(folder, "store", _link_folder(folder), repairable=False))
            continue
        if is_real_folder(folder):
            found.extend(
                FileCheck(path, "backup", _problem(store, path)[0])
                for path in sorted(folder.iterdir())
                if _is_backup(path.name)
            )
    stale = "a temp file left by an interrupted write."
    for folder in store.temp_folders():
        found.extend(FileCheck(path, "temp", stale) for path in stale_temps(folder))
    stray = "a news part no show file lists (left by an interrupted write)."
    for path in _heads(store, listed):
        found.extend(FileCheck(part, "temp", stray) for part in store.stray_parts(path))
    # last: a repair removes the strays found above before it writes an index afresh
    sound = [c.path for c in found if c.kind == "store" and c.problem is None]
    for path in _heads(store, sound):
        found.extend(_index_check(store, path))
    return found


def _heads(store: Store, paths: list[Path]) -> list[Path]:
    """The shows' head files among paths (not personal.json, not a shows folder listed)."""
    return [p for p in paths if p.suffix == ".json" and not store.holds_personal(p)]


def _index_check(store: Store, path: Path) -> list[FileCheck]:
    """A head's duplicate index, checked against every part it covers: never trusted as is."""
    try:
        problem = store.check_keys(path)
    except (HstrackerError, OSError):
        return []  # the head or a part is damaged: the head's own check reports it
    if problem is None:
        return []
    return [FileCheck(path, "index", f"{shown(path)}: {problem}.")]


def _link_folder(folder: Path) -> str:
    return f"{shown(folder)} is a symbolic link; hstracker neither follows nor writes through it."


def backups_of(path: Path) -> list[Path]:
    """Backups of a store file, newest first: the rolling ones, then pre-migration originals."""
    rolling = [backup_path(path, gen) for gen in range(1, BACKUPS + 1)]
    folder = path.parent / BACKUP_DIR
    originals = []
    if is_real_folder(folder):
        matches = ((_ORIGINAL.search(e.name), e) for e in folder.glob(f"{path.name}.v*"))
        originals = [(int(m[1]), entry) for m, entry in matches if m]
    found = [p for p in rolling if os.path.lexists(p)]
    return found + [p for _, p in sorted(originals, reverse=True)]


def aside_path(path: Path, now: datetime) -> Path:
    """A free name next to path for keeping a damaged file: name.broken-20261124T120000Z."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.name}.broken-{stamp}")
    n = 1
    while os.path.lexists(candidate):
        n += 1
        candidate = path.with_name(f"{path.name}.broken-{stamp}-{n}")
    return candidate


def repair(store: Store, now: datetime) -> list[FileCheck]:
    """Under the lock: remove stale temp files, and restore each damaged file from a backup.

    A damaged file is never deleted: a copy is kept aside under a timestamped name first.
    """
    with store.lock():
        checks = check(store)
        for item in checks:
            if item.problem is None:
                continue
            if item.kind == "temp":
                with contextlib.suppress(FileNotFoundError):
                    item.path.unlink()
                item.action, item.fixed = "removed it.", True
            elif item.kind == "store":
                _restore(store, item, now)
            elif item.kind == "index":
                _rebuild_index(store, item)
        from hstracker.store import summary

        slugs = [p.stem for p in _heads(store, store.files())]
        with contextlib.suppress(HstrackerError, OSError):
            summary.rebuild(store, slugs)  # derived data: made afresh from the heads
    return checks


def _rebuild_index(store: Store, item: FileCheck) -> None:
    """Write a show's duplicate index afresh from its parts: it is derived, so nothing is lost."""
    try:
        store.rebuild_keys(item.path.stem)
    except HstrackerError as exc:
        item.action = f"could not rebuild it: {exc.message}"
        return
    item.action, item.fixed = "rebuilt it from the news parts.", True


def _keep_aside(path: Path, aside: Path, data: bytes) -> None:
    """Keep the damaged file's bytes under aside, durably, without touching path itself."""
    try:
        os.link(path, aside)  # the very file, at no cost whatever its size
    except OSError:
        write_atomic(aside, data, backups=0)
    else:
        fsync_dir(aside.parent)


def _restore(store: Store, item: FileCheck, now: datetime) -> None:
    """Replace a damaged file with its newest good backup, so that every moment has a main file.

    The damaged bytes are kept aside first; then the backup's bytes replace the main file in
    one atomic rename. A crash before that rename leaves the damaged file in place (and doctor
    still reports it); after it, the restored file. The main file is never missing.
    """
    if not item.repairable:
        item.action = "left it untouched."
        return
    for backup in backups_of(item.path):
        if _problem(store, backup)[0] is not None:
            continue
        data = store.read(backup)
        damaged = store.read(item.path)
        if data is None or damaged is None:
            continue
        aside = aside_path(item.path, now)
        _keep_aside(item.path, aside, damaged)
        write_atomic(item.path, data, backups=0)
        item.action = (
            f"kept the damaged file as {shown(aside.name)} and restored it from {shown(backup)}."
        )
        item.fixed = True
        return
    item.action = "found no good backup to restore; left it as it is."
