"""Checking every file of a store, and repairing damaged ones without rolling anything back."""

from __future__ import annotations

import contextlib
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from hstracker.errors import HstrackerError, StorePathError, StoreTooNew
from hstracker.store import news_repair
from hstracker.store.atomic import (
    BACKUPS,
    MIRROR,
    backup_path,
    stale_temps,
    write_atomic,
)
from hstracker.store.filecheck import CONSENT, FileCheck, aside_path, keep_aside
from hstracker.store.files import BACKUP_DIR, check_folders, is_real_folder, is_regular, shown

if TYPE_CHECKING:
    from hstracker.store.folder import Store

_ORIGINAL = re.compile(r"\.v(\d+)$")
_ROLLING = re.compile(r"\.\d+$")


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
            if not os.path.lexists(backup_path(path, MIRROR)):
                return None, True  # gone since it was listed
            return f"{shown(path)} is missing, but its backup is there.", True
        if store.holds_personal(path) or path.parent == store.shows_dir:
            store.parse(path, data)  # a head's parts are checked one by one (news_repair)
        else:  # a backup of a head: it and every news part it lists (the part or its copy)
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
    """Rolling backups (name.json.1), mirrors (.0) and pre-migration originals (.v1);
    anything else in a backup folder is not ours to judge."""
    return ".json." in name and bool(_ROLLING.search(name) or _ORIGINAL.search(name))


def _mirrored_heads(store: Store) -> list[Path]:
    """Store files that are gone while their mirror is there: deleted by something other
    than `shows remove` (which drops the mirror first)."""
    found = []
    if os.path.lexists(backup_path(store.personal_path, MIRROR)):
        found.append(store.personal_path)
    folder = store.shows_dir / BACKUP_DIR
    if is_real_folder(store.shows_dir) and is_real_folder(folder):
        mirrors = [n for n in os.listdir(folder) if n.endswith(f".json.{MIRROR}")]
        found.extend(store.shows_dir / n.removesuffix(f".{MIRROR}") for n in mirrors)
    return sorted(p for p in found if not os.path.lexists(p))


def check(store: Store) -> list[FileCheck]:
    """Validate every store file and every backup; list temp files left by killed writers,
    and check each show's news parts, their copies, and the news no head lists."""
    found: list[FileCheck] = []
    listed = store.files()
    for path in [*listed, *_mirrored_heads(store)]:
        problem, repairable = _problem(store, path)
        found.append(FileCheck(path, "store", problem, repairable=repairable))
    for folder in _backup_folders(store):
        if os.path.islink(folder):
            found.append(FileCheck(folder, "store", _link_folder(folder), repairable=False))
            continue
        if is_real_folder(folder):
            found.extend(
                _backup_check(store, path)
                for path in sorted(folder.iterdir())
                if _is_backup(path.name)
            )
    stale = "a temp file left by an interrupted write."
    for folder in store.temp_folders():
        found.extend(FileCheck(path, "temp", stale) for path in stale_temps(folder))
    sound = [c.path for c in found if c.kind == "store" and c.problem is None]
    for path in _heads(store, sound):
        found.extend(news_repair.check_show(store, path))
    return found


def _backup_check(store: Store, path: Path) -> FileCheck:
    """A backup; a mirror that is not a file (a folder, FIFO or link at its name) blocks
    every write of its file, so it is a store problem, fixed by writing the mirror afresh."""
    problem = _problem(store, path)[0]
    if path.name.endswith(f".{MIRROR}") and not is_regular(path):
        main = path.parent.parent / path.name.removesuffix(f".{MIRROR}")
        if os.path.lexists(main):
            return FileCheck(
                path, "store", f"{problem} Every write of its file needs it.", source=main
            )
    return FileCheck(path, "backup", problem)


def _heads(store: Store, paths: list[Path]) -> list[Path]:
    """The shows' head files among paths (not personal.json, not a shows folder listed)."""
    return [p for p in paths if p.suffix == ".json" and not store.holds_personal(p)]


def _link_folder(folder: Path) -> str:
    return f"{shown(folder)} is a symbolic link; hstracker neither follows nor writes through it."


def backups_of(path: Path) -> list[Path]:
    """Backups of a store file, newest first: the mirror, the rolling ones, then
    pre-migration originals."""
    rolling = [backup_path(path, gen) for gen in range(MIRROR, BACKUPS + 1)]
    folder = path.parent / BACKUP_DIR
    originals = []
    if is_real_folder(folder):
        matches = ((_ORIGINAL.search(e.name), e) for e in folder.glob(f"{path.name}.v*"))
        originals = [(int(m[1]), entry) for m, entry in matches if m]
    found = [p for p in rolling if os.path.lexists(p)]
    return found + [p for _, p in sorted(originals, reverse=True)]


def repair(store: Store, now: datetime, *, accept_loss: bool = False) -> list[FileCheck]:
    """Under the lock: restore each damaged file from a whole copy, re-adopt news no head
    lists, and remove stale temp files and parts.

    Nothing is dropped without accept_loss: a restore from anything older than a file's
    mirror, or a part whose items cannot be read, is only named. A damaged file is never
    deleted: a copy is kept aside under a timestamped name first.
    """
    from hstracker.store import summary

    with store.lock():
        checks = check(store)
        for item in checks:
            if item.problem is None:
                continue
            if item.kind in ("temp", "stale"):
                news_repair.remove(item)
            elif item.kind == "store" and item.source is not None:
                news_repair.restore_part(store, item, now)
            elif item.kind == "store":
                _restore(store, item, now, accept_loss)
            elif item.kind == "backup" and item.source is not None:
                news_repair.recopy(store, item, now)
        # after the files are whole: the news, then the derived index of each show
        for item in checks:
            if item.problem is not None and item.kind == "news":
                news_repair.fix_news(store, item, now, accept_loss)
        for path in _heads(store, store.files()):
            news_repair.fix_index(store, path, checks, now)
        slugs = [p.stem for p in _heads(store, store.files())]
        with contextlib.suppress(HstrackerError, OSError):
            summary.rebuild(store, slugs)  # derived data: made afresh from the heads
    return checks


def _written(path: Path) -> str:
    stamp = datetime.fromtimestamp(os.lstat(path).st_mtime, UTC)
    return stamp.strftime("%Y-%m-%d %H:%M UTC")


def _news_note(store: Store, path: Path) -> str:
    return "" if store.holds_personal(path) else " (its news is re-adopted from its parts)"


def _restore(store: Store, item: FileCheck, now: datetime, accept_loss: bool) -> None:
    """Replace a damaged file with its newest good backup, so that every moment has a main file.

    The mirror (.0) holds what the last write wrote, so restoring it loses nothing. An older
    backup loses what was changed since: it is restored only with accept_loss, and a show's
    news is then re-adopted from its parts (news_repair.lineage_news). The damaged bytes are
    kept aside first; then the backup's bytes replace the main file in one atomic rename.
    """
    if not item.repairable:
        item.action = "left it untouched."
        return
    for backup in backups_of(item.path):
        if _problem(store, backup)[0] is not None:
            continue
        data = store.read(backup)
        if data is None:
            continue
        older = not backup.name.endswith(f".{MIRROR}")
        if older and not accept_loss:
            item.consent = True
            item.action = (
                f"the newest good backup is {shown(backup)} (written {_written(backup)}); "
                f"restoring it loses what was changed since{_news_note(store, item.path)}. "
                + CONSENT
            )
            return
        damaged = store.read(item.path) if os.path.lexists(item.path) else None
        if damaged is not None:
            aside = aside_path(item.path, now)
            keep_aside(item.path, aside, damaged)
            kept = f"kept the damaged file as {shown(aside.name)} and restored"
        else:
            kept = "restored"
        write_atomic(item.path, data, backups=0)
        item.action = f"{kept} it from {shown(backup)}."
        item.fixed = True
        if older and not store.holds_personal(item.path):
            item.action += " " + news_repair.readopt_after_restore(store, item.path)
        return
    item.action = "found no good backup to restore; left it as it is."
