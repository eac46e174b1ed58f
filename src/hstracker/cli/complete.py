"""Shell completion's suggestions, read straight from the store: fast, read-only, never loud.

Each function is a Typer ``autocompletion`` for one kind of value. Typer keeps the values that
start with what was typed, and zsh shows the help beside each. A suggestion is a convenience:
whatever goes wrong (a damaged store, an unknown show) means no suggestions, never an error,
and nothing is ever written or locked.
"""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, ParamSpec

import typer

if TYPE_CHECKING:
    from hstracker.core.model import Show
    from hstracker.store import Store

P = ParamSpec("P")
Suggestions = list[tuple[str, str]]


def _quiet(suggest: Callable[P, Suggestions]) -> Callable[P, Suggestions]:
    @wraps(suggest)
    def quiet(*args: P.args, **kwargs: P.kwargs) -> Suggestions:
        try:
            return suggest(*args, **kwargs)
        except Exception:  # noqa: BLE001 (a shell prompt must never show a traceback)
            return []

    return quiet


def _help(text: str) -> str:
    """Typer renders a suggestion's help as Rich markup for zsh: stored text is escaped, so a
    headline with brackets is shown as it is and never breaks the completion."""
    from rich.markup import escape

    return escape(text)


def _store(ctx: typer.Context) -> "Store":
    from pathlib import Path

    from hstracker.paths import data_home
    from hstracker.store import Store

    # while completing, Typer has not converted the values typed yet: --data-dir is a string
    data_dir = ctx.find_root().params.get("data_dir")
    return Store(data_home(Path(data_dir) if data_dir else None))


def _show(ctx: typer.Context) -> "Show":
    """The show this command line is about: its --show when typed before, else the default."""
    from hstracker.store import NONE

    store = _store(ctx)
    return store.peek(store.resolve(ctx.params.get("show")), NONE)  # no suggestion is news


@_quiet
def shows(ctx: typer.Context) -> Suggestions:
    """Every tracked show's slug, with its title."""
    from hstracker.store import NONE

    store = _store(ctx)
    found = []
    for slug in store.slugs():
        try:
            found.append((slug, _help(store.peek(slug, NONE).title)))
        except Exception:  # noqa: BLE001 (one damaged file costs only its own title)
            found.append((slug, ""))
    return found


@_quiet
def installments(ctx: typer.Context) -> Suggestions:
    """The show's installment references (s1 … film), with their names."""
    from hstracker.core.installments import ordered

    return [(inst.key, _help(inst.label)) for inst in ordered(_show(ctx))]


def confidences() -> Suggestions:
    """How sure a source is."""
    from hstracker.core.model import CONFIDENCES

    return [(name, "") for name in CONFIDENCES]


@_quiet
def feeds(ctx: typer.Context) -> Suggestions:
    """The URLs of the feeds the show follows, with their titles."""
    return [(feed.url, _help(feed.title or "")) for feed in _show(ctx).feeds]


@_quiet
def news_ids(ctx: typer.Context) -> Suggestions:
    """The show's news ids, newest first, each with its date and headline; a headline the
    spoiler guard hides is not shown beside its id (zsh prints the help)."""
    from hstracker.core.spoilers import guard_for
    from hstracker.render.time import date_text

    store = _store(ctx)
    show = store.peek(store.resolve(ctx.params.get("show")))
    guard = guard_for(show, store.personal().progress.get(show.slug))
    return [
        (
            item.id,
            _help(
                f"{date_text(item.date)}  "
                + ("(hidden by the spoiler guard)" if guard.hides_news(item) else item.headline)
            ),
        )
        for item in reversed(show.news)  # the store keeps them oldest first
    ]
