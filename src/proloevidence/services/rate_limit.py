"""Per-service rate and concurrency limits, shared by every thread that talks to a service.

A :class:`Limiter` lets at most ``requests`` requests start in any window of ``per``
seconds and at most ``concurrency`` run at once. It starts at the published limits
(:meth:`ServiceLimits.published`) and only ever adapts *down*: to the
``x-rate-limit-limit`` / ``x-rate-limit-interval`` / ``x-concurrency-limit`` headers a
service sends, to the public pool when Crossref says ``x-api-pool: public``, and to a
pause after a 429. Nothing a server says can make it go faster than it started.
"""

from __future__ import annotations

import collections
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class RateLimit:
    """At most ``requests`` starts per ``per`` seconds, ``concurrency`` in flight."""

    requests: int
    per: float = 1.0
    concurrency: int = 1

    def __post_init__(self) -> None:
        if self.requests < 1 or self.per <= 0 or self.concurrency < 1:
            raise ValueError(f"not a usable limit: {self}")

    @property
    def rate(self) -> float:
        """Requests per second."""
        return self.requests / self.per


@dataclass(frozen=True)
class ServiceLimits:
    """The limits of each service the resolver talks to (one limiter each)."""

    crossref_single: RateLimit
    crossref_list: RateLimit
    doi: RateLimit
    eutils: RateLimit

    @classmethod
    def published(cls, *, polite: bool, ncbi_key: bool) -> ServiceLimits:
        """The services' published limits (shared/reference/apis.md).

        Crossref since 2025-12: single records 5/s with 1 in flight (public pool) or 10/s
        with 3 (polite pool, reached with a contact address); list queries, ``filter=doi:``
        included, 1/s with 1 or 3/s with 3. NCBI: 3/s, 10/s with an API key. doi.org
        publishes none; 5/s with 2 in flight is our own restraint.
        """
        return cls(
            crossref_single=RateLimit(10, 1.0, 3) if polite else RateLimit(5, 1.0, 1),
            crossref_list=RateLimit(3, 1.0, 3) if polite else RateLimit(1, 1.0, 1),
            doi=RateLimit(5, 1.0, 2),
            eutils=RateLimit(10, 1.0, 3) if ncbi_key else RateLimit(3, 1.0, 3),
        )


class Limiter:
    """Blocks callers of :meth:`slot` until starting one more request keeps to the limit.

    ``slack`` widens the window a little (5% by default) so that requests which leave
    exactly on time but arrive with network jitter never look too close together to the
    server. ``pools`` maps an ``x-api-pool`` header value to the limit that pool has.
    """

    def __init__(
        self,
        limit: RateLimit,
        *,
        name: str = "",
        slack: float = 0.05,
        pools: Mapping[str, RateLimit] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self._limit = limit
        self._slack = slack
        self._pools = {k.lower(): v for k, v in (pools or {}).items()}
        self._clock = clock
        self._starts: collections.deque[float] = collections.deque()
        self._in_flight = 0
        self._paused_until = 0.0
        self._cond = threading.Condition()

    @property
    def limit(self) -> RateLimit:
        """The limit in force now (the starting one, or lower after adapting)."""
        with self._cond:
            return self._limit

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Wait for a free slot, hold it while the request runs, then release it."""
        self._acquire()
        try:
            yield
        finally:
            with self._cond:
                self._in_flight -= 1
                self._cond.notify_all()

    def _acquire(self) -> None:
        with self._cond:
            while True:
                now = self._clock()
                window = self._limit.per * (1 + self._slack)
                while self._starts and now - self._starts[0] >= window:
                    self._starts.popleft()
                wait: float | None
                if now < self._paused_until:
                    wait = self._paused_until - now
                elif self._in_flight >= self._limit.concurrency:
                    wait = None  # until a request finishes
                elif len(self._starts) >= self._limit.requests:
                    wait = self._starts[0] + window - now
                else:
                    self._starts.append(now)
                    self._in_flight += 1
                    return
                self._cond.wait(wait)

    def pause(self, seconds: float) -> None:
        """Start nothing for ``seconds`` (after a 429, every thread waits, not just one)."""
        with self._cond:
            self._paused_until = max(self._paused_until, self._clock() + seconds)
            self._cond.notify_all()

    def adapt(self, limit: RateLimit) -> None:
        """Lower the rate and/or the concurrency to ``limit``'s where those are lower."""
        with self._cond:
            current = self._limit
            if limit.rate < current.rate:
                current = replace(current, requests=limit.requests, per=limit.per)
            if limit.concurrency < current.concurrency:
                current = replace(current, concurrency=limit.concurrency)
            self._limit = current

    def observe(self, headers: Mapping[str, str]) -> None:
        """Adapt down to what a response's headers announce (case-insensitive mapping)."""
        pool = headers.get("x-api-pool", "").strip().lower()
        if pool in self._pools:
            self.adapt(self._pools[pool])
        current = self.limit
        requests = _positive_int(
            headers.get("x-rate-limit-limit") or headers.get("x-ratelimit-limit")
        )
        per = _interval(headers.get("x-rate-limit-interval", "")) or 1.0
        concurrency = _positive_int(headers.get("x-concurrency-limit"))
        if requests:
            self.adapt(RateLimit(requests, per, current.concurrency))
        if concurrency:
            self.adapt(RateLimit(current.requests, current.per, concurrency))


def _positive_int(value: str | None) -> int | None:
    try:
        number = int(str(value).strip())
    except ValueError:
        return None
    return number if number > 0 else None


_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$")


def _interval(value: str) -> float | None:
    """``"1s"`` -> 1.0, ``"500ms"`` -> 0.5, ``"1m"`` -> 60.0."""
    found = _INTERVAL.match(value)
    if not found:
        return None
    number = float(found.group(1))
    scale = {"ms": 0.001, "m": 60.0}.get(found.group(2) or "s", 1.0)
    return number * scale if number > 0 else None
