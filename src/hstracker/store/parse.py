"""Validating store files: a head, a news part or personal.json, migrated in memory if old."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import msgspec

from hstracker.core.model import SCHEMA_VERSION, Personal, Show
from hstracker.errors import InvalidInput, StoreCorrupt, StoreTooNew
from hstracker.store.codec import convert, decode, decode_plain, describe, digest, encode
from hstracker.store.files import shown
from hstracker.store.layout import NewsFile, NewsPart, StoredShow, check_names
from hstracker.store.scrub import scrub

T = TypeVar("T", Show, Personal)


class _Header(msgspec.Struct):
    schema_version: int = 1


# versions whose files the current classes read as they are: v4 only moved news out of the
# show's file, and a v3 file (news inline) is still a valid v4 head
SAME_SHAPE = frozenset({SCHEMA_VERSION, 3})
HINT = "Nothing was changed; `hstracker doctor` can check and repair the store."


def damaged(path: Path | str, what: str) -> StoreCorrupt:
    return StoreCorrupt(f"{shown(path)} is damaged: {what}.", hint=HINT)


_TOO_DEEP = "it is nested too deeply to be a store file"


def store_version(path: Path | str, data: bytes) -> int:
    """The schema version a store file declares; raise a one-line error if it has none."""
    try:
        return decode(data, _Header).schema_version
    except msgspec.MsgspecError as exc:
        raise damaged(path, describe(exc, data)) from None
    except RecursionError:
        raise damaged(path, _TOO_DEEP) from None


def parse_store_file(path: Path | str, data: bytes, tp: type[T]) -> T:
    """Validate a store file's bytes as tp, migrating older schemas in memory.

    Every string comes back cleaned of control characters, whoever edited the file.
    """
    try:  # the common case in one pass: a current file that validates
        obj = decode(data, tp)
    except msgspec.MsgspecError:
        pass
    except RecursionError:  # msgspec's own depth limit: 100,000 brackets deep
        raise damaged(path, _TOO_DEEP) from None
    else:
        if obj.schema_version in SAME_SHAPE:
            obj.schema_version = SCHEMA_VERSION  # its JSON reads as the current shape
            scrub(obj, data)
            return obj
    from hstracker.store.migrations import STEPS

    version = store_version(path, data)
    if version > SCHEMA_VERSION:
        raise too_new(path, version)
    try:
        if version == SCHEMA_VERSION:
            obj = decode(data, tp)
        elif version in STEPS:
            obj = convert(_migrated(path, data, version), tp)
        else:
            raise damaged(path, f"unknown schema version {version} at `$.schema_version`")
    except msgspec.MsgspecError as exc:
        raise damaged(path, describe(exc, data)) from None
    except RecursionError:
        raise damaged(path, _TOO_DEEP) from None
    scrub(obj, data)
    return obj


def _migrated(path: Path | str, data: bytes, version: int) -> Any:
    from hstracker.store.migrations import migrate

    try:
        return migrate(decode_plain(data), version)
    except msgspec.MsgspecError as exc:
        raise damaged(path, describe(exc, data)) from None
    except RecursionError:
        raise damaged(path, _TOO_DEEP) from None
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        # a step meets a shape it cannot handle: the file is damaged as well as old
        raise StoreCorrupt(
            f"{shown(path)} could not be migrated from schema {version}: "
            f"{type(exc).__name__}: {exc}.",
            hint=HINT,
        ) from None


def too_new(path: Path | str, version: int) -> StoreTooNew:
    return StoreTooNew(
        f"{shown(path)} was written by a newer hstracker (schema {version}; "
        f"this one reads up to {SCHEMA_VERSION}). It was not touched.",
        hint="Upgrade hstracker to use it.",
    )


class PartGone(Exception):
    """A news part a head lists is not there: a writer replaced the head after we read it."""

    def damage(self, head: Path) -> StoreCorrupt:
        """The damage to report when no retry can explain the missing part away."""
        return damaged(head, f"its news part {shown(self.args[0])} is missing")


def parse_part(path: Path | str, data: bytes, part: NewsPart | None = None) -> NewsFile:
    """Validate one news part's bytes (and, given the head's entry, its count and digest)."""
    try:  # the common case in one pass, as parse_store_file
        found = decode(data, NewsFile)
    except msgspec.MsgspecError as exc:
        version = store_version(path, data)  # a newer schema is refused as that, not damage
        if version > SCHEMA_VERSION:
            raise too_new(path, version) from None
        raise damaged(path, describe(exc, data)) from None
    except RecursionError:
        raise damaged(path, _TOO_DEEP) from None
    if found.schema_version > SCHEMA_VERSION:
        raise too_new(path, found.schema_version)
    if part is not None and len(found.news) != part.count:
        raise damaged(path, f"it holds {len(found.news)} items where its show lists {part.count}")
    if part is not None and part.digest is not None and digest(data) != part.digest:
        # a change that still parses (one letter of a headline): caught by its digest
        raise damaged(path, "its bytes are not the ones its show wrote (their digest differs)")
    scrub(found, data)
    return found


def parse_head(path: Path | str, data: bytes) -> StoredShow:
    """A show's head file, validated, with the names of its parts checked."""
    head = parse_store_file(path, data, StoredShow)
    assert isinstance(head, StoredShow)
    if problem := check_names(head.parts, head.keys):
        raise damaged(path, problem)
    return head


def readable(path: Path, data: bytes, tp: type[StoredShow | Personal | NewsFile]) -> bytes:
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
