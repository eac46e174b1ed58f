"""The command line: the root app, its global options, and the one error path."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from hstracker import __version__
from hstracker.cli import calendar, cast, countdown, news, progress, seasons, status
from hstracker.cli.context import AppContext, get
from hstracker.errors import ExitCode, HstrackerError


class HstrackerGroup(TyperGroup):
    """Maps the project's exceptions to one line on stderr and a named exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except HstrackerError as exc:
            _fail(ctx, str(exc), exc.exit_code)
        except KeyboardInterrupt:
            _fail(ctx, "interrupted.", ExitCode.INTERRUPTED)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # Typer's own usage errors and exits keep their standard handling
        except Exception as exc:
            if _ctx(ctx).debug:
                raise
            _fail(
                ctx,
                f"unexpected error: {type(exc).__name__}: {exc}. "
                "Run again with --debug for details, and please report it.",
                ExitCode.ERROR,
            )


def _ctx(ctx: Any) -> AppContext:
    return get(ctx)


def _fail(ctx: Any, message: str, code: int) -> None:
    from rich.text import Text

    app_ctx = _ctx(ctx)
    if app_ctx.debug:
        traceback.print_exc()
    app_ctx.err.print(Text(f"hstracker: {message}", style="red"), soft_wrap=True)
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
    debug: Annotated[bool, typer.Option("--debug", hidden=True)] = False,
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = None,
) -> None:
    """Track screen adaptations of books and comics: what is next, when, who, and how far."""
    ctx.obj = AppContext(data_dir=data_dir, debug=debug)


app.command("status")(status.status)
app.command("cast")(cast.cast)
app.command("news")(news.news)
app.command("add-news")(news.add_news)
app.command("seasons")(seasons.seasons)
app.command("progress")(progress.progress)
app.command("watched")(progress.watched)
app.command("read")(progress.read)
app.command("countdown")(countdown.countdown)
app.command("calendar")(calendar.calendar)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="hstracker")
