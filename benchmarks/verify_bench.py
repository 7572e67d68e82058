"""Resolver benchmark: 1,000 DOIs + 1,000 PMIDs against a loopback server that enforces the
services' published limits (HTTP 429 beyond them) with realistic latency.

    python benchmarks/verify_bench.py            # the full run (about two minutes)
    python benchmarks/verify_bench.py --small    # 100 + 100, faster limits and latency

It runs, in one process and against the same server: the Resolver with a cold cache; the
Resolver again on the warm cache (it must send nothing); and a naive client that asks one
identifier at a time, sequentially, pacing itself to the published rates (as Biopython
does for NCBI). The naive client runs on a sample and is extrapolated (it would take half
an hour). It prints a Markdown table; docs/verify-performance.md holds one.

The floor is the least wall time the published limits allow for the requests the
resolver's plan needs (50 DOIs per Crossref list call, 20 per doi.org /ra/ call, 50 DOIs
per esearch, 500 PMIDs per esummary, 200 per efetch): per service, at R requests per
second with C in flight and a minimum latency L, n requests need at least
max((ceil(n/R) - 1) s + L, ceil(n/C) * L); the services run side by side, so the floor
is the slowest service's.
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import random
import re
import socket
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import requests

from proloevidence.identifiers import doi_key
from proloevidence.model import Reference
from proloevidence.services.rate_limit import RateLimit, ServiceLimits
from proloevidence.services.resolver import Resolver
from proloevidence.verification import Lookup

MAILTO = "bench@example.org"
CROSSREF_BATCH, RA_BATCH, ESEARCH_BATCH, ESUMMARY_BATCH, EFETCH_BATCH = 50, 20, 50, 500, 200


# -- the data: generated records, with a known truth for every reference --------------------


@dataclass
class Data:
    works: dict[str, dict[str, Any]] = field(default_factory=dict)  # doi_key -> Crossref item
    datacite: dict[str, dict[str, Any]] = field(default_factory=dict)  # doi_key -> CSL item
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)  # pmid -> esummary doc
    articles: dict[str, str] = field(default_factory=dict)  # pmid -> <PubmedArticle>
    doi_pmid: dict[str, str] = field(default_factory=dict)  # doi_key -> pmid
    refs: list[Reference] = field(default_factory=list)
    retracted: set[str] = field(default_factory=set)  # reference keys


def generate(n_dois: int, n_pmids: int) -> Data:
    """DOI-only and PMID-only references. Of the DOIs: 2% DataCite, 1% registered nowhere,
    the rest Crossref, 60% of all also in PubMed. Of the PMIDs 1% unknown. 2% retracted."""
    data = Data()
    for i in range(n_dois):
        kind = i % 100
        title = f"Generated work number {i} on dextrose injection"
        if kind < 2:
            doi = f"10.5281/zenodo.{700000 + i}"
            data.datacite[doi_key(doi)] = {
                "DOI": doi,
                "type": "dataset",
                "title": title,
                "author": [{"family": f"Author{i}", "given": "A"}],
                "issued": {"date-parts": [[2019]]},
            }
        elif kind >= 3:
            doi = f"10.5555/bench.{i:05d}"
            item: dict[str, Any] = {
                "DOI": doi,
                "type": "journal-article",
                "title": [title],
                "author": [{"family": f"Author{i}", "given": "A"}],
                "container-title": ["Journal of Benchmarks"],
                "issued": {"date-parts": [[2015 + i % 10]]},
                "volume": str(i % 40),
                "page": f"{i}-{i + 9}",
            }
            if i % 50 == 7:
                item["updated-by"] = [
                    {
                        "DOI": f"10.5555/retraction.{i}",
                        "type": "retraction",
                        "label": "Retraction",
                        "source": "retraction-watch",
                        "updated": {"date-parts": [[2021, 1, 1]]},
                    }
                ]
                data.retracted.add(f"d{i}")
            data.works[doi_key(doi)] = item
            if kind < 63:
                pmid = str(30_000_000 + i)
                data.doi_pmid[doi_key(doi)] = pmid
                _add_pubmed(data, pmid, title, doi, retracted=False)
        else:
            doi = f"10.5555/nowhere.{i:05d}"
        data.refs.append(Reference(f"d{i}", doi=doi, title=title))
    for j in range(n_pmids):
        pmid = str(20_000_000 + j)
        if j % 100 != 99:
            _add_pubmed(data, pmid, f"Generated PubMed record {j}", None, retracted=j % 50 == 11)
            if j % 50 == 11:
                data.retracted.add(f"p{j}")
        data.refs.append(Reference(f"p{j}", pmid=pmid))
    return data


def _add_pubmed(data: Data, pmid: str, title: str, doi: str | None, *, retracted: bool) -> None:
    ids = [{"idtype": "pubmed", "value": pmid}] + ([{"idtype": "doi", "value": doi}] if doi else [])
    data.summaries[pmid] = {
        "uid": pmid,
        "title": title + ".",
        "authors": [{"name": "Author A", "authtype": "Author"}],
        "source": "J Bench",
        "fulljournalname": "Journal of benchmarks",
        "pubdate": "2018 Mar",
        "volume": "3",
        "issue": "1",
        "pages": "10-9",
        "pubtype": ["Journal Article"] + (["Retracted Publication"] if retracted else []),
        "articleids": ids,
    }
    links = (
        '<CommentsCorrectionsList><CommentsCorrections RefType="RetractionIn"><RefSource>'
        "J Bench. 2021;1:1.</RefSource><PMID>1</PMID></CommentsCorrections>"
        "</CommentsCorrectionsList>"
        if retracted
        else ""
    )
    doi_xml = f'<ArticleId IdType="doi">{escape(doi)}</ArticleId>' if doi else ""
    data.articles[pmid] = (
        f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><Journal><JournalIssue>"
        "<Volume>3</Volume><PubDate><Year>2018</Year></PubDate></JournalIssue><Title>Journal of "
        f"benchmarks</Title></Journal><ArticleTitle>{escape(title)}.</ArticleTitle><AuthorList>"
        "<Author><LastName>Author</LastName><ForeName>A</ForeName></Author></AuthorList>"
        "<PublicationTypeList><PublicationType>Journal Article</PublicationType>"
        "</PublicationTypeList></Article>"
        f"{links}</MedlineCitation><PubmedData><ArticleIdList>{doi_xml}</ArticleIdList>"
        "</PubmedData></PubmedArticle>"
    )


# -- the server: the three services behind one loopback port, limits enforced ---------------


class Bucket:
    """Admits a request only within the limit: rate over a sliding window, and in flight."""

    def __init__(self, limit: RateLimit) -> None:
        self.limit = limit
        self.starts: collections.deque[float] = collections.deque()
        self.in_flight = 0
        self.lock = threading.Lock()

    def admit(self) -> bool:
        with self.lock:
            now = time.monotonic()
            while self.starts and now - self.starts[0] >= self.limit.per:
                self.starts.popleft()
            if len(self.starts) >= self.limit.requests or self.in_flight >= self.limit.concurrency:
                return False
            self.starts.append(now)
            self.in_flight += 1
            return True

    def leave(self) -> None:
        with self.lock:
            self.in_flight -= 1


class Services:
    """Crossref (/crossref), doi.org (/doi) and E-utilities (/eutils) over one dataset."""

    def __init__(self, data: Data, limits: Mapping[str, RateLimit], latency: tuple[float, float]):
        self.data = data
        self.limits = limits
        self.latency = latency
        self.buckets: dict[str, Bucket] = {}
        self.counts: collections.Counter[str] = collections.Counter()
        self.rejected: collections.Counter[str] = collections.Counter()
        self.lock = threading.Lock()

    def bucket(self, name: str) -> Bucket:
        with self.lock:
            if name not in self.buckets:
                self.buckets[name] = Bucket(self.limits[name])
            return self.buckets[name]

    def total(self) -> tuple[int, int]:
        with self.lock:
            return sum(self.counts.values()), sum(self.rejected.values())

    def handle(
        self, method: str, path: str, query: str, body: bytes, agent: str
    ) -> tuple[int, str, bytes, dict[str, str]]:
        params = dict(urllib.parse.parse_qsl(query))
        if method == "POST":
            params.update(urllib.parse.parse_qsl(body.decode()))
        service, _, rest = path.lstrip("/").partition("/")
        rest = "/" + rest
        if service == "crossref":
            pool = "polite" if "mailto:" in agent else "public"
            name = f"crossref-{'list' if rest == '/works' else 'single'}-{pool}"
        elif service == "doi":
            name = "doi"
        else:
            name = "eutils-key" if params.get("api_key") else "eutils"
        bucket = self.bucket(name)
        with self.lock:
            self.counts[name] += 1
        if not bucket.admit():
            with self.lock:
                self.rejected[name] += 1
            if service == "eutils":
                error = {"error": "API rate limit exceeded", "limit": str(bucket.limit.requests)}
                return 429, "application/json", json.dumps(error).encode(), {}
            return 429, "text/html", b"<html><body>Too Many Requests</body></html>", {}
        try:
            time.sleep(random.uniform(*self.latency))
        finally:
            bucket.leave()  # done processing; only the bytes are left to send
        headers: dict[str, str] = {}
        if service == "crossref":
            limit = bucket.limit
            headers = {
                "x-rate-limit-limit": str(limit.requests),
                "x-rate-limit-interval": "1s",
                "x-concurrency-limit": str(limit.concurrency),
                "x-api-pool": pool,
            }
        status, kind, payload = getattr(self, f"_{service}")(rest, params)
        return status, kind, payload, headers

    def _crossref(self, rest: str, params: dict[str, str]) -> tuple[int, str, bytes]:
        if rest == "/works":
            keys = [doi_key(p[4:]) for p in params["filter"].split(",")]
            items = [self.data.works[k] for k in keys if k in self.data.works]
            message = {"items": items, "total-results": len(items)}
            envelope = {"status": "ok", "message-type": "work-list", "message": message}
            return 200, "application/json", json.dumps(envelope).encode()
        item = self.data.works.get(doi_key(urllib.parse.unquote(rest[len("/works/") :])))
        if item is None:
            return 404, "text/plain", b"Resource not found."
        envelope = {"status": "ok", "message-type": "work", "message": item}
        return 200, "application/json", json.dumps(envelope).encode()

    def _doi(self, rest: str, params: dict[str, str]) -> tuple[int, str, bytes]:
        if rest.startswith("/ra/"):
            answer = []
            for doi in urllib.parse.unquote(rest[4:]).split(","):
                k = doi_key(doi)
                agency = "Crossref" if k in self.data.works else None
                agency = "DataCite" if k in self.data.datacite else agency
                answer.append(
                    {"DOI": doi, "RA": agency}
                    if agency
                    else {"DOI": doi, "status": "DOI does not exist"}
                )
            return 200, "application/json", json.dumps(answer).encode()
        item = self.data.datacite.get(doi_key(urllib.parse.unquote(rest[1:])))
        if item is None:
            return 404, "text/html", b"<html><body>DOI Not Found</body></html>"
        return 200, "application/vnd.citationstyles.csl+json", json.dumps(item).encode()

    def _eutils(self, rest: str, params: dict[str, str]) -> tuple[int, str, bytes]:
        ids = [i for i in params.get("id", "").split(",") if i]
        if rest == "/esearch.fcgi":
            wanted = [doi_key(d) for d in re.findall(r'"([^"]+)"\[doi\]', params["term"])]
            found = [self.data.doi_pmid[k] for k in wanted if k in self.data.doi_pmid]
            answer = {"esearchresult": {"count": str(len(found)), "idlist": found}}
            return 200, "application/json", json.dumps(answer).encode()
        if rest == "/esummary.fcgi":
            result: dict[str, Any] = {"uids": ids}
            for pmid in ids:
                result[pmid] = self.data.summaries.get(
                    pmid, {"uid": pmid, "error": "cannot get document summary"}
                )
            return 200, "application/json", json.dumps({"result": result}).encode()
        articles = "".join(self.data.articles.get(p, "") for p in ids)
        return 200, "text/xml", f"<PubmedArticleSet>{articles}</PubmedArticleSet>".encode()


def serve(services: Services) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in two writes: without this, Nagle's algorithm and
            # the client's delayed ACK add ~40 ms to every answer, which no service has.
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            self._answer(b"")

        def do_POST(self) -> None:
            self._answer(self.rfile.read(int(self.headers.get("Content-Length", "0"))))

        def _answer(self, body: bytes) -> None:
            path, _, query = self.path.partition("?")
            agent = self.headers.get("User-Agent", "")
            status, kind, payload, headers = services.handle(self.command, path, query, body, agent)
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# -- the clients ------------------------------------------------------------------------------


def run_resolver(
    base: str, refs: list[Reference], cache: Path, limits: ServiceLimits
) -> tuple[dict[str, Lookup], float]:
    resolver = Resolver(
        crossref_url=f"{base}/crossref",
        doi_url=f"{base}/doi",
        eutils_url=f"{base}/eutils",
        mailto=MAILTO,
        api_key="",
        cache_dir=cache,
        limits=limits,
    )
    with resolver:
        started = time.perf_counter()
        lookups = resolver.lookup(refs)
        return lookups, time.perf_counter() - started


def run_naive(base: str, refs: list[Reference], limits: ServiceLimits) -> tuple[int, int, float]:
    """One request per identifier, in sequence, each service paced to its rate; on a 429
    wait a second and ask again. Returns (requests, 429s, seconds)."""
    session = requests.Session()
    session.headers["User-Agent"] = f"naive-bench (mailto:{MAILTO})"
    pace = {
        "crossref": 1 / limits.crossref_single.rate,
        "doi": 1 / limits.doi.rate,
        "eutils": 1 / limits.eutils.rate,
    }
    last: dict[str, float] = collections.defaultdict(float)
    sent = rejected = 0

    def call(service: str, url: str, **params: str) -> requests.Response:
        nonlocal sent, rejected
        while True:
            wait = last[service] + pace[service] - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            last[service] = time.monotonic()
            sent += 1
            response = session.get(url, params=params or None, timeout=20)
            if response.status_code != 429:
                return response
            rejected += 1
            time.sleep(1.0)

    started = time.perf_counter()
    for ref in refs:
        pmids = [ref.pmid] if ref.pmid else []
        if ref.doi:
            quoted = urllib.parse.quote(ref.doi)
            if call("crossref", f"{base}/crossref/works/{quoted}").status_code == 404:
                agencies = call("doi", f"{base}/doi/ra/{quoted}").json()
                if agencies[0].get("RA"):
                    call("doi", f"{base}/doi/{quoted}")
            found = call(
                "eutils",
                f"{base}/eutils/esearch.fcgi",
                db="pubmed",
                term=f'"{ref.doi}"[doi]',
                retmode="json",
            )
            pmids = found.json()["esearchresult"]["idlist"]
        for pmid in pmids:
            call("eutils", f"{base}/eutils/esummary.fcgi", db="pubmed", id=pmid, retmode="json")
            call("eutils", f"{base}/eutils/efetch.fcgi", db="pubmed", id=pmid, retmode="xml")
    return sent, rejected, time.perf_counter() - started


# -- the floor, the checks, the table ---------------------------------------------------------


def plan(data: Data) -> dict[str, int]:
    """The requests the resolver's batching needs, per service (not measured: computed)."""
    dois = [r for r in data.refs if r.doi]
    printed = [r for r in data.refs if r.pmid]
    absent = [r for r in dois if doi_key(r.doi or "") not in data.works]
    found = sum(1 for r in dois if doi_key(r.doi or "") in data.doi_pmid)
    pmids = len(printed) + found
    eutils = (
        math.ceil(len(dois) / ESEARCH_BATCH)
        + math.ceil(pmids / ESUMMARY_BATCH)
        + math.ceil(pmids / EFETCH_BATCH)
    )
    return {
        "crossref_list": math.ceil(len(dois) / CROSSREF_BATCH),
        "doi": math.ceil(len(absent) / RA_BATCH) + len(data.datacite),
        "eutils": eutils,
    }


def floor(requests_needed: Mapping[str, int], limits: ServiceLimits, latency: float) -> float:
    # The longest chain of answers that wait on answers: Crossref, then doi.org /ra/, then
    # content negotiation (esearch, then esummary/efetch, is shorter).
    times = [3 * latency]
    for name, n in requests_needed.items():
        limit: RateLimit = getattr(limits, name)
        by_rate = (math.ceil(n / limit.requests) - 1) * limit.per + latency
        by_concurrency = math.ceil(n / limit.concurrency) * latency
        times.append(max(by_rate, by_concurrency))
    return max(times)


def check(data: Data, lookups: Mapping[str, Lookup]) -> list[str]:
    """Every reference resolved to the truth it was generated with."""
    wrong = []
    for ref in data.refs:
        got = lookups[ref.key]
        expect_retraction = ref.key in data.retracted
        ok = not got.failures and expect_retraction == any(
            n.type == "retraction" for n in got.notices
        )
        if ref.doi:
            k = doi_key(ref.doi)
            exists = k in data.works or k in data.datacite
            ok = ok and got.doi_exists is exists
            if exists:
                ok = ok and got.doi_record is not None and got.doi_record.title == ref.title
                ok = ok and got.doi_agency == ("Crossref" if k in data.works else "DataCite")
            ok = (
                ok
                and got.pmid == data.doi_pmid.get(k)
                and got.pmid_from_doi is (k in data.doi_pmid)
            )
            if k in data.doi_pmid:
                ok = ok and got.pubmed_record is not None and got.pubmed_record.doi == ref.doi
        else:
            ok = ok and got.pmid_exists is (ref.pmid in data.summaries)
        if not ok:
            wrong.append(f"{ref.key}: {got}")
    return wrong


def scaled(limit: RateLimit, factor: float) -> RateLimit:
    return RateLimit(max(1, round(limit.requests * factor)), limit.per, limit.concurrency)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--small", action="store_true", help="100 + 100 references, 4x faster limits"
    )
    options = parser.parse_args(argv)
    if options.small:
        n, speed, latency, sample = 100, 4.0, (0.02, 0.04), 5
    else:
        n, speed, latency, sample = 1000, 1.0, (0.15, 0.30), 50
    published = ServiceLimits.published(polite=True, ncbi_key=False)
    public = ServiceLimits.published(polite=False, ncbi_key=False)
    limits = ServiceLimits(
        crossref_single=scaled(published.crossref_single, speed),
        crossref_list=scaled(published.crossref_list, speed),
        doi=scaled(published.doi, speed),
        eutils=scaled(published.eutils, speed),
    )
    server_limits = {
        "crossref-single-polite": limits.crossref_single,
        "crossref-list-polite": limits.crossref_list,
        "crossref-single-public": scaled(public.crossref_single, speed),
        "crossref-list-public": scaled(public.crossref_list, speed),
        "doi": limits.doi,
        "eutils": limits.eutils,
        "eutils-key": scaled(ServiceLimits.published(polite=True, ncbi_key=True).eutils, speed),
    }
    data = generate(n, n)
    services = Services(data, server_limits, latency)
    server = serve(services)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    problems: list[str] = []
    try:
        with tempfile.TemporaryDirectory() as cache:
            cold, cold_wall = run_resolver(base, data.refs, Path(cache), limits)
            cold_sent, cold_429 = services.total()
            per_service = dict(services.counts)
            problems += check(data, cold)
            warm, warm_wall = run_resolver(base, data.refs, Path(cache), limits)
            warm_sent = services.total()[0] - cold_sent
            if warm != cold:
                problems.append("the warm run's lookups differ from the cold run's")
        before = services.total()
        step = len(data.refs) // (2 * sample)
        chosen = data.refs[::step]
        naive_sent, naive_429, naive_wall = run_naive(base, chosen, limits)
        scale = len(data.refs) / len(chosen)
        assert services.total()[0] - before[0] == naive_sent
    finally:
        server.shutdown()
        server.server_close()

    needed = plan(data)
    least = floor(needed, limits, latency[0])
    naive_est = naive_wall * scale
    mode = (
        "small (100 + 100, limits x4, latency 20-40 ms)"
        if options.small
        else "1,000 DOIs + 1,000 PMIDs, latency 150-300 ms"
    )
    print(f"## Resolver benchmark: {mode}\n")
    print(
        "Limits enforced by the server (429 beyond them): "
        f"Crossref list {limits.crossref_list.rate:g}/s "
        f"x{limits.crossref_list.concurrency}, single {limits.crossref_single.rate:g}/s "
        f"x{limits.crossref_single.concurrency} (polite pool); doi.org {limits.doi.rate:g}/s "
        f"x{limits.doi.concurrency}; E-utilities {limits.eutils.rate:g}/s (no key).\n"
    )
    print("| run | requests | 429s | wall time | floor | ratio to floor | speedup vs naive |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print(
        f"| resolver, cold cache | {cold_sent:,} | {cold_429} | {cold_wall:.1f} s | {least:.1f} s "
        f"| {cold_wall / least:.2f} | {naive_est / cold_wall:.0f}x |"
    )
    print(f"| resolver, warm cache | {warm_sent} | 0 | {warm_wall:.2f} s | 0 s | - | - |")
    print(
        f"| naive, one request per identifier, sequential ({len(chosen)} of {len(data.refs):,} "
        f"references measured, x{scale:g} extrapolated) | ~{naive_sent * scale:,.0f} | "
        f"{naive_429} (sample) | ~{naive_est:,.0f} s | - | - | 1x |"
    )
    print(
        "\nRequests by the resolver: "
        + ", ".join(f"{k} {v}" for k, v in sorted(per_service.items()))
        + f". Plan (floor input): {needed}."
    )
    goals = {
        "wall <= 1.3x floor": cold_wall <= 1.3 * least,
        ">= 20x faster than naive": naive_est / cold_wall >= 20,
        "zero 429s": cold_429 == 0,
        "warm re-run makes zero requests": warm_sent == 0,
    }
    note = (
        " (timing goals are for the full run; --small checks correctness)" if options.small else ""
    )
    print(
        "\nGoals: " + "; ".join(f"{k}: {'met' if v else 'MISSED'}" for k, v in goals.items()) + note
    )
    if problems:
        print(f"\n{len(problems)} references resolved wrongly, e.g.:", *problems[:5], sep="\n  ")
        return 1
    print(f"\nAll {len(data.refs):,} references resolved to the generated truth.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
