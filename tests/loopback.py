"""Crossref, doi.org and NCBI E-utilities on 127.0.0.1, answering from records held in memory.

A real HTTP server (pytest-httpserver) that answers the requests documented in
/work/shared/reference/apis.md in the documented shapes: Crossref ``/works?filter=doi:...``
(work-list, unknown DOIs silently absent, ``rows`` honoured, a comma DOI in a filter -> 400),
``/works/{doi}`` (work, or 404 text/plain "Resource not found."), ``/works?query.bibliographic``
(items with a relevance ``score``); doi.org ``/ra/{doi,...}`` and CSL-JSON content negotiation
(302 to Crossref's transform for Crossref DOIs, 404 HTML for unknown ones); E-utilities
``esummary.fcgi`` (JSON, "cannot get document summary" for unknown ids, GET or POST),
``efetch.fcgi`` (PubmedArticleSet XML, empty for unknown ids) and ``esearch.fcgi``
(``term=DOI[doi]`` and title/word searches). The records come from tests/fixtures (see the
README there for which are recorded and which were built).

Every request is logged in :attr:`Services.requests` so tests can count them. A service named
in :attr:`Services.failing` answers 503 with ``Retry-After: 0`` (retries stay fast).
"""

from __future__ import annotations

import copy
import json
import re
import unicodedata
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

FIXTURES = Path(__file__).parent / "fixtures"

# The headers Crossref sent in the recorded polite-pool cassettes (habanero__test_works_*).
CROSSREF_HEADERS = {
    "x-rate-limit-limit": "10",
    "x-rate-limit-interval": "1s",
    "x-concurrency-limit": "3",
    "x-api-pool": "polite",
}
NOT_FOUND_HTML = (
    "<html><head><title>Error: DOI Not Found</title></head><body>DOI Not Found</body></html>"
)


def _words(text: str) -> set[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return {w for w in re.split(r"[^a-z0-9]+", folded) if len(w) > 2 or w.isdigit()}


_QUERY_NOISE = {"and", "or", "not", "the", "for"}


@dataclass
class Services:
    """The records the three services hold, and what they were asked."""

    works: dict[str, dict[str, Any]] = field(default_factory=dict)
    agencies: dict[str, str] = field(default_factory=dict)
    csl: dict[str, dict[str, Any]] = field(default_factory=dict)
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    articles: dict[str, str] = field(default_factory=dict)
    failing: set[str] = field(default_factory=set)
    requests: list[tuple[str, str, str, str]] = field(default_factory=list)

    # -- loading -------------------------------------------------------------------------
    def add_works(self, *paths: Path) -> Services:
        """Crossref bodies: a single ``work`` or a ``work-list`` envelope."""
        for path in paths:
            body = json.loads(path.read_text(encoding="utf-8"))
            message = body["message"]
            for item in message["items"] if body["message-type"] == "work-list" else [message]:
                self.works[item["DOI"].lower()] = item
                self.agencies.setdefault(item["DOI"].lower(), "Crossref")
        return self

    def add_agencies(self, path: Path) -> Services:
        """A doi.org ``/ra/`` answer: [{DOI, RA} or {DOI, status}]."""
        for entry in json.loads(path.read_text(encoding="utf-8")):
            if "RA" in entry:
                self.agencies[entry["DOI"].lower()] = entry["RA"]
        return self

    def add_summaries(self, path: Path) -> Services:
        """An esummary JSON envelope."""
        result = json.loads(path.read_text(encoding="utf-8"))["result"]
        for uid in result["uids"]:
            self.summaries[uid] = result[uid]
        return self

    def add_articles(self, path: Path) -> Services:
        """An efetch PubmedArticleSet: each PubmedArticle kept as its XML text."""
        for article in ET.parse(path).getroot().iter("PubmedArticle"):
            pmid = article.findtext("MedlineCitation/PMID") or ""
            self.articles[pmid] = ET.tostring(article, encoding="unicode")
        return self

    # -- serving -------------------------------------------------------------------------
    def install(self, server: HTTPServer) -> dict[str, str]:
        """Answer under /crossref, /doi and /eutils; return the Resolver's base URL arguments."""
        for prefix, handler in (
            ("crossref", self._crossref),
            ("doi", self._doi),
            ("eutils", self._eutils),
        ):
            server.expect_request(re.compile(f"^/{prefix}(/.*)?$")).respond_with_handler(
                self._logged(prefix, handler)
            )
        return {
            "crossref_url": server.url_for("/crossref"),
            "doi_url": server.url_for("/doi"),
            "eutils_url": server.url_for("/eutils"),
        }

    def count(self, service: str | None = None) -> int:
        return sum(1 for r in self.requests if service is None or r[0] == service)

    def _logged(self, service: str, handler: Any) -> Any:
        def respond(request: Request) -> Response:
            body = request.get_data(as_text=True)
            self.requests.append((service, request.method, request.full_path, body))
            if service in self.failing:
                return Response("Service Unavailable", 503, {"Retry-After": "0"})
            result: Response = handler(request, request.path[len(service) + 1 :])
            return result

        return respond

    # -- Crossref ------------------------------------------------------------------------
    def _crossref(self, request: Request, path: str) -> Response:
        args = request.args
        if path.rstrip("/") in ("/works", "/v1/works"):
            query = args.get("query.bibliographic") or args.get("query")
            if query:  # any filter beside a query (type, dates) is ignored here
                return self._crossref_query(query, int(args.get("rows", 20)))
            if "filter" in args:
                return self._crossref_filter(args["filter"], int(args.get("rows", 20)))
            return self._json({"status": "failed", "message": "no filter or query"}, 400)
        match = re.fullmatch(r"(?:/v1)?/works/(.+?)(/agency|/transform(?:/.*)?)?", path)
        if not match:
            return Response("Resource not found.", 404, content_type="text/plain")
        doi, tail = urllib.parse.unquote(match.group(1)), match.group(2) or ""
        work = self.works.get(doi.lower())
        if work is None:
            return Response("Resource not found.", 404, content_type="text/plain")
        if tail == "/agency":
            agency = {"id": "crossref", "label": "Crossref"}
            return self._crossref_json({"DOI": work["DOI"], "agency": agency}, "work-agency")
        if tail.startswith("/transform"):
            return Response(
                json.dumps(self._csl_of(work)),
                200,
                content_type="application/vnd.citationstyles.csl+json",
                headers=CROSSREF_HEADERS,
            )
        return self._crossref_json(work, "work")

    def _crossref_filter(self, value: str, rows: int) -> Response:
        parts = value.split(",")
        if any(not p.startswith("doi:") for p in parts):
            # A DOI holding a comma splits the filter into a bogus one (apis.md).
            return self._json(
                {"status": "failed", "message": [{"type": "validation-failure"}]}, 400
            )
        items = [self.works[p[4:].lower()] for p in parts if p[4:].lower() in self.works]
        return self._crossref_list(items[:rows])

    def _crossref_query(self, query: str, rows: int) -> Response:
        wanted = _words(query) - _QUERY_NOISE
        scored = []
        for work in self.works.values():
            text = " ".join(
                [*work.get("title", []), *work.get("container-title", [])]
                + [a.get("family", "") for a in work.get("author", [])]
            )
            overlap = len(wanted & _words(text))
            if overlap:
                scored.append((overlap, work))
        scored.sort(key=lambda s: -s[0])
        items = []
        for overlap, work in scored[:rows]:
            item = copy.deepcopy(work)
            item["score"] = float(overlap * 10)
            items.append(item)
        return self._crossref_list(items)

    def _crossref_list(self, items: list[dict[str, Any]]) -> Response:
        message = {"total-results": len(items), "items-per-page": len(items), "items": items}
        return self._crossref_json(message, "work-list")

    def _crossref_json(self, message: dict[str, Any], kind: str) -> Response:
        body = {
            "status": "ok",
            "message-type": kind,
            "message-version": "1.0.0",
            "message": message,
        }
        return Response(
            json.dumps(body), 200, content_type="application/json", headers=CROSSREF_HEADERS
        )

    @staticmethod
    def _csl_of(work: dict[str, Any]) -> dict[str, Any]:
        """Crossref's CSL transform (recorded 2026: Crossref type names, title as a string)."""
        csl: dict[str, Any] = {
            "DOI": work["DOI"],
            "type": work.get("type", "journal-article"),
            "title": (work.get("title") or [""])[0],
            "container-title": (work.get("container-title") or [""])[0],
            "author": [
                {k: a[k] for k in ("family", "given") if k in a} for a in work.get("author", [])
            ],
            "issued": work.get("issued", {"date-parts": [[None]]}),
        }
        for key in ("volume", "issue", "page", "ISSN", "publisher"):
            if key in work:
                csl[key] = work[key]
        return csl

    # -- doi.org -------------------------------------------------------------------------
    def _doi(self, request: Request, path: str) -> Response:
        if path.startswith("/ra/"):
            answer = []
            for doi in urllib.parse.unquote(path[4:]).split(","):
                agency = self.agencies.get(doi.lower())
                entry = (
                    {"DOI": doi, "RA": agency}
                    if agency
                    else {"DOI": doi, "status": "DOI does not exist"}
                )
                answer.append(entry)
            return self._json(answer)
        doi = urllib.parse.unquote(path.lstrip("/"))
        if doi.lower() in self.csl:
            return Response(
                json.dumps(self.csl[doi.lower()]),
                200,
                content_type="application/vnd.citationstyles.csl+json",
            )
        if doi.lower() in self.works:
            quoted = urllib.parse.quote(doi, safe="")
            csl = "application/vnd.citationstyles.csl+json"
            target = f"{request.host_url}crossref/works/{quoted}/transform/{csl}"
            return Response("", 302, {"Location": target})
        if not re.match(r"^10\.\d{4,9}/\S+$", doi):
            return Response("<html><body>Bad request</body></html>", 400, content_type="text/html")
        return Response(NOT_FOUND_HTML, 404, content_type="text/html")

    # -- E-utilities ---------------------------------------------------------------------
    def _eutils(self, request: Request, path: str) -> Response:
        tool = path.rsplit("/", 1)[-1]
        values = request.values
        ids = [i.strip() for i in values.get("id", "").split(",") if i.strip()]
        if tool == "esummary.fcgi":
            result: dict[str, Any] = {"uids": ids}
            for uid in ids:
                result[uid] = self.summaries.get(
                    uid, {"uid": uid, "error": "cannot get document summary"}
                )
            return self._json({"header": {"type": "esummary", "version": "0.3"}, "result": result})
        if tool == "efetch.fcgi":
            body = "".join(self.articles[i] for i in ids if i in self.articles)
            xml = f'<?xml version="1.0" ?>\n<PubmedArticleSet>{body}</PubmedArticleSet>\n'
            return Response(xml, 200, content_type="text/xml; charset=UTF-8")
        if tool == "esearch.fcgi":
            found = self._search(values.get("term", ""))
            retmax = int(values.get("retmax", 20))
            result = {
                "count": str(len(found)),
                "retmax": str(min(retmax, len(found))),
                "retstart": "0",
                "idlist": found[:retmax],
                "translationset": [],
                "querytranslation": values.get("term", ""),
            }
            return self._json(
                {"header": {"type": "esearch", "version": "0.3"}, "esearchresult": result}
            )
        return Response("unknown tool", 404, content_type="text/plain")

    def _search(self, term: str) -> list[str]:
        doi = re.fullmatch(r'\s*"?([^"\[]+?)"?\s*\[(?:doi|aid|lid)\]\s*', term, re.I)
        if doi:
            wanted = doi.group(1).strip().lower()
            return [
                uid
                for uid, record in self.summaries.items()
                if any(
                    a["idtype"] == "doi" and a["value"].lower() == wanted
                    for a in record["articleids"]
                )
            ]
        words = _words(re.sub(r"\[[^\]]*\]", " ", term)) - _QUERY_NOISE
        if not words:
            return []
        hits = []
        for uid, record in self.summaries.items():
            text = " ".join(
                [record["title"], record["pubdate"], *(a["name"] for a in record["authors"])]
            )
            if words <= _words(text):
                hits.append(uid)
        return hits

    @staticmethod
    def _json(body: Any, status: int = 200) -> Response:
        return Response(json.dumps(body), status, content_type="application/json")


def bundled_services() -> Services:
    """Records like the public ones for the five bundled references (tests/fixtures/README.md)."""
    folder = FIXTURES / "bundled"
    return (
        Services()
        .add_works(folder / "crossref-works.json")
        .add_agencies(folder / "doi-ra.json")
        .add_summaries(folder / "esummary.json")
        .add_articles(folder / "efetch.xml")
    )


def recorded_services(extra: Iterable[Path] = ()) -> Services:
    """Recorded Crossref bodies (retractions, a correction, a clean record), built PubMed ones."""
    services = bundled_services().add_works(
        FIXTURES / "citeguard__wakefield_1998.json",
        FIXTURES / "citeguard__surgisphere_mehra_2020.json",
        FIXTURES / "citeguard__watson_crick_1953_clean.json",
        FIXTURES / "habanero__test_works_with_one_id__0.json",
        *extra,
    )
    services.add_summaries(FIXTURES / "built" / "esummary-extra.json")
    services.add_articles(FIXTURES / "metapub__35649368.xml")
    services.add_articles(FIXTURES / "built" / "efetch-retracted.xml")
    return services
