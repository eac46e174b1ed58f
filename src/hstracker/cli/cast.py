"""``hstracker cast``: who plays whom, who is new or returning, and editing the list by hand."""

from typing import Annotated, ClassVar

import typer

from hstracker.cli import context
from hstracker.cli.lazy import LazyGroup
from hstracker.cli.options import (
    ConfidenceOption,
    JsonOption,
    SeasonOption,
    SeasonsOption,
    ShowOption,
    SourceOption,
    season_option,
)
from hstracker.core.cast import (
    Arrival,
    cast_of,
    default_installment,
    ensemble,
    fuller_earlier,
)
from hstracker.core.installments import find_installment
from hstracker.core.model import CastMember, Installment
from hstracker.errors import InvalidInput
from hstracker.store.layout import NONE


class CastGroup(LazyGroup):
    """`cast` lists; its editing subcommands are built only when one is run."""

    lazy: ClassVar[dict[str, str]] = {
        "add": "hstracker.cli.cast:add",
        "remove": "hstracker.cli.cast:remove",
    }


app = typer.Typer(
    name="cast",
    cls=CastGroup,
    invoke_without_command=True,
    no_args_is_help=False,
    add_completion=False,
)
_GROUP_SHOW = "hstracker.cast.show"


@app.callback()
def cast(
    ctx: typer.Context,
    show: ShowOption = None,
    season: SeasonOption = None,
    all_: Annotated[
        bool,
        typer.Option("--all", help="The whole ensemble: everyone, with every installment."),
    ] = False,
    new: Annotated[bool, typer.Option("--new", help="Only cast new in that installment.")] = False,
    returning: Annotated[
        bool, typer.Option("--returning", help="Only cast who were in an earlier one.")
    ] = False,
    json: JsonOption = False,
) -> None:
    """The cast of the next installment (or the latest with a list), or with --all everyone."""
    if ctx.invoked_subcommand is not None:
        ctx.meta[_GROUP_SHOW] = show  # so `cast --show x add ...` means what it says
        return
    if new and returning:
        raise InvalidInput("--new and --returning exclude each other; give one.")
    if all_ and (season is not None or new or returning):
        raise InvalidInput(
            "--all lists every installment; give it without --season, --new or --returning."
        )
    app_ctx = context.get(ctx)
    store = app_ctx.store
    data = store.read_show(store.resolve(show), NONE)[0]  # shows no news: reads none
    inst: Installment | None = None
    rows: list[tuple[CastMember, Arrival | None]] = []
    if all_:
        rows = [(m, None) for m in ensemble(data)]
    else:
        inst = (
            find_installment(data, season) if season else default_installment(data, app_ctx.now())
        )
        only: Arrival | None = "new" if new else "returning" if returning else None
        rows = list(cast_of(data, inst, only)) if inst is not None else []
    if json:
        from hstracker.render.json import cast_document

        context.print_json(ctx, cast_document(data, inst, rows))
        return
    if not data.cast:  # an empty answer, not an error: as `seasons` and `news` say theirs
        from hstracker.render import no_cast_view

        app_ctx.out.print(no_cast_view(data))
        return
    from hstracker.render.tables import cast_view

    fuller = fuller_earlier(data, inst) if inst is not None else None  # only the table says it
    app_ctx.out.print(cast_view(data, inst, rows, fuller))


Character = Annotated[str, typer.Argument(metavar="CHARACTER", help="The character's name.")]


def add(
    ctx: typer.Context,
    character: Character,
    actor: Annotated[str, typer.Argument(metavar="ACTOR", help="Who plays them.")],
    season: SeasonsOption,
    billing: Annotated[str, typer.Option("--billing", help="main, recurring or guest.")] = "main",
    note: Annotated[
        str | None, typer.Option("--note", help="A short note, e.g. Nick's mother.")
    ] = None,
    source: SourceOption = "added by hand",
    confidence: ConfidenceOption = "reported",
    show: ShowOption = None,
) -> None:
    """Add someone to the cast, or add installments to someone already listed."""
    from hstracker.core.cast import add_cast
    from hstracker.render.shows import done

    app_ctx = context.get(ctx)
    provenance = context.hand_source(app_ctx, source, confidence)
    with app_ctx.store.edit_show(show or ctx.meta.get(_GROUP_SHOW)) as data:
        member, created = add_cast(data, character, actor, season, provenance, billing, note)
    verb = "Added" if created else "Updated"
    app_ctx.out.print(
        done(f"{verb} {member.character} ({member.actor}) in {', '.join(member.installments)}.")
    )


def remove(
    ctx: typer.Context,
    character: Character,
    season: Annotated[str | None, season_option("Only from this installment.")] = None,
    show: ShowOption = None,
) -> None:
    """Remove a character from one installment, or from the show altogether."""
    from hstracker.core.cast import remove_cast
    from hstracker.render.shows import done

    app_ctx = context.get(ctx)
    with app_ctx.store.edit_show(show or ctx.meta.get(_GROUP_SHOW)) as data:
        changed = remove_cast(data, character, season)
    where = f" from {season}" if season else ""
    names = ", ".join(f"{m.character} ({m.actor})" for m in changed)
    app_ctx.out.print(done(f"Removed {names}{where}."))
