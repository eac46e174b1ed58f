"""The Store: a folder of store files, its reads, and the doors to its transactions."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from hstracker.core import validate
from hstracker.core.model import SCHEMA_VERSION, NewsItem, Personal, Show
from hstracker.errors import HstrackerError, InvalidInput, NotFound, StorePathError
from hstracker.paths import shipped_dir
from hstracker.store import files
from hstracker.store.layout import (
    ALL,
    NONE,
    PARTS_SUFFIX,
    NewsPart,
    Pick,
    PickFor,
    StoredShow,
    chosen,
    parts_dir,
    show_of,
    tally,
)
from hstracker.store.parse import (
    PartGone,
    damaged,
    parse_head,
    parse_part,
    parse_store_file,
    store_version,
)

if TYPE_CHECKING:
    from hstracker.core.dates import PartialDate
    from hstracker.core.news import Duplicates
    from hstracker.store import transaction
    from hstracker.store.dupkeys import KeyFile
    from hstracker.store.transaction import Loaded

# The write machinery (atomic, lock, transaction) and migrations are imported where they are
# used: most runs only read, and every module imported costs start-up time.

DEFAULT_SHOW = "heartstopper"
SHOWS_DIR = "shows"
PERSONAL_FILE = "personal.json"
LOCK_FILE = ".lock"
# names a show's slug may not take: the store's own files and folders
RESERVED_SLUGS = validate.RESERVED_SLUGS

_RETRIES = 5


def _tally(head: StoredShow) -> dict[str, int]:
    """The tally of every item of a show, from its head: its parts' and its inline items'."""
    counts = tally(head.news)
    for part in head.parts:
        for key, count in part.shapes.items():
            counts[key] = counts.get(key, 0) + count
    return counts


class Store:
    """A folder of store files; reads need no lock, every write goes through transaction()."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.shows_dir = home / SHOWS_DIR
        self.personal_path = home / PERSONAL_FILE
        self.lock_path = home / LOCK_FILE
        self._read_personal: tuple[bytes, Personal] | None = None  # plain reads' last decode

    # reading

    def show_path(self, slug: str) -> Path:
        return self.shows_dir / f"{slug}.json"

    def personal(self, seen: dict[Path, bytes] | None = None) -> Personal:
        """The fan's own state; an empty one before anything is recorded.

        seen, when given, collects the bytes of each file read and validated.
        """
        data = files.read(self.home, self.personal_path)
        if data is None:
            if os.path.lexists(self.home / files.BACKUP_DIR / f"{PERSONAL_FILE}.0"):
                raise damaged(self.personal_path, "it is missing, but its backup is there")
            return Personal()
        if seen is None and self._read_personal is not None and self._read_personal[0] == data:
            # a read that looks twice (the fan's view, then the shipped-data check) decodes
            # once: a fan who moved in from TV Time has 100,000 episode marks in this file
            return self._read_personal[1]
        personal = parse_store_file(self.personal_path, data, Personal)
        if seen is not None:
            seen[self.personal_path] = data
        else:
            self._read_personal = (data, personal)
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

    def holds_copy(self, slug: str) -> bool:
        """Whether the fan's store holds its own file of the show (else: the shipped one)."""
        return files.read(self.home, self.show_path(slug)) is not None

    def is_shipped(self, slug: str) -> bool:
        return slug in self.shipped_slugs()

    def show(self, slug: str, seen: dict[Path, bytes] | None = None) -> Show:
        """Load a show whole: the fan's copy if there is one, otherwise the shipped one.

        seen, when given, collects the bytes of each head file read and validated.
        """
        return self.read_show(slug, ALL, seen)[0]

    def read_show(
        self,
        slug: str,
        pick: Pick | PickFor = ALL,
        seen: dict[Path, bytes] | None = None,
        loaded: dict[Path, Loaded] | None = None,
        *,
        view: bool = True,
    ) -> tuple[Show, dict[str, int]]:
        """A show with the news pick asks for (at least), and the tally of all its items
        (layout.tally: how many have each shape), whichever were read.

        The news comes in store order, oldest first, whichever parts were read. view False:
        the copy as stored, never merged with newer shipped data (so nothing is written).
        """
        path = self.show_path(slug)
        for _ in range(_RETRIES):
            data = files.read(self.home, path)
            if data is None:
                if os.path.lexists(path.parent / files.BACKUP_DIR / f"{path.name}.0"):
                    # the mirror of a file no removal took away: its file was lost
                    raise damaged(path, "it is missing, but its backup is there")
                shipped = self._shipped_show(slug)
                return shipped, tally(shipped.news)
            head = self.parse_head(path, data)
            try:
                if seen is not None:  # a transaction's read: it takes newer shipped data in itself
                    parts = [self.read_part_raw(path, part) for part in head.parts]
                    show = show_of(head, [*head.news, *(i for items, _ in parts for i in items)])
                    seen[path] = data
                    if loaded is not None:
                        raws = (raw for _, raw in parts)
                        loaded[path] = list(zip(head.parts, raws, strict=True))
                    return show, _tally(head)
                if not view:
                    return self._assemble(path, head, pick), _tally(head)
                return self._read_view(path, data, head, pick)
            except PartGone:
                continue  # a writer replaced this head meanwhile: read the new one
        raise damaged(path, "a news part it lists is missing")

    def _read_view(
        self, path: Path, data: bytes, head: StoredShow, pick: Pick | PickFor
    ) -> tuple[Show, dict[str, int]]:
        from hstracker.store.upgrade import read_view

        show = self._assemble(path, head, pick)
        viewed = read_view(
            self,
            show,
            lambda: store_version(path, data) == SCHEMA_VERSION,
            lambda: self._assemble(path, head, ALL),
            frozenset(head.taken),
        )
        return viewed, _tally(head) if viewed is show else tally(viewed.news)

    def parse_head(self, path: Path | str, data: bytes) -> StoredShow:
        """A show's head file, validated, with the names of its parts checked."""
        return parse_head(path, data)

    def _assemble(self, path: Path, head: StoredShow, pick: Pick | PickFor) -> Show:
        """The show of head with the news of the parts pick needs."""
        if not head.parts:
            return show_of(head, head.news)
        if not isinstance(pick, Pick):
            pick = pick(show_of(head, []))
        news = list(head.news)
        for i in chosen(head.parts, pick):
            news.extend(self.read_part(path, head.parts[i]))
        return show_of(head, news)

    def read_part(self, head_path: Path, part: NewsPart) -> list[NewsItem]:
        """The items of one news part, validated; raise PartGone if it is not there."""
        return self.read_part_raw(head_path, part)[0]

    def read_part_raw(self, head_path: Path, part: NewsPart) -> tuple[list[NewsItem], bytes]:
        path = parts_dir(head_path) / part.file
        data = files.read(self.home, path)
        if data is None:
            raise PartGone(path)
        return parse_part(path, data, part).news, data

    def peek(self, slug: str, pick: Pick | PickFor = ALL) -> Show:
        """The show as its file holds it, for a glance such as shell completion: newer
        shipped data is not merged in, so nothing is written and no lock is touched. pick:
        the news it needs (all, unless told)."""
        return self.read_show(slug, pick, view=False)[0]

    def _shipped_show(self, slug: str) -> Show:
        entry = shipped_dir() / f"{slug}.json"
        try:
            data = entry.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            raise NotFound(f"unknown show {slug!r}.") from None
        return parse_store_file(f"shipped {slug}.json", data, Show)

    def listed_shows(self, slugs: list[str]) -> list[Show]:
        """The shows named, cut to what `shows list` needs, from the summary where it agrees
        with each head file; otherwise from the head, and then the summary is rebuilt if the
        lock is free at once (a read never waits or fails for it).

        A shipped show is always read itself: newer shipped data may be merged into it.
        """
        from hstracker.store import summary

        entries = summary.load(self)
        shipped = set(self.shipped_slugs())
        found: list[Show] = []
        stale = False
        for slug in slugs:
            show = None if slug in shipped else summary.listed(self, slug, entries)
            if show is None:
                stale = stale or slug not in shipped
                found.extend(self.shows([slug], NONE))
            else:
                found.append(show)
        if stale:
            with contextlib.suppress(HstrackerError, OSError), self.lock(timeout=0):
                summary.rebuild(self, [s for s in slugs if s not in shipped])
        return found

    def shows(self, slugs: list[str], pick: Pick = ALL) -> list[Show]:
        """The shows named, skipping any whose file another process removed while we read."""
        found = []
        for slug in slugs:
            try:
                found.append(self.read_show(slug, pick)[0])
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
        return path.parent in (self.home, self.home / files.BACKUP_DIR)

    def parse(self, path: Path, data: bytes) -> Show | Personal:
        """Validate the bytes of one of this store's files as whatever that file holds."""
        if self.holds_personal(path):
            return parse_store_file(path, data, Personal)
        return self.parse_head(path, data)

    def check_parts(self, path: Path, data: bytes) -> None:
        """Raise if a head (the file at path, or a backup of it) lists a part that neither
        its folder nor its kept copy holds whole; doctor's check, which reads every part."""
        from hstracker.store import parts

        parts.check_listed(self, path, data)

    # writing

    def stray_parts(self, head_path: Path) -> list[Path]:
        """The files of a head's parts folders that a write may delete (store/parts.py)."""
        from hstracker.store import parts

        return parts.stray(self, head_path)

    def collect_parts(self, head_path: Path) -> list[Path]:
        """Delete the stray parts of a head (see stray_parts); only under the lock."""
        from hstracker.store import parts

        return parts.collect(self, head_path)

    def remove_stale_temps(self) -> list[Path]:
        """Delete temp files left by killed writers; only safe while holding the lock."""
        from hstracker.store.atomic import remove_stale_temps

        removed: list[Path] = []
        for folder in self.temp_folders():
            removed.extend(remove_stale_temps(folder))
        return removed

    def temp_folders(self) -> list[Path]:
        """The folders hstracker writes temp files in; a link is never one of them."""
        backups = self.shows_dir / files.BACKUP_DIR
        folders = [self.home, self.shows_dir, self.home / files.BACKUP_DIR, backups]
        folders.append(self.home / files.REMOVED_DIR)  # `shows remove` writes its kept copy there
        if files.is_real_folder(self.shows_dir):  # each show's news parts
            folders.extend(sorted(self.shows_dir.glob(f"*{PARTS_SUFFIX}")))
        if files.is_real_folder(backups):  # and their kept copies
            folders.extend(sorted(backups.glob(f"*{PARTS_SUFFIX}")))
        return [f for f in folders if f == self.home or files.is_real_folder(f)]

    @contextmanager
    def lock(self, timeout: float | None = None) -> Iterator[None]:
        """Hold the store's write lock for the block (waiting at most timeout seconds)."""
        from hstracker.store.lock import exclusive

        files.check_home(self.home)  # a file where the store's folder belongs is named as such
        with exclusive(self.lock_path, timeout):
            yield

    @contextmanager
    def transaction(self, lock_timeout: float | None = None) -> Iterator[transaction.Transaction]:
        """Lock, yield a transaction reading fresh data, then write what it changed.

        lock_timeout overrides how long to wait for another writer (0: do not wait).
        """
        from hstracker.store import transaction

        with self.lock(lock_timeout):
            self.remove_stale_temps()
            tx = transaction.Transaction(self)
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
    def appending(
        self, slug: str | None, date: PartialDate, lock_timeout: float | None = None
    ) -> Iterator[tuple[Show, Duplicates | None]]:
        """Like edit_show, for a block that only adds news dated date: the show comes with
        only the parts such an item can go in, and the duplicate check to use over all of
        its news (None: the show holds all of it; see Transaction.show_appending)."""
        with self.transaction(lock_timeout) as tx:
            show, index = tx.show_appending(self.resolve(slug, tx.personal()), date)
            yield show, index
            tx.put_show(show)

    def check_keys(self, path: Path) -> str | None:
        """What is wrong with a head's duplicate index (dupkeys.check); None when it agrees."""
        from hstracker.store import dupkeys

        return dupkeys.check(self, path)

    def dup_keys(self, head_path: Path, head: StoredShow) -> KeyFile | None:
        """A head's duplicate index, if it has one fit for its parts (dupkeys.problem)."""
        from hstracker.store import dupkeys

        if head.keys is None:
            return None
        path = parts_dir(head_path) / head.keys
        try:
            data = files.read(self.home, path)
        except StorePathError:  # a folder, FIFO or link in its place: unused (doctor says so)
            return None
        return None if data is None else dupkeys.read(head.keys, data, head.parts)

    def rebuild_keys(self, slug: str) -> None:
        """Write a show's duplicate index afresh from its parts, with a head that lists it;
        only under the lock (doctor --repair holds it)."""
        from hstracker.store import transaction

        tx = transaction.Transaction(self)
        tx.rebuild.add(self.show_path(slug))
        tx.put_show(tx.show(slug))
        tx.commit()

    @contextmanager
    def editing_item(
        self, slug: str | None, item_id: str, *, removing: bool = False
    ) -> Iterator[tuple[Show, Duplicates | None]]:
        """Like edit_show, for a block that edits or removes one news item by id: the show
        comes with only the parts that may hold it (Transaction.show_with_item)."""
        with self.transaction() as tx:
            show, index = tx.show_with_item(
                self.resolve(slug, tx.personal()), item_id, removing=removing
            )
            yield show, index
            tx.put_show(show)

    @contextmanager
    def edit_personal(self, lock_timeout: float | None = None) -> Iterator[Personal]:
        """Lock, yield the fan's own state read fresh, and write it back if it changed."""
        with self.transaction(lock_timeout) as tx:
            personal = tx.personal()
            yield personal
            tx.put_personal(personal)
