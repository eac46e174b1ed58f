"""Client-side manners: how many requests each service gets in flight and per time window."""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
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
LEDGER = "pace.json"  # the calls of each service's last window, for the next run to count
MAX_LEDGER_KEYS = 100


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
        answered: list[float] | None = None,
    ) -> None:
        self.policy = policy
        self._cancel = cancel or threading.Event()
        self._clock = clock
        self._cond = threading.Condition()
        self._running = 0
        # when each call of the last window ended (on clock), an earlier run's included
        self._answered: deque[float] = deque(sorted(answered or [])[-(policy.calls or 0) :])

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

    def acquire(self) -> None:
        """Take one slot, waiting as long as the limits ask (bounded by the window, or by
        the running calls' own deadlines); a cancelled wait raises Cancelled."""
        with self._cond:
            while (wait := self._wait(self._clock())) != 0.0:
                if self._cancel.is_set():
                    raise Cancelled("the sync was interrupted.")
                self._cond.wait(POLL if wait is None else min(wait, POLL))
            self._running += 1

    def release(self) -> None:
        """Give the slot back; its call counts in the window from now."""
        with self._cond:
            self._running -= 1
            self._answered.append(self._clock())
            self._cond.notify_all()

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one slot for the block."""
        self.acquire()
        try:
            yield
        finally:
            self.release()

    def answered(self) -> list[float]:
        """When the calls still inside the window ended, on the limiter's clock."""
        with self._cond:
            self._wait(self._clock())  # drops the ones outside it
            return list(self._answered)


class Manners:
    """Each service's limiter and each host's cap, shared by every client of one run, with
    a count of the requests made.

    With a ledger folder, the calls of each service's last window are kept there when the run
    ends (save()) and counted by the next run: two syncs in a row keep to the limit together.
    """

    def __init__(
        self, policies: dict[str, Policy] | None = None, ledger: Path | None = None
    ) -> None:
        self.policies = configured() if policies is None else policies
        self.cancel = threading.Event()
        self._ledger = ledger
        self._earlier = _read_ledger(ledger / LEDGER) if ledger is not None else {}
        self._lock = threading.Lock()
        self._limiters: dict[str, Limiter] = {}
        self._counted: dict[str, str] = {}  # limiter key -> its ledger key
        self._requests: dict[str, int] = {}

    def _limiter(self, key: str, policy: Policy, host: str = "") -> Limiter:
        with self._lock:
            if key not in self._limiters:
                kept = f"{key} {host}"
                ago = time.time()
                now = time.monotonic()
                earlier = [now - (ago - t) for t in self._earlier.get(kept, []) if t <= ago]
                self._limiters[key] = Limiter(policy, self.cancel, answered=earlier)
                if policy.calls is not None:
                    self._counted[key] = kept
            return self._limiters[key]

    @contextmanager
    def slot(
        self, service: str | None, url: str, waiting: AbstractContextManager[None] | None = None
    ) -> Iterator[None]:
        """The block sends one request to url within the service's and the host's limits;
        the wait for them runs inside waiting."""
        if self.cancel.is_set():
            raise Cancelled("the sync was interrupted.")
        try:
            host = urlsplit(url).netloc.lower()
        except ValueError:  # httpx then refuses the URL, in one line
            host = ""
        key = service if service in self.policies else f"host {host}"
        policy = self.policies.get(key, OTHER)
        with self._lock:
            self._requests[key] = self._requests.get(key, 0) + 1
        service_limiter = self._limiter(key, policy, host)
        hosts = self._limiter(f"in flight {host}", Policy(None, 0.0, PER_HOST))
        with waiting or contextlib.nullcontext():
            # the service's slot first: a call waiting for its window holds no host slot
            service_limiter.acquire()
            try:
                hosts.acquire()
            except BaseException:
                service_limiter.release()
                raise
        try:
            yield
        finally:
            hosts.release()
            service_limiter.release()

    def save(self) -> None:
        """Keep each counted service's last window in the ledger (best effort: a ledger that
        cannot be written only means the next run does not know of these calls)."""
        if self._ledger is None:
            return
        wall, mono = time.time(), time.monotonic()
        kept = {k: v for k, v in self._earlier.items() if v and wall - max(v) < 3600}
        for key, name in self._counted.items():
            kept[name] = [wall - (mono - t) for t in self._limiters[key].answered()]
        kept = dict(sorted(kept.items(), key=lambda kv: max(kv[1], default=0))[-MAX_LEDGER_KEYS:])
        with contextlib.suppress(OSError):
            self._ledger.mkdir(parents=True, exist_ok=True)
            temp = self._ledger / f".{LEDGER}.{os.getpid()}"
            temp.write_text(json.dumps(kept), encoding="utf-8")
            os.replace(temp, self._ledger / LEDGER)

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


def _read_ledger(path: Path) -> dict[str, list[float]]:
    """The ledger's calls per key; anything unreadable or odd counts as no earlier calls."""
    try:
        with path.open("rb") as file:
            data = json.loads(file.read(1 << 20))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        str(key): [float(t) for t in times[:10_000] if isinstance(t, int | float)]
        for key, times in list(data.items())[:MAX_LEDGER_KEYS]
        if isinstance(times, list)
    }
