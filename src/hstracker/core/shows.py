"""Tracked shows: starting one, the list with what comes next, and removing or restoring one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hstracker.core import validate
from hstracker.core.installments import effective_state, next_installment
from hstracker.core.model import (
    PLACEHOLDER,
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
        author=validate.optional_line(draft.source_author, "source author") or PLACEHOLDER,
    )
    if draft.volumes is not None:
        work.units = [SourceUnit(number=n) for n in range(1, draft.volumes + 1)]
        work.total = Fact(value=draft.volumes, source=source)
    return Show(
        schema_version=SCHEMA_VERSION,
        slug=slug,
        title=title,
        platform=validate.optional_line(draft.platform, "platform") or PLACEHOLDER,
        source_work=work,
    )


def forget(personal: Personal, slug: str, *, shipped: bool) -> None:
    """What removing a show changes in the fan's state: a shipped show stays removed, and its
    marks are put aside, for `shows restore` to bring back and for no new show to inherit."""
    if shipped and slug not in personal.removed_shows:
        personal.removed_shows.append(slug)
    if personal.default_show == slug:
        personal.default_show = None
    if (marks := personal.progress.pop(slug, None)) is not None:
        personal.removed_progress[slug] = marks


def restore(personal: Personal, slug: str) -> bool:
    """Adding or importing a removed show brings it back; True when it had been removed."""
    if slug in personal.removed_shows:
        personal.removed_shows.remove(slug)
        return True
    return False


def start_clean(personal: Personal, slug: str) -> None:
    """A new show under a slug starts with no marks, whatever a removed show there had."""
    personal.progress.pop(slug, None)
    personal.removed_progress.pop(slug, None)


def bring_back(personal: Personal, slug: str) -> None:
    """`shows restore`: the show is tracked again, with the marks it had when removed."""
    restore(personal, slug)
    if (marks := personal.removed_progress.pop(slug, None)) is not None:
        personal.progress[slug] = marks


@dataclass
class ShowEdit:
    """What the fan wants changed about a show; None leaves a field as it is."""

    title: str | None = None
    platform: str | None = None
    source_title: str | None = None
    author: str | None = None
    volumes: int | None = None


def edit_show(show: Show, edit: ShowEdit, source: Source) -> list[str]:
    """Apply an edit; returns what changed, in words. The volume count keeps its history."""
    if all(value is None for value in vars(edit).values()):
        raise InvalidInput(
            "nothing to change was given.",
            hint="Give one or more of --title, --platform, --source-title, --author or --volumes.",
        )
    work = show.source_work
    said: list[str] = []
    if edit.volumes is not None:
        said.extend(_set_volumes(show, edit.volumes, source))
    for what, value, attr, owner in (
        ("title", edit.title, "title", show),
        ("platform", edit.platform, "platform", show),
        ("source title", edit.source_title, "title", work),
        ("author", edit.author, "author", work),
    ):
        if value is not None:
            setattr(owner, attr, validate.required_line(value, what))
            said.append(f"{what} {getattr(owner, attr)}")
    return said


def _set_volumes(show: Show, count: int, source: Source) -> list[str]:
    work = show.source_work
    unit = work.unit_name
    if not 0 < count <= MAX_VOLUMES:
        raise InvalidInput(f"--volumes {count} must be from 1 to {MAX_VOLUMES}.")
    for other in work.units:
        if other.number > count and (other.published or other.markets or other.chapters):
            raise InvalidInput(
                f"{unit} {other.number} of {work.title} is recorded as published; "
                f"the total cannot be {count}.",
                hint=f"Give at least {other.number}.",
            )
    for inst in show.installments:
        last = max(inst.adapts.value, default=0) if inst.adapts is not None else 0
        if last > count:
            raise InvalidInput(
                f"{inst.label} adapts {unit} {last}; the total cannot be {count}.",
                hint=f"Give at least {last}, or change what it adapts first.",
            )
    have = {other.number for other in work.units}
    work.units = [other for other in work.units if other.number <= count]
    work.units.extend(SourceUnit(number=n) for n in range(1, count + 1) if n not in have)
    work.units.sort(key=lambda other: other.number)
    if work.total is None:
        work.total = Fact(value=count, source=source)
    elif work.total.value != count:
        work.total = work.total.corrected(count, source)
    return [f"{count} {unit}s"]
