"""Slugs made from any title: Latin letters without their accents, or a short stable hash."""

from __future__ import annotations

import re
import unicodedata

from hstracker.core import validate

MAX_SLUG = 48
HASHED_PREFIX = "show-"
# Letters NFKD leaves whole, because they are letters of their own and not a base letter with
# a mark: their usual ASCII spelling (German, Nordic, Polish, Croatian, Icelandic, French,
# Turkish, Maltese).
_SPELLED = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "ø": "o",
        "œ": "oe",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
        "ŋ": "ng",
    }
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def latin(text: str) -> str:
    """text in lowercase ASCII as far as it goes: 'Shōgun' gives 'shogun', 'Ærø' 'aero'."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_SPELLED))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def slugify(title: str) -> tuple[str, bool]:
    """A slug made from a title, and whether it had to be a hash.

    'Red, White & Royal Blue' gives 'red-white-royal-blue' and 'Amélie' 'amelie'. A title
    with no Latin letters to keep ('進撃の巨人', 'Война и мир', an emoji) gives 'show-' and
    a short hash of the title: the same title always gets the same slug, and two such titles
    do not fight over one fallback name.
    """
    text = validate.clean_line(title)
    slug = _NOT_SLUG.sub("-", latin(text)).strip("-")[:MAX_SLUG].rstrip("-")
    # digits alone make a fine slug ('1899'), but not what is left of '進撃の巨人 2'
    if slug and (re.search("[a-z]", slug) or text.isascii()):
        return slug, False
    import hashlib  # loads OpenSSL (~2 ms): only adding a show needs it, not every read

    digest = hashlib.sha256(unicodedata.normalize("NFC", text).encode()).hexdigest()
    return HASHED_PREFIX + digest[:8], True
