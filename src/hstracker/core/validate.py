"""Cleaning untrusted text and checking every field against sane limits."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from hstracker.errors import InvalidInput

# C0 controls except tab and newline, DEL, and C1 (which includes the one-byte CSI \x9b).
# Removing ESC removes every CSI, OSC and OSC 8 sequence with it. Compiled up front: cleaning
# a damaged store calls it for every string.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# The rest stay strings: re compiles each on first use and caches it, so a run that never
# checks them never pays to compile them.
_SPACES = r"\s+"
_TAG = r"^[a-z0-9][a-z0-9-]{0,31}$"
_SLUG = r"^[a-z0-9][a-z0-9-]{0,47}$"

MAX_LINE = 300  # headlines, names, sources, titles
MAX_BODY = 10_000
MAX_URL = 2_000
MAX_TAGS = 12
# slugs a show may not take: the names of the store's own files and folders
RESERVED_SLUGS = frozenset({"personal", "backups"})


def clean(text: str) -> str:
    """Strip control characters; keeps newlines and tabs for multi-line text."""
    return _CONTROL.sub("", text)


def clean_line(text: str) -> str:
    """Strip control characters and fold all white space, for one-line fields."""
    return re.sub(_SPACES, " ", clean(text)).strip()


def fold(text: str) -> str:
    """The form two names are compared in: clean, case-folded, white space folded."""
    return " ".join(clean(text).casefold().split())


def required_line(value: str, field: str, limit: int = MAX_LINE) -> str:
    """A one-line field that must not be blank and must fit the limit."""
    text = clean_line(value)
    if not text:
        raise InvalidInput(f"{field} is empty.", hint=f"Give a non-blank {field}.")
    if len(text) > limit:
        raise InvalidInput(f"{field} is {len(text)} characters long; the limit is {limit}.")
    return text


def optional_line(value: str | None, field: str, limit: int = MAX_LINE) -> str | None:
    """A one-line field that may be left out, but not given blank."""
    return None if value is None else required_line(value, field, limit)


def body(value: str | None, field: str = "body") -> str | None:
    """A multi-line text field: cleaned, stripped, at most MAX_BODY characters."""
    if value is None:
        return None
    text = clean(value).strip()
    if not text:
        return None
    if len(text) > MAX_BODY:
        raise InvalidInput(f"{field} is {len(text)} characters long; the limit is {MAX_BODY}.")
    return text


def url(value: str | None, field: str = "URL") -> str | None:
    """An absolute http(s) URL with a host, or None."""
    if value is None:
        return None
    text = clean(value).strip()
    if len(text) > MAX_URL:
        raise InvalidInput(f"{field} is {len(text)} characters long; the limit is {MAX_URL}.")
    try:
        parts = urlsplit(text)
    except ValueError as exc:
        raise InvalidInput(f"{field} {text!r} is not a valid URL: {exc}.") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in text:
        raise InvalidInput(
            f"{field} {text!r} is not an http(s) URL.", hint="Give one like https://example.com/x."
        )
    return text


def tags(values: list[str]) -> list[str]:
    """Short lowercase slugs, de-duplicated in order."""
    found: list[str] = []
    for raw in values:
        tag = clean_line(raw).lower()
        if not re.match(_TAG, tag):
            raise InvalidInput(
                f"tag {tag!r} is not a short slug.",
                hint="Use up to 32 of a-z, 0-9 and '-', starting with a letter or digit.",
            )
        if tag not in found:
            found.append(tag)
    if len(found) > MAX_TAGS:
        raise InvalidInput(f"{len(found)} tags given; the limit is {MAX_TAGS}.")
    return found


def slug(value: str, field: str = "slug") -> str:
    """A show slug: lowercase letters, digits and '-', safe as a file name."""
    text = clean_line(value).lower()
    if not re.match(_SLUG, text):
        raise InvalidInput(
            f"{field} {text!r} is not valid.",
            hint="Use up to 48 of a-z, 0-9 and '-', starting with a letter or digit.",
        )
    if text in RESERVED_SLUGS:
        option = "--as" if field == "--as" else "--slug"
        raise InvalidInput(
            f"{field} {text!r} is reserved for hstracker's own files.",
            hint=f"Pick another with {option}.",
        )
    return text


def is_slug(value: str) -> bool:
    """True when value is a well-formed show slug (and so a safe file name)."""
    return bool(re.match(_SLUG, value))
