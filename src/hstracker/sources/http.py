"""One bounded HTTP client: timeouts, a deadline, few retries, a size cap, polite pacing."""

from __future__ import annotations

import os
import time
from collections import deque
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from types import TracebackType

import httpx

from hstracker import __version__
from hstracker.errors import NetworkError

PROJECT_URL = "https://github.com/hstracker/hstracker"
USER_AGENT = f"hstracker/{__version__} (+{PROJECT_URL})"

DEADLINE_ENV = "HSTRACKER_HTTP_DEADLINE"
RETRY_CAP_ENV = "HSTRACKER_HTTP_RETRY_CAP"
MAX_BYTES_ENV = "HSTRACKER_HTTP_MAX_BYTES"
DEFAULT_DEADLINE = 30.0
DEFAULT_RETRY_CAP = 30.0
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
ATTEMPTS = 3
RETRY_STATUSES = frozenset({429, 503})
# TVmaze allows 20 calls in 10 s; staying a little under leaves room for clock skew
RATE_CALLS = 18
RATE_WINDOW = 10.0


def _env_float(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass
class Response:
    """A finished response: status, headers and the whole (size-capped) body."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes = field(repr=False)


class Client:
    """An httpx client bounded by one deadline for the whole command."""

    def __init__(
        self,
        *,
        deadline: float | None = None,
        retry_cap: float | None = None,
        max_bytes: int | None = None,
    ) -> None:
        self.deadline = deadline or _env_float(DEADLINE_ENV, DEFAULT_DEADLINE)
        self.retry_cap = retry_cap or _env_float(RETRY_CAP_ENV, DEFAULT_RETRY_CAP)
        self.max_bytes = max_bytes or int(_env_float(MAX_BYTES_ENV, DEFAULT_MAX_BYTES))
        self._ends = time.monotonic() + self.deadline
        self._calls: deque[float] = deque()
        self._http = httpx.Client(
            headers={"User-Agent": USER_AGENT},
            verify=True,
            follow_redirects=True,
            max_redirects=5,
            timeout=httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT),
        )

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._http.close()

    def _left(self, url: str) -> float:
        left = self._ends - time.monotonic()
        if left <= 0:
            raise NetworkError(f"{url} did not answer within the {self.deadline:g} s deadline.")
        return left

    def _sleep(self, seconds: float, url: str, why: str) -> None:
        if seconds >= self._left(url):
            raise NetworkError(
                f"{url} {why}; waiting {seconds:g} s would pass the {self.deadline:g} s deadline."
            )
        time.sleep(seconds)

    def _pace(self, url: str) -> None:
        now = time.monotonic()
        while self._calls and now - self._calls[0] >= RATE_WINDOW:
            self._calls.popleft()
        if len(self._calls) >= RATE_CALLS:
            self._sleep(RATE_WINDOW - (now - self._calls[0]), url, "is rate limited")
        self._calls.append(time.monotonic())

    def get(
        self, url: str, *, headers: dict[str, str] | None = None, allow: tuple[int, ...] = ()
    ) -> Response:
        """GET url; 2xx, 304 and the statuses in allow come back, anything else raises."""
        for attempt in range(1, ATTEMPTS + 1):
            last = attempt == ATTEMPTS
            self._pace(url)
            try:
                response = self._once(url, headers or {})
            except httpx.ConnectError as exc:
                if last:
                    raise NetworkError(f"could not connect to {url}: {_reason(exc)}.") from None
                self._sleep(0.5 * attempt, url, "refused the connection")
                continue
            except httpx.TimeoutException:
                self._left(url)
                raise NetworkError(f"{url} timed out.") from None
            except httpx.TooManyRedirects:
                raise NetworkError(f"{url} redirected too many times.") from None
            except httpx.HTTPError as exc:
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

    def _once(self, url: str, headers: dict[str, str]) -> Response:
        left = self._left(url)
        timeout = httpx.Timeout(
            min(READ_TIMEOUT, left), connect=min(CONNECT_TIMEOUT, left), pool=left
        )
        with self._http.stream("GET", url, headers=headers, timeout=timeout) as response:
            size = response.headers.get("Content-Length", "")
            if size.isdigit() and int(size) > self.max_bytes:
                raise NetworkError(f"{url} sent {size} bytes; the limit is {self.max_bytes}.")
            chunks: list[bytes] = []
            received = 0
            for chunk in response.iter_bytes():
                received += len(chunk)
                if received > self.max_bytes:
                    raise NetworkError(
                        f"{url} sent more than {self.max_bytes} bytes; the limit was reached."
                    )
                chunks.append(chunk)
                self._left(url)
            return Response(
                url=str(response.url),
                status=response.status_code,
                headers={k.lower(): v for k, v in response.headers.items()},
                body=b"".join(chunks),
            )


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
    return text[-1] if text else type(exc).__name__
