"""Crash-safe file replacement: temp file, fsync, rename, fsync the folder, rolling backups."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import time
from pathlib import Path

from hstracker.core.validate import clean
from hstracker.errors import DiskError, InvalidInput
from hstracker.store.files import BACKUP_DIR

BACKUPS = 3
MIRROR = 0  # backups/<name>.0: a copy of the current version, on its own inode
TMP_SUFFIX = ".tmp"
TMP_PREFIX = ".hstracker-"
# Only names hstracker makes are ever deleted: .hstracker-<pid>-<8 hex>.tmp, and the
# .<file>.<8 hex>.tmp that earlier versions made (those only once they are old).
_OURS = re.compile(r"^\.hstracker-(\d{1,10})-[0-9a-f]{8}\.tmp$")
_LEGACY = re.compile(r"^\.[a-z0-9][a-z0-9-]{0,47}\.json(?:\.\d+)?\.[0-9a-f]{8}\.tmp$")
STALE_AFTER = 600.0  # seconds: a temp file this old is left over, whoever made it


def backup_path(path: Path, generation: int) -> Path:
    """Where the generation-th previous version of path is kept (1 is the newest; 0, MIRROR,
    is a copy of the current version)."""
    return path.parent / BACKUP_DIR / f"{path.name}.{generation}"


def _temp_name(path: Path) -> Path:
    # os.urandom, not secrets: secrets pulls in hmac and OpenSSL (~3 ms) for a file name
    return path.with_name(f"{TMP_PREFIX}{os.getpid()}-{os.urandom(4).hex()}{TMP_SUFFIX}")


def is_ours(name: str) -> bool:
    """True for a temp file name that hstracker makes (or made in earlier versions)."""
    return bool(_OURS.match(name) or _LEGACY.match(name))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # pragma: no cover - os.kill would terminate it there
        return True  # the age alone decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, owned by someone else
    return True


def is_stale(path: Path, now: float | None = None) -> bool:
    """A temp file of ours left by a writer that is gone (its pid is dead), or an old one."""
    name = path.name
    m = _OURS.match(name)
    if m is None and not _LEGACY.match(name):
        return False
    try:
        age = (time.time() if now is None else now) - os.lstat(path).st_mtime
    except OSError:
        return False
    if age > STALE_AFTER:
        return True
    return m is not None and not _alive(int(m[1]))


def write_output(path: Path, data: bytes) -> None:
    """Write a file the fan asked for (`--output`), atomically like a store file.

    Only a regular file (or none) is replaced: renaming over a FIFO, a device or a link would
    put a plain file where the fan had something else, and as root would even replace
    /dev/null.
    """
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise DiskError(f"cannot look at {clean(str(path))}: {exc.strerror or exc}.") from None
    if mode is not None and not stat.S_ISREG(mode):
        kind = "a symbolic link" if stat.S_ISLNK(mode) else "not a regular file"
        raise InvalidInput(
            f"--output {clean(str(path))} is {kind}; hstracker only replaces regular files.",
            hint="Name a file, or leave out --output to write to standard output.",
        )
    write_atomic(path, data, backups=0)


def _write_temp(tmp: Path, data: bytes) -> None:
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, *, backups: int = BACKUPS) -> None:
    """Replace path with data so that a crash leaves either the old or the new file whole.

    With backups, the new bytes are also written to backups/<name>.0 first (a real copy, so
    that damage to one inode leaves the other whole), and the previous version becomes .1.
    On any OS error the temp files are removed and the store and its backups are as they were.
    """
    tmp = _temp_name(path)
    mirror: Path | None = None
    held: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_temp(tmp, data)
        if backups:
            mirror = _temp_name(backup_path(path, MIRROR))
            mirror.parent.mkdir(exist_ok=True)
            _write_temp(mirror, data)
            if path.exists():
                held = _hold_previous(path)
            os.replace(mirror, backup_path(path, MIRROR))
            mirror = None
        os.replace(tmp, path)
    except OSError as exc:
        for leftover in (tmp, held, mirror):
            if leftover is not None:
                with contextlib.suppress(OSError):
                    leftover.unlink()
        raise DiskError(
            f"could not write {clean(str(path))}: {exc.strerror or exc}; the store is unchanged.",
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
            with contextlib.suppress(FileNotFoundError):  # first: no current version to mirror
                backup_path(path, MIRROR).unlink()
            path.unlink()
        elif missing is not None:
            _shift(path, max(backups, 1))
            write_atomic(backup_path(path, 1), missing, backups=0)
    except OSError as exc:
        raise DiskError(
            f"could not remove {clean(str(path))}: {exc.strerror or exc}; the store is unchanged."
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


def stale_temps(folder: Path) -> list[Path]:
    """Temp files of ours in folder that no running writer owns; never anyone else's."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted(folder / n for n in names if is_ours(n) and is_stale(folder / n))


def remove_stale_temps(folder: Path) -> list[Path]:
    """Delete temp files left by killed writers; call only while holding the store's lock.

    Only names hstracker makes, and only when their writer is gone: a fan's own
    `.draft.tmp` in a store folder (say `--data-dir ~`) is never touched.
    """
    removed = []
    for tmp in stale_temps(folder):
        with contextlib.suppress(OSError):
            tmp.unlink()
            removed.append(tmp)
    return removed
