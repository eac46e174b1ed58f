"""The root app: global options, the command list, and the one path from errors to exit codes."""

import os
import sys
from typing import Annotated, Any, ClassVar, NoReturn

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
        "Record that you watched an episode (s3e4), a run (s3e1-4) or an installment (s3, film).",
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
        (
            "The shows you track: list, add, edit, link to TVmaze, choose the default, remove,"
            " restore."
        ),
    ),
    "set": (
        "hstracker.cli.edit:set_",
        "Set a fact, e.g. `set film release 2026-12-18 --source Netflix`; old values are kept.",
    ),
    "add-installment": (
        "hstracker.cli.edit:add_installment",
        "Add a season, film or special; its state and release carry --source as provenance.",
    ),
    "remove-installment": (
        "hstracker.cli.edit:remove_installment",
        "Remove a season, film or special added by mistake; its cast links and your marks go.",
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

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # before anything is printed: --help and usage errors are written by Typer's own
        # consoles, which a command's consoles never see (an ascii stdout and `OL…W`); the
        # render package loads Rich, so a UTF-8 run (nearly all) does not import it here
        legacy = [s for s in (sys.stdout, sys.stderr) if not _utf(s)]
        if legacy:
            from hstracker.render.encoding import tolerate

            for stream in legacy:
                tolerate(stream)
        return super().main(*args, **kwargs)

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
            _silence_stdout()
            raise typer.Exit(ExitCode.OK) from None
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # Typer's own usage errors and exits keep their standard handling
        except Exception as exc:
            if isinstance(exc, OSError) and _stdout_failed(exc):
                _fail(ctx, _output_message(exc), ExitCode.DISK)
            if debugging(ctx):
                raise
            _fail(
                ctx,
                f"unexpected error: {type(exc).__name__}: {exc}. "
                "Run it again with --debug to see the traceback, and please report it.",
                ExitCode.ERROR,
            )


def _utf(stream: Any) -> bool:
    return str(getattr(stream, "encoding", None) or "utf-8").lower().startswith("utf")


def _silence_stdout() -> None:
    """Point stdout at devnull, so the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _stdout_failed(exc: OSError) -> bool:
    """True when exc is standard output refusing what was written to it (a full disk, EIO).

    Store writes report their own OSErrors as DiskError; an OSError that gets this far is the
    output's when the write that raised it was a write to stdout: the innermost frame holds
    stdout (or a Rich console printing to it). Once it has failed, stdout points at devnull,
    so the interpreter's final flush of what it still holds cannot fail a second time.
    """
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return False
    streams = (sys.stdout, getattr(sys.stdout, "buffer", None))
    held = list(tb.tb_frame.f_locals.values())
    console = tb.tb_frame.f_locals.get("self")
    if type(console).__name__ == "Console":
        held.append(getattr(console, "file", None))
    if not any(value is stream for value in held for stream in streams if stream is not None):
        return False
    _silence_stdout()
    return True


def _output_message(exc: OSError) -> str:
    return f"could not write the output: {exc.strerror or exc}."


def _fail(ctx: Any, message: str, code: int) -> NoReturn:
    from hstracker.cli.context import error_line, get

    if debugging(ctx):
        import traceback

        traceback.print_exc()
    error_line(get(ctx).err, message)
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
        stream = sys.stdout  # a local, so a failing write is known as the output's
        stream.write(f"hstracker {__version__}\n")
        stream.flush()
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    data_dir: Annotated[
        str | None,  # a str, not a Path: Path("") is the current folder, and "" means nothing
        typer.Option(
            "--data-dir",
            metavar="DIR",
            help="Where your data lives (overrides HSTRACKER_HOME and the default).",
        ),
    ] = None,
    version: Annotated[  # noqa: ARG001 (its eager callback prints and exits)
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = None,
) -> None:
    """Track screen adaptations of books and comics: what is next, when, who, and how far."""
    from hstracker.cli.context import AppContext
    from hstracker.paths import given_home

    ctx.obj = AppContext(data_dir=None if data_dir is None else given_home(data_dir, "--data-dir"))


def _refuse(message: str, code: ExitCode) -> NoReturn:
    """One line on stderr and the exit code, for faults found before Typer runs."""
    if sys.stderr is not None:
        from hstracker.core.validate import clean

        sys.stderr.write(f"hstracker: {clean(message)}\n")
    raise SystemExit(code)


def _check_argv(args: list[str]) -> None:
    """Refuse an argument that is not UTF-8 before any command sees it.

    Python hands such bytes over as lone surrogates, which no file, JSON or terminal takes;
    refusing them here is one rule for every argument, text and file names alike.
    """
    for position, arg in enumerate(args, start=1):
        try:
            arg.encode()
        except UnicodeEncodeError:
            shown = arg.encode(errors="surrogateescape").decode("ascii", "backslashreplace")
            _refuse(
                f"argument {position} ({shown}) is not UTF-8 text; nothing was done. "
                "Type it again in UTF-8, or rename the file.",
                ExitCode.USAGE,
            )


def main() -> None:
    """Console-script entry point."""
    if sys.stdout is None:
        # a closed stdout (`>&-`): every answer would be lost, and a file this run opens could
        # take descriptor 1 and receive the output
        _refuse(
            "standard output is closed; nothing was done. Give the output somewhere to go.",
            ExitCode.DISK,
        )
    _check_argv(sys.argv[1:])
    try:
        app(prog_name="hstracker")
    except OSError as exc:  # --help or --version writing to a full or failing stdout
        if not _stdout_failed(exc):
            raise
        _refuse(_output_message(exc), ExitCode.DISK)
