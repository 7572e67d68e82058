"""Crossref, doi.org and E-utilities on 127.0.0.1, failing on demand in every way we know of.

Two layers, both real servers on 127.0.0.1:

- pytest-httpserver answers as the services do (tests/fault_records.py builds the bodies in
  the documented shapes) and expresses every fault HTTP can: a status (429, 5xx), an HTML
  page on a 200, invalid or wrongly-typed JSON, XML that is not XML, a body over the size
  bound with its Content-Length, a redirect loop, a batch answer missing ids.
- In front of it, one :class:`FaultProxy` per service (a raw socket server, so each service
  has its own host:port and can be switched off) forwards every request and expresses what
  an HTTP server cannot: a refused connection (nothing listens on the port), a reset in
  the middle of the body (headers and half the body, then RST), an answer slower than the
  timeout, a body trickled a byte at a time, a body without Content-Length that never
  ends. It also logs every request exactly as it arrived (raw request target, headers,
  body), which the percent-encoding and secrets tests inspect.

The base URLs stay the same whatever the fault, so the cache keys of a faulty run and of the
next good one are the same: a poisoned cache would show.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from proloevidence.identifiers import doi_key

from .fault_proxy import FaultProxy
from .fault_records import (
    BY_KEY,
    Records,
    efetch_body,
    esearch_body,
    esummary_body,
    work,
    work_list,
)

SERVICES = ("crossref", "doi", "eutils")
ENDPOINTS = {
    "crossref-list": "crossref",
    "crossref-single": "crossref",
    "doi-ra": "doi",
    "doi-csl": "doi",
    "esummary": "eutils",
    "efetch": "eutils",
    "esearch": "eutils",
}
SOCKET_KINDS = frozenset({"reset", "trickle", "slow", "endless"})
OMITTED = {
    "crossref-list": BY_KEY["alpha"].doi,
    "doi-ra": BY_KEY["gamma"].doi,
    "esummary": BY_KEY["beta"].pubmed_pmid,
    "efetch": BY_KEY["beta"].pubmed_pmid,
}
"""What a batch answer with the fault "batch answer missing an id" leaves out."""
HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>Down for maintenance</title></head>"
    b"<body><h1>We'll be back soon</h1></body></html>"
)


@dataclass(frozen=True)
class Fault:
    """One way an endpoint misbehaves; ``phrase`` is what the failure message must say."""

    name: str
    kind: str
    phrase: str
    statuses: tuple[int, ...] = (200,)
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    content_type: str = "application/json"


@dataclass(frozen=True)
class Exchange:
    """A request as the proxy received it."""

    service: str
    endpoint: str
    method: str
    target: str
    headers: dict[str, str]
    body: bytes
    fault: str | None
    at: float
    """time.monotonic() on arrival."""


def endpoint_of(path: str, query: str) -> str:
    """Which endpoint a request path (with its service prefix) is for."""
    service, _, rest = path.lstrip("/").partition("/")
    if service == "crossref":
        if rest.startswith("works/"):
            return "crossref-single"
        return "crossref-query" if "query.bibliographic" in query else "crossref-list"
    if service == "doi":
        return "doi-ra" if rest.startswith("ra/") else "doi-csl"
    return rest.removesuffix(".fcgi") or "eutils"


class Loopback:
    """The three services behind their proxies, with a fault table per endpoint."""

    def __init__(self, server: HTTPServer, records: Records | None = None) -> None:
        self.server = server
        self.records = records or Records.built()
        self.faults: dict[str, Fault] = {}
        self.exchanges: list[Exchange] = []
        self.release = threading.Event()  # ends slow and trickling answers at teardown
        self._lock = threading.Lock()
        self._answered: dict[str, int] = {}
        server.expect_request(re.compile(r"^/(crossref|doi|eutils)(/.*)?$")).respond_with_handler(
            self._handle
        )
        self.proxies = {name: FaultProxy(self, name, server.port) for name in SERVICES}

    # -- control ---------------------------------------------------------------------------
    def inject(self, endpoint: str, fault: Fault) -> None:
        with self._lock:
            self.faults[endpoint] = fault

    def heal(self) -> None:
        """Every endpoint answers well again; every proxy listens again."""
        with self._lock:
            self.faults.clear()
            self._answered.clear()
        for proxy in self.proxies.values():
            proxy.listen()

    def urls(self) -> dict[str, str]:
        """The Resolver's base URL arguments (one host:port per service)."""
        return {
            f"{name}_url": f"http://127.0.0.1:{self.proxies[name].port}/{name}" for name in SERVICES
        }

    def env(self) -> dict[str, str]:
        urls = self.urls()
        return {
            "PROLOEVIDENCE_CROSSREF_URL": urls["crossref_url"],
            "PROLOEVIDENCE_DOI_URL": urls["doi_url"],
            "PROLOEVIDENCE_EUTILS_URL": urls["eutils_url"],
        }

    def host(self, service: str) -> str:
        return f"127.0.0.1:{self.proxies[service].port}"

    def seen(self, endpoint: str | None = None) -> list[Exchange]:
        with self._lock:
            return [e for e in self.exchanges if endpoint in (None, e.endpoint)]

    def close(self) -> None:
        self.release.set()
        for proxy in self.proxies.values():
            proxy.refuse()

    def fault_for(self, endpoint: str) -> Fault | None:
        with self._lock:
            return self.faults.get(endpoint)

    def arrived(
        self, service: str, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> str | None:
        """The proxy's report of a request: logged; the socket-level fault to play, if any."""
        parts = urllib.parse.urlsplit(target)
        endpoint = endpoint_of(parts.path, parts.query)
        fault = self.fault_for(endpoint)
        name = fault.name if fault is not None else None
        with self._lock:
            self.exchanges.append(
                Exchange(service, endpoint, method, target, headers, body, name, time.monotonic())
            )
        return fault.kind if fault is not None and fault.kind in SOCKET_KINDS else None

    # -- the services ------------------------------------------------------------------------
    def _handle(self, request: Request) -> Response:
        endpoint = endpoint_of(request.path, request.query_string.decode())
        fault = self.fault_for(endpoint)
        if fault is not None and fault.kind not in SOCKET_KINDS:
            with self._lock:
                turn = self._answered.get(endpoint, 0)
                self._answered[endpoint] = turn + 1
            if fault.kind == "omit":
                return self._good(endpoint, request, omit=True)
            if fault.kind == "redirect":
                return Response("", 302, {"Location": request.url})
            status = fault.statuses[min(turn, len(fault.statuses) - 1)]
            return Response(
                fault.body, status, dict(fault.headers), content_type=fault.content_type
            )
        return self._good(endpoint, request)

    def _good(self, endpoint: str, request: Request, omit: bool = False) -> Response:
        rec = self.records
        values = request.values
        if endpoint == "crossref-list":
            parts = values.get("filter", "").split(",")
            if not all(p.startswith("doi:") for p in parts):
                return Response("filter is malformed", 400)  # what a comma DOI causes
            keys = [doi_key(p[4:]) for p in parts if not (omit and p[4:] == OMITTED[endpoint])]
            items = [rec.works[k] for k in keys if k in rec.works]
            return _json(work_list(items[: int(values.get("rows", "20"))]))
        if endpoint == "crossref-query":
            return _json(work_list([]))
        if endpoint == "crossref-single":
            doi = urllib.parse.unquote(request.path.split("/works/", 1)[1])
            item = rec.works.get(doi_key(doi))
            if item is None:
                return Response("Resource not found.", 404, content_type="text/plain")
            return _json(work(item))
        if endpoint == "doi-ra":
            dois = urllib.parse.unquote(request.path.split("/ra/", 1)[1]).split(",")
            answer: list[dict[str, str]] = []
            for doi in dois:
                if omit and doi == OMITTED[endpoint]:
                    continue
                agency = rec.agencies.get(doi_key(doi))
                answer.append(
                    {"DOI": doi, "RA": agency}
                    if agency
                    else {"DOI": doi, "status": "DOI does not exist"}
                )
            return _json(answer)
        if endpoint == "doi-csl":
            doi = urllib.parse.unquote(request.path.split("/doi/", 1)[1])
            item = rec.csl.get(doi_key(doi))
            if item is None:
                return Response(b"<html><body>DOI Not Found</body></html>", 404)
            csl = "application/vnd.citationstyles.csl+json"
            return Response(json.dumps(item), content_type=csl)
        ids = [i for i in values.get("id", "").split(",") if i]
        if omit:
            ids = [i for i in ids if i != OMITTED[endpoint]]
        if endpoint == "esummary":
            return Response(esummary_body(rec.summaries, ids), content_type="application/json")
        if endpoint == "efetch":
            body = efetch_body(rec.articles, ids)
            return Response(body, content_type="text/xml; charset=UTF-8")
        if endpoint == "esearch":
            dois = re.findall(r'"([^"]+)"\[doi\]', values.get("term", ""))
            found = rec.pmids_for_dois(dois)
            return Response(esearch_body(found), content_type="application/json")
        return Response("no such tool", 404)


def _json(value: Any) -> Response:
    return Response(json.dumps(value), content_type="application/json")


@contextlib.contextmanager
def loopback_services(server: HTTPServer, records: Records | None = None) -> Iterator[Loopback]:
    services = Loopback(server, records)
    try:
        yield services
    finally:
        services.close()


# -- the catalogue ---------------------------------------------------------------------------

_NCBI_429 = b'{"error":"API rate limit exceeded","count":"4","limit":"3"}'  # NLM KB-05510
_FAR_AWAY = "Fri, 31 Dec 9999 23:59:59 GMT"
_WRONG_TYPES: dict[str, tuple[str, bytes]] = {
    "crossref-list": (
        "message.items is a string",
        b'{"status":"ok","message-type":"work-list","message":{"items":"none"}}',
    ),
    "crossref-single": (
        "message is an array",
        b'{"status":"ok","message-type":"work","message":["not","a","work"]}',
    ),
    "doi-ra": ("an object, not an array", b'{"DOI":"10.5061/x","RA":"DataCite"}'),
    "doi-csl": ("a string, not an item", b'"10.5061/dryad.gamma21"'),
    "esummary": ("result is an array", b'{"header":{"type":"esummary"},"result":[]}'),
    "esearch": ("idlist is a string", b'{"esearchresult":{"count":"1","idlist":"101"}}'),
    "efetch": (
        "another XML document",
        b'<?xml version="1.0"?><eSummaryResult><DocSum><Id>101</Id></DocSum></eSummaryResult>',
    ),
}
_TRICKLED = ("crossref-list", "doi-csl", "efetch")
"""One endpoint per service: the deadline is the HTTP layer's, the same for all (and slow)."""
_BATCHES = ("crossref-list", "doi-ra", "esummary", "efetch")


def catalogue(endpoint: str, max_bytes: int) -> list[Fault]:
    """Every fault tried on ``endpoint``: one entry per row of docs/reliability.md."""
    xml = endpoint == "efetch"
    ncbi = ENDPOINTS[endpoint] == "eutils"
    too_much = b" " * (max_bytes + 1)
    faults = [
        Fault("reset mid-body", "reset", "answer cut off (Connection reset by peer)"),
        Fault("slower than the timeout", "slow", "no answer within"),
        Fault(
            "429 storm, no Retry-After",
            "status",
            "HTTP 429",
            (429,),
            body=_NCBI_429 if ncbi else HTML_PAGE,
            content_type="application/json" if ncbi else "text/html",
        ),
        Fault("429 storm, Retry-After: 0", "status", "HTTP 429", (429,), (("Retry-After", "0"),)),
        Fault(
            "429, Retry-After: 1000000000",
            "status",
            "beyond the retry budget",
            (429,),
            (("Retry-After", "1000000000"),),
        ),
        Fault(
            "429, Retry-After: 1e9 (not a number)",
            "status",
            "HTTP 429",
            (429,),
            (("Retry-After", "1e9"),),
        ),
        Fault(
            f"429, Retry-After: {_FAR_AWAY}",
            "status",
            "beyond the retry budget",
            (429,),
            (("Retry-After", _FAR_AWAY),),
        ),
        Fault("500, 502, 503 in turn", "status", "HTTP 503", (500, 502, 503), body=HTML_PAGE),
        Fault("HTML page with status 200", "status", "an HTML page instead of", body=HTML_PAGE),
        Fault(
            "XML that is not XML" if xml else "invalid JSON",
            "status",
            "invalid XML" if xml else "invalid JSON",
            body=b"<PubmedArticleSet><PubmedArticle><Medl" if xml else b'{"message": {"items": [',
            content_type="text/xml" if xml else "application/json",
        ),
        Fault(
            f"wrongly typed: {_WRONG_TYPES[endpoint][0]}",
            "status",
            "unexpected answer",
            body=_WRONG_TYPES[endpoint][1],
        ),
        Fault("over the size bound, Content-Length given", "status", "limit", body=too_much),
        Fault("over the size bound, no Content-Length", "endless", "byte limit"),
        Fault("redirect loop", "redirect", "redirect"),
    ]
    if endpoint in _TRICKLED:
        faults.append(Fault("body trickled byte by byte", "trickle", "not complete within"))
    if endpoint in _BATCHES:
        faults.append(Fault("batch answer missing an id", "omit", "no answer"))
    return faults
