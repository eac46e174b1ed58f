"""The store: per show a head file and its news parts, plus the fan's own file, kept safe."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec

from hstracker.core import validate
from hstracker.core.model import SCHEMA_VERSION, NewsItem, Personal, Show
from hstracker.errors import HstrackerError, InvalidInput, NotFound, StoreCorrupt, StoreTooNew
from hstracker.paths import shipped_dir
from hstracker.store import files
from hstracker.store.codec import convert, decode, decode_plain, describe, encode
from hstracker.store.files import shown
from hstracker.store.layout import (
    ALL,
    KEYS_NAME,
    NONE,
    PART_NAME,
    PARTS_SUFFIX,
    NewsFile,
    NewsPart,
    Pick,
    PickFor,
    StoredShow,
    check_names,
    chosen,
    describe_part,
    head_of,
    new_name,
    parts_dir,
    show_of,
    split,
    tally,
    year_counts,
    year_group,
)
from hstracker.store.scrub import scrub

if TYPE_CHECKING:
    from hstracker.core.dates import PartialDate
    from hstracker.core.news import Duplicates
    from hstracker.store.dupkeys import KeyFile

# The write machinery (atomic, lock) and migrations are imported where they are used:
# most runs only read, and every module imported costs start-up time.

T = TypeVar("T", Show, Personal)

DEFAULT_SHOW = "heartstopper"
SHOWS_DIR = "shows"
PERSONAL_FILE = "personal.json"
LOCK_FILE = ".lock"


class _Header(msgspec.Struct):
    schema_version: int = 1


# versions whose files the current classes read as they are: v4 only moved news out of the
# show's file, and a v3 file (news inline) is still a valid v4 head
SAME_SHAPE = frozenset({SCHEMA_VERSION, 3})
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
        if obj.schema_version in SAME_SHAPE:
            obj.schema_version = SCHEMA_VERSION  # its JSON reads as the current shape
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


_RETRIES = 5
# a show's news parts with their bytes as a transaction read them, so that a write keeps the
# parts it did not change
Loaded = list[tuple[NewsPart, bytes]]


def _tally(head: StoredShow) -> dict[str, int]:
    """The tally of every item of a show, from its head: its parts' and its inline items'."""
    counts = tally(head.news)
    for part in head.parts:
        for key, count in part.shapes.items():
            counts[key] = counts.get(key, 0) + count
    return counts


class _PartGone(Exception):
    """A news part a head lists is not there: a writer replaced the head after we read it."""

    def damage(self, head: Path) -> StoreCorrupt:
        """The damage to report when no retry can explain the missing part away."""
        return _damaged(head, f"its news part {shown(self.args[0])} is missing")


def parse_part(path: Path | str, data: bytes, part: NewsPart | None = None) -> NewsFile:
    """Validate one news part's bytes (and, given the head's entry, its count)."""
    try:  # the common case in one pass, as parse_store_file
        found = decode(data, NewsFile)
    except msgspec.MsgspecError as exc:
        version = store_version(path, data)  # a newer schema is refused as that, not damage
        if version > SCHEMA_VERSION:
            raise _too_new(path, version) from None
        raise _damaged(path, describe(exc, data)) from None
    except RecursionError:
        raise _damaged(path, _TOO_DEEP) from None
    if found.schema_version > SCHEMA_VERSION:
        raise _too_new(path, found.schema_version)
    if part is not None and len(found.news) != part.count:
        raise _damaged(path, f"it holds {len(found.news)} items where its show lists {part.count}")
    scrub(found, data)
    return found


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
            except _PartGone:
                continue  # a writer replaced this head meanwhile: read the new one
        raise _damaged(path, "a news part it lists is missing")

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
        )
        return viewed, _tally(head) if viewed is show else tally(viewed.news)

    def parse_head(self, path: Path | str, data: bytes) -> StoredShow:
        """A show's head file, validated, with the names of its parts checked."""
        head = parse_store_file(path, data, StoredShow)
        assert isinstance(head, StoredShow)
        if problem := check_names(head.parts, head.keys):
            raise _damaged(path, problem)
        return head

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
        """The items of one news part, validated; raise _PartGone if it is not there."""
        return self.read_part_raw(head_path, part)[0]

    def read_part_raw(self, head_path: Path, part: NewsPart) -> tuple[list[NewsItem], bytes]:
        path = parts_dir(head_path) / part.file
        data = files.read(self.home, path)
        if data is None:
            raise _PartGone(path)
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
        from hstracker.store.atomic import BACKUP_DIR

        return path.parent in (self.home, self.home / BACKUP_DIR)

    def parse(self, path: Path, data: bytes) -> Show | Personal:
        """Validate the bytes of one of this store's files as whatever that file holds."""
        if self.holds_personal(path):
            return parse_store_file(path, data, Personal)
        return self.parse_head(path, data)

    def check_parts(self, path: Path, data: bytes) -> None:
        """Raise if a head (the file at path, or a backup of it) lists a part that is missing
        or damaged; doctor's check, which reads every part."""
        from hstracker.store.atomic import BACKUP_DIR

        head = self.parse_head(path, data)
        main = path
        if path.parent.name == BACKUP_DIR:  # backups/slug.json.2 lists parts of slug.json
            main = path.parent.parent / (path.name.split(".json")[0] + ".json")
        for part in head.parts:
            try:
                self.read_part(main, part)
            except _PartGone as gone:
                raise gone.damage(path) from None

    # writing

    def stray_parts(self, head_path: Path) -> list[Path]:
        """The news parts of a head that neither it nor any backup of it lists.

        Those are left by a write killed before its head's rename, or no longer needed once
        a head and its backups moved on. A head that cannot be read has none: nobody can say
        which parts it needs, so every one is kept.
        """
        from hstracker.store.atomic import BACKUPS, backup_path

        folder = parts_dir(head_path)
        if not files.is_real_folder(folder):
            return []
        keep: set[str] = set()
        heads = [head_path, *(backup_path(head_path, g) for g in range(1, BACKUPS + 1))]
        for gen, path in enumerate(heads):
            try:
                data = self.read(path)
                if data is not None:
                    head = self.parse_head(path, data)
                    keep.update(part.file for part in head.parts)
                    if head.keys:
                        keep.add(head.keys)
            except HstrackerError:
                if gen == 0:
                    return []
        names = sorted(os.listdir(folder))
        ours = (n for n in names if PART_NAME.match(n) or KEYS_NAME.match(n))
        return [folder / n for n in ours if n not in keep]

    def collect_parts(self, head_path: Path) -> list[Path]:
        """Delete the stray parts of a head (see stray_parts); only under the lock."""
        from hstracker.store.atomic import fsync_dir

        removed = []
        for path in self.stray_parts(head_path):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
        if removed:
            fsync_dir(removed[0].parent)
        return removed

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

        folders = [self.home, self.shows_dir, self.home / BACKUP_DIR, self.shows_dir / BACKUP_DIR]
        if files.is_real_folder(self.shows_dir):  # each show's news parts
            folders.extend(sorted(self.shows_dir.glob(f"*{PARTS_SUFFIX}")))
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
        """What is wrong with a head's duplicate index, found by reading every part it
        covers (doctor's check); None when it agrees, or when the head has none."""
        from hstracker.store import dupkeys

        data = self.read(path)
        if data is None:
            return None
        head = self.parse_head(path, data)
        if head.keys is None:
            return None
        keys = self.dup_keys(path, head)
        if keys is None:
            return "its duplicate index is missing or damaged"
        for part in head.parts:
            try:
                items = self.read_part(path, part)
            except _PartGone:
                return None  # the head's own check reports a missing part
            if keys.parts[part.file] != dupkeys.keys_of(items):
                return f"its duplicate index disagrees with its news part {part.file}"
        return None

    def dup_keys(self, head_path: Path, head: StoredShow) -> KeyFile | None:
        """A head's duplicate index, if it has one fit for its parts (dupkeys.problem)."""
        from hstracker.store import dupkeys

        if head.keys is None:
            return None
        path = parts_dir(head_path) / head.keys
        data = files.read(self.home, path)
        return None if data is None else dupkeys.read(head.keys, data, head.parts)

    def rebuild_keys(self, slug: str) -> None:
        """Write a show's duplicate index afresh from its parts, with a head that lists it;
        only under the lock (doctor --repair holds it)."""
        tx = Transaction(self)
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
        # per head read: its parts with their items; per head to write: its new parts
        self._loaded: dict[Path, Loaded] = {}
        self._parts: dict[Path, dict[Path, bytes]] = {}
        # per head to write, the show it holds: the summary is updated from it (store/summary.py)
        self._written: dict[Path, Show] = {}
        # per head read only in part (show_appending): the head, and the parts not read
        self._heads: dict[Path, StoredShow] = {}
        self._keys: dict[Path, KeyFile] = {}  # and its duplicate index, read once
        self._unread: dict[Path, list[NewsPart]] = {}
        # heads whose duplicate index is written afresh even if nothing else changed
        self.rebuild: set[Path] = set()

    def show_appending(self, slug: str, day: PartialDate) -> tuple[Show, Duplicates | None]:
        """The show with only the news parts an item dated day can go in, and the duplicate
        check over all of its news, from its index (store/dupkeys.py).

        Anything that makes the index unusable (no index, one unfit for the parts, news
        still inline, newer shipped data to merge) reads the whole show instead, with None
        for the check: the slow path, never a wrong answer.
        """
        return self._show_in_part(
            slug, lambda parts, _: year_group(parts, day.year, day.month or 0)
        )

    def show_with_item(
        self, slug: str, item_id: str, *, removing: bool = False
    ) -> tuple[Show, Duplicates | None]:
        """The show with only the news parts that may hold the item with this id (by the
        index's id hashes; none if no part can), as show_appending. removing: the item is to
        be removed, so a year cut by month that would no longer be busy is read whole."""
        from hstracker.store.dupkeys import id_key

        key = id_key(validate.clean_line(item_id))

        def wanted(parts: list[NewsPart], keys: KeyFile) -> list[NewsPart]:
            found: list[NewsPart] = []
            for part in parts:
                if key in keys.parts[part.file].ids and part not in found:
                    year, month = int(part.key[:4]), int(part.key[5:] or 0)
                    group = year_group(parts, year, month, removing=int(removing))
                    found.extend(p for p in group if p not in found)
            return found

        return self._show_in_part(slug, wanted)

    def _show_in_part(
        self, slug: str, wanted: Callable[[list[NewsPart], KeyFile], list[NewsPart]]
    ) -> tuple[Show, Duplicates | None]:
        """The show with the parts wanted(parts, index) names read, and the duplicate check
        over all of its news; the whole show and None where the index cannot be used."""
        from hstracker.store import dupkeys, upgrade

        path = self.store.show_path(slug)
        data = self.store.read(path)
        if data is None:
            return self.show(slug), None
        head = self.store.parse_head(path, data)
        keys = self.store.dup_keys(path, head)
        if head.news or keys is None or upgrade.behind(self.personal(), slug):
            return self.show(slug), None
        self._seen[path] = data
        self._heads[path] = head
        self._keys[path] = keys
        self._loaded[path] = []
        unread = self._unread[path] = list(head.parts)

        def read(group: list[NewsPart]) -> list[NewsItem]:
            items: list[NewsItem] = []
            for member in group:
                found, raw = self._read_part(path, member)
                unread.remove(member)
                self._loaded[path].append((member, raw))
                items.extend(found)
            return items

        def load(part: NewsPart) -> list[NewsItem]:
            # counted over the unread parts only, the year may look less busy: then it is
            # read whole, which is never wrong, only slower
            return read(year_group(unread, int(part.key[:4]), int(part.key[5:] or 0)))

        show = show_of(head, read(wanted(list(head.parts), keys)))
        return show, dupkeys.StoredKeys(show.news, unread, keys, load)

    def _read_part(self, path: Path, part: NewsPart) -> tuple[list[NewsItem], bytes]:
        try:
            return self.store.read_part_raw(path, part)
        except _PartGone as gone:  # under the lock no writer removes a part: it is damage
            raise gone.damage(path) from None

    def show(self, slug: str) -> Show:
        from hstracker.store import upgrade

        show = self.store.read_show(slug, ALL, self._seen, self._loaded)[0]
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
        self._parts.pop(path, None)
        if path in self._shipped:
            # a show that does not even read back as one file (too many items to have come
            # from the package) is no unchanged shipped show: the checks below apply to it
            with contextlib.suppress(InvalidInput):
                if self._unchanged(path, _readable(path, encode(show), StoredShow)):
                    return  # a shipped show, unchanged: it stays in the package
        head, parts = self._layout(path, show)
        data = _readable(path, encode(head), StoredShow)
        # an index rebuilt to the very name its head lists (the file was damaged or gone)
        # leaves the head as it was, but the index itself must still be written
        if not parts and self._unchanged(path, data):
            return
        self._pending[path] = data
        self._parts[path] = parts
        self._written[path] = show

    def _layout(self, path: Path, show: Show) -> tuple[StoredShow, dict[Path, bytes]]:
        """The head to write for show, and the files it needs that are not on disk yet: its
        new parts, and its duplicate index when that changes.

        A part whose items are what this transaction read keeps its file; any other gets a
        file under a new name, so no file a head lists is ever rewritten. A show read only in
        part (show_appending) keeps the parts it did not read as they are.
        """
        from hstracker.store import dupkeys

        old = self._old_head(path)
        old_keys = None  # a rebuild computes every part's keys from its items
        if old is not None and path not in self.rebuild:
            old_keys = self._keys.get(path) or self.store.dup_keys(path, old)
        unread = self._unread.get(path, [])
        before = {part.key: (part, raw) for part, raw in self._loaded.get(path, [])}
        news = sorted(show.news, key=lambda item: (item.date.sort_key(), item.added))
        folder = parts_dir(path)
        parts: list[NewsPart] = list(unread)
        fresh: dict[Path, bytes] = {}
        keys: dict[str, dupkeys.PartKeys | None] = {}
        kept_items: dict[str, list[NewsItem]] = {}  # a kept part's items, as read
        for key, items in split(news, year_counts(unread)):
            data = encode(NewsFile(schema_version=SCHEMA_VERSION, news=items))
            kept = before.get(key)
            # bytes, not items: an item changed in place compares equal to itself
            if kept is None or kept[1] != data:
                data = _readable(folder / f"{key}.json", data, NewsFile)
            if kept is not None and kept[1] == data:
                parts.append(kept[0])
                keys[kept[0].file] = old_keys.parts[kept[0].file] if old_keys else None
                kept_items[kept[0].file] = items
                continue
            name = new_name(key)
            fresh[folder / name] = data
            parts.append(describe_part(key, name, items))
            keys[name] = dupkeys.keys_of(items)
        parts.sort(key=lambda part: part.key)
        for part in unread:  # read only in part: the index was fit for these (show_appending)
            assert old_keys is not None
            keys[part.file] = old_keys.parts[part.file]
        if self._keeps_keys(path, old, old_keys, parts, fresh):
            assert old is not None
            return head_of(show, parts, old.keys), fresh
        if not parts:
            return head_of(show, parts), fresh
        index = encode(
            dupkeys.KeyFile(
                schema_version=SCHEMA_VERSION,
                # a kept part whose keys the old index could not give: from its items
                parts={p.file: keys[p.file] or dupkeys.keys_of(kept_items[p.file]) for p in parts},
            )
        )
        keys_name = dupkeys.name_of(index)
        if old_keys is None or old is None or keys_name != old.keys:
            fresh[folder / keys_name] = index
        return head_of(show, parts, keys_name), fresh

    def _keeps_keys(
        self,
        path: Path,
        old: StoredShow | None,
        old_keys: KeyFile | None,
        parts: list[NewsPart],
        fresh: dict[Path, bytes],
    ) -> bool:
        """Whether the head lists the index it had: it still covers exactly its parts. A head
        without one gets one only when its parts change, so a write that changes nothing still
        writes nothing."""
        if old is None or fresh or path in self.rebuild or old.parts != parts:
            return False
        return old.keys is None or old_keys is not None

    def _old_head(self, path: Path) -> StoredShow | None:
        """The head this transaction read for path, if any."""
        if path in self._heads:
            return self._heads[path]
        data = self._seen.get(path)
        if data is None:
            return None
        self._heads[path] = head = self.store.parse_head(path, data)
        return head

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
        self._parts.pop(path, None)
        self._put.discard(show.slug)
        self._removals[path] = encode(show)

    def commit(self) -> None:
        from hstracker.store.atomic import remove_atomic

        self._record_taken()
        for path in (*self._pending, *self._removals):
            files.check_write(self.store.home, path)  # before anything is written
        for parts in self._parts.values():
            for part_path in parts:
                files.check_write(self.store.home, part_path)
        for path, data in self._pending.items():
            self._guard(path)
            self._switch(path, data)
        # removals last: the personal file that records a removed shipped show is written first
        for path, data in self._removals.items():
            self._guard(path)
            remove_atomic(path, data)
        heads = [p for p in (*self._pending, *self._removals) if not self.store.holds_personal(p)]
        if heads:
            from hstracker.store import summary

            summary.update(
                self.store,
                {
                    p.stem: (self._pending[p], self._written[p]) if p in self._pending else None
                    for p in heads
                },
            )
        self._pending.clear()
        self._removals.clear()
        self._parts.clear()
        for path in heads:
            self.store.collect_parts(path)

    def _switch(self, path: Path, data: bytes) -> None:
        """Write a file; for a show's head, its new parts first, under names nothing lists yet.

        The head's rename then switches to them in one step: a crash before it leaves the old
        head, whole, and parts nobody lists (removed by the next write of the show). A write
        that fails removes the parts it wrote, so the store is as it was, byte for byte.
        """
        from hstracker.store.atomic import write_atomic

        written: list[Path] = []
        try:
            for part_path, part_data in self._parts.get(path, {}).items():
                write_atomic(part_path, part_data, backups=0)
                written.append(part_path)
            write_atomic(path, data)
        except BaseException:
            for part_path in written:
                with contextlib.suppress(OSError):
                    part_path.unlink()
            raise

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


def _readable(path: Path, data: bytes, tp: type[StoredShow | Personal | NewsFile]) -> bytes:
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
        if tp is NewsFile:
            data = encode(parse_part(path, data))
        elif tp is Personal:
            data = encode(parse_store_file(path, data, Personal))
        else:
            data = encode(parse_store_file(path, data, StoredShow))
    except (StoreCorrupt, StoreTooNew) as exc:
        raise InvalidInput(
            f"refused a change that would not read back: {exc.message.rstrip('.')}; "
            "nothing was written.",
        ) from None
    return data
