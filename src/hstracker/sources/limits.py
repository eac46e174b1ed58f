"""Client-side manners: how many requests each service gets in flight and per time window."""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

from hstracker.errors import NetworkError

PER_HOST = 4  # requests in flight to one host, whatever the service


@dataclass(frozen=True)
class Policy:
    """A service's limits: calls per window (calls None: not counted), and requests at once."""

    calls: int | None
    window: float
    in_flight: int


# TVmaze: at least 20 calls every 10 seconds per IP address (its API page, "Rate limiting").
# Wikidata: API:Etiquette asks for requests in series, never in parallel: one in flight.
# Open Library: a client that identifies itself in its User-Agent (ours names the app and
# its home page) may make 3 requests a second.
POLICIES = {
    "tvmaze": Policy(calls=20, window=10.0, in_flight=PER_HOST),
    "wikidata": Policy(calls=None, window=0.0, in_flight=1),
    "openlibrary": Policy(calls=3, window=1.0, in_flight=PER_HOST),
}
# any other host (a feed, a mirror named by no service): paced as hstracker always was
OTHER = Policy(calls=18, window=10.0, in_flight=PER_HOST)
RATE_ENV = "HSTRACKER_{}_RATE"  # "20/10": calls per seconds, for a mirror with other limits
POLL = 0.2  # a waiting request looks at the cancel flag this often


class Cancelled(NetworkError):
    """The run was interrupted: no request starts any more."""


class Limiter:
    """At most policy.calls requests in any window, and policy.in_flight at once.

    A call's place in the window is kept for a whole window after its answer arrived, not
    after it was sent: the request reached the server somewhere between the two, so the
    server never counts more calls in its window than the policy allows, however long each
    one took.
    """

    def __init__(
        self,
        policy: Policy,
        cancel: threading.Event | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.policy = policy
        self._cancel = cancel or threading.Event()
        self._clock = clock
        self._cond = threading.Condition()
        self._running = 0
        self._answered: deque[float] = deque()  # when each call of the last window ended

    def _wait(self, now: float) -> float | None:
        """Seconds until a slot frees (None: when a running call ends; 0: free now)."""
        policy = self.policy
        while self._answered and now - self._answered[0] >= policy.window:
            self._answered.popleft()
        if self._running >= policy.in_flight:
            return None
        if policy.calls is not None and self._running + len(self._answered) >= policy.calls:
            return policy.window - (now - self._answered[0]) if self._answered else None
        return 0.0

    @contextmanager
    def slot(self, until: float | None = None) -> Iterator[None]:
        """Hold one slot for the block. A wait that would pass until (a clock time) or is
        cancelled raises NetworkError instead."""
        with self._cond:
            while (wait := self._wait(self._clock())) != 0.0:
                if self._cancel.is_set():
                    raise Cancelled("the sync was interrupted.")
                left = None if until is None else until - self._clock()
                if left is not None and (left <= 0 or (wait is not None and wait >= left)):
                    raise NetworkError(
                        "its rate limit leaves no free slot before the deadline; try later."
                    )
                self._cond.wait(min(x for x in (wait, left, POLL) if x is not None))
            self._running += 1
        try:
            yield
        finally:
            with self._cond:
                self._running -= 1
                self._answered.append(self._clock())
                self._cond.notify_all()


class Manners:
    """Each service's limiter and each host's cap, shared by every client of one run, with
    a count of the requests made."""

    def __init__(self, policies: dict[str, Policy] | None = None) -> None:
        self.policies = configured() if policies is None else policies
        self.cancel = threading.Event()
        self._lock = threading.Lock()
        self._limiters: dict[str, Limiter] = {}
        self._requests: dict[str, int] = {}

    def _limiter(self, key: str, policy: Policy) -> Limiter:
        with self._lock:
            if key not in self._limiters:
                self._limiters[key] = Limiter(policy, self.cancel)
            return self._limiters[key]

    @contextmanager
    def slot(self, service: str | None, url: str, until: float | None) -> Iterator[None]:
        """The block sends one request to url within the service's and the host's limits."""
        if self.cancel.is_set():
            raise Cancelled("the sync was interrupted.")
        host = urlsplit(url).netloc.lower()
        key = service if service in self.policies else f"host {host}"
        policy = self.policies.get(key, OTHER)
        with self._lock:
            self._requests[key] = self._requests.get(key, 0) + 1
        hosts = self._limiter(f"in flight {host}", Policy(None, 0.0, PER_HOST))
        # the service's slot first: a call waiting for its window holds no host slot
        with self._limiter(key, policy).slot(until), hosts.slot(until):
            yield

    def requests(self) -> int:
        """Requests started so far, over every service."""
        with self._lock:
            return sum(self._requests.values())


def configured() -> dict[str, Policy]:
    """The policies, with any HSTRACKER_<SERVICE>_RATE override ("20/10") applied."""
    policies = dict(POLICIES)
    for name, policy in POLICIES.items():
        calls, _, seconds = os.environ.get(RATE_ENV.format(name.upper()), "").partition("/")
        try:
            count, window = int(calls), float(seconds)
        except ValueError:
            continue
        if 0 < count <= 10_000 and 0 < window <= 3600:
            policies[name] = Policy(count, window, policy.in_flight)
    return policies
