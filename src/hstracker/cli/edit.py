"""``hstracker set`` and ``hstracker add-installment``: editing facts by hand, with provenance."""

from typing import Annotated

import typer

from hstracker.cli import complete, context
from hstracker.cli.options import ConfidenceOption, ShowOption, SourceOption
from hstracker.core.facts import NAMES, field_named


def set_(
    ctx: typer.Context,
    installment: Annotated[
        str,
        typer.Argument(
            metavar="INSTALLMENT", help="s2, 2, film, ...", autocompletion=complete.installments
        ),
    ],
    field: Annotated[
        str,
        typer.Argument(
            metavar="FIELD",
            help=f"One of: {NAMES}.",
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
    from hstracker.core.installments import parse_ref, set_field
    from hstracker.render.shows import done
    from hstracker.render.time import value_text

    ref = parse_ref(installment)
    fact = field_named(field)
    parsed = parse_value(fact, value)
    app_ctx = context.get(ctx)
    provenance = context.hand_source(app_ctx, source, confidence, url)
    with app_ctx.store.edit_show(show) as data:
        key, old, new = set_field(data, ref, fact, parsed, provenance)
    name = fact.name
    was = "" if old is None or old == new else f" (was {value_text(old)}, kept in its history)"
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
            help="announced, renewed, in-production, filming, wrapped, dated or released.",
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
