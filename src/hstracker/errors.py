"""The project's exceptions and the exit code each one maps to."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Every exit status hstracker uses, named in one place."""

    OK = 0
    ERROR = 1  # a request that could not be carried out (duplicate, conflict)
    USAGE = 2  # bad input: a bad date, URL, field or option
    NOT_FOUND = 3  # an unknown show, installment, volume or item
    CORRUPT_STORE = 4  # a store file that cannot be read or validated
    NEWER_STORE = 5  # a store written by a newer hstracker
    LOCKED = 6  # another writer held the lock for too long
    DISK = 7  # the operating system refused a read or write, or a store path is not as it must be
    NETWORK = 8  # a source could not be reached or answered badly
    INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


class HstrackerError(Exception):
    """Base class: a one-line message for the user and an exit code."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


class InvalidInput(HstrackerError):
    """A value given on the command line or in a file is not acceptable."""

    exit_code = ExitCode.USAGE


class NotFound(HstrackerError):
    """A show, installment or item that does not exist was named."""

    exit_code = ExitCode.NOT_FOUND


class Duplicate(HstrackerError):
    """The thing being added is already stored."""

    exit_code = ExitCode.ERROR


class StoreCorrupt(HstrackerError):
    """A store file could not be parsed or validated; it is left untouched."""

    exit_code = ExitCode.CORRUPT_STORE


class StoreTooNew(HstrackerError):
    """A store file was written by a newer schema than this version understands."""

    exit_code = ExitCode.NEWER_STORE


class LockTimeout(HstrackerError):
    """Another process held the store's lock for longer than we wait."""

    exit_code = ExitCode.LOCKED


class DiskError(HstrackerError):
    """The operating system refused to write the store."""

    exit_code = ExitCode.DISK


class StorePathError(DiskError):
    """A store path is a link, a folder where a file belongs (or the reverse), or unreadable.

    hstracker neither follows it nor repairs it: the fan has to look at it.
    """


class NetworkError(HstrackerError):
    """A remote source failed: offline, timeout, bad status, bad or oversized body."""

    exit_code = ExitCode.NETWORK
