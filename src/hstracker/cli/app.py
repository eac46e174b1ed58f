"""The root app: global options, the command list, and the one path from errors to exit codes."""

import os
import sys
from pathlib import Path
from typing import Annotated, Any

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
# "module:attribute", a command function or a typer.Typer sub-app.
COMMANDS: dict[str, str] = {
    "status": "hstracker.cli.status:status",
    "cast": "hstracker.cli.cast:app",
    "news": "hstracker.cli.news:news",
    "add-news": "hstracker.cli.news:add_news",
    "edit-news": "hstracker.cli.news:edit_news",
    "remove-news": "hstracker.cli.news:remove_news",
    "seasons": "hstracker.cli.seasons:seasons",
    "countdown": "hstracker.cli.countdown:countdown",
    "upcoming": "hstracker.cli.upcoming:upcoming",
    "progress": "hstracker.cli.progress:progress",
    "watched": "hstracker.cli.progress:watched",
    "read": "hstracker.cli.progress:read",
    "calendar": "hstracker.cli.calendar:calendar",
    "shows": "hstracker.cli.shows:app",
    "set": "hstracker.cli.edit:set_",
    "add-installment": "hstracker.cli.edit:add_installment",
    "export": "hstracker.cli.sharing:export",
    "import": "hstracker.cli.sharing:import_",
    "doctor": "hstracker.cli.doctor:doctor",
    "sync": "hstracker.cli.sync:sync",
    "feeds": "hstracker.cli.feeds:feeds",
}


class HstrackerGroup(LazyGroup):
    """The root group: lazy commands, and the one path from exceptions to exit codes."""

    lazy = COMMANDS

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
