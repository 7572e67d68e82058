"""Ask Crossref, doi.org and PubMed about references: one :class:`Lookup` per reference.

::

    with Resolver(mailto="you@example.org") as resolver:
        lookups = resolver.lookup(kb.references.values())

The resolver batches (50 DOIs per Crossref call, hundreds of PMIDs per E-utilities call),
keeps to each service's published limits, retries what is worth retrying, caches every
answer per identifier, and reports what failed as data (``Lookup.failures``). It decides
nothing about the references: verifying/verdicts.py compares and grades. See docs/services.md.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

import platformdirs
import requests

from ..identifiers import doi_key
from ..model import Reference
from ..progress import Progress, Task
from ..text.markup import strip_markup
from ..verification import Lookup, Record
from . import crossref_records as crossref
from . import pubmed_records as pubmed
from .crossref_lane import CrossrefLane
from .deadline import new_session
from .http import HttpClient, Outage, RetryPolicy, ServiceFault, user_agent
from .lookup_assembly import assemble, identifiers_of
from .lookup_cache import FILE_NAME, LookupCache
from .payloads import collapse
from .pubmed_lane import PubmedLane
from .rate_limit import Limiter, ServiceLimits
from .run_state import Endpoints, Run, Tasks

log = logging.getLogger(__name__)

CROSSREF_URL = "https://api.crossref.org"
DOI_URL = "https://doi.org"
EUTILS_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
TOOL = "proloevidence"


def _setting(value: str | None, variable: str, default: str | None = None) -> str | None:
    """An argument, else the environment variable (when non-empty), else the default."""
    if value is not None:
        return value or None
    return os.environ.get(variable) or default


class Resolver:
    """Looks references up in Crossref, doi.org and PubMed, politely and with a cache.

    Every argument has an environment fallback: base URLs from
    ``PROLOEVIDENCE_CROSSREF_URL`` / ``PROLOEVIDENCE_DOI_URL`` / ``PROLOEVIDENCE_EUTILS_URL``,
    the contact address from ``PROLOEVIDENCE_MAILTO`` (Crossref's polite pool, NCBI's
    ``email``), the NCBI key from ``NCBI_API_KEY``, the cache folder from
    ``PROLOEVIDENCE_CACHE_DIR`` (else the user cache directory). ``offline`` answers from
    the cache only; ``refresh`` ignores what is cached (and re-caches what it fetches).
    ``limits`` and ``retry`` replace the published limits and the retry policy (tests and
    benchmarks). A ``session`` passed in is used as is and not closed by :meth:`close`.
    """

    def __init__(
        self,
        session: requests.Session | None = None,
        *,
        crossref_url: str | None = None,
        doi_url: str | None = None,
        eutils_url: str | None = None,
        mailto: str | None = None,
        api_key: str | None = None,
        cache_dir: str | Path | None = None,
        offline: bool = False,
        refresh: bool = False,
        timeout: float = 20.0,
        max_bytes: int = 20_000_000,
        limits: ServiceLimits | None = None,
        retry: RetryPolicy | None = None,
        notify: Callable[[str], None] | None = None,
    ) -> None:
        self.crossref_url = _base(crossref_url, "PROLOEVIDENCE_CROSSREF_URL", CROSSREF_URL)
        self.doi_url = _base(doi_url, "PROLOEVIDENCE_DOI_URL", DOI_URL)
        self.eutils_url = _base(eutils_url, "PROLOEVIDENCE_EUTILS_URL", EUTILS_URL)
        self.mailto = _setting(mailto, "PROLOEVIDENCE_MAILTO")
        self.api_key = _setting(api_key, "NCBI_API_KEY")
        folder = _setting(
            str(cache_dir) if cache_dir is not None else None,
            "PROLOEVIDENCE_CACHE_DIR",
            platformdirs.user_cache_dir("proloevidence"),
        )
        self.cache_dir = Path(folder or ".")
        self.offline = offline
        self.refresh = refresh
        self._own_session = session is None
        self.session = session if session is not None else new_session()
        published = ServiceLimits.published(polite=bool(self.mailto), ncbi_key=bool(self.api_key))
        self.limits = limits or published
        public = ServiceLimits.published(polite=False, ncbi_key=False)
        self._limiters = {
            "crossref_single": Limiter(
                self.limits.crossref_single,
                name="Crossref",
                pools={"public": public.crossref_single},
            ),
            "crossref_list": Limiter(
                self.limits.crossref_list, name="Crossref", pools={"public": public.crossref_list}
            ),
            "doi": Limiter(self.limits.doi, name="doi.org"),
            "eutils": Limiter(self.limits.eutils, name="PubMed"),
        }
        self.http = HttpClient(
            self.session,
            user_agent=user_agent(self.mailto),
            timeout=timeout,
            max_bytes=max_bytes,
            retry=retry,
            secrets=[s for s in (self.mailto, self.api_key) if s],
            notify=notify,
        )
        self._cache: LookupCache | None = None

    # -- public API ---------------------------------------------------------------------

    def lookup(
        self,
        references: Sequence[Reference],
        progress: Callable[[int, int], None] | None = None,
    ) -> dict[str, Lookup]:
        """One :class:`Lookup` per reference key, in the order given.

        Only syntactically valid identifiers are sent (verifying/verdicts.py reports the others).
        ``progress(done, total)`` counts references whose answers are all in; it may be
        called from worker threads, never two calls at once.
        """
        refs = list(references)
        dois: dict[str, str] = {}
        doi_only: dict[str, str] = {}
        pmids: list[str] = []
        needs: dict[str, list[Task]] = {}
        for ref in refs:
            doi, pmid = identifiers_of(ref)
            tasks: list[Task] = []
            if doi:
                k = doi_key(doi)
                dois.setdefault(k, doi)
                tasks.append(("crossref", k))
                if not pmid:
                    doi_only.setdefault(k, doi)
                    tasks.append(("pubmed-doi", k))
            if pmid:
                pmids.append(pmid)
                tasks += [("esummary", pmid), ("efetch", pmid)]
            needs[ref.key] = tasks
        tracker = Progress(needs, progress)
        run = self._run(tracker)
        # The two lanes run side by side: each service has its own limits.
        with run.running(), ThreadPoolExecutor(2, "pe-lane") as lanes:
            crossref_done = lanes.submit(CrossrefLane(run).resolve, dois)
            pubmed_done = lanes.submit(PubmedLane(run).resolve, pmids, doi_only)
            crossref_done.result()
            pubmed_done.result()
        tracker.finish()
        return {ref.key: assemble(ref, run.answers, offline=self.offline) for ref in refs}

    def candidates(self, reference: Reference, rows: int = 3) -> list[Record]:
        """Records the reference may have meant, for a suggestion: PubMed first, then Crossref.

        PubMed: esearch for the title as a phrase (``"..."[Title]``; if that finds nothing,
        its longer words each as ``[Title]``), then esummary and efetch. Crossref:
        ``query.bibliographic`` with the title, first author and year. Records carry
        publication types where known. A failing service contributes nothing (logged).
        """
        title = collapse(strip_markup(reference.title)).replace('"', "").rstrip(" .")
        if not title:
            return []
        query = " ".join(
            p
            for p in (
                title,
                reference.authors[0].family if reference.authors else "",
                str(reference.year or ""),
            )
            if p
        )
        run = self._run(Progress({}))
        found: dict[str, list[Record]] = {"pubmed": [], "crossref": []}
        # The two searches are coordinated on their own threads: a coordinator waiting on
        # a service's pool must not occupy one of that pool's (possibly single) workers.
        with run.running(), ThreadPoolExecutor(2, "pe-lane") as lanes:
            searches = [
                lanes.submit(self._pubmed_candidates, PubmedLane(run), title, rows, found),
                lanes.submit(self._crossref_candidates, run, query, rows, found),
            ]
            for search in searches:
                search.result()
        return found["pubmed"] + found["crossref"]

    @property
    def outages(self) -> list[Outage]:
        """The services that could not be reached (each asked nothing after that)."""
        return self.http.outages

    @property
    def current_limits(self) -> ServiceLimits:
        """The limits in force now: the starting ones, or lower where a service said so."""
        return ServiceLimits(
            crossref_single=self._limiters["crossref_single"].limit,
            crossref_list=self._limiters["crossref_list"].limit,
            doi=self._limiters["doi"].limit,
            eutils=self._limiters["eutils"].limit,
        )

    def close(self) -> None:
        """Close the cache, and the session when the resolver made it."""
        if self._cache is not None:
            self._cache.close()
            self._cache = None
        if self._own_session:
            self.session.close()

    def __enter__(self) -> Resolver:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- internals ----------------------------------------------------------------------

    @property
    def cache(self) -> LookupCache:
        """The answer cache, opened on first use (``<cache_dir>/lookups.sqlite``)."""
        if self._cache is None:
            self._cache = LookupCache(self.cache_dir / FILE_NAME)
        return self._cache

    def _run(self, tracker: Progress) -> Run:
        ncbi = {"tool": TOOL}
        if self.mailto:
            ncbi["email"] = self.mailto
        if self.api_key:
            ncbi["api_key"] = self.api_key
        endpoints = Endpoints(
            crossref=self.crossref_url,
            doi=self.doi_url,
            eutils=self.eutils_url,
            ncbi_params=ncbi,
            crossref_single=self._limiters["crossref_single"],
            crossref_list=self._limiters["crossref_list"],
            doi_limiter=self._limiters["doi"],
            eutils_limiter=self._limiters["eutils"],
        )
        return Run(
            self.http, endpoints, self.cache, tracker, offline=self.offline, refresh=self.refresh
        )

    def _pubmed_candidates(
        self, lane: PubmedLane, title: str, rows: int, found: dict[str, list[Record]]
    ) -> None:
        try:
            ids = lane.search(f'"{title}"[Title]', rows)
            words = [w for w in re.findall(r"[^\W_]{4,}", title)][:8]
            if not ids and len(words) > 1:
                ids = lane.search(" AND ".join(f"{w}[Title]" for w in words), rows)
        except ServiceFault as fault:
            log.warning("no PubMed candidates: %s", fault)
            return
        fetches = Tasks()
        lane.fetch_pmids(ids, fetches)
        fetches.join()
        answers = lane.answers
        for pmid in ids:
            record = pubmed.record_from(
                pmid, answers.summary.get(pmid), answers.parsed_article(pmid)
            )
            if record is not None:
                found["pubmed"].append(record)

    def _crossref_candidates(
        self, run: Run, query: str, rows: int, found: dict[str, list[Record]]
    ) -> None:
        name = f"{rows}|{query}"
        cached = run.cached(self.crossref_url, "biblio", [name])
        if name in cached or self.offline:
            items = cached.get(name) or []
        else:
            try:
                reply = self.http.request(
                    self._limiters["crossref_list"],
                    "GET",
                    f"{self.crossref_url}/works",
                    params={"query.bibliographic": query, "rows": str(rows)},
                    interpret=crossref.work_list_items,
                )
            except ServiceFault as fault:
                log.warning("no Crossref candidates: %s", fault)
                return
            items = [crossref.slim(item) for item in reply.data]
            run.store(self.crossref_url, "biblio", {name: items or None})
        found["crossref"] = [crossref.record_from_work(item) for item in items]


def _base(value: str | None, variable: str, default: str) -> str:
    return (_setting(value, variable, default) or default).rstrip("/")
