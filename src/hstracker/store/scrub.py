"""Strip control characters from every string of a loaded store file, in one place."""

from __future__ import annotations

import re
from typing import Any

import msgspec

from hstracker.core import validate

# A control character can arrive as a \u00XX escape (C0, DEL and C1), a raw DEL, or raw UTF-8
# C1 (\xc2\x80-\x9f). Raw C0 bytes are invalid inside JSON strings: the decoder refuses them.
_ESCAPE = re.compile(rb"\\u00[0-9a-fA-F]{2}")
_C1 = re.compile(rb"\xc2[\x80-\x9f]")


def suspect(data: bytes) -> bool:
    """True when data could hold a control character.

    A one-byte membership test runs at memchr speed, and each pattern runs only when its first
    byte is in data at all: about 1 ms on a 6 MB store, where one combined pattern took 12.
    """
    return (
        (b"\\" in data and _ESCAPE.search(data) is not None)
        or b"\x7f" in data
        or (b"\xc2" in data and _C1.search(data) is not None)
    )


def scrub(obj: Any, data: bytes) -> Any:
    """Clean obj's strings in place if data could hold a control character; a cheap check first."""
    if suspect(data):
        _walk(obj)
    return obj


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return validate.clean(value)
    _walk(value)
    return value


def _walk(obj: Any) -> None:
    if isinstance(obj, msgspec.Struct):
        for name in obj.__struct_fields__:
            value = getattr(obj, name)
            cleaned = _clean(value)
            if cleaned is not value:
                setattr(obj, name, cleaned)
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            obj[i] = _clean(value)
    elif isinstance(obj, dict):
        items = [(_clean(k), _clean(v)) for k, v in obj.items()]
        obj.clear()
        obj.update(items)
