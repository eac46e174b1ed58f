"""One bounded HTTP client: timeouts, a deadline, few retries, a size cap, polite limits."""

from __future__ import annotations

import contextlib
import math
import os
import socket
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any, TypeVar

import httpx
import msgspec

from hstracker import __version__
from hstracker.errors import NetworkError
from hstracker.sources.limits import Cancelled, Manners

PROJECT_URL = "https://github.com/hstracker/hstracker"
USER_AGENT = f"hstracker/{__version__} (+{PROJECT_URL})"

DEADLINE_ENV = "HSTRACKER_HTTP_DEADLINE"
RETRY_CAP_ENV = "HSTRACKER_HTTP_RETRY_CAP"
MAX_BYTES_ENV = "HSTRACKER_HTTP_MAX_BYTES"
DEFAULT_DEADLINE = 30.0
DEFAULT_RETRY_CAP = 30.0
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_DEADLINE = 24 * 3600.0
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
ATTEMPTS = 3
RETRY_STATUSES = frozenset({429, 503})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
ACCEPT_ENCODING = "gzip, deflate"
MAX_ENCODINGS = 2  # "gzip, gzip" at most; the size cap applies to every layer
CHUNK = 64 * 1024

T = TypeVar("T")


def _env_float(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if 0 < value < math.inf else default


@dataclass
class Response:
    """A finished response: status, headers and the whole (size-capped) body."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes = field(repr=False)


class _Watchdog:
    """At the deadline, shuts down every socket the client opened, so no read outlives it.

    Timeouts bound each read, not a response: a server that sends one byte a second never
    trips them. Shutting a socket down wakes a read blocked on it in another thread; the
    sockets are learnt through httpx's public trace hook, so proxies and TLS are covered.
    """

    def __init__(self, seconds: float) -> None:
        self.fired = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._ends = time.monotonic() + seconds
        self._timer = self._start(seconds)

    def _start(self, seconds: float) -> threading.Timer:
        timer = threading.Timer(seconds, self._fire)
        timer.daemon = True
        timer.start()
        return timer

    @contextlib.contextmanager
    def paused(self) -> Iterator[float]:
        """Stop the clock for the block (a wait for a free slot is no time on the network);
        yields the seconds that were left."""
        with self._lock:
            self._timer.cancel()
            left = self._ends - time.monotonic()
        try:
            yield left
        finally:
            with self._lock:
                self._ends = time.monotonic() + left
                if not self.fired:
                    self._timer = self._start(max(0.0, left))

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """Note each socket as it is connected or wrapped in TLS."""
        if not event.endswith((".connect_tcp.complete", ".start_tls.complete")):
            return
        stream = info.get("return_value")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if not isinstance(sock, socket.socket):
            return
        with self._lock:
            self._sockets = [s for s in self._sockets if s.fileno() != -1]
            self._sockets.append(sock)
            if self.fired:
                _shut(sock)

    def _fire(self) -> None:
        with self._lock:
            if time.monotonic() < self._ends:  # postponed while this timer was firing
                return
            self.fired = True
            for sock in self._sockets:
                _shut(sock)

    def cancel(self) -> None:
        self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        # the plain socket method: ssl.SSLSocket.shutdown would also drop its TLS state under
        # a read still running in the main thread
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class Client:
    """An httpx client bounded by one deadline, within the limits of the service it asks.

    Clients that share a Manners share its limits: a sync gives one to every client it makes.
    """

    def __init__(
        self,
        *,
        deadline: float | None = None,
        retry_cap: float | None = None,
        max_bytes: int | None = None,
        service: str | None = None,
        manners: Manners | None = None,
    ) -> None:
        # clamped so the watchdog's timer can wait that long on every platform
        self.deadline = min(deadline or _env_float(DEADLINE_ENV, DEFAULT_DEADLINE), MAX_DEADLINE)
        self.retry_cap = retry_cap or _env_float(RETRY_CAP_ENV, DEFAULT_RETRY_CAP)
        self.max_bytes = max_bytes or int(_env_float(MAX_BYTES_ENV, DEFAULT_MAX_BYTES))
        self._ends = time.monotonic() + self.deadline
        self.service = service
        self.manners = manners or Manners()
        self._watchdog = _Watchdog(self.deadline)
        self._http = httpx.Client(
            # only the encodings decoded here, under the size cap; never httpx's own decoders
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING},
            verify=True,
            follow_redirects=False,  # followed by hand, each target checked first
            timeout=httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT),
        )

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._watchdog.cancel()
        self._http.close()

    def _left(self, url: str) -> float:
        if self.manners.cancel.is_set():
            raise Cancelled("the sync was interrupted.")
        left = self._ends - time.monotonic()
        if left <= 0 or self._watchdog.fired:
            raise NetworkError(f"{url} did not answer within the {self.deadline:g} s deadline.")
        return left

    def _sleep(self, seconds: float, url: str, why: str) -> None:
        if seconds >= self._left(url):
            raise NetworkError(
                f"{url} {why}; waiting {seconds:g} s would pass the {self.deadline:g} s deadline."
            )
        if self.manners.cancel.wait(seconds):
            raise Cancelled("the sync was interrupted.")

    def wait_as_asked(
        self, response: Response, url: str, why: str, *, default: float, cap: float
    ) -> None:
        """Wait as long as the answer's Retry-After asks (default when it names no wait), at
        most cap and the retry cap, within the deadline, and cut short by Ctrl-C."""
        wait = _retry_after(response.headers) or default
        self._sleep(min(wait, self.retry_cap, cap), url, why)

    def get(
        self, url: str, *, headers: dict[str, str] | None = None, allow: tuple[int, ...] = ()
    ) -> Response:
        """GET url; 2xx, 304 and the statuses in allow come back, anything else raises.

        A header value that is not printable ASCII is left out: httpx would refuse it.
        """
        sent = {k: v for k, v in (headers or {}).items() if sendable(v)}
        for attempt in range(1, ATTEMPTS + 1):
            last = attempt == ATTEMPTS
            try:
                response = self._follow(url, sent)
            except httpx.InvalidURL as exc:  # not an HTTPError: a URL httpx cannot even parse
                raise NetworkError(f"{url} is not a URL that can be requested: {exc}.") from None
            except httpx.HTTPError as exc:
                self._left(url)  # a read cut short by the deadline reports the deadline
                if isinstance(exc, httpx.ConnectError):
                    if last:
                        raise NetworkError(f"could not connect to {url}: {_reason(exc)}.") from None
                    self._sleep(0.5 * attempt, url, "refused the connection")
                    continue
                if isinstance(exc, httpx.TimeoutException):
                    raise NetworkError(f"{url} timed out.") from None
                raise NetworkError(f"request to {url} failed: {_reason(exc)}.") from None
            status = response.status
            if status in RETRY_STATUSES and not last:
                wait = min(_retry_after(response.headers), self.retry_cap)
                self._sleep(wait or 0.5 * attempt, url, f"answered HTTP {status}")
                continue
            if 200 <= status < 300 or status == 304 or status in allow:
                return response
            raise NetworkError(f"{url} answered HTTP {status}.")
        raise AssertionError("unreachable")  # pragma: no cover

    def _follow(self, url: str, headers: dict[str, str]) -> Response:
        """GET url, following at most MAX_REDIRECTS redirects, each to http(s) only."""
        target = url
        for _ in range(MAX_REDIRECTS + 1):
            response = self._once(target, headers)
            location = response.headers.get("location")
            if response.status not in REDIRECT_STATUSES or location is None:
                return response
            target = _redirect_target(url, response.url, location)
        raise NetworkError(f"{url} redirected more than {MAX_REDIRECTS} times.")

    def _once(self, url: str, headers: dict[str, str]) -> Response:
        with self.manners.slot(self.service, url, waiting=self._waiting()):
            return self._sent(url, headers)

    @contextlib.contextmanager
    def _waiting(self) -> Iterator[None]:
        """While a request waits for our own limits, the deadline's clock stands still."""
        with self._watchdog.paused() as left:
            yield
        self._ends = time.monotonic() + left

    def _sent(self, url: str, headers: dict[str, str]) -> Response:
        left = self._left(url)
        timeout = httpx.Timeout(
            min(READ_TIMEOUT, left), connect=min(CONNECT_TIMEOUT, left), pool=left
        )
        with self._http.stream(
            "GET", url, headers=headers, timeout=timeout, extensions={"trace": self._watchdog.trace}
        ) as response:
            head = {k.lower(): v for k, v in response.headers.items()}
            status = response.status_code
            if status in REDIRECT_STATUSES and "location" in head:
                body = b""  # a redirect's body is never read
            else:
                body = self._body(response, head, url)
        self._left(url)  # a body that ended because the deadline closed the socket is cut short
        return Response(url=str(response.url), status=status, headers=head, body=body)

    def _body(self, response: httpx.Response, head: dict[str, str], url: str) -> bytes:
        """The decoded body, with both the bytes sent and the bytes they unpack to capped."""
        size = head.get("content-length", "")
        if size.isdigit() and int(size) > self.max_bytes:
            raise NetworkError(f"{url} sent {size} bytes; the limit is {self.max_bytes}.")
        codings = _codings(head.get("content-encoding", ""))
        if len(codings) > MAX_ENCODINGS:
            raise NetworkError(
                f"{url} is compressed {len(codings)} times over; the limit is {MAX_ENCODINGS}."
            )
        chunks: Iterator[bytes] = self._raw(response, url)
        for coding in reversed(codings):  # the last encoding applied is undone first
            chunks = self._inflate(chunks, coding, url)
        kept: list[bytes] = []
        total = 0
        for chunk in chunks:
            total += len(chunk)
            if total > self.max_bytes:
                raise self._unpacks_too_big(url)
            kept.append(chunk)
            self._left(url)
        return b"".join(kept)

    def _raw(self, response: httpx.Response, url: str) -> Iterator[bytes]:
        received = 0
        for chunk in response.iter_raw(CHUNK):
            received += len(chunk)
            if received > self.max_bytes:
                raise NetworkError(
                    f"{url} sent more than {self.max_bytes} bytes; the limit was reached."
                )
            self._left(url)  # an endless body that unpacks to nothing still meets the deadline
            yield chunk

    def _inflate(self, chunks: Iterator[bytes], coding: str, url: str) -> Iterator[bytes]:
        """Undo one gzip or deflate layer, never holding more than CHUNK unpacked bytes at once.

        Every layer is capped at max_bytes, so a bomb nested in a bomb stops at the first.
        """
        gzip = coding in ("gzip", "x-gzip")
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 16 if gzip else zlib.MAX_WBITS)
        first = True
        produced = 0
        for chunk in chunks:
            data = chunk
            while True:
                try:
                    out = inflater.decompress(data, CHUNK)
                except zlib.error as exc:
                    if first and not gzip:  # deflate without the zlib header, as some send it
                        first = False
                        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                        continue
                    raise NetworkError(f"{url} sent a corrupt {coding} body: {exc}.") from None
                first = False
                data = inflater.unconsumed_tail
                if out:
                    produced += len(out)
                    if produced > self.max_bytes:
                        raise self._unpacks_too_big(url)
                    yield out
                if inflater.eof:
                    return  # anything after the end of the stream is ignored, as httpx does
                if not data and len(out) < CHUNK:
                    break

    def _unpacks_too_big(self, url: str) -> NetworkError:
        return NetworkError(
            f"{url} unpacks to more than {self.max_bytes} bytes; the limit was reached."
        )


def sendable(value: str) -> bool:
    """Whether value can go out as an HTTP header value: printable ASCII only."""
    return value.isascii() and value.isprintable()


def decode_json(response: Response, kind: type[T], source: str) -> T:
    """The JSON body as kind; any way it can be wrong becomes one NetworkError line."""
    where = f"{source} answered {response.url}"
    try:
        return msgspec.json.decode(response.body, type=kind)
    except msgspec.ValidationError as exc:
        raise NetworkError(f"{where} with an unexpected shape: {exc}.") from None
    except msgspec.DecodeError as exc:
        if str(exc).startswith("Invalid UTF-8"):  # how msgspec 0.23 and later say it
            raise NetworkError(f"{where} with JSON that is not valid UTF-8.") from None
        raise NetworkError(f"{where} with malformed JSON: {exc}.") from None
    except UnicodeDecodeError:
        raise NetworkError(f"{where} with JSON that is not valid UTF-8.") from None
    except RecursionError:
        raise NetworkError(f"{where} with JSON nested too deeply.") from None


def _codings(header: str) -> list[str]:
    """The gzip and deflate layers named by Content-Encoding, in the order applied.

    Unknown names pass through as httpx does (some servers put a charset there); a body
    in an encoding that was never asked for then fails to parse, as one line.
    """
    names = (name.strip().lower() for name in header.split(","))
    return [name for name in names if name in ("gzip", "x-gzip", "deflate")]


def _redirect_target(url: str, current: str, location: str) -> str:
    """The absolute URL a redirect points to, refused unless it is http(s)."""
    try:
        target = httpx.URL(current).join(location)
    except (httpx.InvalidURL, ValueError):
        raise NetworkError(f"{url} redirected to an invalid URL.") from None
    if target.scheme not in ("http", "https") or not target.host:
        raise NetworkError(f"{url} redirected to a non-http(s) URL, which hstracker refuses.")
    return str(target)


def _retry_after(headers: dict[str, str]) -> float:
    """Seconds a Retry-After header asks for (delta seconds or an HTTP date); 0 if absent."""
    raw = headers.get("retry-after", "").strip()
    if not raw:
        return 0.0
    if raw.isdigit():
        return float(raw)
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return 0.0
    return max(0.0, when.timestamp() - time.time())


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[-1].rstrip(".") if text else type(exc).__name__
