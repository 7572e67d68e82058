"""The limiter: never more than the limit per window or in flight, and only ever slower."""

from __future__ import annotations

import threading
import time

import pytest

from proloevidence.services.rate_limit import Limiter, RateLimit, ServiceLimits


def start_times(limiter: Limiter, count: int, hold: float = 0.0) -> list[float]:
    times: list[float] = []
    lock = threading.Lock()

    def one() -> None:
        with limiter.slot():
            with lock:
                times.append(time.monotonic())
            time.sleep(hold)

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(times)


def most_in_any_window(times: list[float], window: float) -> int:
    return max(sum(1 for t in times if start <= t < start + window) for start in times)


def test_no_more_than_the_limit_starts_in_any_window() -> None:
    limiter = Limiter(RateLimit(3, per=0.2, concurrency=10))
    times = start_times(limiter, 9)
    assert most_in_any_window(times, 0.2) == 3
    assert times[-1] - times[0] >= 0.4  # 9 requests at 3 per 0.2 s need two more windows


def test_no_more_than_the_concurrency_in_flight() -> None:
    limiter = Limiter(RateLimit(1000, per=1.0, concurrency=2))
    in_flight = 0
    peak = 0
    lock = threading.Lock()

    def one() -> None:
        nonlocal in_flight, peak
        with limiter.slot():
            with lock:
                in_flight += 1
                peak = max(peak, in_flight)
            time.sleep(0.03)
            with lock:
                in_flight -= 1

    threads = [threading.Thread(target=one) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak == 2


def test_adapts_down_never_up() -> None:
    limiter = Limiter(RateLimit(3, 1.0, 3))
    limiter.adapt(RateLimit(10, 1.0, 10))
    assert limiter.limit == RateLimit(3, 1.0, 3)
    limiter.adapt(RateLimit(1, 1.0, 1))
    assert limiter.limit == RateLimit(1, 1.0, 1)


def test_follows_crossref_limit_headers_down() -> None:
    limiter = Limiter(RateLimit(10, 1.0, 3))
    limiter.observe({"x-rate-limit-limit": "50", "x-rate-limit-interval": "1s"})
    assert limiter.limit == RateLimit(10, 1.0, 3)
    headers = {"x-rate-limit-limit": "5", "x-rate-limit-interval": "1s", "x-concurrency-limit": "1"}
    limiter.observe(headers)
    assert limiter.limit == RateLimit(5, 1.0, 1)


def test_follows_ncbi_spelling_and_interval_units() -> None:
    limiter = Limiter(RateLimit(10, 1.0, 3))
    limiter.observe({"x-ratelimit-limit": "3"})
    assert limiter.limit.rate == 3
    limiter.observe({"x-rate-limit-limit": "1", "x-rate-limit-interval": "2000ms"})
    assert limiter.limit.rate == 0.5


def test_ignores_garbled_headers() -> None:
    limiter = Limiter(RateLimit(3, 1.0, 3))
    limiter.observe({"x-rate-limit-limit": "lots", "x-concurrency-limit": "-1"})
    assert limiter.limit == RateLimit(3, 1.0, 3)


def test_public_pool_header_drops_to_the_public_limits() -> None:
    public = ServiceLimits.published(polite=False, ncbi_key=False).crossref_list
    limiter = Limiter(RateLimit(3, 1.0, 3), pools={"public": public})
    limiter.observe({"x-api-pool": "polite"})
    assert limiter.limit == RateLimit(3, 1.0, 3)
    limiter.observe({"x-api-pool": "public"})
    assert limiter.limit == RateLimit(1, 1.0, 1)


def test_pause_holds_every_caller() -> None:
    limiter = Limiter(RateLimit(100, 1.0, 5))
    limiter.pause(0.15)
    before = time.monotonic()
    with limiter.slot():
        pass
    assert time.monotonic() - before >= 0.14


def test_published_limits() -> None:
    public = ServiceLimits.published(polite=False, ncbi_key=False)
    polite = ServiceLimits.published(polite=True, ncbi_key=True)
    assert (public.crossref_single, public.crossref_list) == (
        RateLimit(5, 1, 1),
        RateLimit(1, 1, 1),
    )
    assert (polite.crossref_single, polite.crossref_list) == (
        RateLimit(10, 1, 3),
        RateLimit(3, 1, 3),
    )
    assert (public.eutils.rate, polite.eutils.rate) == (3, 10)


def test_an_unusable_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="not a usable limit"):
        RateLimit(0)
