"""Output in any encoding: what a legacy console cannot show is written in its nearest ASCII."""

from __future__ import annotations

import codecs
from typing import TextIO

HANDLER = "hstracker-nearest"

# glyphs hstracker draws itself, and common typography in news text, with their ASCII stand-ins
_NEAREST = {
    "━": "#",
    "─": "-",
    "·": "-",
    "—": "-",
    "–": "-",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "…": "...",
    "•": "*",
    "→": "->",
    "\u00a0": " ",
}


def nearest(char: str) -> str:
    """The nearest ASCII for one character: a known stand-in, the letter without its accent
    ('ō' is 'o'), else '?'."""
    if char in _NEAREST:
        return _NEAREST[char]
    import unicodedata  # only a console that is not UTF-8 needs it

    bare = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return bare if bare.isascii() and bare else "?"


def _nearest_error(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(nearest(c) for c in bad), error.end


def utf(stream: TextIO) -> bool:
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
    return encoding.startswith("utf")


def tolerate(stream: TextIO) -> None:
    """Make stream write what its encoding lacks as the nearest ASCII instead of raising.

    Rich already draws table borders in ASCII for such a stream; this covers the rest: the
    bars, the separators and any name or headline (a Windows console in cp1252, a file
    written in latin-1, `PYTHONIOENCODING=ascii`).
    """
    if utf(stream):
        return
    codecs.register_error(HANDLER, _nearest_error)  # registering it again replaces it alike
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors=HANDLER)


def json_escape(document: str) -> str:
    """document with every non-ASCII character as a JSON escape: still the same JSON, and
    writable in any encoding. Only strings hold such characters, where escapes are valid."""

    def escape(char: str) -> str:
        code = ord(char)
        if code < 0x10000:
            return f"\\u{code:04x}"
        code -= 0x10000  # outside the BMP: a surrogate pair, as JSON requires
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"

    return "".join(c if c.isascii() else escape(c) for c in document)
