"""Tracked shows: starting one, the list with what comes next, and removing or restoring one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hstracker.core import validate
from hstracker.core.installments import effective_state, next_installment
from hstracker.core.model import (
    SCHEMA_VERSION,
    Fact,
    Installment,
    Personal,
    Show,
    Source,
    SourceUnit,
    SourceWork,
    State,
)
from hstracker.core.slugs import slugify
from hstracker.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class ShowSummary:
    """One row of `shows list`."""

    show: Show
    next: Installment | None
    state: State | None  # the next installment's state as of now
    default: bool
    shipped: bool


def _summary(show: Show, default: str, shipped: set[str], now: datetime) -> ShowSummary:
    nxt = next_installment(show, now)
    state = effective_state(show, nxt, now) if nxt else None
    return ShowSummary(show, nxt, state, show.slug == default, show.slug in shipped)


def summarize(
    shows: list[Show], default: str, shipped: set[str], now: datetime
) -> list[ShowSummary]:
    """Every show with what comes next, in slug order."""
    return [_summary(show, default, shipped, now) for show in sorted(shows, key=lambda s: s.slug)]


MAX_VOLUMES = 999


@dataclass
class ShowDraft:
    """What the fan typed for a new show, before validation."""

    title: str
    slug: str | None = None
    platform: str | None = None
    source_title: str | None = None
    source_author: str | None = None
    volumes: int | None = None


def new_show(draft: ShowDraft, source: Source) -> Show:
    """A show with no installments yet; the volume count is a fact with its source."""
    title = validate.required_line(draft.title, "title")
    slug = validate.slug(draft.slug if draft.slug is not None else slugify(title)[0])
    if draft.volumes is not None and not 0 < draft.volumes <= MAX_VOLUMES:
        raise InvalidInput(f"--volumes {draft.volumes} must be from 1 to {MAX_VOLUMES}.")
    work = SourceWork(
        title=validate.optional_line(draft.source_title, "source title") or title,
        author=validate.optional_line(draft.source_author, "source author") or "unknown",
    )
    if draft.volumes is not None:
        work.units = [SourceUnit(number=n) for n in range(1, draft.volumes + 1)]
        work.total = Fact(value=draft.volumes, source=source)
    return Show(
        schema_version=SCHEMA_VERSION,
        slug=slug,
        title=title,
        platform=validate.optional_line(draft.platform, "platform") or "unknown",
        source_work=work,
    )


def forget(personal: Personal, slug: str, *, shipped: bool) -> None:
    """What removing a show changes in the fan's state: a shipped show stays removed."""
    if shipped and slug not in personal.removed_shows:
        personal.removed_shows.append(slug)
    if personal.default_show == slug:
        personal.default_show = None


def restore(personal: Personal, slug: str) -> bool:
    """Adding or importing a removed show brings it back; True when it had been removed."""
    if slug in personal.removed_shows:
        personal.removed_shows.remove(slug)
        return True
    return False
