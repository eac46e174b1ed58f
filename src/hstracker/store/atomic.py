"""Crash-safe file replacement: temp file, fsync, rename, fsync the folder, rolling backups."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from hstracker.errors import DiskError

BACKUPS = 3
BACKUP_DIR = "backups"
TMP_SUFFIX = ".tmp"


def backup_path(path: Path, generation: int) -> Path:
    """Where the generation-th previous version of path is kept (1 is the newest)."""
    return path.parent / BACKUP_DIR / f"{path.name}.{generation}"


def _temp_name(path: Path) -> Path:
    # os.urandom, not secrets: secrets pulls in hmac and OpenSSL (~3 ms) for a file name
    return path.with_name(f".{path.name}.{os.urandom(4).hex()}{TMP_SUFFIX}")


def write_atomic(path: Path, data: bytes, *, backups: int = BACKUPS) -> None:
    """Replace path with data so that a crash leaves either the old or the new file whole.

    On any OS error the temp file is removed and the store and its backups are as they were.
    """
    tmp = _temp_name(path)
    held: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        if backups and path.exists():
            held = _hold_previous(path)
        os.replace(tmp, path)
    except OSError as exc:
        for leftover in (tmp, held):
            if leftover is not None:
                with contextlib.suppress(OSError):
                    leftover.unlink()
        raise DiskError(
            f"could not write {path}: {exc.strerror or exc}; the store is unchanged.",
            hint="Check free space and permissions, then try again.",
        ) from None
    if held is not None:
        # the new data is safe; a failed rotation only leaves a temp link, cleaned up later
        with contextlib.suppress(OSError):
            _rotate(path, held, backups)
    fsync_dir(path.parent)


def _hold_previous(path: Path) -> Path:
    """Keep the current version under a temp name in the backup folder, before replacing it."""
    held = _temp_name(backup_path(path, 1))
    held.parent.mkdir(exist_ok=True)
    try:
        os.link(path, held)  # a link costs nothing, whatever the file's size
    except OSError:
        held.write_bytes(path.read_bytes())
    return held


def _shift(path: Path, backups: int) -> None:
    """Move every backup of path up one generation, dropping the oldest."""
    backup_path(path, 1).parent.mkdir(parents=True, exist_ok=True)
    for gen in range(backups - 1, 0, -1):
        older = backup_path(path, gen)
        if older.exists():
            os.replace(older, backup_path(path, gen + 1))


def _rotate(path: Path, held: Path, backups: int) -> None:
    """Shift backups up one generation and make the held previous version generation 1."""
    _shift(path, backups)
    os.replace(held, backup_path(path, 1))


def remove_atomic(path: Path, missing: bytes | None = None, *, backups: int = BACKUPS) -> None:
    """Delete path, keeping it as backup generation 1; missing is backed up if path is absent.

    A shipped show the fan never changed has no file of its own, so its bytes come as missing.
    """
    try:
        if path.exists():
            _rotate(path, _hold_previous(path), max(backups, 1))
            path.unlink()
        elif missing is not None:
            _shift(path, max(backups, 1))
            write_atomic(backup_path(path, 1), missing, backups=0)
    except OSError as exc:
        raise DiskError(
            f"could not remove {path}: {exc.strerror or exc}; the store is unchanged."
        ) from None
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    """Make a rename durable; a no-op where folders cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_stale_temps(folder: Path) -> list[Path]:
    """Delete temp files left by killed writers; call only while holding the store's lock."""
    removed = []
    if folder.is_dir():
        for tmp in folder.glob(f".*{TMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                tmp.unlink()
                removed.append(tmp)
    return removed
