"""The one way hstracker writes time: dates at their precision, spans, counts, window colours."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from typing import TYPE_CHECKING

from hstracker.core.dates import PartialDate, months_between, release_text

if TYPE_CHECKING:  # only the countdown views need it loaded, and the sync report Value
    from hstracker.core.countdown import Countdown
    from hstracker.core.merge import Value

_DAY = 86_400
# a calendar-average month and year: a span of years is told to the month, never to the day,
# so the average is exact enough and needs no calendar
_YEAR = round(365.2425 * _DAY)
_MONTH = _YEAR // 12
LONG_SPAN = 60 * _DAY  # from here on a span is told in years and months, not days

# what a countdown line's colour means, everywhere: green is a date to count to, yellow a window
# with no date yet, red a window gone by, dim green already out
COUNTDOWN_STYLE = {
    "exact": "bold green",
    "window": "yellow",
    "overdue": "bold red",
    "released": "green",
    "tba": "dim",
}


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 day', '2 days', '1 news item', '3 news items'."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def date_text(value: PartialDate | date | datetime | None) -> str:
    """A date at its real precision: '2026', 'Aug 2023', '3 Aug 2023', '3 Oct 2024 00:00 PDT'.

    The wording is core's `release_text`, which alerts use too; this takes plain dates as well.
    """
    if isinstance(value, datetime):
        value = PartialDate.at(value)
    elif isinstance(value, date):
        value = PartialDate.of(value)
    return release_text(value)


def clock_text(instant: datetime, tz: tzinfo | None) -> str:
    """'Thu 3 Oct 2024 08:00 BST': an instant in a zone, with its weekday; tz None is the fan's
    own zone, with its daylight saving for that day."""
    try:
        local = instant.astimezone(tz)
    except (ValueError, OverflowError):  # a local zone the platform cannot use (TZ=UTC+99)
        local = instant.astimezone(UTC)
    return f"{local:%a} {date_text(local)}"


def value_text(value: Value | None) -> str:
    """A fact's or a change's value as a fan reads it. The value kept its type from where it
    was parsed, so the type says how: a date at its precision, a count or an id as it is, a
    list joined, a cast credit as 'Character (Actor)'."""
    if value is None:
        return ""
    if isinstance(value, PartialDate):
        return date_text(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, (int, str)):
        return str(value)
    return f"{value.character} ({value.actor})"


def _units(seconds: int) -> list[tuple[int, str, str]]:
    """The span as (count, singular, plural) from the largest unit down to seconds."""
    units: list[tuple[int, str, str]] = []
    if seconds >= LONG_SPAN:
        years, seconds = divmod(seconds, _YEAR)
        months, seconds = divmod(seconds, _MONTH)
        units += [(years, "year", "years"), (months, "month", "months")]
    days, seconds = divmod(seconds, _DAY)
    hours, seconds = divmod(seconds, 3_600)
    minutes, seconds = divmod(seconds, 60)
    units += [
        (days, "day", "days"),
        (hours, "h", "h"),
        (minutes, "min", "min"),
        (seconds, "s", "s"),
    ]
    while len(units) > 1 and units[0][0] == 0:
        units.pop(0)
    return units


def duration(seconds: int, exact: bool = False) -> str:
    """'2 years 7 months', '36 days 20 h', '5 h 3 min', '42 s': the two largest units that
    matter (a zero second one is left out); exact adds every smaller unit down to seconds,
    for a countdown that ticks."""
    return _said(_units(abs(seconds)), exact)


def _said(units: list[tuple[int, str, str]], exact: bool = False) -> str:
    """The units as words: the largest, and the next unless it is zero (or all, if exact)."""
    shown = units if exact else [u for i, u in enumerate(units[:2]) if i == 0 or u[0]]
    return " ".join(f"{n} {one if n == 1 else many}" for n, one, many in shown)


def ago(seconds: int) -> str:
    """'2 years 7 months ago', '1 day ago', 'just now'."""
    if abs(seconds) < 60:
        return "just now"
    return f"{duration(seconds)} ago"


def since(then: date, today: date) -> str:
    """How old something dated to the day is, in calendar months: 'today', '1 day ago',
    '4 months 8 days ago' (17 Jul to 25 Nov), '1 year ago'."""
    days = (today - then).days
    if days <= 0:
        return "today"
    if days * _DAY < LONG_SPAN:
        return f"{plural(days, 'day')} ago"
    months = months_between(then, today)
    years, rest = divmod(months, 12)
    if years:
        return _said([(years, "year", "years"), (rest, "month", "months")]) + " ago"
    days = (today - _add_months(then, months)).days
    return _said([(rest, "month", "months"), (days, "day", "days")]) + " ago"


def _add_months(day: date, months: int) -> date:
    """day moved on by whole months, kept to the month's end (31 Jan + 1 month is 28 Feb)."""
    year, month = divmod(day.month - 1 + months, 12)
    for last in (day.day, 30, 29, 28):
        try:
            return day.replace(year=day.year + year, month=month + 1, day=last)
        except ValueError:
            continue
    raise AssertionError("every month has a 28th")


def countdown_kind(cd: Countdown) -> str:
    """Which of COUNTDOWN_STYLE's meanings a countdown has."""
    if cd.precision == "tba":
        return "tba"
    if cd.released:
        return "released"
    if cd.overdue:
        return "overdue"
    if cd.precision in ("year", "month"):
        return "window"
    return "exact"


def countdown_style(cd: Countdown) -> str:
    return COUNTDOWN_STYLE[countdown_kind(cd)]
