"""Schema migrations: each step turns the JSON of version N into version N+1."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hstracker.core.model import SCHEMA_VERSION

Document = dict[str, Any]
Step = Callable[[Document], Document]


def _role_to_note(doc: Document) -> Document:
    """v1 -> v2: a cast member's free-text `role` is now called `note`.

    `role` read like the part they play, which is what `character` holds.
    """
    for member in doc.get("cast", []):
        if isinstance(member, dict) and "role" in member:
            member["note"] = member.pop("role")
    return doc


def _source_ids(doc: Document) -> Document:
    """v2 -> v3: a show keeps every source's id in `ids`, so TVmaze's moves there.

    v3 also adds optional fields (an installment's `draws_on`, a volume's `markets`, a
    source's `by_fan`), which a v2 reader would refuse as unknown: hence the new version.
    """
    if "tvmaze_id" in doc:
        tvmaze = doc.pop("tvmaze_id")
        if tvmaze is not None:
            doc.setdefault("ids", {})["tvmaze"] = str(tvmaze)
    return doc


def _news_apart(doc: Document) -> Document:
    """v3 -> v4: a show's news moves out of its file into parts (store/layout.py).

    A v3 file reads as a v4 head whose news is still inline, so the JSON needs no change:
    the next write of the show moves the news into parts.
    """
    return doc


# from-version -> the step that produces from-version + 1
STEPS: dict[int, Step] = {1: _role_to_note, 2: _source_ids, 3: _news_apart}


def migrate(doc: Document, version: int, target: int = SCHEMA_VERSION) -> Document:
    """Apply every step from version up to target, and stamp the new version."""
    for current in range(version, target):
        doc = STEPS[current](doc)
        doc["schema_version"] = current + 1
    return doc
