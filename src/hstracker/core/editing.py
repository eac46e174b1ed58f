"""Editing a show by hand: new shows, installments, facts and cast, each with provenance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hstracker.core import validate
from hstracker.core.dates import PartialDate
from hstracker.core.facts import FIELDS, set_fact
from hstracker.core.installments import find_installment
from hstracker.core.model import (
    BILLINGS,
    CONFIDENCES,
    KINDS,
    SCHEMA_VERSION,
    Billing,
    CastMember,
    Confidence,
    Fact,
    Installment,
    Kind,
    Show,
    Source,
    SourceUnit,
    SourceWork,
)
from hstracker.errors import Duplicate, InvalidInput, NotFound

MAX_VOLUMES = 999
MAX_NUMBER = 999


def one_of(value: str, allowed: tuple[str, ...], what: str) -> str:
    """A value from a fixed list, case-insensitive; anything else is a clear error."""
    found = value.strip().lower()
    if found not in allowed:
        raise InvalidInput(f"{what} {value!r} is not one of: {', '.join(allowed)}.")
    return found


def hand_source(name: str, day: PartialDate, confidence: str, url: str | None = None) -> Source:
    """The provenance of a fact the fan typed: who said it, today, how sure."""
    level: Confidence = one_of(confidence, CONFIDENCES, "confidence")  # type: ignore[assignment]
    return Source(
        name=validate.required_line(name, "source"),
        reported=day,
        url=validate.url(url),
        confidence=level,
    )


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
    slug = validate.slug(draft.slug if draft.slug is not None else validate.slugify(title))
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


def add_installment(
    show: Show,
    kind: str,
    number: int,
    source: Source,
    title: str | None = None,
    state: str = "announced",
    release: str | None = None,
) -> Installment:
    """Add a season, film or special; its state and release are facts from source."""
    checked: Kind = one_of(kind, KINDS, "kind")  # type: ignore[assignment]
    if not 0 < number <= MAX_NUMBER:
        raise InvalidInput(f"number {number} must be from 1 to {MAX_NUMBER}.")
    inst = Installment(
        kind=checked,
        number=number,
        title=validate.optional_line(title, "title"),
        state=Fact(value=FIELDS["state"][0](state), source=source),
    )
    if any(other.key == inst.key for other in show.installments):
        raise Duplicate(f"{show.title} already has {inst.key}.", hint="Nothing was added.")
    if release is not None:
        set_fact(inst, "release", release, source)
    show.installments.append(inst)
    return inst


def set_field(show: Show, ref: str, field: str, raw: str, source: Source) -> tuple[str, Any, Any]:
    """Set one fact of an installment; a correction keeps the old value in its history."""
    name = field.strip().lower().replace("_", "-")
    if name not in FIELDS:
        raise InvalidInput(f"unknown field {field!r}.", hint=f"Fields: {', '.join(FIELDS)}.")
    inst = find_installment(show, ref)
    old, new = set_fact(inst, name, raw.strip(), source)
    return inst.key, old, new


def _fold(value: str) -> str:
    return validate.clean_line(value).casefold()


def add_cast(
    show: Show,
    character: str,
    actor: str,
    refs: list[str],
    source: Source,
    billing: str = "main",
    note: str | None = None,
) -> tuple[CastMember, bool]:
    """Add a cast member, or add installments to one already listed; True when new."""
    if not refs:
        raise InvalidInput("give at least one --season for the installments they appear in.")
    name = validate.required_line(character, "character")
    player = validate.required_line(actor, "actor")
    level: Billing = one_of(billing, BILLINGS, "billing")  # type: ignore[assignment]
    keys = list(dict.fromkeys(find_installment(show, ref).key for ref in refs))
    for member in show.cast:
        if _fold(member.character) == _fold(name) and _fold(member.actor) == _fold(player):
            missing = [key for key in keys if key not in member.installments]
            if not missing:
                raise Duplicate(
                    f"{name} ({player}) is already listed in {', '.join(keys)}.",
                    hint="Nothing was added.",
                )
            member.installments.extend(missing)
            return member, False
    member = CastMember(
        character=name,
        actor=player,
        installments=keys,
        billing=level,
        note=validate.optional_line(note, "note"),
        source=source,
    )
    show.cast.append(member)
    return member, True


def remove_cast(show: Show, character: str, ref: str | None = None) -> list[CastMember]:
    """Remove a character from one installment, or from the show; returns who was changed."""
    wanted = _fold(character)
    found = [m for m in show.cast if _fold(m.character) == wanted]
    if not found:
        known = ", ".join(m.character for m in show.cast) or "none"
        raise NotFound(f"{show.title} lists no character {character!r}.", hint=f"Known: {known}.")
    if ref is None:
        show.cast = [m for m in show.cast if m not in found]
        return found
    key = find_installment(show, ref).key
    changed = [m for m in found if key in m.installments]
    if not changed:
        raise NotFound(f"{found[0].character} is not listed in {key}.")
    for member in changed:
        member.installments.remove(key)
    show.cast = [m for m in show.cast if m.installments]
    return changed
