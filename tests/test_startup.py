"""Start-up guard: read commands import nothing they do not need (deterministic, not timed)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import Run

# the network stack, pydantic, Rich's help/traceback extras, and the feed and calendar parsers
FORBIDDEN = {
    "httpx", "httpcore", "h11", "anyio", "ssl", "pydantic", "markdown_it", "pygments",
    "feedparser", "sgmllib", "icalendar",
}  # fmt: skip


def imported_by(*args: str) -> set[str]:
    """Every module a real `python -X importtime -m hstracker ...` imported."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "hstracker", *args],
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=60,
        check=False,
    )
    assert "import time:" in result.stderr
    assert result.returncode == 0, result.stderr[-500:]  # a failed run imports less
    return {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


def top_level(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


@pytest.mark.parametrize(
    "command",
    ["status", "cast", "news", "seasons", "countdown", "progress", "shows list", "upcoming"],
)
def test_read_commands_import_nothing_heavy(command: str) -> None:
    found = top_level(imported_by(*command.split()))
    assert "hstracker" in found and "rich" in found  # the probe sees real imports
    assert not found & FORBIDDEN, found & FORBIDDEN


# importlib.resources brings zipfile and tempfile (paths.py finds the shipped data on disk
# instead); zoneinfo reads sysconfig, so it is imported when a zone is first looked up
NOT_AT_START_UP = {"importlib.resources", "zipfile", "tempfile", "sysconfig", "zoneinfo"}


@pytest.mark.parametrize("command", ["status", "cast", "news", "shows list", "seasons"])
def test_reading_the_shipped_store_loads_no_resource_machinery(command: str) -> None:
    found = imported_by(*command.split())
    assert "hstracker.paths" in found  # the probe sees the shipped data found
    resources = {"importlib.resources", "zipfile", "tempfile"}
    assert not found & resources, found & resources


def test_a_zone_is_loaded_only_when_a_date_needs_one() -> None:
    found = imported_by("--help") | imported_by("--version")
    assert "typer" in top_level(found)
    assert not found & NOT_AT_START_UP, found & NOT_AT_START_UP
    assert "zoneinfo" in imported_by("status")  # the shipped show has zoned instants


def test_help_lists_the_commands_without_building_them() -> None:
    # Typer's rich help needs rich.markdown and rich.traceback; the listing needs only each
    # command's name and summary, not the command modules, the store or msgspec
    found = imported_by("--help")
    assert "typer.rich_utils" in found  # the probe sees the help drawn
    hstracker = {m for m in found if m.startswith("hstracker.")}
    # options and complete declare --debug and the completions, and import no store code
    assert hstracker <= {"hstracker.cli", "hstracker.cli.app", "hstracker.cli.lazy",
                         "hstracker.cli.options", "hstracker.cli.complete",
                         "hstracker.errors"}, hstracker  # fmt: skip
    assert "msgspec" not in top_level(found)


def test_each_summary_help_lists_is_the_commands_own_help(run: Run) -> None:
    import typer

    from hstracker.cli.app import COMMANDS, HstrackerGroup, app

    group = typer.main.get_command(app)
    assert isinstance(group, HstrackerGroup)
    ctx = typer.Context(group)
    for name, (_, summary) in COMMANDS.items():
        command = group.get_command(ctx, name)  # building it, as running it does
        first = (command.help or "").strip().split("\n\n")[0]
        assert " ".join(first.split()) == summary, name
    listing = " ".join(run("--help", COLUMNS="200").stdout.split())
    for name, (_, summary) in COMMANDS.items():
        assert f"{name} {summary}" in listing.replace(" │ ", " "), name


def test_version_loads_no_command_store_or_rich() -> None:
    found = imported_by("--version")
    assert "typer" in top_level(found)
    loaded = {m for m in found if m.startswith(("hstracker.store", "hstracker.cli."))}
    # options: the root group's --debug is declared there, once for every command; options
    # names its completions in complete, which imports nothing of the store until it runs
    assert loaded <= {
        "hstracker.cli.app",
        "hstracker.cli.lazy",
        "hstracker.cli.options",
        "hstracker.cli.complete",
    }, loaded
    assert not {"rich", "msgspec"} & top_level(found)


def test_a_read_loads_only_its_own_command_module() -> None:
    commands = {m for m in imported_by("status") if m.startswith("hstracker.cli.")}
    # cli.complete is the shared options' completion sources: small, importing nothing
    assert commands <= {"hstracker.cli.app", "hstracker.cli.lazy", "hstracker.cli.status",
                        "hstracker.cli.context", "hstracker.cli.options",
                        "hstracker.cli.complete", "hstracker.cli.fan"}, commands  # fmt: skip


def test_the_probe_sees_heavy_imports_where_they_belong() -> None:
    assert not top_level(imported_by("feeds", "list")) & FORBIDDEN
    # help may load Rich's markdown and pygments (Typer's rich help), never the network stack
    network = {"httpx", "httpcore", "h11", "anyio", "ssl", "feedparser", "icalendar"}
    assert not top_level(imported_by("sync", "--help")) & network
    assert "httpx" in top_level(imported_by("feeds", "pull"))
    assert "icalendar" in top_level(imported_by("calendar"))


def test_the_dashboard_and_add_news_draw_without_rich_tables() -> None:
    # rich.table (with fractions and rich.box) is the bulk of a table's start-up cost; the
    # dashboard lays out label-value lines itself, and only the long listings need a Table
    assert "rich.table" not in imported_by("status")
    add = ("add-news", "A headline", "--date", "2026-11-20", "--source", "test")
    assert "rich.table" not in imported_by(*add)
    # a listing whose one-line cells fit is drawn directly (tests/test_listing_drawn.py holds
    # it to Rich's own table), so the shipped cast, seasons and upcoming need no Table either
    for command in (("cast",), ("seasons",), ("shows", "list"), ("upcoming",)):
        assert "rich.table" not in imported_by(*command), command


def test_reading_a_fans_copy_checks_the_shipped_data_without_openssl() -> None:
    # with a copy of their own, every read compares it with the shipped data (store/upgrade):
    # hashlib would load OpenSSL (~3 ms, ~4 MB) for that digest, and sharing's merge is needed
    # only when the copy is behind
    add = ("add-news", "A headline", "--date", "2026-11-20", "--source", "test")
    assert subprocess.run([sys.executable, "-m", "hstracker", *add], check=False).returncode == 0
    found = imported_by("status")
    assert "hstracker.store.upgrade" in found  # the probe sees the check run
    assert not {"_hashlib", "hashlib", "hstracker.core.sharing"} & found
