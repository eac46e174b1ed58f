"""What every command needs: the store, the clock, and the two consoles."""

from __future__ import annotations

import sys
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from hstracker import clock

if TYPE_CHECKING:
    from rich.console import Console

    from hstracker.core.model import Source
    from hstracker.store import Store


class AppContext:
    """Per-invocation state, made by the root callback and kept in ctx.obj."""

    def __init__(self, data_dir: Path | None = None) -> None:
        self.data_dir = data_dir

    @cached_property
    def store(self) -> Store:
        from hstracker.paths import data_home
        from hstracker.store import Store

        return Store(data_home(self.data_dir))

    def now(self) -> datetime:
        return clock.now()

    @cached_property
    def out(self) -> Console:
        from rich.console import Console

        _tolerate_legacy_encodings()
        # markup and emoji codes off: no string can turn into markup, and the emoji table
        # is never loaded
        return Console(highlight=False, markup=False, emoji=False)

    @cached_property
    def err(self) -> Console:
        from rich.console import Console

        _tolerate_legacy_encodings()
        return Console(stderr=True, highlight=False, markup=False, emoji=False)


def error_line(console: Console, message: str, style: str | None = "red") -> None:
    """One `hstracker:` line on stderr. Whatever it quotes (a path, a value typed, a source's
    words) reaches the terminal cleaned of control characters, and bytes that were not UTF-8
    (a path, an environment variable) as escapes."""
    from rich.text import Text

    from hstracker.core.validate import clean

    shown = clean(message).encode(errors="backslashreplace").decode()
    console.print(Text(f"hstracker: {shown}", style=style or ""), soft_wrap=True)


def _tolerate_legacy_encodings() -> None:
    """A console that is not UTF-8 gets the nearest ASCII instead of a UnicodeEncodeError."""
    from hstracker.render.encoding import tolerate

    tolerate(sys.stdout)
    tolerate(sys.stderr)


def get(ctx: typer.Context) -> AppContext:
    """The AppContext of this invocation (made on the fly when a command runs alone)."""
    root = ctx.find_root()
    if not isinstance(root.obj, AppContext):
        root.obj = AppContext()
    return root.obj


def print_json(ctx: typer.Context, data: dict[str, Any]) -> None:
    """One JSON document on stdout: plain, indented, no markup, ISO 8601 dates, with a
    `schema` that names the command which printed it."""
    import msgspec

    from hstracker.render.json import schema
    from hstracker.store import encode

    document = {"schema": schema(_command_path(ctx)), **data}
    write_json(msgspec.json.format(encode(document), indent=2).decode() + "\n")


def _command_path(ctx: typer.Context) -> list[str]:
    """The command's names below the root: ["shows", "list"] for `hstracker shows list`."""
    names = []
    node: Any = ctx  # its parents are Click's own contexts, which Typer does not re-export
    while node.parent is not None:
        names.append(node.info_name or "")
        node = node.parent
    return names[::-1]


def write_json(document: str) -> None:
    """document on stdout; a stdout that is not UTF-8 gets its non-ASCII as JSON escapes."""
    from hstracker.render.encoding import json_escape, utf

    stream = sys.stdout  # a local, so a failing write is known as the output's (cli/app.py)
    if not utf(stream):
        document = json_escape(document)
    stream.write(document)
    stream.flush()


def hand_source(app: AppContext, name: str, confidence: str, url: str | None = None) -> Source:
    """Provenance for something the fan types: the source they name, reported today."""
    from hstracker.core.dates import PartialDate
    from hstracker.core.provenance import hand_source as make

    return make(name, PartialDate.of(app.now().date()), confidence, url)
