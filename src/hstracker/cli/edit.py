"""``hstracker set`` and ``hstracker add-installment``: editing facts by hand, with provenance."""

from typing import Annotated

import typer

from hstracker.cli import complete, context
from hstracker.cli.options import (
    ConfidenceOption,
    RefArgument,
    ShowOption,
    SourceOption,
    installment_ref,
)
from hstracker.core.facts import NAMES, field_named


def set_(
    ctx: typer.Context,
    installment: Annotated[
        str,
        typer.Argument(
            metavar="INSTALLMENT",
            help="s2, 2, film, ...",
            autocompletion=complete.installments,
            parser=installment_ref,
        ),
    ],
    field: Annotated[
        str,
        typer.Argument(
            metavar="FIELD",
            help=f"One of: {NAMES}, or title (a name, kept without provenance).",
        ),
    ],
    value: Annotated[str, typer.Argument(metavar="VALUE", help="e.g. 2026-12-18.")],
    source: SourceOption,
    confidence: ConfidenceOption = "reported",
    url: Annotated[str | None, typer.Option("--url", help="Where it was reported.")] = None,
    show: ShowOption = None,
) -> None:
    """Set a fact, e.g. `set film release 2026-12-18 --source Netflix`; old values are kept."""
    from hstracker.core.facts import parse_value
    from hstracker.core.installments import TITLE, set_field, set_title
    from hstracker.render.shows import done
    from hstracker.render.time import value_text

    retitle = field.strip().lower() == TITLE
    fact = None if retitle else field_named(field)
    parsed = None if fact is None else parse_value(fact, value)
    app_ctx = context.get(ctx)
    provenance = context.hand_source(app_ctx, source, confidence, url)
    with app_ctx.store.edit_show(show) as data:
        if fact is None:
            key, old, new = set_title(data, installment, value)
        else:
            key, old, new = set_field(data, installment, fact, parsed, provenance)
    name = TITLE if fact is None else fact.name
    kept = "" if fact is None else ", kept in its history"  # a title has no history
    was = "" if old is None or old == new else f" (was {value_text(old)}{kept})"
    app_ctx.out.print(done(f"Set {key} {name} to {value_text(new)}{was}."))


def add_installment(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(metavar="KIND", help="season, film or special.")],
    number: Annotated[int, typer.Argument(metavar="NUMBER", help="1 for Season 1.")],
    title: Annotated[str | None, typer.Option("--title", help="e.g. Heartstopper Forever.")] = None,
    state: Annotated[
        str,
        typer.Option(
            "--state",
            help=(
                "announced, renewed, in-production, filming, wrapped, dated, released, ended"
                " or cancelled."
            ),
        ),
    ] = "announced",
    release: Annotated[
        str | None,
        typer.Option("--release", metavar="DATE", help="2026, 2026-12 or 2026-12-18."),
    ] = None,
    source: SourceOption = "added by hand",
    confidence: ConfidenceOption = "reported",
    show: ShowOption = None,
) -> None:
    """Add a season, film or special; its state and release carry --source as provenance."""
    from hstracker.core.dates import PartialDate
    from hstracker.core.facts import FIELDS, parse_value
    from hstracker.core.installments import add_installment as add
    from hstracker.core.installments import parse_kind
    from hstracker.render.shows import done

    checked = parse_kind(kind)
    begins = parse_value(FIELDS["state"], state)
    released = PartialDate.parse(release) if release is not None else None
    app_ctx = context.get(ctx)
    provenance = context.hand_source(app_ctx, source, confidence)
    with app_ctx.store.edit_show(show) as data:
        inst = add(data, checked, number, provenance, title, begins, released)
    app_ctx.out.print(done(f"Added {inst.label} to {data.title} as {inst.key}."))


def remove_installment(
    ctx: typer.Context,
    installment: RefArgument,
    show: ShowOption = None,
) -> None:
    """Remove a season, film or special added by mistake; its cast links and your marks go."""
    from hstracker.core.installments import remove_installment as remove
    from hstracker.core.marks import progress_of
    from hstracker.render.shows import done

    app_ctx = context.get(ctx)
    store = app_ctx.store
    with store.transaction() as tx:
        personal = tx.personal()
        data = tx.show(store.resolve(show, personal))
        inst = remove(data, installment)
        if data.slug in personal.progress:
            mine = progress_of(personal, data.slug)
            mine.watched = [key for key in mine.watched if key != inst.key]
            tx.put_personal(personal)
        tx.put_show(data)
    app_ctx.out.print(done(f"Removed {inst.label} ({inst.key}) from {data.title}."))
