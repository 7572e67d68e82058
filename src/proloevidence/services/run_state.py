"""The state of one resolution run, shared by the Crossref and PubMed lanes.

A :class:`Run` holds the HTTP client, the endpoints and their limiters, the cache, the
progress tracker, the :class:`Answers` gathered so far and one thread pool per service,
as wide as that service's concurrency limit (the shared
:class:`~proloevidence.services.rate_limit.Limiter` keeps the pace). The lanes
(services/crossref_lane.py, services/pubmed_lane.py) fill the answers; a failed request
becomes a failure string for each identifier it carried, never an exception.
"""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..progress import Progress
from ..text.bounded_parsing import parse_xml
from . import pubmed_records as pubmed
from .http import HttpClient, ServiceFault
from .lookup_cache import MISSING_TTL, RECORD_TTL, LookupCache
from .rate_limit import Limiter

T = TypeVar("T")


@dataclass
class Answers:
    """What the services said, by identifier. A value of None is a definite "not found"."""

    crossref: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    agency: dict[str, str | None] = field(default_factory=dict)
    csl: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    doi_pmid: dict[str, str | None] = field(default_factory=dict)
    summary: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    article: dict[str, str | None] = field(default_factory=dict)
    failures: dict[tuple[str, str], str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _parsed: dict[str, pubmed.Article | None] = field(default_factory=dict)

    def parsed_article(self, pmid: str) -> pubmed.Article | None:
        """The efetch article for ``pmid``, parsed once."""
        if pmid not in self._parsed:
            xml = self.article.get(pmid)
            try:
                self._parsed[pmid] = pubmed.parse_article(parse_xml(xml)) if xml else None
            except ET.ParseError:  # a damaged or too deep cache entry: as if unanswered
                self._parsed[pmid] = None
        return self._parsed[pmid]

    def pubmed_doi(self, pmid: str) -> str | None:
        article = self.parsed_article(pmid)
        if article is not None and article.doi:
            return article.doi
        summary = self.summary.get(pmid)
        return pubmed.summary_doi(summary) if summary else None

    def fail(self, kind: str, ids: Sequence[str], fault: ServiceFault | str) -> None:
        with self.lock:
            for ident in ids:
                self.failures[(kind, ident)] = str(fault)


@dataclass(frozen=True)
class Endpoints:
    """The services' base URLs, the NCBI parameters, and one limiter per service."""

    crossref: str
    doi: str
    eutils: str
    ncbi_params: Mapping[str, str]
    crossref_single: Limiter
    crossref_list: Limiter
    doi_limiter: Limiter
    eutils_limiter: Limiter


class Tasks:
    """Futures submitted to several pools, joined together; new ones may join while waiting."""

    def __init__(self) -> None:
        self._futures: list[Future[None]] = []
        self._lock = threading.Lock()

    def submit(self, pool: ThreadPoolExecutor, fn: Callable[..., None], *args: Any) -> None:
        with self._lock:
            self._futures.append(pool.submit(fn, *args))

    def join(self) -> None:
        """Wait for everything, then re-raise the first unexpected exception (a bug)."""
        while True:
            with self._lock:
                pending = [f for f in self._futures if not f.done()]
            if not pending:
                break
            wait(pending)
        with self._lock:
            futures = list(self._futures)
        for future in futures:
            future.result()


class Run:
    """One lookup or search: what the lanes share; :attr:`answers` is the result."""

    def __init__(
        self,
        http: HttpClient,
        endpoints: Endpoints,
        cache: LookupCache,
        progress: Progress,
        *,
        offline: bool = False,
        refresh: bool = False,
    ) -> None:
        self.http = http
        self.ep = endpoints
        self.cache = cache
        self.progress = progress
        self.offline = offline
        self.refresh = refresh
        self.answers = Answers()
        self.pools: dict[str, ThreadPoolExecutor] = {}

    @contextmanager
    def running(self) -> Iterator[Run]:
        """Thread pools sized to each service's concurrency, for the duration of a run."""
        for name, limiter in (
            ("crossref-list", self.ep.crossref_list),
            ("crossref-single", self.ep.crossref_single),
            ("doi", self.ep.doi_limiter),
            ("eutils", self.ep.eutils_limiter),
        ):
            self.pools[name] = ThreadPoolExecutor(limiter.limit.concurrency, f"pe-{name}")
        try:
            yield self
        finally:
            for pool in self.pools.values():
                pool.shutdown(wait=True)
            self.pools.clear()

    def key(self, base: str, kind: str, ident: str) -> str:
        return f"{base}|{kind}|{ident}"

    def cached(self, base: str, kind: str, ids: Sequence[str]) -> dict[str, Any]:
        """Cached answers for ``ids`` (none when refreshing)."""
        if self.refresh or not ids:
            return {}
        prefix = self.key(base, kind, "")
        found = self.cache.get_many(prefix + i for i in ids)
        return {k[len(prefix) :]: v for k, v in found.items()}

    def store(self, base: str, kind: str, values: Mapping[str, Any]) -> None:
        """Cache found answers for 30 days and "not found" (None) for 1 day."""
        keyed = {self.key(base, kind, i): v for i, v in values.items()}
        self.cache.put_many(keyed, RECORD_TTL, ttl_if_none=MISSING_TTL)


def chunks(items: Sequence[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of at most ``size``."""
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
