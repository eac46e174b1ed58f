"""Store paths checked before use: no link followed out of the store, one line for each fault.

Every way a path can fail (a link, a loop, a folder where a file belongs, a file where a
folder belongs, no permission) ends in one line that names the path and says why.

The store's own folder may itself be a link (the fan chose it); nothing below it may be.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from hstracker.core.validate import clean
from hstracker.errors import StoreCorrupt, StorePathError

BACKUP_DIR = "backups"  # next to each store file: its backups, and (for parts) their copies
REMOVED_DIR = "removed"  # a removed show kept whole, so `shows restore` can bring it back
MAX_FILE_BYTES = 64 * 1024 * 1024  # a show with 50,000 news items is well under this

# 0 where the platform lacks them (Windows): the lstat checks below still apply there
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO planted as a store file must not block
_BINARY = getattr(os, "O_BINARY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)

LINK_HINT = "hstracker reads and writes only inside its store and never follows a link out of it."


def shown(path: Path | str) -> str:
    """A path as it may be echoed to a terminal: cleaned of control characters like stored text."""
    return clean(str(path))


def _link(path: Path) -> StorePathError:
    return StorePathError(f"{shown(path)} is a symbolic link; it was not followed.", hint=LINK_HINT)


def _not_folder(path: Path) -> StorePathError:
    return StorePathError(
        f"{shown(path)} should be a folder but is not; nothing was read or written.",
        hint="Move it away, or point --data-dir / HSTRACKER_HOME at another folder.",
    )


def check_home(home: Path) -> bool:
    """True when the store's folder exists; raise if something other than a folder is there."""
    try:
        info = os.stat(home)
    except FileNotFoundError:
        return False
    except NotADirectoryError:
        raise _not_folder(_first_non_folder(home)) from None
    except OSError as exc:
        raise StorePathError(f"{shown(home)} cannot be used: {exc.strerror or exc}.") from None
    if not stat.S_ISDIR(info.st_mode):
        raise _not_folder(home)
    return True


def _first_non_folder(path: Path) -> Path:
    for parent in reversed(path.parents):
        if parent.exists() and not parent.is_dir():
            return parent
    return path


def check_folders(home: Path, folder: Path) -> bool:
    """Check each folder from home down to folder: True when all exist, False at the first
    missing one; raise at a link or at something that is not a folder."""
    if not check_home(home):
        return False
    current = home
    for part in folder.relative_to(home).parts:
        current = current / part
        try:
            info = os.lstat(current)
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise StorePathError(
                f"{shown(current)} cannot be used: {exc.strerror or exc}."
            ) from None
        if stat.S_ISLNK(info.st_mode):
            raise _link(current)
        if not stat.S_ISDIR(info.st_mode):
            raise _not_folder(current)
    return True


def read(home: Path, path: Path) -> bytes | None:
    """The bytes of the store file path, or None when it does not exist; never via a link."""
    if not check_folders(home, path.parent):
        return None
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY | _CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP or os.path.islink(path):
            raise _link(path) from None
        raise StorePathError(f"{shown(path)} cannot be read: {exc.strerror or exc}.") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise StorePathError(
                f"{shown(path)} should be a file but is "
                f"{'a folder' if stat.S_ISDIR(info.st_mode) else 'not a regular file'}.",
                hint="Move it away; hstracker did not touch it.",
            )
        chunks = []
        total = 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            total += len(chunk)
            if total > MAX_FILE_BYTES:
                raise StoreCorrupt(
                    f"{shown(path)} is over {MAX_FILE_BYTES} bytes, the most a store file may be.",
                    hint="Nothing was changed; `hstracker doctor` can check and repair the store.",
                )
        return b"".join(chunks)
    except OSError as exc:
        raise StorePathError(f"{shown(path)} cannot be read: {exc.strerror or exc}.") from None
    finally:
        os.close(fd)


def check_write(home: Path, path: Path) -> None:
    """Before writing or deleting path: its folder and backup folder are real folders inside
    the store (or missing, to be made), and path itself is no link and no folder."""
    if check_folders(home, path.parent):
        check_folders(home, path.parent / BACKUP_DIR)
    try:
        info = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return
    if stat.S_ISLNK(info.st_mode):
        raise _link(path)
    if not stat.S_ISREG(info.st_mode):
        raise StorePathError(f"{shown(path)} should be a file but is not; nothing was written.")


def is_real_folder(path: Path) -> bool:
    """A folder that is not a link: only such folders are searched for files to delete."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def is_regular(path: Path) -> bool:
    """A regular file that is not a link."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False
