"""``hstracker import --from SERVICE PATH``: moving in from another tracker, with a report."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from hstracker.cli import context
from hstracker.errors import InvalidInput

if TYPE_CHECKING:
    from hstracker.imports import Export, Placed

MAX_PASSWORD = 1_024


def _password(path: Path | None) -> bytes | None:
    """The ZIP's password: from --password-file (its first line), or None."""
    if path is None:
        return None
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_PASSWORD + 1)
    except OSError as exc:
        raise InvalidInput(f"--password-file {path} cannot be read: {exc.strerror}.") from None
    line = data.splitlines()[0] if data.strip() else b""
    if not line or len(data) > MAX_PASSWORD:
        raise InvalidInput(f"--password-file {path} holds no password on its first line.")
    return line


def _read(service: str, path: Path, password: bytes | None) -> Export:
    """Read the export; an encrypted one asks for its password on a terminal."""
    from hstracker.imports import NeedsPassword, read_export

    try:
        return read_export(service, path, password)
    except NeedsPassword:
        if password is not None or not sys.stdin.isatty():
            raise
    typed = typer.prompt(
        f"Password for {path.name}", hide_input=True, default="", show_default=False
    )
    if not typed:
        raise InvalidInput(f"{path.name} is encrypted and no password was given.")
    return read_export(service, path, typed.encode())


def import_from(
    ctx: typer.Context,
    service: str,
    path: Path,
    *,
    dry_run: bool,
    json: bool,
    password_file: Path | None,
    sync: bool,
) -> None:
    """Read an export, place it against the tracked shows, and store the marks and new shows
    in one commit (or, with dry_run, only say what would change)."""
    from hstracker.imports import SERVICES, place

    wanted = service.strip().lower().replace(" ", "")
    if wanted not in SERVICES:
        raise InvalidInput(f"--from {service!r} is not one of: {', '.join(SERVICES)}.")
    export = _read(wanted, path, _password(password_file))
    app = context.get(ctx)
    store = app.store
    if dry_run:
        from hstracker.store.layout import NONE

        personal = store.personal()
        shows = [store.read_show(s, NONE, view=False)[0] for s in store.slugs(personal)]
        placed = place(export, shows, personal, app.now())
    else:
        from hstracker.core.shows import restore
        from hstracker.store.layout import NONE

        with store.transaction() as tx:
            personal = tx.personal()
            shows = [store.read_show(s, NONE, view=False)[0] for s in store.slugs(personal)]
            placed = place(export, shows, personal, app.now())
            if placed.changed:
                for show in placed.new_shows:
                    restore(personal, show.slug)
                    tx.put_show(show)
                tx.put_personal(personal)
    _report(ctx, export, placed, dry_run, json)
    if sync and not dry_run and (placed.made or placed.joined):
        from hstracker.cli.sync import sync as sync_command

        sync_command(ctx, all_=True, json=False)


def _report(ctx: typer.Context, export: Export, placed: Placed, dry_run: bool, json: bool) -> None:
    if json:
        from hstracker.render.json import moving_document

        context.print_json(ctx, moving_document(export, placed, dry_run))
        return
    from hstracker.render.moving import import_report

    context.get(ctx).out.print(import_report(export, placed, dry_run))
