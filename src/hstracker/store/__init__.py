"""The store: one JSON file per show plus the fan's personal file, read and written safely."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import msgspec

from hstracker import text
from hstracker.errors import NotFound, StoreCorrupt, StoreTooNew
from hstracker.model import SCHEMA_VERSION, Personal, Show
from hstracker.paths import shipped_dir
from hstracker.store.atomic import remove_stale_temps, write_atomic
from hstracker.store.codec import convert, decode, describe, encode
from hstracker.store.lock import exclusive
from hstracker.store.migrations import STEPS, migrate

T = TypeVar("T", Show, Personal)

DEFAULT_SHOW = "heartstopper"
SHOWS_DIR = "shows"
PERSONAL_FILE = "personal.json"
LOCK_FILE = ".lock"


class _Header(msgspec.Struct):
    schema_version: int = 1


def parse_store_file(path: Path | str, data: bytes, tp: type[T]) -> T:
    """Validate a store file's bytes as tp, migrating older schemas; raise a one-line error."""
    hint = "Nothing was changed; `hstracker doctor` can check and repair the store."
    try:
        obj = decode(data, tp)
    except msgspec.MsgspecError as exc:
        try:
            version = decode(data, _Header).schema_version
        except msgspec.MsgspecError:
            raise StoreCorrupt(f"{path} is damaged: {describe(exc, data)}.", hint=hint) from None
        if version > SCHEMA_VERSION:
            raise _too_new(path, version) from None
        if version < SCHEMA_VERSION and version in STEPS:
            try:
                return convert(migrate(msgspec.json.decode(data), version), tp)
            except (msgspec.MsgspecError, KeyError, TypeError) as err:
                raise StoreCorrupt(f"{path} could not be migrated: {err}.", hint=hint) from None
        raise StoreCorrupt(f"{path} is damaged: {describe(exc, data)}.", hint=hint) from None
    if obj.schema_version > SCHEMA_VERSION:
        raise _too_new(path, obj.schema_version)
    return obj


def _too_new(path: Path | str, version: int) -> StoreTooNew:
    return StoreTooNew(
        f"{path} was written by a newer hstracker (schema {version}; "
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

    def personal(self) -> Personal:
        """The fan's own state; an empty one before anything is recorded."""
        try:
            data = self.personal_path.read_bytes()
        except FileNotFoundError:
            return Personal()
        return parse_store_file(self.personal_path, data, Personal)

    def shipped_slugs(self) -> list[str]:
        return sorted(
            entry.name.removesuffix(".json")
            for entry in shipped_dir().iterdir()
            if entry.name.endswith(".json")
        )

    def slugs(self, personal: Personal | None = None) -> list[str]:
        """Every show the fan tracks: their own files, plus shipped shows they did not remove."""
        removed = set((personal or self.personal()).removed_shows)
        own = {p.stem for p in self.shows_dir.glob("*.json")} if self.shows_dir.is_dir() else set()
        return sorted(own | {s for s in self.shipped_slugs() if s not in removed})

    def resolve(self, slug: str | None, personal: Personal | None = None) -> str:
        """The slug asked for, or the default show; an unknown one lists the known ones."""
        personal = personal or self.personal()
        wanted = text.clean_line(slug).lower() if slug else personal.default_show or DEFAULT_SHOW
        known = self.slugs(personal)
        if wanted in known:
            return wanted
        raise NotFound(
            f"unknown show {wanted!r}.",
            hint=f"Known shows: {', '.join(known) or 'none'}.",
        )

    def show(self, slug: str) -> Show:
        """Load a show: the fan's copy if there is one, otherwise the shipped one."""
        path = self.show_path(slug)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return self._shipped_show(slug)
        return parse_store_file(path, data, Show)

    def _shipped_show(self, slug: str) -> Show:
        entry = shipped_dir() / f"{slug}.json"
        try:
            data = entry.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            raise NotFound(f"unknown show {slug!r}.") from None
        return parse_store_file(f"shipped {slug}.json", data, Show)

    # writing

    @contextmanager
    def transaction(self, lock_timeout: float | None = None) -> Iterator[Transaction]:
        """Lock, yield a transaction reading fresh data, then write what it changed.

        lock_timeout overrides how long to wait for another writer (0: do not wait).
        """
        with exclusive(self.lock_path, lock_timeout):
            remove_stale_temps(self.shows_dir)
            remove_stale_temps(self.home)
            tx = Transaction(self)
            yield tx
            tx.commit()


class Transaction:
    """Changes gathered under the lock; nothing reaches disk unless the block succeeds."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._pending: dict[Path, bytes] = {}

    def show(self, slug: str) -> Show:
        return self.store.show(slug)

    def personal(self) -> Personal:
        return self.store.personal()

    def put_show(self, show: Show) -> None:
        self._pending[self.store.show_path(show.slug)] = encode(show)

    def put_personal(self, personal: Personal) -> None:
        self._pending[self.store.personal_path] = encode(personal)

    def commit(self) -> None:
        for path, data in self._pending.items():
            write_atomic(path, data)
        self._pending.clear()
