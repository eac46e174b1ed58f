"""The store's front door: the Store, its reads and transactions, and what other layers need.

Other layers import from here, never from the modules behind it. The write machinery, the
doctor and the shared-file reader load only when first asked for (module __getattr__):
most runs only read, and every module imported costs start-up time.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from hstracker.store.codec import encode, to_builtins
from hstracker.store.files import shown
from hstracker.store.folder import DEFAULT_SHOW, RESERVED_SLUGS, Store
from hstracker.store.layout import ALL, NONE, Pick, PickFor, hidden
from hstracker.store.parse import parse_store_file, store_version

if TYPE_CHECKING:
    from hstracker.store.atomic import backup_path, write_output
    from hstracker.store.doctor import check, repair
    from hstracker.store.documents import read_document
    from hstracker.store.filecheck import FileCheck
    from hstracker.store.news_pick import newest, timeline_pick
    from hstracker.store.removed import drop as drop_removed
    from hstracker.store.removed import keep as keep_removed
    from hstracker.store.removed import kept as kept_removed
    from hstracker.store.transaction import Transaction
    from hstracker.store.upgrade import CopyState, catch_up, copies

__all__ = [
    "ALL",
    "DEFAULT_SHOW",
    "NONE",
    "RESERVED_SLUGS",
    "CopyState",
    "FileCheck",
    "Pick",
    "PickFor",
    "Store",
    "Transaction",
    "backup_path",
    "catch_up",
    "check",
    "copies",
    "drop_removed",
    "encode",
    "hidden",
    "keep_removed",
    "kept_removed",
    "newest",
    "parse_store_file",
    "read_document",
    "repair",
    "shown",
    "store_version",
    "timeline_pick",
    "to_builtins",
    "write_output",
]

# name -> the module behind the door that holds it (and its name there), loaded at first use
_LATER: dict[str, str | tuple[str, str]] = {
    "backup_path": "atomic",
    "write_output": "atomic",
    "FileCheck": "filecheck",
    "check": "doctor",
    "repair": "doctor",
    "read_document": "documents",
    "newest": "news_pick",
    "timeline_pick": "news_pick",
    "Transaction": "transaction",
    "CopyState": "upgrade",
    "catch_up": "upgrade",
    "copies": "upgrade",
    "drop_removed": ("removed", "drop"),
    "keep_removed": ("removed", "keep"),
    "kept_removed": ("removed", "kept"),
}


def __getattr__(name: str) -> object:
    found = _LATER.get(name)
    if found is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, inner = found if isinstance(found, tuple) else (found, name)
    return getattr(importlib.import_module(f"{__name__}.{module}"), inner)
