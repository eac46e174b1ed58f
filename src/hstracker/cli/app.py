"""The root app: global options, the command list, and the one path from errors to exit codes."""

import os
import sys
from pathlib import Path
from typing import Annotated, Any, ClassVar

import typer

from hstracker import __version__
from hstracker.cli.lazy import LazyGroup
from hstracker.cli.options import debugging
from hstracker.errors import ExitCode, HstrackerError

# Command modules avoid `from __future__ import annotations`: Typer would eval every
# Annotated[...] string on each run (~1 ms per command).
#
# Commands are imported only when run (or listed by --help): a fan pays at start-up for the
# one command they asked for, not for every command hstracker has. Each entry names
# "module:attribute", a command function or a typer.Typer sub-app, and the summary --help
# lists without importing it (tests/test_startup.py holds each to the command's own help).
COMMANDS: dict[str, tuple[str, str]] = {
    "status": (
        "hstracker.cli.status:status",
        "What comes next, when, how far the books are adapted, and the latest news.",
    ),
    "cast": (
        "hstracker.cli.cast:app",
        "The cast of the next installment (or the latest with a list), or with --all everyone.",
    ),
    "news": (
        "hstracker.cli.news:news",
        "The news timeline, newest first, including the shipped history.",
    ),
    "add-news": (
        "hstracker.cli.news:add_news",
        "Add a dated news item, optionally changing a fact with the item as its source.",
    ),
    "edit-news": (
        "hstracker.cli.news:edit_news",
        "Change a news item's text; its id and date stay the same.",
    ),
    "remove-news": (
        "hstracker.cli.news:remove_news",
        "Remove a news item you added.",
    ),
    "seasons": (
        "hstracker.cli.seasons:seasons",
        "Every season, film and special: state, release at its precision, episodes, volumes.",
    ),
    "countdown": (
        "hstracker.cli.countdown:countdown",
        "How long until a release, at the precision that is really known.",
    ),
    "upcoming": (
        "hstracker.cli.upcoming:upcoming",
        "What comes next across every show you track, soonest first.",
    ),
    "progress": (
        "hstracker.cli.progress:progress",
        "The adaptation map: what each installment adapts, what is left, and what to read next.",
    ),
    "watched": (
        "hstracker.cli.progress:watched",
        "Record that you have watched an installment (or, with --undo, that you have not).",
    ),
    "read": (
        "hstracker.cli.progress:read",
        "Record that you have read a volume (or, with --undo, that you have not).",
    ),
    "calendar": (
        "hstracker.cli.calendar:calendar",
        "An iCalendar (.ics) of exact releases, filming and publications; re-import updates.",
    ),
    "shows": (
        "hstracker.cli.shows:app",
        "The shows you track: list, add, link to TVmaze, choose the default, remove.",
    ),
    "set": (
        "hstracker.cli.edit:set_",
        "Set a fact, e.g. `set film release 2026-12-18 --source Netflix`; old values are kept.",
    ),
    "add-installment": (
        "hstracker.cli.edit:add_installment",
        "Add a season, film or special; its state and release carry --source as provenance.",
    ),
    "export": (
        "hstracker.cli.sharing:export",
        "Write a show's facts, cast and news (not your personal state) as one JSON document.",
    ),
    "import": (
        "hstracker.cli.sharing:import_",
        "Add a shared show, or merge it into yours: new facts, cast and news, no duplicates.",
    ),
    "doctor": (
        "hstracker.cli.doctor:doctor",
        (
            "Check every file of your store and its backups, and whether your copies are behind"
            " the shipped data; --repair fixes what it can."
        ),
    ),
    "sync": (
        "hstracker.cli.sync:sync",
        "Refresh seasons, films, dates, cast and volumes from TVmaze, Wikidata and Open Library.",
    ),
    "feeds": (
        "hstracker.cli.feeds:feeds",
        "Follow RSS and Atom feeds for news about a show.",
    ),
}


class HstrackerGroup(LazyGroup):
    """The root group: lazy commands, and the one path from exceptions to exit codes."""

    lazy: ClassVar[dict[str, str]] = {name: spec for name, (spec, _) in COMMANDS.items()}
    summaries: ClassVar[dict[str, str]] = {name: line for name, (_, line) in COMMANDS.items()}

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except HstrackerError as exc:
            _fail(ctx, str(exc), exc.exit_code)
        except KeyboardInterrupt:
            _fail(ctx, "interrupted.", ExitCode.INTERRUPTED)
        except BrokenPipeError:
            # the reader (e.g. `| head`) has all it wanted; exit quietly, and point stdout at
            # devnull so the interpreter's final flush does not complain either
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(ExitCode.OK) from None
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # Typer's own usage errors and exits keep their standard handling
        except Exception as exc:
            if debugging(ctx):
                raise
            _fail(
                ctx,
                f"unexpected error: {type(exc).__name__}: {exc}. "
                "Run it again with --debug to see the traceback, and please report it.",
                ExitCode.ERROR,
            )


def _fail(ctx: Any, message: str, code: int) -> None:
    from rich.text import Text

    from hstracker.cli.context import get

    if debugging(ctx):
        import traceback

        traceback.print_exc()
    from hstracker.core.validate import clean

    # whatever a message quotes (a path, a value typed) reaches the terminal cleaned
    get(ctx).err.print(Text(f"hstracker: {clean(message)}", style="red"), soft_wrap=True)
    raise typer.Exit(code)


app = typer.Typer(
    name="hstracker",
    cls=HstrackerGroup,
    help="Track screen adaptations of books and comics: what is next, when, who, and how far.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"hstracker {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            metavar="DIR",
            help="Where your data lives (overrides HSTRACKER_HOME and the default).",
            file_okay=False,
        ),
    ] = None,
    version: Annotated[  # noqa: ARG001 (its eager callback prints and exits)
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = None,
) -> None:
    """Track screen adaptations of books and comics: what is next, when, who, and how far."""
    from hstracker.cli.context import AppContext

    ctx.obj = AppContext(data_dir=data_dir)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="hstracker")
