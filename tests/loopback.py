"""Crossref, doi.org and NCBI E-utilities on 127.0.0.1, for the real resolver to talk to.

One fake-service server for every test that needs the network: the resolver's lane tests and
the end-to-end verify, audit, fix and doc-build tests. A real HTTP server (pytest-httpserver)
answers the requests documented in shared/reference/apis.md, in the documented shapes:

- Crossref ``/works?filter=doi:...`` (``work-list``; unknown DOIs silently absent; ``rows``
  honoured; a comma DOI in a filter -> 400), ``/works/{doi}`` (``work``, or 404 text/plain
  "Resource not found."), ``/works?query.bibliographic=...`` (items with a relevance
  ``score``; a query wins over filters beside it);
- doi.org ``/ra/{doi,...}`` and CSL-JSON content negotiation (the stored CSL item, else a 302
  to Crossref's transform for Crossref DOIs, else doi.org's 404 HTML page);
- E-utilities ``esummary.fcgi`` (JSON, "cannot get document summary" for unknown ids, GET or
  POST), ``efetch.fcgi`` (PubmedArticleSet XML, empty for unknown ids) and ``esearch.fcgi``
  (``DOI[doi]`` terms, title phrases and title words).

Where the records come from is always labelled. RECORDED: responses from shared/fixtures
copied into tests/fixtures (:func:`fixture_json`, :func:`cassette_response`,
:func:`fixture_articles`, :func:`recorded_services`). BUILT: bodies built here in the
documented shapes where no recording exists (:func:`crossref_work`, :func:`esummary_doc`,
:func:`efetch_article`; no public recording exists of an esummary ``retmode=json`` answer, a
Crossref ``filter=doi:a,doi:b`` batch or a PubMed record with ``RetractionIn``), and the
records like the public ones for the five bundled references (:func:`bundled_services`;
tests/fixtures/README.md says which fact comes from which record).

Every request that reaches these handlers is logged (:meth:`Services.requests`) so tests can
count them; a service named in :attr:`Services.failing` answers 503 with ``Retry-After: 0``.
"""

from __future__ import annotations

import contextlib
import copy
import gzip
import io
import json
import re
import threading
import time
import unicodedata
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
import yaml
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from proloevidence.cli import main
from proloevidence.identifiers import doi_key
from proloevidence.services.http import RetryPolicy
from proloevidence.services.rate_limit import RateLimit, ServiceLimits
from proloevidence.services.resolver import Resolver

FIXTURES = Path(__file__).parent / "fixtures"

FAST = ServiceLimits(
    crossref_single=RateLimit(200, 1.0, 4),
    crossref_list=RateLimit(200, 1.0, 4),
    doi=RateLimit(200, 1.0, 4),
    eutils=RateLimit(200, 1.0, 4),
)
"""Limits high enough that tests not about limits never wait for the limiter."""

QUICK_RETRY = RetryPolicy(attempts=3, backoff=0.01, factor=2.0, max_delay=0.05, total=5.0)

# RECORDED: the headers Crossref sent in the polite-pool cassettes (habanero__test_works_*).
CROSSREF_HEADERS = {
    "x-rate-limit-limit": "10",
    "x-rate-limit-interval": "1s",
    "x-concurrency-limit": "3",
    "x-api-pool": "polite",
}
NOT_FOUND_HTML = (
    "<html><head><title>Error: DOI Not Found</title></head><body>DOI Not Found</body></html>"
)
CSL_JSON = "application/vnd.citationstyles.csl+json"

# -- recorded responses -----------------------------------------------------------------------


def fixture_json(name: str) -> Any:
    """A RECORDED JSON body from tests/fixtures."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def cassette_response(name: str, index: int = 0) -> Response:
    """A RECORDED response (status, headers, body) from a vcrpy cassette, replayed as is."""
    data = yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8"))
    recorded = data["interactions"][index]["response"]
    body = recorded["body"]["string"]
    headers = {k: v[0] for k, v in recorded["headers"].items()}
    if isinstance(body, bytes) and headers.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
    for hop in ("content-encoding", "transfer-encoding", "connection", "content-length"):
        headers.pop(hop, None)
    return Response(body, status=recorded["status"]["code"], headers=headers)


def fixture_articles(name: str) -> dict[str, str]:
    """The ``<PubmedArticle>`` elements of a RECORDED efetch body, by PMID."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    found = {}
    for match in re.finditer(r"<PubmedArticle>.*?</PubmedArticle>", text, re.S):
        pmid = re.search(r"<PMID[^>]*>(\d+)</PMID>", match.group(0))
        assert pmid is not None
        found[pmid.group(1)] = match.group(0)
    return found


# -- bodies built in the documented shapes ------------------------------------------------------


def crossref_work(
    doi: str,
    title: str = "A title",
    *,
    authors: tuple[tuple[str, str], ...] = (("Smith", "Jane"),),
    journal: str = "Journal of Tests",
    year: int | None = 2020,
    volume: str = "1",
    issue: str = "2",
    page: str = "3-4",
    **extra: Any,
) -> dict[str, Any]:
    """A BUILT Crossref ``work`` item in the documented shape (arrays for titles, DOI lower)."""
    item: dict[str, Any] = {
        "DOI": doi.lower(),
        "type": "journal-article",
        "title": [title],
        "author": [{"family": f, "given": g, "sequence": "additional"} for f, g in authors],
        "container-title": [journal],
        "short-container-title": [],
        "issued": {"date-parts": [[year]]},
        "volume": volume,
        "issue": issue,
        "page": page,
        "ISSN": ["1234-5678"],
    }
    item.update(extra)
    return item


def esummary_doc(
    pmid: str,
    title: str = "A title.",
    *,
    authors: tuple[str, ...] = ("Smith J",),
    source: str = "J Tests",
    fulljournalname: str = "Journal of tests",
    pubdate: str = "2020 Dec",
    volume: str = "1",
    issue: str = "2",
    pages: str = "3-4",
    pubtype: tuple[str, ...] = ("Journal Article",),
    doi: str | None = None,
) -> dict[str, Any]:
    """A BUILT esummary ``retmode=json`` document in the documented shape (none is recorded)."""
    ids = [{"idtype": "pubmed", "idtypen": 1, "value": pmid}]
    if doi:
        ids.append({"idtype": "doi", "idtypen": 3, "value": doi})
    return {
        "uid": pmid,
        "pubdate": pubdate,
        "epubdate": "",
        "source": source,
        "authors": [{"name": a, "authtype": "Author", "clusterid": ""} for a in authors],
        "title": title,
        "volume": volume,
        "issue": issue,
        "pages": pages,
        "fulljournalname": fulljournalname,
        "pubtype": list(pubtype),
        "articleids": ids,
        "issn": "1234-5678",
        "essn": "",
        "elocationid": f"doi: {doi}" if doi else "",
    }


def efetch_article(
    pmid: str,
    title_xml: str = "A title.",
    *,
    doi: str | None = None,
    pubtypes: tuple[str, ...] = ("Journal Article",),
    links: tuple[tuple[str, str, str], ...] = (),
    authors: tuple[tuple[str, str], ...] = (("Smith", "Jane"),),
) -> str:
    """A BUILT ``<PubmedArticle>`` in the NLM DTD's shape; ``links`` are CommentsCorrections
    (RefType, RefSource, PMID). Used where no recording exists (e.g. ``RetractionIn``)."""
    author_xml = "".join(
        f"<Author ValidYN='Y'><LastName>{escape(f)}</LastName><ForeName>{escape(g)}</ForeName>"
        "</Author>"
        for f, g in authors
    )
    types = "".join(f"<PublicationType>{escape(t)}</PublicationType>" for t in pubtypes)
    comments = "".join(
        f'<CommentsCorrections RefType="{t}"><RefSource>{escape(s)}</RefSource>'
        f'<PMID Version="1">{p}</PMID></CommentsCorrections>'
        for t, s, p in links
    )
    doi_xml = f'<ArticleId IdType="doi">{escape(doi)}</ArticleId>' if doi else ""
    return (
        f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{pmid}'
        "</PMID><Article><Journal><ISSN IssnType='Print'>1234-5678</ISSN><JournalIssue>"
        "<Volume>1</Volume><Issue>2</Issue><PubDate><Year>2020</Year><Month>Dec</Month>"
        "</PubDate></JournalIssue><Title>Journal of tests</Title><ISOAbbreviation>J Tests"
        f"</ISOAbbreviation></Journal><ArticleTitle>{title_xml}</ArticleTitle><Pagination>"
        f"<MedlinePgn>3-4</MedlinePgn></Pagination><AuthorList>{author_xml}</AuthorList>"
        f"<PublicationTypeList>{types}</PublicationTypeList></Article><MedlineJournalInfo>"
        "<MedlineTA>J Tests</MedlineTA></MedlineJournalInfo>"
        f"{'<CommentsCorrectionsList>' + comments + '</CommentsCorrectionsList>' if links else ''}"
        f'</MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType="pubmed">{pmid}'
        f"</ArticleId>{doi_xml}</ArticleIdList></PubmedData></PubmedArticle>"
    )


# -- the server -------------------------------------------------------------------------------


def _words(text: str) -> set[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return {w for w in re.split(r"[^a-z0-9]+", folded) if len(w) > 2 or w.isdigit()}


_QUERY_NOISE = {"and", "or", "not", "the", "for"}
_DOI_TERM = re.compile(r'"?([^"\s\[]+?)"?\s*\[(?:doi|aid|lid)\]', re.I)


@dataclass(frozen=True)
class Seen:
    """One request as it reached the server (``path`` without the service prefix)."""

    service: str
    path: str
    params: Mapping[str, str]
    method: str
    at: float
    user_agent: str


@dataclass
class Services:
    """The records the three services hold, and every request they were sent.

    Fill the dictionaries (or use the ``add_*`` helpers), then :meth:`install` on a server.
    Title searches answer from ``title_search`` (an exact esearch term or ``"..."[Title]``
    phrase -> PMIDs) and ``bibliographic`` (the Crossref query's items) when a test sets them;
    otherwise from the held records, by their words. ``crossref_headers`` go out with every
    Crossref answer (rate-limit headers the limiter follows).
    """

    works: dict[str, dict[str, Any]] = field(default_factory=dict)
    agencies: dict[str, str] = field(default_factory=dict)
    csl: dict[str, dict[str, Any]] = field(default_factory=dict)
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    articles: dict[str, str] = field(default_factory=dict)
    title_search: dict[str, list[str]] = field(default_factory=dict)
    bibliographic: list[dict[str, Any]] | None = None
    doi_search_extra: dict[str, str] = field(default_factory=dict)
    """DOI -> PMID hits esearch finds although the record does not list that DOI."""
    crossref_headers: dict[str, str] = field(default_factory=dict)
    failing: set[str] = field(default_factory=set)
    seen: list[Seen] = field(default_factory=list)
    server: HTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- records ---------------------------------------------------------------------------

    def add_work(self, item: dict[str, Any]) -> None:
        """One Crossref ``work`` item; its DOI is registered with Crossref."""
        self.works[doi_key(item["DOI"])] = item
        self.agencies.setdefault(doi_key(item["DOI"]), "Crossref")

    def add_pubmed(self, summary: dict[str, Any], article: str | None = None) -> None:
        """One esummary document and, optionally, its ``<PubmedArticle>`` XML."""
        self.summaries[summary["uid"]] = summary
        if article is not None:
            self.articles[summary["uid"]] = article

    def add_works(self, *paths: Path) -> Services:
        """Crossref bodies from files: a single ``work`` or a ``work-list`` envelope."""
        for path in paths:
            body = json.loads(path.read_text(encoding="utf-8"))
            message = body["message"]
            for item in message["items"] if body["message-type"] == "work-list" else [message]:
                self.add_work(item)
        return self

    def add_agencies(self, path: Path) -> Services:
        """A doi.org ``/ra/`` answer from a file: [{DOI, RA} or {DOI, status}]."""
        for entry in json.loads(path.read_text(encoding="utf-8")):
            if "RA" in entry:
                self.agencies[doi_key(entry["DOI"])] = entry["RA"]
        return self

    def add_summaries(self, path: Path) -> Services:
        """An esummary JSON envelope from a file."""
        result = json.loads(path.read_text(encoding="utf-8"))["result"]
        for uid in result["uids"]:
            self.summaries[uid] = result[uid]
        return self

    def add_articles(self, path: Path) -> Services:
        """An efetch PubmedArticleSet from a file: each PubmedArticle kept as its XML text."""
        for article in ET.parse(path).getroot().iter("PubmedArticle"):
            pmid = article.findtext("MedlineCitation/PMID") or ""
            self.articles[pmid] = ET.tostring(article, encoding="unicode")
        return self

    # -- serving ---------------------------------------------------------------------------

    def install(self, server: HTTPServer) -> Services:
        """Answer under /crossref, /doi and /eutils of ``server``."""
        self.server = server
        for prefix, handler in (
            ("crossref", self._crossref),
            ("doi", self._doi),
            ("eutils", self._eutils),
        ):
            server.expect_request(re.compile(f"^/{prefix}(/.*)?$")).respond_with_handler(
                self._logged(prefix, handler)
            )
        return self

    def urls(self) -> dict[str, str]:
        """The Resolver's base-URL arguments for the installed server."""
        assert self.server is not None, "install() the services on a server first"
        return {
            "crossref_url": self.server.url_for("/crossref"),
            "doi_url": self.server.url_for("/doi"),
            "eutils_url": self.server.url_for("/eutils"),
        }

    def environment(self) -> dict[str, str]:
        """The same base URLs as the PROLOEVIDENCE_*_URL variables the default Resolver reads."""
        urls = self.urls()
        return {
            "PROLOEVIDENCE_CROSSREF_URL": urls["crossref_url"],
            "PROLOEVIDENCE_DOI_URL": urls["doi_url"],
            "PROLOEVIDENCE_EUTILS_URL": urls["eutils_url"],
        }

    def resolver(self, cache_dir: Path, **options: Any) -> Resolver:
        """A Resolver for these services: fast limits and retries, no contact details."""
        settings: dict[str, Any] = {
            "cache_dir": cache_dir,
            "limits": FAST,
            "retry": QUICK_RETRY,
            "timeout": 5.0,
            "mailto": "",
            "api_key": "",
            **self.urls(),
        }
        settings.update(options)
        return Resolver(**settings)

    def requests(self, service: str | None = None, path: str | None = None) -> list[Seen]:
        """The requests received, optionally of one service and under one path."""
        with self._lock:
            return [
                s
                for s in self.seen
                if (service is None or s.service == service)
                and (path is None or s.path.startswith(path))
            ]

    def count(self, service: str | None = None) -> int:
        return len(self.requests(service))

    def _logged(self, service: str, handler: Callable[[Request, str], Response]) -> Any:
        def respond(request: Request) -> Response:
            path = request.path[len(service) + 1 :] or "/"
            params = dict(request.args)
            params.update(request.form)
            seen = Seen(
                service,
                path,
                params,
                request.method,
                time.monotonic(),
                request.headers.get("User-Agent", ""),
            )
            with self._lock:
                self.seen.append(seen)
            if service in self.failing:
                return Response("Service Unavailable", 503, {"Retry-After": "0"})
            return handler(request, path)

        return respond

    # -- Crossref --------------------------------------------------------------------------

    def _crossref(self, request: Request, path: str) -> Response:
        args = request.args
        if path.rstrip("/") in ("/works", "/v1/works"):
            query = args.get("query.bibliographic") or args.get("query")
            if query:  # any filter beside a query (type, dates) is ignored here
                return self._crossref_query(query, int(args.get("rows", 20)))
            if "filter" in args:
                return self._crossref_filter(args["filter"], int(args.get("rows", 20)))
            return _json({"status": "failed", "message": "no filter or query"}, 400)
        match = re.fullmatch(r"(?:/v1)?/works/(.+?)(/agency|/transform(?:/.*)?)?", path)
        if not match:
            return Response("Resource not found.", 404, content_type="text/plain")
        doi, tail = urllib.parse.unquote(match.group(1)), match.group(2) or ""
        work = self.works.get(doi_key(doi))
        if work is None:
            return Response("Resource not found.", 404, content_type="text/plain")
        if tail == "/agency":
            agency = {"id": "crossref", "label": "Crossref"}
            return self._crossref_json({"DOI": work["DOI"], "agency": agency}, "work-agency")
        if tail.startswith("/transform"):
            return Response(
                json.dumps(_csl_of(work)), 200, content_type=CSL_JSON, headers=self.crossref_headers
            )
        return self._crossref_json(work, "work")

    def _crossref_filter(self, value: str, rows: int) -> Response:
        parts = value.split(",")
        if any(not p.startswith("doi:") for p in parts):
            # A DOI holding a comma splits the filter into a bogus one (apis.md).
            return _json({"status": "failed", "message": [{"type": "validation-failure"}]}, 400)
        keys = [doi_key(p[4:]) for p in parts]
        # Like Crossref: ``rows`` below the batch silently cuts the answer short.
        items = [self.works[k] for k in keys if k in self.works]
        return self._crossref_list(items[:rows])

    def _crossref_query(self, query: str, rows: int) -> Response:
        if self.bibliographic is not None:
            return self._crossref_list(self.bibliographic[:rows])
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
        """The ``work-list`` envelope (the shape of the recorded habanero query cassette)."""
        message = {
            "facets": {},
            "total-results": len(items),
            "items": items,
            "items-per-page": len(items),
            "query": {"start-index": 0, "search-terms": None},
        }
        return self._crossref_json(message, "work-list")

    def _crossref_json(self, message: dict[str, Any], kind: str) -> Response:
        body = {
            "status": "ok",
            "message-type": kind,
            "message-version": "1.0.0",
            "message": message,
        }
        return Response(
            json.dumps(body), 200, content_type="application/json", headers=self.crossref_headers
        )

    # -- doi.org ---------------------------------------------------------------------------

    def _doi(self, request: Request, path: str) -> Response:
        if path.startswith("/ra/"):
            answer = []
            for doi in urllib.parse.unquote(path[4:]).split(","):
                agency = self.agencies.get(doi_key(doi))
                answer.append(
                    {"DOI": doi, "RA": agency}
                    if agency
                    else {"DOI": doi, "status": "DOI does not exist"}
                )
            return _json(answer)
        doi = urllib.parse.unquote(path.lstrip("/"))
        if doi_key(doi) in self.csl:
            return Response(json.dumps(self.csl[doi_key(doi)]), 200, content_type=CSL_JSON)
        if doi_key(doi) in self.works:
            quoted = urllib.parse.quote(doi, safe="")
            target = f"{request.host_url}crossref/works/{quoted}/transform/{CSL_JSON}"
            return Response("", 302, {"Location": target})
        if not re.match(r"^10\.\d{4,9}/\S+$", doi):
            return Response("<html><body>Bad request</body></html>", 400, content_type="text/html")
        return Response(NOT_FOUND_HTML, 404, content_type="text/html")

    # -- E-utilities -----------------------------------------------------------------------

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
            return _json({"header": {"type": "esummary", "version": "0.3"}, "result": result})
        if tool == "efetch.fcgi":
            body = "".join(self.articles[i] for i in ids if i in self.articles)
            xml = f'<?xml version="1.0" ?>\n<PubmedArticleSet>{body}</PubmedArticleSet>\n'
            return Response(xml, 200, content_type="text/xml; charset=UTF-8")
        if tool == "esearch.fcgi":
            term = values.get("term", "")
            found = self._search(term)
            retmax = int(values.get("retmax", 20))
            result = {
                "count": str(len(found)),
                "retmax": str(min(retmax, len(found))),
                "retstart": "0",
                "idlist": found[:retmax],
                "translationset": [],
                "querytranslation": term,
            }
            return _json({"header": {"type": "esearch", "version": "0.3"}, "esearchresult": result})
        return Response("unknown tool", 404, content_type="text/plain")

    def _search(self, term: str) -> list[str]:
        dois = _DOI_TERM.findall(term)
        if dois:
            wanted = {doi_key(d) for d in dois}
            found = [p for p, s in self.summaries.items() if _summary_doi(s) in wanted]
            return found + [p for d, p in self.doi_search_extra.items() if doi_key(d) in wanted]
        phrase = re.fullmatch(r'"(.*)"\[Title\]', term)
        for key in (phrase.group(1) if phrase else None, term):
            if key is not None and key in self.title_search:
                return self.title_search[key]
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


def _csl_of(work: Mapping[str, Any]) -> dict[str, Any]:
    """Crossref's CSL transform of a work (as recorded in 2026: Crossref type names, title as a
    string)."""
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


def _summary_doi(summary: Mapping[str, Any]) -> str | None:
    for entry in summary.get("articleids", []):
        if entry.get("idtype") == "doi":
            return doi_key(entry["value"])
    return None


def _json(value: Any, status: int = 200) -> Response:
    return Response(json.dumps(value), status, content_type="application/json")


# -- ready-made record sets ---------------------------------------------------------------------


def bundled_services() -> Services:
    """BUILT: records like the public ones for the five bundled references
    (tests/fixtures/README.md, "bundled/"), with Crossref's recorded polite-pool headers."""
    folder = FIXTURES / "bundled"
    services = Services(crossref_headers=dict(CROSSREF_HEADERS))
    return (
        services.add_works(folder / "crossref-works.json")
        .add_agencies(folder / "doi-ra.json")
        .add_summaries(folder / "esummary.json")
        .add_articles(folder / "efetch.xml")
    )


def recorded_services(extra: Iterable[Path] = ()) -> Services:
    """The bundled records plus RECORDED Crossref bodies (retractions, a correction, a clean
    record) and PubMed records (a recorded erratum; BUILT ones where nothing is recorded)."""
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


def run_cli(env: Mapping[str, str], *args: str) -> tuple[int, str, str]:
    """Run the command line in-process with ``env`` set (and no NCBI key or $PROLOEVIDENCE_KB
    of the developer's); return the exit code, standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        for name in ("NCBI_API_KEY", "PROLOEVIDENCE_KB"):
            patch.delenv(name, raising=False)
        for name, value in env.items():
            patch.setenv(name, value)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    return code, out.getvalue(), err.getvalue()
