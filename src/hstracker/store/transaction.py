"""A transaction: changes gathered under the lock, written all at once by its commit."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from hstracker.core import validate
from hstracker.core.model import SCHEMA_VERSION, NewsItem, Personal, Show
from hstracker.errors import InvalidInput
from hstracker.store import files
from hstracker.store.codec import encode
from hstracker.store.layout import (
    ALL,
    PART_NAME,
    NewsFile,
    NewsPart,
    PartKey,
    StoredShow,
    copies_dir,
    describe_part,
    head_of,
    new_name,
    parts_dir,
    show_of,
    split,
    year_counts,
    year_group,
)
from hstracker.store.parse import PartGone, parse_store_file, readable, store_version

if TYPE_CHECKING:
    from hstracker.core.dates import PartialDate
    from hstracker.core.news import Duplicates
    from hstracker.store.dupkeys import KeyFile
    from hstracker.store.folder import Store

# a show's news parts with their bytes as a transaction read them, so that a write keeps the
# parts it did not change
Loaded = list[tuple[NewsPart, bytes]]


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
        # per head, the shipped news ids its copy takes in now (StoredShow.taken)
        self._taken_ids: dict[Path, set[str]] = {}
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
            return read(year_group(unread, part.at.year, part.at.month))

        show = show_of(head, read(wanted(list(head.parts), keys)))
        return show, dupkeys.StoredKeys(show.news, unread, keys, load)

    def _read_part(self, path: Path, part: NewsPart) -> tuple[list[NewsItem], bytes]:
        try:
            return self.store.read_part_raw(path, part)
        except PartGone as gone:  # under the lock no writer removes a part: it is damage
            raise gone.damage(path) from None

    def show(self, slug: str) -> Show:
        from hstracker.store import upgrade

        show = self.store.read_show(slug, ALL, self._seen, self._loaded)[0]
        path = self.store.show_path(slug)
        if path not in self._seen:
            self._shipped[path] = encode(show)
            if found := upgrade.shipped(slug):
                self._taken[slug] = found[1]  # the copy starts from today's shipped data
                self._taken_ids[path] = {item.id for item in show.news}
            return show
        old = self._old_head(path)
        taken = frozenset(old.taken if old else ())
        if newer := upgrade.take_in(show, self.personal(), taken):
            show = newer.show
            self._taken[slug] = newer.digest
            self._taken_ids[path] = set(newer.shipped_ids)
        return show

    def personal(self) -> Personal:
        return self.store.personal(self._seen)

    def put_show(self, show: Show) -> None:
        if not validate.is_slug(show.slug) or show.slug in validate.RESERVED_SLUGS:
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
                if self._unchanged(path, readable(path, encode(show), StoredShow)):
                    return  # a shipped show, unchanged: it stays in the package
        head, parts = self._layout(path, show)
        data = readable(path, encode(head), StoredShow)
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
        loaded = self._loaded.get(path, [])
        before = {part.key: (part, raw) for part, raw in loaded}
        news = sorted(show.news, key=lambda item: (item.date.sort_key(), item.added))
        folder = parts_dir(path)
        parts: list[NewsPart] = list(unread)
        fresh: dict[Path, bytes] = {}
        keys: dict[str, dupkeys.PartKeys | None] = {}
        kept_items: dict[str, list[NewsItem]] = {}  # a kept part's items, as read
        changed: list[tuple[PartKey, list[NewsItem]]] = []
        for key, items in split(news, year_counts(unread)):
            kept = before.get(str(key))
            # bytes, not items: an item changed in place compares equal to itself
            if kept is not None and kept[1] == encode(
                NewsFile(schema_version=SCHEMA_VERSION, news=items, replaces=kept[0].replaces)
            ):
                parts.append(kept[0])
                keys[kept[0].file] = old_keys.parts[kept[0].file] if old_keys else None
                kept_items[kept[0].file] = items
            else:
                changed.append((key, items))
        replaced, dropped = _lineage(loaded, parts, {key.year for key, _ in changed})
        taken = sorted({*(old.taken if old else ()), *self._taken_ids.get(path, ())})
        for key, items in changed:
            name = new_name(key)
            data = encode(
                NewsFile(schema_version=SCHEMA_VERSION, news=items, replaces=replaced[key.year])
            )
            data = readable(folder / name, data, NewsFile)
            fresh[folder / name] = data
            parts.append(describe_part(key, name, items, data, replaced[key.year]))
            keys[name] = dupkeys.keys_of(items)
        parts.sort(key=lambda part: part.key)
        for part in unread:  # read only in part: the index was fit for these (show_appending)
            assert old_keys is not None
            keys[part.file] = old_keys.parts[part.file]
        if self._keeps_keys(path, old, old_keys, parts, fresh):
            assert old is not None
            return head_of(show, parts, old.keys, dropped, taken), fresh
        if not parts:
            return head_of(show, parts, None, dropped, taken), fresh
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
        return head_of(show, parts, keys_name, dropped, taken), fresh

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
        data = readable(path, encode(personal), Personal)
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
        for head, parts in self._parts.items():
            for part_path in parts:
                files.check_write(self.store.home, part_path)
                if PART_NAME.match(part_path.name):
                    files.check_write(self.store.home, copies_dir(head) / part_path.name)
        for path, data in self._pending.items():
            self._guard(path)
            if path in self._parts and self._old_head(path) is None:
                from hstracker.store.parts import retire

                retire(self.store, path)  # a removed show's files, before its slug is reused
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
        head, whole, and parts nobody lists (doctor re-adopts what they hold). A write that
        fails removes the parts it wrote, so the store is as it was, byte for byte. Each part
        is written twice, to its folder and to the backups' copy of it (store/parts.py), so
        that damage to one leaves the other; the derived index is written once.
        """
        from hstracker.store.atomic import write_atomic

        written: list[Path] = []
        copies = copies_dir(path)
        try:
            for part_path, part_data in self._parts.get(path, {}).items():
                write_atomic(part_path, part_data, backups=0)
                written.append(part_path)
                if PART_NAME.match(part_path.name):
                    write_atomic(copies / part_path.name, part_data, backups=0)
                    written.append(copies / part_path.name)
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
        from hstracker.store.atomic import write_atomic

        version = store_version(path, data)
        if version < SCHEMA_VERSION:
            original = path.parent / files.BACKUP_DIR / f"{path.name}.v{version}"
            if not original.exists():
                write_atomic(original, data, backups=0)


def _lineage(
    loaded: Loaded, kept: list[NewsPart], years: set[int]
) -> tuple[dict[int, list[str]], list[str]]:
    """Per year a write makes new parts in, the parts it read there and drops (each new
    part lists them as the ones it replaces); and the dropped parts of years it empties,
    which the first new part takes on, or else the head (its `dropped`).

    So every part a write leaves behind is named by a part or head written after it, and
    store/parts.py deletes only what is so named."""
    keep = {part.file for part in kept}
    replaced: dict[int, list[str]] = {year: [] for year in years}
    dropped: list[str] = []
    for part, _ in loaded:
        if part.file not in keep:
            replaced.get(part.at.year, dropped).append(part.file)
    if dropped and years:
        replaced[min(years)].extend(dropped)
        dropped = []
    return replaced, dropped
