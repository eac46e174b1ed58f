"""Commands built only when they run: a fan pays at start-up for the one command asked for."""

from difflib import get_close_matches
from importlib import import_module
from typing import Any, ClassVar

import typer
from typer.core import TyperCommand, TyperGroup

from hstracker.cli.options import add_debug

_LISTING = "hstracker.lazy.listing"  # set in ctx.meta while a group's --help lists commands


def _load_command(name: str, spec: str) -> Any:
    module, _, attribute = spec.partition(":")
    target = getattr(import_module(module), attribute)
    if isinstance(target, typer.Typer):
        sub = typer.main.get_command(target)
    else:
        single = typer.Typer(rich_markup_mode="rich", add_completion=False)
        single.command(name)(target)
        sub = typer.main.get_command(single)
    sub.name = name
    return add_debug(sub)


class LazyGroup(TyperGroup):
    """A group whose commands in ``lazy`` ("module:attribute") are built only when used.

    Its --help lists a command with a summary in ``summaries`` without building it: a listing
    shows only the name and that line, and building every command would import every command
    module, and the store and msgspec with them.
    """

    lazy: ClassVar[dict[str, str]] = {}
    summaries: ClassVar[dict[str, str]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_debug(self)

    def list_commands(self, ctx: Any) -> list[str]:
        eager = [name for name in super().list_commands(ctx) if name not in self.lazy]
        return [*self.lazy, *eager]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            if ctx.meta.get(_LISTING) and cmd_name in self.summaries:
                return TyperCommand(cmd_name, help=self.summaries[cmd_name])
            self.commands[cmd_name] = _load_command(cmd_name, self.lazy[cmd_name])
        return super().get_command(ctx, cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        ctx.meta[_LISTING] = True
        try:
            super().format_help(ctx, formatter)
        finally:
            del ctx.meta[_LISTING]

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """As Typer's, whose "Did you mean" reads ``self.commands``: commands not built yet
        are missing there, so an unknown name is matched against every name here instead."""
        try:
            return super().resolve_command(ctx, args)
        except typer.TyperException as exc:
            message = getattr(exc, "message", None)
            if not args or not isinstance(message, str) or "Did you mean" in message:
                raise
            matches = get_close_matches(args[0], self.list_commands(ctx))
            if matches:
                suggestions = ", ".join(repr(match) for match in matches)
                exc.message = f"{message.rstrip('.')}. Did you mean {suggestions}?"
            raise
