"""Doctor's checks and repairs of a show's news: parts, copies, unlisted news, ids, index."""

from __future__ import annotations

import contextlib
import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from hstracker.core.model import NewsItem, Show
from hstracker.core.news import sort_news
from hstracker.errors import HstrackerError
from hstracker.store import files, parts
from hstracker.store.atomic import fsync_dir, write_atomic
from hstracker.store.codec import encode
from hstracker.store.filecheck import CONSENT, FileCheck, aside_path, keep_aside
from hstracker.store.layout import NewsPart, StoredShow, copies_dir, head_of, parts_dir
from hstracker.store.parse import parse_head

if TYPE_CHECKING:
    from hstracker.store.folder import Store


def _items(count: int) -> str:
    return f"{count} news item{'' if count == 1 else 's'}"


def check_show(store: Store, head: Path) -> list[FileCheck]:
    """The parts a readable head lists, their copies, the news no head lists, ids used
    twice, and the duplicate index."""
    data = store.read(head)
    if data is None:
        return []
    stored = parse_head(head, data)
    found = [*_listed_parts(store, head, stored)]
    if any(c.kind in ("store", "news") for c in found):
        return found  # the show cannot be read whole: the rest waits for its parts
    show = store.read_show(head.stem, seen={})[0]
    present = {item.id for item in show.news}
    for part in parts.unlisted(store, head):
        name = shown_name(part.path)
        if part.body is None:
            found.append(
                FileCheck(
                    part.path,
                    "news",
                    f"{name} is a news part no show lists, and neither it nor its copy can "
                    "be read; its items cannot be re-adopted.",
                    consent=True,
                )
            )
        elif missing := part.missing(present):
            found.append(
                FileCheck(
                    part.path,
                    "news",
                    f"{_items(len(missing))} in {name} {'is' if len(missing) == 1 else 'are'} "
                    "in no show's list.",
                    adopt=missing,
                )
            )
        else:
            found.append(FileCheck(part.path, "stale", f"{name}: the show holds all its items."))
    if twice := len(show.news) - len(present):
        found.append(FileCheck(head, "news", f"{files.shown(head)}: {_items(twice)} reuse an id."))
    return found + _index(store, head)


def shown_name(path: Path) -> str:
    return files.shown(f"{path.parent.name}/{path.name}")


def _listed_parts(store: Store, head: Path, stored: StoredShow) -> list[FileCheck]:
    found = []
    for part in stored.parts:
        main, copy = parts_dir(head) / part.file, copies_dir(head) / part.file
        _, main_problem = parts.verify(store, main, part)
        _, copy_problem = parts.verify(store, copy, part)
        if main_problem and copy_problem:
            found.append(
                FileCheck(
                    main,
                    "news",
                    f"{main_problem} Its copy is damaged too: {_items(part.count)} of {part.key} "
                    "cannot be read.",
                    consent=True,
                )
            )
        elif main_problem:
            found.append(FileCheck(main, "store", main_problem, source=copy))
        elif copy_problem:
            found.append(FileCheck(copy, "backup", f"the kept copy: {copy_problem}", source=main))
    return found


def _index(store: Store, head: Path) -> list[FileCheck]:
    """A head's duplicate index, checked against every part it covers: never trusted as is."""
    try:
        problem = store.check_keys(head)
    except (HstrackerError, OSError):
        return []  # the head or a part is damaged: their own checks report it
    if problem is None:
        return []
    return [FileCheck(head, "index", f"{files.shown(head)}: {problem}.")]


def remove(item: FileCheck) -> None:
    """Delete a temp file, or a stale part and its copy."""
    paths = [item.path]
    if item.kind == "stale":
        paths.append(copies_dir(item.path.parent.with_suffix(".json")) / item.path.name)
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    item.action, item.fixed = "removed it.", True


def _put_aside(store: Store, path: Path, now: datetime) -> Path | None:
    """Move whatever is at path (a damaged part, a folder in its place) aside, keeping it."""
    if not os.path.lexists(path):
        return None
    aside = aside_path(path, now)
    data = None
    if files.is_regular(path):
        with contextlib.suppress(HstrackerError):
            data = store.read(path)
    keep_aside(path, aside, data)
    if data is not None:
        path.unlink()
    return aside


def _writable(store: Store, item: FileCheck) -> bool:
    """Whether a repair may write item's file: never through a link, never out of the store."""
    try:
        files.check_folders(store.home, item.path.parent)
    except HstrackerError as exc:
        item.action = f"left it as it is: {exc.message}"
        return False
    return True


def restore_part(store: Store, item: FileCheck, now: datetime) -> None:
    """Replace a damaged or missing part with its kept copy (checked whole just now)."""
    assert item.source is not None
    if not _writable(store, item):
        return
    data = store.read(item.source)
    if data is None:
        item.action = "its copy is gone too; left it as it is."
        return
    aside = _put_aside(store, item.path, now)
    write_atomic(item.path, data, backups=0)
    kept = f"kept the damaged file as {files.shown(aside.name)} and " if aside else ""
    what = "its copy" if item.source.name == item.path.name else files.shown(item.source.name)
    item.action, item.fixed = f"{kept}restored it from {what}.", True


def recopy(store: Store, item: FileCheck, now: datetime) -> None:
    """Write a part's kept copy afresh from the part (checked whole just now)."""
    assert item.source is not None
    if not _writable(store, item):
        return
    data = store.read(item.source)
    if data is None:
        item.action = "left it as it is."
        return
    if os.path.lexists(item.path) and not files.is_regular(item.path):
        _put_aside(store, item.path, now)
    write_atomic(item.path, data, backups=0)
    item.action, item.fixed = "copied the part afresh.", True


def _rewrite(store: Store, slug: str, news: list[NewsItem]) -> None:
    """Store the show with this news, through a transaction (the lock is held)."""
    from hstracker.store.transaction import Transaction

    tx = Transaction(store)
    show = tx.show(slug)
    show.news = news
    sort_news(show)
    tx.put_show(show)
    tx.commit()


def fix_news(store: Store, item: FileCheck, now: datetime, accept_loss: bool) -> None:
    """Re-adopt news no head lists; keep one item of each id; drop what cannot be read
    only with accept_loss."""
    if item.adopt:
        head = item.path.parent.with_suffix(".json")
        show = store.read_show(head.stem, seen={})[0]
        present = {i.id for i in show.news}
        _rewrite(store, head.stem, [*show.news, *(i for i in item.adopt if i.id not in present)])
        _forget(item)
        item.action, item.fixed = f"re-adopted {_items(len(item.adopt))} into the show.", True
    elif item.path.suffix == ".json" and item.path.parent == store.shows_dir:
        show = store.read_show(item.path.stem, seen={})[0]
        once: dict[str, NewsItem] = {}
        for news in show.news:
            once.setdefault(news.id, news)
        _rewrite(store, item.path.stem, list(once.values()))
        item.action, item.fixed = "kept one item of each id.", True
    elif not accept_loss:
        item.action = f"dropping it loses those items. {CONSENT}"
    else:
        _drop_part(store, item, now)


def _forget(item: FileCheck) -> None:
    """Delete a re-adopted part and its copy: the show now holds every item."""
    copy = copies_dir(item.path.parent.with_suffix(".json")) / item.path.name
    for path in (item.path, copy):
        with contextlib.suppress(OSError):
            path.unlink()
    fsync_dir(item.path.parent)


def _drop_part(store: Store, item: FileCheck, now: datetime) -> None:
    """With the fan's consent: set an unreadable part aside and write its head without it."""
    head = item.path.parent.with_suffix(".json")
    aside = _put_aside(store, item.path, now)
    data = store.read(head)
    if data is not None:
        stored = parse_head(head, data)
        kept: list[NewsPart] = [p for p in stored.parts if p.file != item.path.name]
        if kept != stored.parts:
            fields = {f: getattr(stored, f) for f in Show.__struct_fields__}
            write_atomic(
                head, encode(head_of(Show(**fields), kept, None, [item.path.name], stored.taken))
            )
    where = f" (kept as {files.shown(aside.name)})" if aside else ""
    item.action, item.fixed = f"dropped it from the show{where}, as asked.", True


def fix_index(store: Store, head: Path, checks: list[FileCheck], now: datetime) -> None:
    """Rebuild a show's duplicate index when doctor found it wrong; something other than a
    file in its place is moved aside first."""
    for item in checks:
        if item.kind != "index" or item.path != head or item.fixed:
            continue
        data = store.read(head)
        if data is not None and (keys := parse_head(head, data).keys):
            index = parts_dir(head) / keys
            if os.path.lexists(index) and not files.is_regular(index):
                keep_aside(index, aside_path(index, now), None)
        try:
            store.rebuild_keys(head.stem)
        except HstrackerError as exc:
            item.action = f"could not rebuild it: {exc.message}"
            continue
        item.action, item.fixed = "rebuilt it from the news parts.", True


def readopt_after_restore(store: Store, head: Path) -> str:
    """After an older head was restored: the news its parts' lineage gives, stored.

    The parts that no part replaced (the leaves) hold the news as the last write left it:
    the items written since the backup, edited since, and without those removed since.
    """
    news = parts.lineage_news(store, head)
    show = store.read_show(head.stem, seen={})[0]
    before = {i.id for i in show.news}
    after = {i.id for i in news}
    if news == show.news:
        return "Its news parts hold nothing newer."
    _rewrite(store, head.stem, news)
    return (
        f"From the news parts, re-adopted {_items(len(after - before))} written since and "
        f"left out {_items(len(before - after))} removed since."
    )
