"""A show's news parts over time: the kept copy of each, their lineage, and which may go.

Each part is written twice, to shows/<slug>.news/ and to its copy in shows/backups/<slug>.news/,
so a damaged part is restored from the other. Each part names the parts its write replaced
(its lineage; a head's `dropped` names those of a year it emptied). A part no head lists may
be deleted only when a listed part or head names it: a later write then holds its items, or
removed them on purpose. Any other unlisted part holds news no head lists (writes after the
backup a repair restored, or a killed write): doctor reports it, and a repair re-adopts it.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hstracker.core.model import NewsItem
from hstracker.errors import HstrackerError
from hstracker.store import files
from hstracker.store.atomic import BACKUPS, MIRROR, backup_path, fsync_dir
from hstracker.store.layout import (
    KEYS_NAME,
    PART_NAME,
    NewsFile,
    NewsPart,
    StoredShow,
    copies_dir,
    parts_dir,
)
from hstracker.store.parse import PartGone, damaged, parse_head, parse_part

if TYPE_CHECKING:
    from hstracker.store.folder import Store


def heads(store: Store, head_path: Path) -> list[StoredShow] | None:
    """The head and every readable backup of it (the mirror and the rolling ones); None when
    the head itself is there but cannot be read: then nobody can say which parts it needs."""
    found: list[StoredShow] = []
    paths = [head_path, *(backup_path(head_path, g) for g in range(MIRROR, BACKUPS + 1))]
    for gen, path in enumerate(paths):
        try:
            data = store.read(path)
            if data is not None:
                found.append(parse_head(path, data))
        except HstrackerError:
            if gen == 0:
                return None
    return found


def _listed(found: list[StoredShow]) -> tuple[set[str], set[str]]:
    """The files the heads list, and the parts their lineage names as replaced."""
    listed = {p.file for h in found for p in h.parts} | {h.keys for h in found if h.keys}
    replaced = {n for h in found for p in h.parts for n in p.replaces or ()}
    replaced.update(n for h in found for n in h.dropped)
    return listed, replaced


def _names(store: Store, folder: Path) -> list[str]:
    """The names in one of a show's parts folders; none below a link or a non-folder."""
    try:
        if not files.check_folders(store.home, folder):
            return []
        return sorted(os.listdir(folder))
    except (HstrackerError, OSError):
        return []


def stray(store: Store, head_path: Path) -> list[Path]:
    """The files of a head's parts folders a write may delete: indexes no head lists (they
    are derived), and unlisted parts (and copies) that a listed part's lineage replaced."""
    found = heads(store, head_path)
    if found is None:
        return []
    listed, replaced = _listed(found)
    out = []
    for folder in (parts_dir(head_path), copies_dir(head_path)):
        for name in _names(store, folder):
            if name in listed:
                continue
            index = KEYS_NAME.match(name) and folder.name == parts_dir(head_path).name
            if index or (PART_NAME.match(name) and name in replaced):
                out.append(folder / name)
    return out


def collect(store: Store, head_path: Path) -> list[Path]:
    """Delete the stray files of a head (see stray); only under the lock."""
    removed = []
    for path in stray(store, head_path):
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    for folder in {p.parent for p in removed}:
        fsync_dir(folder)
    return removed


def verify(store: Store, path: Path, part: NewsPart | None) -> tuple[NewsFile | None, str | None]:
    """One copy of a part read and checked against its head's entry: (body, None) when whole,
    (None, what is wrong) when not."""
    try:
        data = store.read(path)
        if data is None:
            return None, f"{files.shown(path)} is missing."
        return parse_part(path, data, part), None
    except HstrackerError as exc:
        return None, exc.message


def main_head(path: Path) -> Path:
    """The head a backup (backups/slug.json.2) lists the parts of: slug.json."""
    if path.parent.name == files.BACKUP_DIR:
        return path.parent.parent / (path.name.split(".json")[0] + ".json")
    return path


def check_listed(store: Store, path: Path, data: bytes) -> None:
    """Raise if a head (or a backup of one) lists a part that neither its folder nor its
    kept copy holds whole: only then can nothing restore it."""
    head = parse_head(path, data)
    main = main_head(path)
    for part in head.parts:
        body, problem = verify(store, parts_dir(main) / part.file, part)
        if body is None:
            body, _ = verify(store, copies_dir(main) / part.file, part)
        if body is None:
            if problem and problem.endswith("is missing."):
                raise PartGone(parts_dir(main) / part.file).damage(path)
            raise damaged(path, f"its news part {part.file} and the copy of it are damaged")


@dataclass
class Unlisted:
    """A part no head lists and no lineage replaced: news a repair must re-adopt."""

    path: Path
    body: NewsFile | None  # None: neither it nor its copy can be read
    problem: str | None = None

    def missing(self, present: set[str]) -> list[NewsItem]:
        """Its items no show lists, by id."""
        return [] if self.body is None else [i for i in self.body.news if i.id not in present]


def unlisted(store: Store, head_path: Path, also: list[StoredShow] | None = None) -> list[Unlisted]:
    """The parts of a show no head lists (also: heads given, such as a backup to restore),
    and that no part's lineage replaced, each with its body if it can be read."""
    found = heads(store, head_path) or []
    listed, replaced = _listed([*found, *(also or [])])
    bodies: dict[str, Unlisted] = {}
    for folder in (parts_dir(head_path), copies_dir(head_path)):
        for name in _names(store, folder):
            if name in listed or name in bodies or not PART_NAME.match(name):
                continue
            body, problem = verify(store, parts_dir(head_path) / name, None)
            if body is None:
                body, _ = verify(store, copies_dir(head_path) / name, None)
            bodies[name] = Unlisted(parts_dir(head_path) / name, body, problem)
    for item in bodies.values():  # an unlisted part a later unlisted part replaced
        if item.body is not None:
            replaced.update(item.body.replaces or ())
    return [u for name, u in bodies.items() if name not in replaced]


def lineage_news(store: Store, head_path: Path) -> list[NewsItem]:
    """The news of a show as its parts' lineage gives it: the items of every part no other
    part replaced, newest write first, one item per id, in store order.

    A head restored from an older backup lists the parts of that time; the parts written
    since are unlisted, and each names the parts it replaced, so the leaves of that lineage
    are the news as the last write left it: added, edited and removed items included."""
    data = store.read(head_path)
    assert data is not None
    head = parse_head(head_path, data)
    listed: list[NewsFile] = []
    for part in head.parts:
        body, _ = verify(store, parts_dir(head_path) / part.file, part)
        if body is None:
            body, _ = verify(store, copies_dir(head_path) / part.file, part)
        listed.append(body or NewsFile(schema_version=0, news=[]))
    later = unlisted(store, head_path)
    later.sort(key=lambda u: _mtime(u.path), reverse=True)
    replaced = {n for u in later if u.body for n in u.body.replaces or ()}
    leaves = [u.body for u in later if u.body is not None]
    leaves += [b for p, b in zip(head.parts, listed, strict=False) if p.file not in replaced]
    once: dict[str, NewsItem] = {}
    for body in leaves:
        for item in body.news:
            once.setdefault(item.id, item)
    return sorted(once.values(), key=lambda n: (n.date.sort_key(), n.added))


def _mtime(path: Path) -> float:
    for candidate in (path, copies_dir(path.parent.with_suffix(".json")) / path.name):
        with contextlib.suppress(OSError):
            return os.lstat(candidate).st_mtime
    return 0.0


def retire(store: Store, head_path: Path) -> Path | None:
    """Before a new show takes the slug of a removed one: move the removed show's backups and
    news parts (with their copies) into shows/backups/removed/<slug>-<random>/, whole, so that
    no write of the new show rotates them away or takes them for its own. Returns the folder
    (None when there was nothing to keep)."""
    backups = head_path.parent / files.BACKUP_DIR
    found = [
        p
        for p in (
            parts_dir(head_path),
            copies_dir(head_path),
            *(backup_path(head_path, g) for g in range(MIRROR, BACKUPS + 1)),
        )
        if os.path.lexists(p)
    ]
    found = [p for p in found if p.name in _names(store, p.parent)]  # never below a link
    if not found:
        return None
    folder = backups / "removed" / f"{head_path.stem}-{os.urandom(4).hex()}"
    folder.mkdir(parents=True)
    for path in found:
        target = folder / ("copies" if path == copies_dir(head_path) else path.name)
        os.rename(path, target)
    fsync_dir(folder)
    fsync_dir(head_path.parent)
    return folder
