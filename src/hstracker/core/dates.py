"""Partial dates: a release known to the year, the month, the day or the exact instant."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum
from functools import lru_cache
from typing import Final

from hstracker.errors import InvalidInput

MIN_YEAR = 1900
MAX_YEAR = 2100

# RFC 9557 lets an offset datetime carry its IANA zone in brackets: ...-07:00[America/Los_Angeles]
# Left for re to compile (and cache) on first use: most runs meet no exact instants.
_INSTANT = r"^(?P<stamp>\d{4}-\d{2}-\d{2}[T ][^\[\]]+?)(?:\[(?P<zone>[A-Za-z0-9_+\-/]+)\])?$"
_PARTIAL = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?$")


class Precision(StrEnum):
    """How much of a date is known."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"
    INSTANT = "instant"


@lru_cache(maxsize=64)
def zone(name: str) -> tzinfo:
    """Return the IANA zone called name, or raise InvalidInput."""
    # imported here: zoneinfo reads sysconfig to find the zone database (~2 ms), and a read
    # whose shows are all out, or dated to the day, never needs a zone
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"unknown time zone {name!r}.", hint="Use an IANA name.") from None


def _check_year(year: int, text: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput(f"date {text!r} is out of range: years run {MIN_YEAR} to {MAX_YEAR}.")


class PartialDate:
    """A date at its real precision; ``instant`` is set only for exact, zoned releases.

    A plain class, not a dataclass: msgspec would otherwise store it as an object instead
    of asking the codec for its ISO form.
    """

    __slots__ = ("day", "instant", "month", "year", "zone_name")

    def __init__(
        self,
        year: int,
        month: int | None = None,
        day: int | None = None,
        instant: datetime | None = None,
        zone_name: str | None = None,
    ) -> None:
        # Final: the store's decoder shares one value between every item with the same date
        self.year: Final = year
        self.month: Final = month
        self.day: Final = day
        self.instant: Final = instant
        self.zone_name: Final = zone_name

    def _key(self) -> tuple[object, ...]:
        return (self.year, self.month, self.day, self.instant, self.zone_name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PartialDate) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"PartialDate({self.isoformat()!r})"

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``2023``, ``2023-08``, ``2023-08-03`` or an ISO datetime with offset or zone."""
        raw = text.strip()
        if len(raw) == 10 and raw[4] == raw[7] == "-":
            # the common full date, in C: a show file holds thousands of them
            try:
                full = date.fromisoformat(raw)
            except ValueError:
                pass  # the general path below says what is wrong with it
            else:
                _check_year(full.year, raw)
                return cls(full.year, full.month, full.day)
        if m := _PARTIAL.match(raw):
            year = int(m["y"])
            month = int(m["m"]) if m["m"] else None
            day = int(m["d"]) if m["d"] else None
            _check_year(year, raw)
            try:
                if month is not None:
                    date(year, month, day or 1)
                    return cls(year, month, day)
            except ValueError as exc:
                raise InvalidInput(f"{raw!r} is not a real date: {exc}.") from None
            return cls(year)
        if m := re.match(_INSTANT, raw):
            try:
                stamp = datetime.fromisoformat(m["stamp"])
            except ValueError as exc:
                raise InvalidInput(f"{raw!r} is not a real date and time: {exc}.") from None
            name = m["zone"]
            if stamp.tzinfo is None:
                if name is None:
                    raise InvalidInput(
                        f"{raw!r} has no time zone.",
                        hint="Add an offset (-07:00) or a zone ([America/Los_Angeles]).",
                    )
                stamp = stamp.replace(tzinfo=zone(name))
            elif name is not None:
                zone(name)
            _check_year(stamp.year, raw)
            return cls.at(stamp, name)
        raise InvalidInput(
            f"{raw!r} is not a date.",
            hint="Use YYYY, YYYY-MM, YYYY-MM-DD or an ISO datetime with an offset.",
        )

    @classmethod
    def at(cls, instant: datetime, zone_name: str | None = None) -> PartialDate:
        """An exact release instant (aware), optionally with the IANA zone it was given in."""
        local = instant.astimezone(zone(zone_name)) if zone_name else instant
        return cls(local.year, local.month, local.day, local, zone_name)

    @classmethod
    def of(cls, day: date) -> PartialDate:
        """A whole day."""
        return cls(day.year, day.month, day.day)

    @property
    def precision(self) -> Precision:
        if self.instant is not None:
            return Precision.INSTANT
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    def isoformat(self) -> str:
        """The stored form; ``parse(isoformat())`` gives back an equal value."""
        if self.instant is not None:
            text = self.instant.isoformat()
            return f"{text}[{self.zone_name}]" if self.zone_name else text
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    __str__ = isoformat

    def as_date(self) -> date | None:
        """The calendar day, when it is known."""
        if self.day is None or self.month is None:
            return None
        return date(self.year, self.month, self.day)

    def window(self, tz: tzinfo) -> tuple[datetime, datetime]:
        """The [start, end) span this date covers, in tz for anything coarser than an instant."""
        if self.instant is not None:
            return self.instant, self.instant
        first = date(self.year, self.month or 1, self.day or 1)
        if self.day is not None:
            last = first + timedelta(days=1)
        elif self.month is not None:
            last = date(self.year + (self.month == 12), self.month % 12 + 1, 1)
        else:
            last = date(self.year + 1, 1, 1)
        return _midnight(first, tz), _midnight(last, tz)

    def sort_key(self) -> tuple[int, int, int, datetime]:
        """Order by what is known: a year sorts before its months, a day before its instants."""
        moment = self.instant.astimezone(UTC) if self.instant else _NO_MOMENT
        return (self.year, self.month or 0, self.day or 0, moment)


_NO_MOMENT = datetime.min.replace(tzinfo=UTC)  # sorts a date without a time first


def _midnight(day: date, tz: tzinfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=tz)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def release_text(value: PartialDate | None) -> str:
    """A release at its real precision: '2026', 'Aug 2023', '3 Aug 2023', or with the time.

    Here in core, not in render, because alerts word their summary lines with it.
    """
    if value is None:
        return "TBA"
    match value.precision:
        case Precision.YEAR:
            return str(value.year)
        case Precision.MONTH:
            return f"{_MONTHS[(value.month or 1) - 1]} {value.year}"
        case Precision.DAY:
            return f"{value.day} {_MONTHS[(value.month or 1) - 1]} {value.year}"
        case _:
            assert value.instant is not None
            local = value.instant
            return f"{local.day} {local:%b %Y %H:%M} {local.tzname() or ''}".rstrip()


_WHOLE_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_day(text: str, what: str = "date") -> PartialDate:
    """Parse a required YYYY-MM-DD, with a one-line error naming what it was for and, for
    anything that is not a whole day, the one form it takes (not the forms a release takes)."""
    if not _WHOLE_DAY.match(text.strip()):
        raise InvalidInput(f"{what} {text.strip()!r} must be a whole day: YYYY-MM-DD.")
    return PartialDate.parse(text)  # the day's own checks: a real date, a year in range


def months_between(start: date, end: date) -> int:
    """Whole calendar months from start to end: 17 Jul to 25 Nov is 4, to 16 Nov only 3."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months
