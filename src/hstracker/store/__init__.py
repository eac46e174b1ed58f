"""The store: one JSON file per show plus the fan's personal file, read and written safely."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from hstracker.core import validate
from hstracker.core.model import SCHEMA_VERSION, Personal, Show
from hstracker.errors import InvalidInput, NotFound, StoreCorrupt, StoreTooNew
from hstracker.paths import shipped_dir
from hstracker.store import files
from hstracker.store.codec import convert, decode, decode_plain, describe, encode
from hstracker.store.files import shown
from hstracker.store.scrub import scrub

# The write machinery (atomic, lock) and migrations are imported where they are used:
# most runs only read, and every module imported costs start-up time.

T = TypeVar("T", Show, Personal)

DEFAULT_SHOW = "heartstopper"
SHOWS_DIR = "shows"
PERSONAL_FILE = "personal.json"
LOCK_FILE = ".lock"


class _Header(msgspec.Struct):
    schema_version: int = 1


HINT = "Nothing was changed; `hstracker doctor` can check and repair the store."
# names a show's slug may not take: the store's own files and folders
RESERVED_SLUGS = validate.RESERVED_SLUGS


def _damaged(path: Path | str, what: str) -> StoreCorrupt:
    return StoreCorrupt(f"{shown(path)} is damaged: {what}.", hint=HINT)


_TOO_DEEP = "it is nested too deeply to be a store file"


def store_version(path: Path | str, data: bytes) -> int:
    """The schema version a store file declares; raise a one-line error if it has none."""
    try:
        return decode(data, _Header).schema_version
    except msgspec.MsgspecError as exc:
        raise _damaged(path, describe(exc, data)) from None
    except RecursionError:
        raise _damaged(path, _TOO_DEEP) from None


def parse_store_file(path: Path | str, data: bytes, tp: type[T]) -> T:
    """Validate a store file's bytes as tp, migrating older schemas in memory.

    Every string comes back cleaned of control characters, whoever edited the file.
    """
    try:  # the common case in one pass: a current file that validates
        obj = decode(data, tp)
    except msgspec.MsgspecError:
        pass
    except RecursionError:  # msgspec's own depth limit: 100,000 brackets deep
        raise _damaged(path, _TOO_DEEP) from None
    else:
        if obj.schema_version == SCHEMA_VERSION:
            scrub(obj, data)
            return obj
    from hstracker.store.migrations import STEPS

    version = store_version(path, data)
    if version > SCHEMA_VERSION:
        raise _too_new(path, version)
    try:
        if version == SCHEMA_VERSION:
            obj = decode(data, tp)
        elif version in STEPS:
            obj = convert(_migrated(path, data, version), tp)
        else:
            raise _damaged(path, f"unknown schema version {version} at `$.schema_version`")
    except msgspec.MsgspecError as exc:
        raise _damaged(path, describe(exc, data)) from None
    except RecursionError:
        raise _damaged(path, _TOO_DEEP) from None
    scrub(obj, data)
    return obj


def _migrated(path: Path | str, data: bytes, version: int) -> Any:
    from hstracker.store.migrations import migrate

    try:
        return migrate(decode_plain(data), version)
    except msgspec.MsgspecError as exc:
        raise _damaged(path, describe(exc, data)) from None
    except RecursionError:
        raise _damaged(path, _TOO_DEEP) from None
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        # a step meets a shape it cannot handle: the file is damaged as well as old
        raise StoreCorrupt(
            f"{shown(path)} could not be migrated from schema {version}: "
            f"{type(exc).__name__}: {exc}.",
            hint=HINT,
        ) from None


def _too_new(path: Path | str, version: int) -> StoreTooNew:
    return StoreTooNew(
        f"{shown(path)} was written by a newer hstracker (schema {version}; "
        f"this one reads up to {SCHEMA_VERSION}). It was not touched.",
        hint="Upgrade hstracker to use it.",
    )


class Store:
    """A folder of store files; reads need no lock, every write goes through transaction()."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.shows_dir = home / SHOWS_DIR
        self.personal_path = home / PERSONAL_FILE
        self.lock_path = home / LOCK_FILE

    # reading

    def show_path(self, slug: str) -> Path:
        return self.shows_dir / f"{slug}.json"

    def personal(self, seen: dict[Path, bytes] | None = None) -> Personal:
        """The fan's own state; an empty one before anything is recorded.

        seen, when given, collects the bytes of each file read and validated.
        """
        data = files.read(self.home, self.personal_path)
        if data is None:
            return Personal()
        personal = parse_store_file(self.personal_path, data, Personal)
        if seen is not None:
            seen[self.personal_path] = data
        return personal

    def shipped_slugs(self) -> list[str]:
        return sorted(
            entry.name.removesuffix(".json")
            for entry in shipped_dir().iterdir()
            if entry.name.endswith(".json")
        )

    def slugs(self, personal: Personal | None = None) -> list[str]:
        """Every show the fan tracks: their own files, plus shipped shows they did not remove."""
        removed = set((personal or self.personal()).removed_shows)
        own = set()
        if files.check_folders(self.home, self.shows_dir):
            own = {p.stem for p in self.shows_dir.glob("*.json")}
        return sorted(own | {s for s in self.shipped_slugs() if s not in removed})

    def resolve(self, slug: str | None, personal: Personal | None = None) -> str:
        """The slug asked for, or the default show; an unknown one lists the known ones.

        Only None means the default: a reference given blank (or only control characters and
        spaces) is refused, so `shows remove ""` can never remove the default show.
        """
        if slug is not None:
            wanted: str | None = validate.clean_line(slug).lower()
            if not wanted:
                raise InvalidInput(
                    f"the show given ({slug!r}) is blank.",
                    hint="Name a show with --show (see `hstracker shows list`), "
                    "or leave --show out for the default.",
                )
        personal = personal or self.personal()
        if slug is None:
            wanted = personal.default_show
        if wanted is None and DEFAULT_SHOW not in personal.removed_shows:
            wanted = DEFAULT_SHOW
        if wanted and validate.is_slug(wanted) and self.show_path(wanted).is_file():
            return wanted  # the fan's own file: no need to list the shipped shows
        known = self.slugs(personal)
        wanted = wanted or self.default_slug(personal, known)
        if wanted in known:
            return wanted
        raise NotFound(
            f"unknown show {wanted!r}.",
            hint=f"Known shows: {', '.join(known) or 'none'}.",
        )

    def default_slug(self, personal: Personal, known: list[str]) -> str:
        """The fan's default; with none set, Heartstopper, or the first show once it is removed."""
        if personal.default_show:
            return personal.default_show
        if DEFAULT_SHOW in known or not known:
            return DEFAULT_SHOW
        return known[0]

    def is_shipped(self, slug: str) -> bool:
        return slug in self.shipped_slugs()

    def show(self, slug: str, seen: dict[Path, bytes] | None = None) -> Show:
        """Load a show: the fan's copy if there is one, otherwise the shipped one.

        seen, when given, collects the bytes of each file read and validated.
        """
        path = self.show_path(slug)
        data = files.read(self.home, path)
        if data is None:
            return self._shipped_show(slug)
        show = parse_store_file(path, data, Show)
        if seen is not None:
            seen[path] = data
            return show  # a transaction's read: it takes newer shipped data in itself
        from hstracker.store.upgrade import read_view

        return read_view(self, show, lambda: store_version(path, data) == SCHEMA_VERSION)

    def peek(self, slug: str) -> Show:
        """The show as its file holds it, for a glance such as shell completion: newer
        shipped data is not merged in, so nothing is written and no lock is touched."""
        return self.show(slug, seen={})

    def _shipped_show(self, slug: str) -> Show:
        entry = shipped_dir() / f"{slug}.json"
        try:
            data = entry.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            raise NotFound(f"unknown show {slug!r}.") from None
        return parse_store_file(f"shipped {slug}.json", data, Show)

    def shows(self, slugs: list[str]) -> list[Show]:
        """The shows named, skipping any whose file another process removed while we read."""
        found = []
        for slug in slugs:
            try:
                found.append(self.show(slug))
            except NotFound:
                continue  # listed a moment ago, gone now: a `shows remove` ran meanwhile
        return found

    def files(self) -> list[Path]:
        """Every store file the fan has: personal.json and each show file (links included, so
        that doctor reports them)."""
        found = [self.personal_path] if os.path.lexists(self.personal_path) else []
        if files.check_home(self.home) and os.path.lexists(self.shows_dir):
            if files.is_real_folder(self.shows_dir):
                found.extend(sorted(self.shows_dir.glob("*.json")))
            else:
                found.append(self.shows_dir)  # a link or a file: doctor reports it
        return found

    def read(self, path: Path) -> bytes | None:
        """The bytes of one of this store's files (None if absent), never through a link."""
        return files.read(self.home, path)

    def holds_personal(self, path: Path) -> bool:
        """True for personal.json and its backups: files are told apart by folder, not name,
        so a show called `personal` is still a show."""
        from hstracker.store.atomic import BACKUP_DIR

        return path.parent in (self.home, self.home / BACKUP_DIR)

    def parse(self, path: Path, data: bytes) -> Show | Personal:
        """Validate the bytes of one of this store's files as whatever that file holds."""
        if self.holds_personal(path):
            return parse_store_file(path, data, Personal)
        return parse_store_file(path, data, Show)

    # writing

    def remove_stale_temps(self) -> list[Path]:
        """Delete temp files left by killed writers; only safe while holding the lock."""
        from hstracker.store.atomic import remove_stale_temps

        removed: list[Path] = []
        for folder in self.temp_folders():
            removed.extend(remove_stale_temps(folder))
        return removed

    def temp_folders(self) -> list[Path]:
        """The folders hstracker writes temp files in; a link is never one of them."""
        from hstracker.store.atomic import BACKUP_DIR

        folders = (self.home, self.shows_dir, self.home / BACKUP_DIR, self.shows_dir / BACKUP_DIR)
        return [f for f in folders if f == self.home or files.is_real_folder(f)]

    @contextmanager
    def lock(self, timeout: float | None = None) -> Iterator[None]:
        """Hold the store's write lock for the block (waiting at most timeout seconds)."""
        from hstracker.store.lock import exclusive

        files.check_home(self.home)  # a file where the store's folder belongs is named as such
        with exclusive(self.lock_path, timeout):
            yield

    @contextmanager
    def transaction(self, lock_timeout: float | None = None) -> Iterator[Transaction]:
        """Lock, yield a transaction reading fresh data, then write what it changed.

        lock_timeout overrides how long to wait for another writer (0: do not wait).
        """
        with self.lock(lock_timeout):
            self.remove_stale_temps()
            tx = Transaction(self)
            yield tx
            tx.commit()

    @contextmanager
    def edit_show(self, slug: str | None, lock_timeout: float | None = None) -> Iterator[Show]:
        """Lock, yield the show read fresh, and write it back if the block changed it."""
        with self.transaction(lock_timeout) as tx:
            show = tx.show(self.resolve(slug, tx.personal()))
            yield show
            tx.put_show(show)

    @contextmanager
    def edit_personal(self, lock_timeout: float | None = None) -> Iterator[Personal]:
        """Lock, yield the fan's own state read fresh, and write it back if it changed."""
        with self.transaction(lock_timeout) as tx:
            personal = tx.personal()
            yield personal
            tx.put_personal(personal)


class Transaction:
    """Changes gathered under the lock; nothing reaches disk unless the block succeeds."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._pending: dict[Path, bytes] = {}
        self._removals: dict[Path, bytes] = {}
        # shows read from the shipped data, as they would be written unchanged: writing one
        # back as it is would only copy the shipped data into the fan's store
        self._shipped: dict[Path, bytes] = {}
        # files this transaction read and validated under its lock; the guard trusts these
        self._seen: dict[Path, bytes] = {}
        # per show read, the digest of the shipped data its copy now holds, and the shows put
        # back: the digest is recorded only for a copy that is stored (store/upgrade.py)
        self._taken: dict[str, str] = {}
        self._put: set[str] = set()

    def show(self, slug: str) -> Show:
        from hstracker.store import upgrade

        show = self.store.show(slug, self._seen)
        path = self.store.show_path(slug)
        if path not in self._seen:
            self._shipped[path] = encode(show)
            if found := upgrade.shipped(slug):
                self._taken[slug] = found[1]  # the copy starts from today's shipped data
        elif newer := upgrade.take_in(show, self.personal()):
            show = newer.show
            self._taken[slug] = newer.digest
        return show

    def personal(self) -> Personal:
        return self.store.personal(self._seen)

    def put_show(self, show: Show) -> None:
        if not validate.is_slug(show.slug) or show.slug in RESERVED_SLUGS:
            raise InvalidInput(
                f"a show cannot be stored under the slug {show.slug!r}.",
                hint="Pick another with --slug.",
            )
        path = self.store.show_path(show.slug)
        self._put.add(show.slug)
        data = _readable(path, encode(show), Show)
        if self._unchanged(path, data):
            return
        self._pending[path] = data

    def put_personal(self, personal: Personal) -> None:
        path = self.store.personal_path
        data = _readable(path, encode(personal), Personal)
        if self._unchanged(path, data):
            return
        self._pending[path] = data

    def _unchanged(self, path: Path, data: bytes) -> bool:
        """True when the file already holds exactly these bytes: then nothing is written, not
        even the mtime."""
        if data in (self._seen.get(path), self._shipped.get(path)):
            self._pending.pop(path, None)
            return True
        return False

    def remove_show(self, show: Show) -> None:
        """Delete the show's file at commit, keeping it (or the shipped copy) as a backup."""
        path = self.store.show_path(show.slug)
        self._pending.pop(path, None)
        self._put.discard(show.slug)
        self._removals[path] = encode(show)

    def commit(self) -> None:
        from hstracker.store.atomic import remove_atomic, write_atomic

        self._record_taken()
        for path in (*self._pending, *self._removals):
            files.check_write(self.store.home, path)  # before anything is written
        for path, data in self._pending.items():
            self._guard(path)
            write_atomic(path, data)
        # removals last: the personal file that records a removed shipped show is written first
        for path, data in self._removals.items():
            self._guard(path)
            remove_atomic(path, data)
        self._pending.clear()
        self._removals.clear()

    def _record_taken(self) -> None:
        """Record which shipped data each stored copy holds, in the same commit as the copy.

        personal.json is written after the show files, so a crash between the two only means
        the merge runs again, and it adds nothing twice.
        """
        # a copy that is written, or one already stored; never a shipped show left unchanged
        stored = {*self._pending, *self._seen}
        taken = {
            s: d
            for s, d in self._taken.items()
            if s in self._put and self.store.show_path(s) in stored
        }
        if not taken:
            return
        path = self.store.personal_path
        pending = self._pending.get(path)
        personal = parse_store_file(path, pending, Personal) if pending else self.personal()
        if any(personal.shipped.get(s) != d for s, d in taken.items()):
            personal.shipped.update(taken)
            self.put_personal(personal)
            if path in self._pending:  # last, after the copies it vouches for
                self._pending[path] = self._pending.pop(path)

    def _guard(self, path: Path) -> None:
        """Refuse to replace a file that does not validate; keep an older schema's original.

        Checked here, under the lock, so that no command can overwrite a damaged or newer
        file, even one that never read it. A file this transaction already read was validated
        under the same lock, so it is not parsed again.
        """
        data = self._seen.get(path)
        if data is None:
            data = self.store.read(path)
            if data is None:
                return
            self.store.parse(path, data)
        from hstracker.store.atomic import BACKUP_DIR, write_atomic

        version = store_version(path, data)
        if version < SCHEMA_VERSION:
            original = path.parent / BACKUP_DIR / f"{path.name}.v{version}"
            if not original.exists():
                write_atomic(original, data, backups=0)


def _readable(path: Path, data: bytes, tp: type[T]) -> bytes:
    """data as a read would give it back, once it has passed the very validation a read
    applies; otherwise refuse it.

    What hstracker writes it must be able to read back: a value outside the bounds a reader
    enforces (a date in 2150, a volume 30,000,000) would lock the fan out of their store.
    And it is written in the form a read gives back: msgspec leaves out a default only when
    it is the very same object, so a typed "reported" would be written out, dropped on the
    next write, and a later edit that changes nothing would still rewrite the file and
    rotate a good backup away.
    """
    try:
        data = encode(parse_store_file(path, data, tp))
    except (StoreCorrupt, StoreTooNew) as exc:
        raise InvalidInput(
            f"refused a change that would not read back: {exc.message.rstrip('.')}; "
            "nothing was written.",
        ) from None
    return data
