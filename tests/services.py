"""Crossref, doi.org and NCBI E-utilities, faked on one pytest-httpserver on 127.0.0.1.

The real resolver (real ``requests``, real sockets) talks to these handlers. Records come
from recorded responses in tests/fixtures/ where one exists; otherwise they are built here
in the shapes shared/reference/apis.md documents (no public recording exists of an
esummary ``retmode=json`` answer, of a Crossref ``filter=doi:a,doi:b`` batch, or of a
PubMed record with ``RetractionIn``). Each builder says which shape it follows.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
import time
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import yaml
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from proloevidence.http import RetryPolicy
from proloevidence.identifiers import doi_key
from proloevidence.ratelimit import RateLimit, ServiceLimits
from proloevidence.resolver import Resolver

FIXTURES = Path(__file__).parent / "fixtures"

FAST = ServiceLimits(
    crossref_single=RateLimit(200, 1.0, 4),
    crossref_list=RateLimit(200, 1.0, 4),
    doi=RateLimit(200, 1.0, 4),
    eutils=RateLimit(200, 1.0, 4),
)
"""Limits high enough that tests not about limits never wait for the limiter."""

QUICK_RETRY = RetryPolicy(attempts=3, backoff=0.01, factor=2.0, max_delay=0.05, total=5.0)


def fixture_json(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def cassette_response(name: str, index: int = 0) -> Response:
    """A recorded response (status, headers, body) from a vcrpy cassette, replayed as is."""
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
    """The ``<PubmedArticle>`` elements of a recorded efetch body, by PMID."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    found = {}
    for match in re.finditer(r"<PubmedArticle>.*?</PubmedArticle>", text, re.S):
        pmid = re.search(r"<PMID[^>]*>(\d+)</PMID>", match.group(0))
        assert pmid is not None
        found[pmid.group(1)] = match.group(0)
    return found


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
    """A Crossref ``work`` item in the documented shape (arrays for titles; lower-cased DOI)."""
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
    """An esummary ``retmode=json`` document in the documented shape (none is recorded)."""
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
    """A ``<PubmedArticle>`` in the NLM DTD's shape; ``links`` are CommentsCorrections
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


@dataclass(frozen=True)
class Seen:
    service: str
    path: str
    params: Mapping[str, str]
    method: str
    at: float
    user_agent: str


@dataclass
class FakeServices:
    """Answers like the three services from the dictionaries below; records every request."""

    server: HTTPServer
    works: dict[str, dict[str, Any]] = field(default_factory=dict)
    agencies: dict[str, str] = field(default_factory=dict)
    csl: dict[str, dict[str, Any]] = field(default_factory=dict)
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    articles: dict[str, str] = field(default_factory=dict)
    title_search: dict[str, list[str]] = field(default_factory=dict)
    bibliographic: list[dict[str, Any]] = field(default_factory=list)
    doi_search_extra: dict[str, str] = field(default_factory=dict)
    """DOI -> PMID hits esearch finds although the record does not list that DOI."""
    seen: list[Seen] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def install(self) -> FakeServices:
        for prefix, handler in (
            ("crossref", self._crossref),
            ("doi", self._doi),
            ("eutils", self._eutils),
        ):
            self.server.expect_request(re.compile(f"^/{prefix}/.*")).respond_with_handler(handler)
        return self

    # -- helpers for tests ---------------------------------------------------------------

    def add_work(self, item: dict[str, Any]) -> None:
        self.works[doi_key(item["DOI"])] = item

    def add_pubmed(self, summary: dict[str, Any], article: str | None = None) -> None:
        self.summaries[summary["uid"]] = summary
        if article is not None:
            self.articles[summary["uid"]] = article

    def urls(self) -> dict[str, str]:
        return {
            "crossref_url": self.server.url_for("/crossref"),
            "doi_url": self.server.url_for("/doi"),
            "eutils_url": self.server.url_for("/eutils"),
        }

    def resolver(self, cache_dir: Path, **options: Any) -> Resolver:
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
        with self._lock:
            return [
                s
                for s in self.seen
                if (service is None or s.service == service)
                and (path is None or s.path.startswith(path))
            ]

    # -- handlers --------------------------------------------------------------------------

    def _record(self, service: str, request: Request) -> tuple[str, dict[str, str]]:
        path = request.path.split("/", 2)[2] if request.path.count("/") >= 2 else ""
        params = dict(request.args)
        params.update(request.form)
        with self._lock:
            self.seen.append(
                Seen(
                    service,
                    "/" + path,
                    params,
                    request.method,
                    time.monotonic(),
                    request.headers.get("User-Agent", ""),
                )
            )
        return "/" + path, params

    def _crossref(self, request: Request) -> Response:
        path, params = self._record("crossref", request)
        if path == "/works" and "filter" in params:
            parts = params["filter"].split(",")
            if not all(p.startswith("doi:") for p in parts):
                return Response("filter is malformed", status=400)  # what a comma DOI causes
            keys = [doi_key(p[4:]) for p in parts]
            if int(params.get("rows", "20")) < len(keys):
                return Response("rows below the batch", status=400)
            items = [self.works[k] for k in keys if k in self.works]
            return _json(_work_list(items))
        if path == "/works" and "query.bibliographic" in params:
            return _json(_work_list(self.bibliographic[: int(params.get("rows", "20"))]))
        if path.startswith("/works/"):
            doi = urllib.parse.unquote(path[len("/works/") :])
            item = self.works.get(doi_key(doi))
            if item is None:
                return Response("Resource not found.", status=404, content_type="text/plain")
            return _json({"status": "ok", "message-type": "work", "message": item})
        return Response("no such route", status=404)

    def _doi(self, request: Request) -> Response:
        path, _ = self._record("doi", request)
        if path.startswith("/ra/"):
            answer = []
            for doi in urllib.parse.unquote(path[4:]).split(","):
                agency = (
                    "Crossref" if doi_key(doi) in self.works else self.agencies.get(doi_key(doi))
                )
                entry = (
                    {"DOI": doi, "RA": agency}
                    if agency
                    else {"DOI": doi, "status": "DOI does not exist"}
                )
                answer.append(entry)
            return _json(answer)
        item = self.csl.get(doi_key(urllib.parse.unquote(path[1:])))
        if item is None:
            return Response(
                "<html><body>DOI Not Found</body></html>", 404, content_type="text/html"
            )
        return Response(json.dumps(item), content_type="application/vnd.citationstyles.csl+json")

    def _eutils(self, request: Request) -> Response:
        path, params = self._record("eutils", request)
        ids = [i for i in params.get("id", "").split(",") if i]
        if path == "/esearch.fcgi":
            term = params["term"]
            dois = re.findall(r'"?([^"\s]+?)"?\[doi\]', term)
            if dois:
                wanted = {doi_key(d) for d in dois}
                found = [p for p, s in self.summaries.items() if _summary_doi(s) in wanted]
                found += [p for d, p in self.doi_search_extra.items() if d in wanted]
            else:
                phrase = re.match(r'"(.*)"\[Title\]$', term)
                found = self.title_search.get(phrase.group(1) if phrase else term, [])
            found = found[: int(params.get("retmax", "20"))]
            return _json({"esearchresult": {"count": str(len(found)), "idlist": found}})
        if path == "/esummary.fcgi":
            result: dict[str, Any] = {"uids": ids}
            for pmid in ids:
                result[pmid] = self.summaries.get(
                    pmid, {"uid": pmid, "error": "cannot get document summary"}
                )
            return _json({"header": {"type": "esummary", "version": "0.3"}, "result": result})
        if path == "/efetch.fcgi":
            body = "".join(self.articles[p] for p in ids if p in self.articles)
            xml = f'<?xml version="1.0" ?>\n<PubmedArticleSet>{body}</PubmedArticleSet>'
            return Response(xml, content_type="text/xml")
        return Response("no such tool", status=404)


def _summary_doi(summary: Mapping[str, Any]) -> str | None:
    for entry in summary.get("articleids", []):
        if entry.get("idtype") == "doi":
            return doi_key(entry["value"])
    return None


def _work_list(items: list[dict[str, Any]]) -> dict[str, Any]:
    """The ``work-list`` envelope (the shape of the recorded habanero query cassette)."""
    return {
        "status": "ok",
        "message-type": "work-list",
        "message-version": "1.0.0",
        "message": {
            "facets": {},
            "total-results": len(items),
            "items": items,
            "items-per-page": len(items),
            "query": {"start-index": 0, "search-terms": None},
        },
    }


def _json(value: Any) -> Response:
    return Response(json.dumps(value), content_type="application/json")
