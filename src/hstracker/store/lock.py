"""An exclusive lock held on a separate lock file, released by the OS if its holder dies."""

from __future__ import annotations

import errno
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hstracker.core.validate import clean
from hstracker.errors import DiskError, LockTimeout

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)

DEFAULT_TIMEOUT = 5.0
TIMEOUT_ENV = "HSTRACKER_LOCK_TIMEOUT"


def lock_timeout() -> float:
    """Seconds a writer waits for the lock; HSTRACKER_LOCK_TIMEOUT changes it."""
    try:
        return max(0.0, float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT)))
    except ValueError:
        return DEFAULT_TIMEOUT


if sys.platform == "win32":  # pragma: no cover - exercised only on Windows
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


@contextmanager
def exclusive(path: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock on path for the block, waiting at most timeout seconds.

    flock belongs to the open file, so a killed holder's lock vanishes with it: a lock file
    left behind never blocks anyone. The file itself is never deleted, since deleting it
    while another process waits on it would let two writers in at once.
    """
    wait = lock_timeout() if timeout is None else timeout
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_NOFOLLOW: a link planted as the lock file (dangling or not) must not make us
        # create or open a file outside the store
        fd = os.open(path, os.O_RDWR | os.O_CREAT | _NOFOLLOW, 0o644)
    except OSError as exc:
        shown = clean(str(path))
        if exc.errno == errno.ELOOP or os.path.islink(path):
            raise DiskError(
                f"the lock file {shown} is a symbolic link; it was not followed.",
                hint="Remove the link; hstracker never writes through a link out of its store.",
            ) from None
        raise DiskError(f"cannot open the lock file {shown}: {exc.strerror}.") from None
    try:
        deadline = time.monotonic() + wait
        delay = 0.005
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise LockTimeout(
                    f"another hstracker is writing to {clean(str(path.parent))} and held its lock "
                    f"for over {wait:g} s; nothing was changed.",
                    hint=f"Try again, or raise {TIMEOUT_ENV}.",
                )
            time.sleep(delay)
            delay = min(delay * 2, 0.05)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)
