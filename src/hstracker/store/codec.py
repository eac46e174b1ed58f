"""JSON encoding and typed decoding of store files, with errors that name the exact place."""

from __future__ import annotations

import gc
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec

from hstracker.core.dates import PartialDate
from hstracker.errors import InvalidInput

try:  # the C code hashlib's blake2b is, without hashlib loading OpenSSL (~3 ms and ~4 MB)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

if TYPE_CHECKING:
    from collections.abc import Callable

T = TypeVar("T")

_BYTE = r"\(byte (\d+)\)"  # compiled (and cached) by re when an error needs it


class NotUtf8(msgspec.DecodeError):
    """The file holds bytes that are not UTF-8, so it cannot be JSON."""

    def __init__(self, offset: int) -> None:
        super().__init__(f"not UTF-8 text (byte {offset})")
        self.offset = offset


def _enc_hook(obj: Any) -> Any:
    if isinstance(obj, PartialDate):
        return obj.isoformat()
    raise TypeError(f"cannot store a {type(obj).__name__}")


def _dec_hook(tp: type, obj: Any) -> Any:
    if tp is PartialDate and isinstance(obj, str):
        try:
            return PartialDate.parse(obj)
        except InvalidInput as exc:
            # msgspec turns ValueError into a ValidationError that carries the JSON path
            raise ValueError(exc.message) from None
    raise TypeError(f"Expected `{getattr(tp, '__name__', tp)}`, got `{type(obj).__name__}`")


# A show's dates repeat (a feed dates many items to the same day), and lru_cache answers a
# repeat in C, without entering Python: decoding 100k news dates costs ~14 ms instead of ~90.
# Sharing one PartialDate between items is safe because its fields are Final (never assigned
# after __init__). Errors are not cached, so a bad date is refused with its path every time.
# Bounded: 16,384 distinct strings cover every day of 44 years, in a few MB at most.
_cached_dec_hook: Callable[[type, Any], Any] = lru_cache(maxsize=1 << 14)(_dec_hook)
_UNHASHABLE = "unhashable type: '"  # the cache's own refusal of a JSON object or array


def _plain_refusal(error: msgspec.ValidationError) -> msgspec.ValidationError:
    """Word the cache's refusal of an object or array where a date belongs as the hook would."""
    text = str(error)
    if not text.startswith(_UNHASHABLE):
        return error
    kind, _, rest = text[len(_UNHASHABLE) :].partition("'")
    return msgspec.ValidationError(f"Expected `PartialDate`, got `{kind}`{rest}")


# Below this a decode makes too few objects for the cycle collector to matter; above it the
# collector runs again and again over the new objects (a 58 MB show decoded in 520 ms, against
# 253 ms without it). Decoded JSON holds no reference cycles, so pausing it loses nothing.
_LARGE = 1 << 20  # bytes


class _NoCycleCollection:
    """Pause the cycle collector while a large decode runs, if it was running."""

    __slots__ = ("paused",)

    def __init__(self, large: bool) -> None:
        self.paused = large and gc.isenabled()

    def __enter__(self) -> None:
        if self.paused:
            gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.paused:
            gc.enable()


_ENCODER = msgspec.json.Encoder(enc_hook=_enc_hook, order="deterministic")


_DECODERS: dict[Any, msgspec.json.Decoder[Any]] = {}


def _decoder(tp: type[T]) -> msgspec.json.Decoder[T]:
    found = _DECODERS.get(tp)
    if found is None:
        found = _DECODERS[tp] = msgspec.json.Decoder(tp, dec_hook=_cached_dec_hook)
    return found


def digest(data: bytes) -> str:
    """What identifies one content of a file: any change to its bytes changes it."""
    return blake2b(data, digest_size=16).hexdigest()


def encode(obj: Any) -> bytes:
    """Compact, key-ordered JSON: fast to write and stable to diff."""
    return _ENCODER.encode(obj)


def decode(data: bytes, tp: type[T]) -> T:
    """Decode and validate; raises msgspec.DecodeError (or NotUtf8) or msgspec.ValidationError."""
    try:
        with _NoCycleCollection(len(data) > _LARGE):
            return _decoder(tp).decode(data)
    except msgspec.ValidationError as exc:
        raise _plain_refusal(exc) from None
    except UnicodeDecodeError as exc:
        # msgspec before 0.23 lets Python's own error through for bad UTF-8 inside strings
        raise NotUtf8(exc.start) from None
    except msgspec.DecodeError as exc:
        raise _utf8_fault(exc, data) from None


def convert(obj: Any, tp: type[T]) -> T:
    """Validate already-parsed JSON (a dict from a migration) as tp."""
    try:
        return msgspec.convert(obj, tp, dec_hook=_cached_dec_hook)
    except msgspec.ValidationError as exc:
        raise _plain_refusal(exc) from None


def to_builtins(obj: Any) -> Any:
    """Plain JSON-ready values (dicts, lists, strings) for --json output and exports."""
    return msgspec.to_builtins(obj, enc_hook=_enc_hook, order="deterministic")


def _place(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return f"line {line} column {column}"


def describe(error: msgspec.MsgspecError, data: bytes) -> str:
    """Turn a msgspec error into 'what broke, at line L column C' or '... at $.path'."""
    text = str(error)
    if isinstance(error, msgspec.ValidationError):
        # msgspec names no path for an error at the top level
        return text.replace(" - at `", " at `") if " - at `" in text else f"{text} at `$`"
    if not data.strip():
        return "the file is empty"
    if isinstance(error, NotUtf8):
        # the decoder's offset counts from the start of the string it was reading
        start = _first_bad_utf8(data)
        return f"not UTF-8 text: byte {data[start]:#04x} at {_place(data, start)}"
    if text == "Input data was truncated":
        return f"the file is truncated: it ends early at {_place(data, len(data))}"
    if m := re.search(_BYTE, text):
        offset = int(m[1])
        found = f" {data[offset : offset + 1]!r}" if "invalid character" in text else ""
        return f"{text[: m.start()].rstrip()}{found} at {_place(data, offset)}"
    return text


def _first_bad_utf8(data: bytes) -> int:
    try:
        data.decode()
    except UnicodeDecodeError as exc:
        return exc.start
    return 0


def decode_plain(data: bytes) -> Any:
    """Decode to plain dicts and lists, for migrations; raises like decode."""
    try:
        with _NoCycleCollection(len(data) > _LARGE):
            return msgspec.json.decode(data)
    except UnicodeDecodeError as exc:
        raise NotUtf8(exc.start) from None
    except msgspec.DecodeError as exc:
        raise _utf8_fault(exc, data) from None


def _utf8_fault(error: msgspec.DecodeError, data: bytes) -> msgspec.DecodeError:
    """msgspec 0.23 and later report bad UTF-8 as a DecodeError; give it our one wording."""
    if str(error).startswith("Invalid UTF-8"):
        return NotUtf8(_first_bad_utf8(data))
    return error
