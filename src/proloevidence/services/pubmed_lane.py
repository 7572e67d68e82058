"""The PubMed lane: esummary and efetch for PMIDs, esearch for the PMID of a DOI.

esummary (JSON) in batches of 500 and efetch (XML) in batches of 200, by POST above 200
ids; a DOI printed without a PMID is looked up with ``"DOI"[doi]`` terms, 50 OR-ed per
esearch call, and each PMID found is matched back to its DOI through the record's own
DOI (shared/reference/apis.md, "NCBI E-utilities").
"""

from __future__ import annotations

import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

from ..identifiers import doi_key
from . import pubmed_records as pubmed
from .http import ServiceFault
from .payloads import ShapeError
from .run_state import Run, Tasks, chunks

ESEARCH_BATCH = 50
ESUMMARY_BATCH = 500
EFETCH_BATCH = 200
"""Whole records with abstracts: 200 keep one answer to a few MB, under ``max_bytes``."""
NCBI_POST_ABOVE = 200
"""More ids than this go by POST (NCBI's advice; Biopython does the same)."""


class PubmedLane:
    """Fills ``answers.summary``, ``answers.article`` and ``answers.doi_pmid``."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.ep = run.ep
        self.answers = run.answers
        self.progress = run.progress
        self._requested: set[str] = set()
        self._searches: list[tuple[list[str], list[str]]] = []

    def resolve(self, pmids: Sequence[str], doi_only: Mapping[str, str]) -> None:
        """PubMed records for the PMIDs, and the PMID of each DOI printed without one."""
        cached = self.run.cached(self.ep.eutils, "doi", list(doi_only))
        self.answers.doi_pmid.update(cached)
        for k, pmid in cached.items():
            self._assign(k, pmid)
        search = [k for k in doi_only if k not in cached]
        searches, fetches = Tasks(), Tasks()
        if self.run.offline:
            self.progress.resolve(("pubmed-doi", k) for k in search)
        else:
            # Searches first: the records they find are fetched only once all are back,
            # so they share batches instead of costing two requests per search.
            for batch in chunks(search, ESEARCH_BATCH):
                searches.submit(self.run.pools["eutils"], self._esearch, batch, doi_only)
        known = [p for p in cached.values() if p]
        self.fetch_pmids([*pmids, *known], fetches)
        searches.join()
        found = [p for _, ids in self._searches for p in ids]
        self.fetch_pmids(found, fetches)
        fetches.join()
        leftovers = self._map_searches()
        if leftovers:  # a batch answer that could not be matched DOI by DOI: ask singly
            self._searches.clear()
            for k in leftovers:
                searches.submit(self.run.pools["eutils"], self._esearch, [k], doi_only)
            searches.join()
            self.fetch_pmids([p for _, ids in self._searches for p in ids], fetches)
            fetches.join()
            self._map_searches()
        self._efetch_left_out()

    def fetch_pmids(self, pmids: Sequence[str], tasks: Tasks) -> None:
        """esummary and efetch for PMIDs not already asked for in this run."""
        with self.answers.lock:
            new = [p for p in dict.fromkeys(pmids) if p not in self._requested]
            self._requested.update(new)
        summaries = self.run.cached(self.ep.eutils, "summary", new)
        articles = self.run.cached(self.ep.eutils, "article", new)
        # efetch's empty answer is trusted from the cache only where esummary agrees the PMID
        # does not exist; otherwise it was a batch answer that left the PMID out: ask again.
        articles = {
            p: a
            for p, a in articles.items()
            if a is not None or (p in summaries and summaries[p] is None)
        }
        with self.answers.lock:
            self.answers.summary.update(summaries)
            self.answers.article.update(articles)
        self.progress.resolve(("esummary", p) for p in summaries)
        self.progress.resolve(("efetch", p) for p in articles)
        need_summary = [p for p in new if p not in summaries]
        need_article = [p for p in new if p not in articles]
        if self.run.offline:
            self.progress.resolve(("esummary", p) for p in need_summary)
            self.progress.resolve(("efetch", p) for p in need_article)
            return
        for batch in chunks(need_summary, ESUMMARY_BATCH):
            tasks.submit(self.run.pools["eutils"], self._esummary, batch)
        for batch in chunks(need_article, EFETCH_BATCH):
            tasks.submit(self.run.pools["eutils"], self._efetch, batch)

    def _ncbi(self, tool: str, params: dict[str, str], post: bool, **kwargs: Any) -> Any:
        """One E-utilities call. With an e-mail address or API key it goes by POST, so
        neither ever appears in a URL (urllib3 and proxies log URLs, not bodies)."""
        params = {**params, **self.ep.ncbi_params}
        url = f"{self.ep.eutils}/{tool}.fcgi"
        if post or "email" in params or "api_key" in params:
            return self.run.http.request(self.ep.eutils_limiter, "POST", url, data=params, **kwargs)
        return self.run.http.request(self.ep.eutils_limiter, "GET", url, params=params, **kwargs)

    def _efetch_left_out(self) -> None:
        """A PMID esummary holds but efetch's answer left out: a failure, not "no record".

        Without its efetch record the reference's PubMed retraction links are unknown; the
        cached empty answer is not trusted next time either (:meth:`fetch_pmids`).
        """
        with self.answers.lock:
            summary, article = self.answers.summary, self.answers.article
            left_out = [
                p
                for p in self._requested
                if summary.get(p) is not None and p in article and article[p] is None
            ]
        if left_out:
            url = f"{self.ep.eutils}/efetch.fcgi"
            host = urllib.parse.urlsplit(url).netloc
            why = f"{host}: no answer for this PMID from efetch, though esummary has it ({url})"
            self.answers.fail("efetch", sorted(left_out), why)

    def _esummary(self, batch: list[str]) -> None:
        params = {"db": "pubmed", "id": ",".join(batch), "retmode": "json"}
        try:
            reply = self._ncbi(
                "esummary", params, len(batch) > NCBI_POST_ABOVE, interpret=pubmed.summaries
            )
        except ServiceFault as fault:
            self.answers.fail("esummary", batch, fault)
        else:
            # "Not found" is esummary's "cannot get document summary". An id the answer
            # leaves out is a glitch: reported (efetch may stand in), never cached.
            docs = {p: _plain(reply.data[p]) for p in batch if p in reply.data}
            left_out = [p for p in batch if p not in reply.data]
            if left_out:
                host = urllib.parse.urlsplit(reply.url).netloc
                why = f"{host}: no answer for this PMID ({reply.url})"
                self.answers.fail("esummary", left_out, why)
            with self.answers.lock:
                self.answers.summary.update(docs)
            self.run.store(self.ep.eutils, "summary", docs)
        self.progress.resolve(("esummary", p) for p in batch)

    def _efetch(self, batch: list[str]) -> None:
        params = {"db": "pubmed", "id": ",".join(batch), "retmode": "xml"}
        try:
            reply = self._ncbi(
                "efetch",
                params,
                len(batch) > NCBI_POST_ABOVE,
                accept="application/xml",
                expect="xml",
                interpret=_article_xml,
            )
        except ServiceFault as fault:
            self.answers.fail("efetch", batch, fault)
        else:
            articles = {p: reply.data.get(p) for p in batch}
            with self.answers.lock:
                self.answers.article.update(articles)
            self.run.store(self.ep.eutils, "article", articles)
        self.progress.resolve(("efetch", p) for p in batch)

    def search(self, term: str, rows: int) -> list[str]:
        """PMIDs for an esearch term (cached); raises :class:`ServiceFault`."""
        cached = self.run.cached(self.ep.eutils, "search", [f"{rows}|{term}"])
        if cached or self.run.offline:
            return list(cached.get(f"{rows}|{term}") or [])
        params = {"db": "pubmed", "term": term, "retmode": "json", "retmax": str(rows)}
        reply = self._ncbi("esearch", params, False, interpret=pubmed.esearch_ids)
        self.run.store(self.ep.eutils, "search", {f"{rows}|{term}": reply.data or None})
        return list(reply.data)

    def _esearch(self, batch: list[str], dois: Mapping[str, str]) -> None:
        term = " OR ".join(f'"{dois[k].replace(chr(34), "")}"[doi]' for k in batch)
        params = {
            "db": "pubmed",
            "term": term,
            "retmode": "json",
            "retmax": str(max(20, 3 * len(batch))),
        }
        try:
            reply = self._ncbi("esearch", params, len(term) > 1500, interpret=pubmed.esearch_ids)
        except ServiceFault as fault:
            self.answers.fail("pubmed-doi", batch, fault)
            self.progress.resolve(("pubmed-doi", k) for k in batch)
            return
        with self.answers.lock:
            self._searches.append((batch, list(reply.data)))

    def _map_searches(self) -> list[str]:
        """Match searched DOIs to the PMIDs found, by each record's own DOI.

        A one-DOI search needs no matching. In a batch, a DOI matching no record's DOI is
        not in PubMed, unless some record matched nothing either (its DOI missing from
        PubMed's ids): then those DOIs are returned to be searched one by one.
        """
        leftovers: list[str] = []
        for batch, ids in self._searches:
            by_doi: dict[str, str] = {}
            for found in ids:
                doi = self.answers.pubmed_doi(found)
                if doi and doi_key(doi) in batch:
                    by_doi.setdefault(doi_key(doi), found)
            unmatched = [p for p in ids if p not in by_doi.values()]
            for k in batch:
                if k in by_doi:
                    pmid: str | None = by_doi[k]
                elif len(batch) == 1:
                    pmid = ids[0] if ids else None
                elif unmatched:
                    leftovers.append(k)
                    continue
                else:
                    pmid = None
                self.answers.doi_pmid[k] = pmid
                self.run.store(self.ep.eutils, "doi", {k: pmid})
                self._assign(k, pmid)
        return leftovers

    def _assign(self, k: str, pmid: str | None) -> None:
        if pmid:
            self.progress.chain(("pubmed-doi", k), [("esummary", pmid), ("efetch", pmid)])
        self.progress.resolve([("pubmed-doi", k)])


def _plain(doc: Mapping[str, Any] | None) -> dict[str, Any] | None:
    return dict(doc) if doc is not None else None


def _article_xml(root: ET.Element) -> dict[str, str]:
    if root.tag != "PubmedArticleSet":
        raise ShapeError(f"the XML root is <{root.tag}>, not <PubmedArticleSet>")
    return {
        pmid: ET.tostring(element, encoding="unicode")
        for pmid, element in pubmed.article_elements(root).items()
    }
