"""The one table of an installment's facts: how each is named, parsed, read, written and merged.

Every place that lists facts reads this table: `set`, `add-news --set`, the sync and import
merges, the JSON views, "new since you last looked", the calendar and the help texts. A new
fact is one new entry here (and a field on ``Installment``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from hstracker.core import validate
from hstracker.core.dates import PartialDate
from hstracker.core.model import STATES, Fact, Installment, Show, Source
from hstracker.errors import InvalidInput

MAX_EPISODES = 500
MAX_VOLUME = 999


def _state(raw: str) -> str:
    value = raw.strip().lower()
    if value not in STATES:
        raise InvalidInput(f"state {raw!r} is not one of: {', '.join(STATES)}.")
    return value


def _episodes(raw: str) -> int:
    digits = raw.strip()
    # ASCII only: int() would read other scripts' digits, so '٣' would quietly become 3
    if not (digits.isascii() and digits.isdigit()) or not 0 < int(digits) <= MAX_EPISODES:
        raise InvalidInput(f"episodes {raw!r} must be a whole number from 1 to {MAX_EPISODES}.")
    return int(digits)


def _trailer(raw: str) -> str:
    found = validate.url(raw, "trailer URL")
    assert found is not None
    return found


def _volumes(raw: str) -> list[int]:
    """'4,5', '4-6' or '4-6,8': each part a volume or a rising range of them."""
    numbers: list[int] = []
    parts = [p.strip() for p in raw.split(",")]
    for part in parts:
        low, dash, high = (p.strip() for p in part.partition("-"))
        ends = [low, high] if dash else [low]
        if not all(e.isascii() and e.isdigit() and 0 < int(e) <= MAX_VOLUME for e in ends):
            raise InvalidInput(f"volumes {raw!r} must be numbers such as 4,5 or 4-6.")
        first, last = int(ends[0]), int(ends[-1])
        if first > last:
            raise InvalidInput(f"volumes {raw!r}: the range {part} runs backwards.")
        numbers.extend(range(first, last + 1))
    return sorted(set(numbers))


def _titles(raw: str) -> list[str]:
    titles = [validate.required_line(t, "work title") for t in raw.split(";") if t.strip()]
    if not titles:
        raise InvalidInput(f"works {raw!r} must be titles separated by ';'.")
    return list(dict.fromkeys(titles))


def _line(what: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        return validate.required_line(raw, what)

    return parse


class FactField(NamedTuple):
    """One row of the table: a fact an installment can hold.

    A NamedTuple, not a frozen dataclass: every read imports this table, and building the
    dataclass (generated code, a slotted class made twice) cost ~0.7 ms of start-up.
    """

    name: str  # as typed: `set s2 filming-start 2022-09-22`
    attr: str  # the Installment attribute, or "filming.start"
    example: str  # a value for the help texts
    parse: Callable[[str], Any]
    calendar: str | None = None  # a dated fact's event summary, from {label} and {platform}

    @property
    def label(self) -> str:
        """How the fact is named to a fan: 'filming start'."""
        return self.name.replace("-", " ")

    def get(self, inst: Installment) -> Fact[Any] | None:
        owner, _, attr = self.attr.rpartition(".")
        return getattr(inst.filming if owner else inst, attr)  # type: ignore[no-any-return]

    def put(self, inst: Installment, fact: Fact[Any] | None) -> None:
        owner, _, attr = self.attr.rpartition(".")
        setattr(inst.filming if owner else inst, attr, fact)


TABLE: tuple[FactField, ...] = (
    FactField("state", "state", "filming", _state),
    FactField(
        "release", "release", "2026-12-18", PartialDate.parse, "{label} released on {platform}"
    ),
    FactField("episodes", "episodes", "8", _episodes),
    FactField("trailer", "trailer", "https://…", _trailer),
    FactField("adapts", "adapts", "4,5", _volumes),
    FactField("draws-on", "draws_on", "Nick and Charlie", _titles),
    FactField("channel", "channel", "Netflix", _line("channel")),
    FactField(
        "filming-start", "filming.start", "2025-06-09", PartialDate.parse, "{label}: filming starts"
    ),
    FactField(
        "filming-wrap", "filming.wrap", "2025-07-27", PartialDate.parse, "{label}: filming wraps"
    ),
    FactField("filming-place", "filming.place", "London", _line("filming place")),
)
FIELDS: dict[str, FactField] = {field.name: field for field in TABLE}
NAMES = ", ".join(FIELDS)


def field_named(raw: str) -> FactField:
    """The field a fan typed ('filming_start', 'Release'), or a one-line error listing them."""
    name = raw.strip().lower().replace("_", "-")
    if name not in FIELDS:
        raise InvalidInput(f"unknown field {raw.strip()!r}.", hint=f"Fields: {NAMES}.")
    return FIELDS[name]


class Assignment(NamedTuple):
    """A fact change as typed, parsed once: the field, its value, and the text as typed
    (which a news item keeps)."""

    field: FactField
    value: Any
    text: str


def parse_value(field: FactField, raw: str) -> Any:
    """The typed value of a fact from what the fan typed."""
    return field.parse(validate.required_line(raw, f"{field.name} value"))


def parse_assignment(raw: str) -> Assignment:
    """Parse 'release=2023-08-03' into a known field and its typed value."""
    name, sep, value = raw.partition("=")
    if not sep or not value.strip():
        raise InvalidInput(f"{raw!r} is not FIELD=VALUE.", hint="For example release=2023-08-03.")
    field = field_named(name)
    text = validate.required_line(value, f"{field.name} value")  # kept in the news item as typed
    return Assignment(field, field.parse(text), text)


def parse_assignments(raws: list[str]) -> list[Assignment]:
    """Every --set FIELD=VALUE parsed, at most one per field."""
    if len(raws) > len(FIELDS):
        raise InvalidInput(f"{len(raws)} fact changes given; the limit is {len(FIELDS)}.")
    return [parse_assignment(raw) for raw in raws]


def set_fact(inst: Installment, field: FactField, value: Any, source: Source) -> tuple[Any, Any]:
    """Set a field to a new (parsed) value; an existing value moves into its history.

    Returns (old value or None, new value).
    """
    current = field.get(inst)
    if current is None:
        field.put(inst, Fact(value=value, source=source))
        return None, value
    if current.value == value and current.source == source:
        return current.value, value
    field.put(inst, current.corrected(value, source))
    return current.value, value


def check_fits(show: Show, name: str, value: Any) -> None:
    """Refuse a value the show's own facts rule out: adapting a volume past the work's last."""
    total = show.source_work.total
    if name == "adapts" and total is not None and max(value, default=0) > total.value:
        work = show.source_work
        raise InvalidInput(
            f"{work.title} has {total.value} {work.unit_name}s; "
            f"{work.unit_name} {max(value)} cannot be adapted.",
            hint=f"Give {work.unit_name}s from 1 to {total.value}, or change the total first.",
        )


def installment_facts(inst: Installment) -> Iterator[tuple[FactField, Fact[Any]]]:
    """Every fact this installment holds, in table order."""
    for field in TABLE:
        fact = field.get(inst)
        if fact is not None:
            yield field, fact


def named_facts(show: Show) -> Iterator[tuple[str, Fact[Any]]]:
    """Every fact of a show with a human name: 'Season 2 release', 'volume 6 published'."""
    for inst in show.installments:
        for field, fact in installment_facts(inst):
            yield f"{inst.label} {field.label}", fact
    work = show.source_work
    if work.total is not None:
        yield f"{work.unit_name}s in total", work.total
    for unit in work.units:
        if unit.published is not None:
            yield f"{work.unit_name} {unit.number} published", unit.published
        for market, fact in unit.markets.items():
            yield f"{work.unit_name} {unit.number} published ({market})", fact


def all_sources(show: Show) -> Iterator[Source]:
    """Every source a show cites: its facts (with their history), cast and plot notes."""
    for _, fact in named_facts(show):
        yield from fact.sources()
    for member in show.cast:
        if member.source is not None:
            yield member.source
    for inst in show.installments:
        for note in inst.plot:
            yield note.source


def facts_as_of(show: Show) -> PartialDate | None:
    """The newest date any fact, cast member or news item was reported: how fresh the store is."""
    dates = [s.reported for s in all_sources(show) if s.reported is not None]
    dates.extend(item.date for item in show.news)
    return max(dates, key=PartialDate.sort_key, default=None)
