"""Options shared by many commands, each written once."""

from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup, TyperOption

from hstracker.cli import complete

ShowOption = Annotated[
    str | None,
    typer.Option(
        "--show",
        metavar="SLUG",
        help="Which show (default: your default show).",
        autocompletion=complete.shows,
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON document instead of tables.")
]


def installment_ref(raw: str) -> str:
    """An installment reference as typed, cleaned; a blank one is refused."""
    from hstracker.core.installments import parse_ref

    return parse_ref(raw)


def volume_number(raw: str) -> int:
    """A volume as typed (4, v4, volume 4) as its number; blank, negative or 0 is refused."""
    from hstracker.errors import InvalidInput

    wanted = " ".join(raw.lower().split())
    for prefix in ("volume", "vol.", "vol", "v"):
        if wanted.startswith(prefix):
            wanted = wanted.removeprefix(prefix).strip()
            break
    if not wanted.isdigit() or not wanted.isascii() or len(wanted) > 4 or int(wanted) < 1:
        raise InvalidInput(
            f"{raw!r} is not a volume number.",
            hint="Give one from 1 up, like 4 or v4.",
        )
    return int(wanted)


def season_option(help_text: str) -> Any:
    """--season REF, parsed by installment_ref, with this command's help."""
    return typer.Option(
        "--season",
        metavar="REF",
        help=help_text,
        autocompletion=complete.installments,
        parser=installment_ref,
    )


SeasonOption = Annotated[
    str | None, season_option("An installment: a season number (2), s2, film, or a title.")
]
SeasonsOption = Annotated[list[str], season_option("An installment they are in; repeat.")]
LimitOption = Annotated[
    int,
    typer.Option("--limit", "-n", min=1, max=100_000, help="Show at most this many items."),
]
SourceOption = Annotated[
    str, typer.Option("--source", help="Where this comes from, e.g. Netflix (provenance).")
]
ConfidenceOption = Annotated[
    str,
    typer.Option(
        "--confidence",
        help="confirmed, reported or rumour (any case).",
        autocompletion=complete.confidences,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", metavar="FILE", help="Write to FILE instead of stdout.", dir_okay=False
    ),
]
SpoilersOption = Annotated[
    bool,
    typer.Option("--spoilers", help="Show everything, including what the spoiler guard hides."),
]
UndoOption = Annotated[bool, typer.Option("--undo", help="Remove the mark instead.")]
RefArgument = Annotated[
    str,
    typer.Argument(
        metavar="REF",
        help="s2, 2, film, or a title.",
        autocompletion=complete.installments,
        parser=installment_ref,
    ),
]
VolumeArgument = Annotated[
    int,
    typer.Argument(
        metavar="VOLUME", help="A volume number: 4 or v4.", parser=volume_number, show_default=False
    ),
]
WatchRefArgument = Annotated[
    str,
    typer.Argument(
        metavar="REF",
        help="An episode (s3e4), a run (s3e1-4), or an installment (s3, film, a title).",
        autocompletion=complete.installments,
        parser=installment_ref,
    ),
]
NewsIdArgument = Annotated[
    str,
    typer.Argument(
        metavar="ID", help="The item's id (shown by `news`).", autocompletion=complete.news_ids
    ),
]

DEBUG = "hstracker.debug"  # the key in ctx.meta, which every nested context shares


def _turn_on_debug(ctx: typer.Context, _param: Any, value: bool) -> None:
    if value:
        ctx.meta[DEBUG] = True


def debug_option() -> TyperOption:
    """--debug, declared here once and added to the root and every command as each is built,
    so it works before or after the command name and each --help lists it."""
    return TyperOption(
        param_decls=["--debug"],
        is_flag=True,
        default=False,
        expose_value=False,
        callback=_turn_on_debug,
        help="On an unexpected error, print the full traceback (for a bug report).",
    )


def add_debug(command: Any) -> Any:
    """command, and every subcommand it already holds, with --debug among its options."""
    if not any(getattr(param, "name", None) == "debug" for param in command.params):
        command.params.append(debug_option())
    if isinstance(command, TyperGroup):
        for sub in command.commands.values():
            add_debug(sub)
    return command


def debugging(ctx: typer.Context) -> bool:
    """Whether --debug was given anywhere on the command line."""
    return bool(ctx.meta.get(DEBUG))
