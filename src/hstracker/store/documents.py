"""Reading a shared show file: its size, JSON, format and version, then the typed document."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import Any

import msgspec

from hstracker.core import validate
from hstracker.core.model import Show
from hstracker.core.sharing import FORMAT, FORMAT_VERSION, Document, accept_document
from hstracker.errors import InvalidInput
from hstracker.store.codec import convert, describe

MAX_BYTES = 5_000_000  # a show with thousands of news items is well under 1 MB
MAX_DEPTH = 32


def _clean_tree(value: Any, path: str, depth: int = 0) -> Any:
    """Strip control characters from every string, refusing oversized or absurdly deep ones."""
    if depth > MAX_DEPTH:
        raise InvalidInput(f"the file nests too deeply at {path}.")
    if isinstance(value, str):
        if len(value) > validate.MAX_BODY:
            raise InvalidInput(f"the text at {path} is {len(value)} characters; the limit is "
                               f"{validate.MAX_BODY}.")  # fmt: skip
        return validate.clean(value)
    if isinstance(value, list):
        return [_clean_tree(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {k: _clean_tree(v, f"{path}.{k}", depth + 1) for k, v in value.items()}
    return value


def parse_document(data: bytes, name: str, slug: str | None = None) -> Show:
    """Validate a whole exported file and return its show; nothing is trusted until it passes."""
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"{name} is {len(data)} bytes; the limit is {MAX_BYTES}.")
    try:
        raw = msgspec.json.decode(data)
    except msgspec.DecodeError as exc:
        raise InvalidInput(f"{name} is not JSON: {describe(exc, data)}.") from None
    except RecursionError:  # msgspec's own depth limit: 100,000 brackets deep
        raise InvalidInput(f"{name} nests too deeply to be a show export.") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise InvalidInput(f"{name} is not an hstracker show export (format {FORMAT!r}).")
    version = raw.get("version")
    if not isinstance(version, int) or not 0 < version <= FORMAT_VERSION:
        raise InvalidInput(
            f"{name} has export version {version!r}; this hstracker reads up to {FORMAT_VERSION}.",
            hint="Upgrade hstracker to import it.",
        )
    try:
        doc = convert(_clean_tree(raw, "$"), Document)
    except msgspec.ValidationError as exc:
        raise InvalidInput(f"{name} is not a valid show: {describe(exc, data)}.") from None
    return accept_document(doc, name, slug)


def read_document(path: Path, slug: str | None = None) -> Show:
    """Read and check a file written by `hstracker export` (`-`: standard input), never more
    than the size cap."""
    if str(path) == "-":
        # a pipe is read as it comes (`hstracker export | ... | hstracker import -`), still capped
        return parse_document(sys.stdin.buffer.read(MAX_BYTES + 1), "standard input", slug)
    try:
        # non-blocking, so a FIFO named by mistake is refused instead of waited on for ever
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise InvalidInput(f"cannot read {path}: it is not a regular file.")
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}.") from None
    return parse_document(data, str(path), slug)
