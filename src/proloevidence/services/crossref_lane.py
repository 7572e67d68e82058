"""The Crossref lane: DOIs in batches through Crossref, then doi.org for the ones it lacks.

``/works?filter=doi:A,doi:B&rows=N`` in batches of 50, matched back case-insensitively; a
DOI with a comma alone through ``/works/{doi}``. Crossref's 404 does not mean a DOI does
not exist (DataCite, mEDRA ...), so the DOIs it lacks go to doi.org's ``/ra/`` and, when
another agency holds them, to CSL-JSON content negotiation (shared/reference/apis.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..identifiers import quote_doi
from . import crossref_records as crossref
from . import doiorg_records as doiorg
from .http import ServiceFault
from .run_state import Run, Tasks, chunks

CROSSREF_BATCH = 50
"""DOIs per ``filter=doi:`` call: the URL stays far under Crossref's ~4 KB path limit."""
RA_BATCH = 20

WORK = "work.v2"
"""The cache kind of a Crossref work. Version 2 keeps the abstract (an editor reads it in
``proloevidence review``); works cached as ``work`` had it stripped, so they are not read
and expire on their own."""


class CrossrefLane:
    """Fills ``answers.crossref``, ``answers.agency`` and ``answers.csl`` for DOIs."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.ep = run.ep
        self.answers = run.answers
        self.progress = run.progress
        self._doi_tasks = Tasks()
        self._absent: list[str] = []
        self._unconfirmed: set[str] = set()

    def resolve(self, dois: Mapping[str, str]) -> None:
        """Crossref for every DOI (keyed by doi_key); doi.org for those Crossref lacks."""
        works = Tasks()
        cached = self.run.cached(self.ep.crossref, WORK, list(dois))
        self.answers.crossref.update(cached)
        self._after_crossref(list(cached), dois)
        todo = [k for k in dois if k not in cached]
        if self.run.offline:
            self.progress.resolve(("crossref", k) for k in todo)
        else:
            plain = [k for k in todo if "," not in dois[k]]
            for batch in chunks(plain, CROSSREF_BATCH):
                works.submit(self.run.pools["crossref-list"], self._works, batch, dois)
            for k in todo:
                if "," in dois[k]:  # a comma breaks filter=doi: (HTTP 400): ask alone
                    works.submit(self.run.pools["crossref-single"], self._work, k, dois)
        works.join()
        self._flush_absent(dois, everything=True)
        self._doi_tasks.join()

    def _works(self, batch: list[str], dois: Mapping[str, str]) -> None:
        params = {
            "filter": ",".join(f"doi:{dois[k]}" for k in batch),
            "rows": str(len(batch)),
        }
        try:
            reply = self.run.http.request(
                self.ep.crossref_list,
                "GET",
                f"{self.ep.crossref}/works",
                params=params,
                interpret=crossref.work_list_items,
            )
        except ServiceFault as fault:
            self.answers.fail("crossref", batch, fault)
            self.progress.resolve(("crossref", k) for k in batch)
            return
        items = crossref.items_by_doi(reply.data)
        self._got_works({k: _slim(items.get(k)) for k in batch}, dois)

    def _work(self, k: str, dois: Mapping[str, str]) -> None:
        try:
            reply = self.run.http.request(
                self.ep.crossref_single,
                "GET",
                f"{self.ep.crossref}/works/{quote_doi(dois[k])}",
                ok=(200, 404),
                interpret=crossref.work_message,
            )
        except ServiceFault as fault:
            self.answers.fail("crossref", [k], fault)
            self.progress.resolve([("crossref", k)])
            return
        self._got_works({k: _slim(reply.data)}, dois)

    def _got_works(self, works: dict[str, dict[str, Any] | None], dois: Mapping[str, str]) -> None:
        with self.answers.lock:
            self.answers.crossref.update(works)
            self._unconfirmed.update(k for k, v in works.items() if v is None)
        # "Not in Crossref" is cached once doi.org confirms it (_confirm_absent): a batch
        # answer that left out a DOI Crossref holds must not hide its record for a day.
        found = {k: v for k, v in works.items() if v is not None}
        self.run.store(self.ep.crossref, WORK, found)
        self._after_crossref(list(works), dois)

    def _confirm_absent(self, keys: list[str]) -> None:
        """Cache Crossref's "not here" for DOIs doi.org places elsewhere or nowhere."""
        with self.answers.lock:
            confirmed = [
                k
                for k in keys
                if k in self._unconfirmed
                and k in self.answers.agency
                and (self.answers.agency[k] or "").lower() != "crossref"
            ]
            self._unconfirmed.difference_update(confirmed)
        self.run.store(self.ep.crossref, WORK, dict.fromkeys(confirmed))

    def _after_crossref(self, keys: list[str], dois: Mapping[str, str]) -> None:
        absent = [k for k in keys if self.answers.crossref.get(k) is None]
        for k in absent:
            self.progress.chain(("crossref", k), [("doi.org", k)])
        self.progress.resolve(("crossref", k) for k in keys)
        with self.answers.lock:
            self._absent += absent
        self._flush_absent(dois)

    def _flush_absent(self, dois: Mapping[str, str], everything: bool = False) -> None:
        """Hand DOIs Crossref lacks to doi.org in full ``/ra/`` batches (the rest at the end).

        A DOI Crossref lacks is rare; sending each batch's one or two at once would cost
        a request apiece where one carries twenty.
        """
        with self.answers.lock:
            size = len(self._absent) if everything else len(self._absent) // RA_BATCH * RA_BATCH
            ready, self._absent = self._absent[:size], self._absent[size:]
        if ready:
            self._doi_org(ready, dois, self._doi_tasks)

    def _doi_org(self, keys: list[str], dois: Mapping[str, str], tasks: Tasks) -> None:
        cached = self.run.cached(self.ep.doi, "ra", keys)
        with self.answers.lock:
            self.answers.agency.update(cached)
        self._after_agency(list(cached), dois, tasks)
        todo = [k for k in keys if k not in cached]
        if self.run.offline:
            self.progress.resolve(("doi.org", k) for k in todo)
            return
        plain = [k for k in todo if "," not in dois[k]]
        for batch in chunks(plain, RA_BATCH):
            tasks.submit(self.run.pools["doi"], self._agencies, batch, dois, tasks)
        for k in todo:
            # /ra/ splits its path on commas, so it cannot name a comma DOI: content
            # negotiation settles it instead (a 404 there means "not registered").
            if "," in dois[k]:
                tasks.submit(self.run.pools["doi"], self._csl, k, dois, True)

    def _agencies(self, batch: list[str], dois: Mapping[str, str], tasks: Tasks) -> None:
        url = f"{self.ep.doi}/ra/{','.join(quote_doi(dois[k]) for k in batch)}"
        try:
            reply = self.run.http.request(
                self.ep.doi_limiter, "GET", url, interpret=doiorg.agencies
            )
        except ServiceFault as fault:
            self.answers.fail("doi.org", batch, fault)
            self.progress.resolve(("doi.org", k) for k in batch)
            return
        found = {k: reply.data[k] for k in batch if k in reply.data}
        unanswered = [k for k in batch if k not in found]
        if unanswered:
            host = url.split("/")[2]
            self.answers.fail("doi.org", unanswered, f"{host}: no answer for this DOI ({url})")
            self.progress.resolve(("doi.org", k) for k in unanswered)
        with self.answers.lock:
            self.answers.agency.update(found)
        self.run.store(self.ep.doi, "ra", found)
        self._after_agency(list(found), dois, tasks)

    def _after_agency(self, keys: list[str], dois: Mapping[str, str], tasks: Tasks) -> None:
        self._confirm_absent(keys)
        # An agency of "" means registered with an agency not named (a comma DOI).
        registered = [k for k in keys if self.answers.agency.get(k) is not None]
        self.progress.resolve(("doi.org", k) for k in keys if k not in registered)
        if not registered:
            return
        cached = self.run.cached(self.ep.doi, "csl", registered)
        with self.answers.lock:
            self.answers.csl.update(cached)
        self.progress.resolve(("doi.org", k) for k in cached)
        for k in registered:
            if k in cached:
                continue
            if self.run.offline:
                self.progress.resolve([("doi.org", k)])
            else:
                tasks.submit(self.run.pools["doi"], self._csl, k, dois)

    def _csl(self, k: str, dois: Mapping[str, str], settles: bool = False) -> None:
        """Content negotiation for one DOI; when ``settles``, its 404 means "no such DOI"."""
        try:
            reply = self.run.http.request(
                self.ep.doi_limiter,
                "GET",
                f"{self.ep.doi}/{quote_doi(dois[k])}",
                accept=doiorg.CSL_JSON,
                ok=(200, 404),
                interpret=doiorg.csl_item,
            )
        except ServiceFault as fault:
            self.answers.fail("doi.org", [k], fault)
        else:
            item = dict(reply.data) if reply.data is not None else None
            with self.answers.lock:
                self.answers.csl[k] = item
                if settles:
                    self.answers.agency[k] = "" if item is not None else None
            self.run.store(self.ep.doi, "csl", {k: item})
            if settles:
                self.run.store(self.ep.doi, "ra", {k: self.answers.agency[k]})
                self._confirm_absent([k])
        self.progress.resolve([("doi.org", k)])


def _slim(item: Mapping[str, Any] | None) -> dict[str, Any] | None:
    return crossref.slim(item) if item is not None else None
