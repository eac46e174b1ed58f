"""Changing a fact while keeping its history, and dating what is known."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hstracker.core import validate
from hstracker.core.dates import PartialDate
from hstracker.core.model import STATES, Fact, Installment, Source
from hstracker.errors import InvalidInput

# field name -> (parse the raw value, read the fact, write the fact)
_Field = tuple[
    Callable[[str], Any],
    Callable[[Installment], Fact[Any] | None],
    Callable[[Installment, Fact[Any]], None],
]


def _state(raw: str) -> str:
    value = raw.strip().lower()
    if value not in STATES:
        raise InvalidInput(f"state {raw!r} is not one of: {', '.join(STATES)}.")
    return value


def _episodes(raw: str) -> int:
    if not raw.strip().isdigit() or not 0 < int(raw) <= 500:
        raise InvalidInput(f"episodes {raw!r} must be a whole number from 1 to 500.")
    return int(raw)


def _trailer(raw: str) -> str:
    found = validate.url(raw, "trailer URL")
    assert found is not None
    return found


def _volumes(raw: str) -> list[int]:
    parts = [p.strip() for p in raw.replace("-", ",").split(",") if p.strip()]
    if not parts or not all(p.isdigit() and 0 < int(p) < 1000 for p in parts):
        raise InvalidInput(f"volumes {raw!r} must be numbers such as 4,5.")
    numbers = [int(p) for p in parts]
    if "-" in raw and len(numbers) == 2:
        numbers = list(range(numbers[0], numbers[1] + 1))
    return sorted(set(numbers))


def _setter(name: str) -> Callable[[Installment, Fact[Any]], None]:
    def put(inst: Installment, fact: Fact[Any]) -> None:
        setattr(inst, name, fact)

    return put


def _filming_setter(name: str) -> Callable[[Installment, Fact[Any]], None]:
    def put(inst: Installment, fact: Fact[Any]) -> None:
        setattr(inst.filming, name, fact)

    return put


FIELDS: dict[str, _Field] = {
    "release": (PartialDate.parse, lambda i: i.release, _setter("release")),
    "state": (_state, lambda i: i.state, _setter("state")),
    "episodes": (_episodes, lambda i: i.episodes, _setter("episodes")),
    "trailer": (_trailer, lambda i: i.trailer, _setter("trailer")),
    "adapts": (_volumes, lambda i: i.adapts, _setter("adapts")),
    "filming-start": (PartialDate.parse, lambda i: i.filming.start, _filming_setter("start")),
    "filming-wrap": (PartialDate.parse, lambda i: i.filming.wrap, _filming_setter("wrap")),
    "filming-place": (
        lambda raw: validate.required_line(raw, "filming place"),
        lambda i: i.filming.place,
        _filming_setter("place"),
    ),
}


def parse_assignment(raw: str) -> tuple[str, str]:
    """Split 'release=2023-08-03' into a known field and its raw value."""
    field, sep, value = raw.partition("=")
    field = field.strip().lower().replace("_", "-")
    if not sep or not value.strip():
        raise InvalidInput(f"{raw!r} is not FIELD=VALUE.", hint="For example release=2023-08-03.")
    if field not in FIELDS:
        raise InvalidInput(f"unknown field {field!r}.", hint=f"Fields: {', '.join(FIELDS)}.")
    value = validate.required_line(value, f"{field} value")  # kept in the news item as typed
    FIELDS[field][0](value)  # validate now, before anything is stored
    return field, value


def set_fact(inst: Installment, field: str, raw: str, source: Source) -> tuple[Any, Any]:
    """Set a field to a new value; an existing value moves into its history.

    Returns (old value or None, new value).
    """
    parse, get, put = FIELDS[field]
    value = parse(raw)
    current = get(inst)
    if current is None:
        put(inst, Fact(value=value, source=source))
        return None, value
    if current.value == value and current.source == source:
        return current.value, value
    put(inst, current.corrected(value, source))
    return current.value, value
