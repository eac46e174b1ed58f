"""RFC 822 dates as real feeds write them: in English, pt, es, fr, de, it or nl, loosely."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone

from hstracker.core.dates import MAX_YEAR, MIN_YEAR

# Month names and the abbreviations feeds use, per language. No word names two different
# months across these languages ("mar" is March in all that use it), so a feed whose
# language is unknown is read with all of them.
_MONTHS: dict[str, tuple[tuple[str, ...], ...]] = {
    "en": (
        ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
        ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
        ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
        ("dec", "december"),
    ),
    "pt": (
        ("jan", "janeiro"), ("fev", "fevereiro"), ("mar", "marco"), ("abr", "abril"),
        ("mai", "maio"), ("jun", "junho"), ("jul", "julho"), ("ago", "agosto"),
        ("set", "setembro"), ("out", "outubro"), ("nov", "novembro"), ("dez", "dezembro"),
    ),
    "es": (
        ("ene", "enero"), ("feb", "febrero"), ("mar", "marzo"), ("abr", "abril"),
        ("may", "mayo"), ("jun", "junio"), ("jul", "julio"), ("ago", "agosto"),
        ("sep", "sept", "set", "septiembre", "setiembre"), ("oct", "octubre"),
        ("nov", "noviembre"), ("dic", "diciembre"),
    ),
    "fr": (
        ("jan", "janv", "janvier"), ("fev", "fevr", "fevrier"), ("mar", "mars"),
        ("avr", "avril"), ("mai",), ("juin",), ("juil", "juillet"), ("aou", "aout"),
        ("sep", "sept", "septembre"), ("oct", "octobre"), ("nov", "novembre"),
        ("dec", "decembre"),
    ),
    "de": (
        ("jan", "januar", "jaen", "jaenner", "jän", "jänner"), ("feb", "februar"),
        ("mar", "mrz", "maerz", "marz"), ("apr", "april"), ("mai",), ("jun", "juni"),
        ("jul", "juli"), ("aug", "august"), ("sep", "sept", "september"),
        ("okt", "oktober"), ("nov", "november"), ("dez", "dezember"),
    ),
    "it": (
        ("gen", "gennaio"), ("feb", "febbraio"), ("mar", "marzo"), ("apr", "aprile"),
        ("mag", "maggio"), ("giu", "giugno"), ("lug", "luglio"), ("ago", "agosto"),
        ("set", "settembre"), ("ott", "ottobre"), ("nov", "novembre"), ("dic", "dicembre"),
    ),
    "nl": (
        ("jan", "januari"), ("feb", "februari"), ("mrt", "maa", "maart"), ("apr", "april"),
        ("mei",), ("jun", "juni"), ("jul", "juli"), ("aug", "augustus"),
        ("sep", "sept", "september"), ("okt", "oktober"), ("nov", "november"),
        ("dec", "december"),
    ),
}  # fmt: skip
LANGUAGES = tuple(_MONTHS)


def _table(names: tuple[tuple[str, ...], ...]) -> dict[str, int]:
    return {_fold(word): n for n, words in enumerate(names, start=1) for word in words}


def _fold(word: str) -> str:
    """Lower case without accents: 'Fév' and 'fev' are one word, 'März' is 'marz'."""
    flat = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in flat if not unicodedata.combining(c)).rstrip(".")


MONTHS = {language: _table(names) for language, names in _MONTHS.items()}
ANY = {word: n for table in MONTHS.values() for word, n in table.items()}

# Zone names that real feeds write (RFC 822's own and the common European and Brazilian
# ones); an unknown name leaves the time as written.
ZONES = {
    "gmt": 0, "ut": 0, "utc": 0, "z": 0, "wet": 0,
    "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
    "bst": 1, "cet": 1, "mez": 1, "west": 1, "cest": 2, "mesz": 2, "eet": 2, "eest": 3,
    "brt": -3, "brst": -2, "art": -3,
}  # fmt: skip

# [weekday,] day month year [time [zone]] : the weekday is any word and is not checked
_RFC822 = re.compile(
    r"^(?:[^\W\d_]+\.?,?\s+)?(?P<d>\d{1,2})\.?\s+(?P<mon>[^\W\d_]+)\.?,?\s+(?P<y>\d{2}|\d{4})"
    r"(?:\s+(?P<h>\d{1,2}):?(?P<mi>\d{2})(?::(?P<s>\d{2}))?"
    r"(?:\s*(?P<off>[+-]\d{4})|\s*(?P<zone>[A-Za-z]{1,5}))?)?\s*$"
)


def language_of(tag: str | None) -> str | None:
    """The language of a feed's language tag ('pt-BR' gives 'pt'), when hstracker reads it."""
    if not tag:
        return None
    primary = tag.strip().lower().replace("_", "-").split("-")[0]
    return primary if primary in MONTHS else None


def read_date(text: str | None, language: str | None = None) -> datetime | None:
    """An RFC 822 date in UTC, month names in the feed's language (and English); None if
    unreadable. Without a known language, every listed language's names are tried."""
    if not text:
        return None
    m = _RFC822.match(" ".join(text.split())[:80])
    if m is None:
        return None
    table = {**MONTHS["en"], **MONTHS[language]} if language in MONTHS else ANY
    month = table.get(_fold(m["mon"]))
    if month is None:
        return None
    year = int(m["y"])
    if len(m["y"]) == 2:  # RFC 822's two-digit years, read as RFC 2822 says
        year += 2000 if year < 50 else 1900
    try:
        written = datetime(
            year,
            month,
            int(m["d"]),
            int(m["h"] or 0),
            int(m["mi"] or 0),
            int(m["s"] or 0),
            tzinfo=_offset(m["off"], m["zone"]),
        )
        stamp = written.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return stamp if MIN_YEAR <= stamp.year <= MAX_YEAR else None


def _offset(numeric: str | None, name: str | None) -> timezone:
    if numeric:
        sign = -1 if numeric[0] == "-" else 1
        minutes = int(numeric[1:3]) * 60 + int(numeric[3:5])
        if minutes < 24 * 60:
            return timezone(sign * timedelta(minutes=minutes))
    hours = ZONES.get((name or "").lower(), 0)
    return timezone(timedelta(hours=hours))
