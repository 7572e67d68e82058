"""Crafted DOIs cannot change the host, path or query of a request.

A knowledge base prints DOIs built to escape their place in a URL: dot-segments, ``?`` and
``#``, ``@host:port``, ``&`` and ``=``, a comma with a second filter, percent-escapes of all
of these. ``verify`` runs against the loopback services of tests/faults.py, whose proxies
log each request target exactly as it arrived; each DOI must reach its service only as one
path segment under the expected prefix (doi.org's ``/ra/`` and content negotiation,
Crossref's ``/works/{doi}``) or as the value of the expected query parameter (Crossref's
``filter``, esearch's ``term``), and nowhere else.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

import proloevidence
from proloevidence.identifiers import doi_key

from .fault_cli import quick_resolver, run_cli
from .fault_records import Records, write_kb
from .faults import Exchange, Loopback, loopback_services

# As printed in references.bib (LaTeX escapes for %, & and #), and as the loader reads them.
CRAFTED = {
    "dots": (r"10.1234/../../admin?x=1\#frag", "10.1234/../../admin?x=1#frag"),
    "escaped": (r"10.1234\%2F..\%2F..\%2Fescaped", "10.1234/../../escaped"),
    "escaped-dots": (r"10.1234/\%2E\%2E/y/\%2e\%2e/admin2", "10.1234/../y/../admin2"),
    "userinfo": ("10.1234/x@evil.example:80/y", "10.1234/x@evil.example:80/y"),
    "query": (r"10.1234/x\&rows=0\&filter=doi:10.1/y", "10.1234/x&rows=0&filter=doi:10.1/y"),
    "comma": ("10.1234/x,doi:10.9999/injected", "10.1234/x,doi:10.9999/injected"),
    "slashes": ("10.1234//evil.example/z", "10.1234//evil.example/z"),
}
DOIS = {doi for _, doi in CRAFTED.values()}


def bibtex() -> str:
    return "".join(
        f"@article{{{key},\n  author = {{Doe, Jane}},\n  title = {{Crafted}},\n"
        f"  journal = {{J}},\n  year = {{2020}},\n  doi = {{{printed}}},\n}}\n"
        for key, (printed, _) in CRAFTED.items()
    )


@pytest.fixture
def services(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Loopback]:
    # Nobody holds these DOIs, but doi.org says DataCite registered them: every DOI goes
    # to Crossref, then /ra/, then content negotiation (a comma DOI to /works/{doi} too).
    records = Records({}, {doi_key(d): "DataCite" for d in DOIS}, {}, {}, {})
    quick_resolver(monkeypatch)
    with loopback_services(httpserver, records) as loopback:
        yield loopback


def raw_path(exchange: Exchange, prefix: str) -> str:
    """The part of the request target after ``prefix``, checked to hold no query, fragment
    or dot-segment (which a server or proxy may resolve, climbing out of the prefix)."""
    target = exchange.target
    assert target.startswith(prefix), target
    rest = target[len(prefix) :]
    assert "?" not in rest and "#" not in rest, target
    assert not {".", ".."} & set(rest.split("/")), f"a dot-segment in {target}"
    return rest


def test_the_loader_reads_the_crafted_dois_as_printed(tmp_path: Path) -> None:
    kb = proloevidence.load(write_kb(tmp_path / "kb", bibtex()))
    assert {k: r.doi for k, r in kb.references.items()} == {k: d for k, (_, d) in CRAFTED.items()}


def test_a_crafted_doi_stays_in_its_path_segment_or_parameter(
    services: Loopback, tmp_path: Path
) -> None:
    kb = write_kb(tmp_path / "kb", bibtex())
    env = {**services.env(), "PROLOEVIDENCE_CACHE_DIR": str(tmp_path / "cache")}
    run = run_cli(env, "verify", "--kb", str(kb), "--format", "json")
    assert run.code == 1 and "Traceback" not in run.err
    # No record anywhere: "registered, no record" (unverified); the comma DOI, which only
    # content negotiation can settle, not found.
    statuses = {k: r["status"] for k, r in run.results.items()}
    assert statuses == {**dict.fromkeys(CRAFTED, "unverified"), "comma": "not_found"}
    seen = services.seen()
    for exchange in seen:  # every request reached the host its service was configured with
        assert exchange.headers["host"] == services.host(exchange.service)

    crossref = [e for e in seen if e.endpoint == "crossref-list"]
    filtered = set()
    for exchange in crossref:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(exchange.target).query)
        assert set(query) == {"filter", "rows"} and len(query["filter"]) == 1
        filtered |= {p.removeprefix("doi:") for p in query["filter"][0].split(",doi:")}
    assert filtered == DOIS - {CRAFTED["comma"][1]}

    singles = [raw_path(e, "/crossref/works/") for e in seen if e.endpoint == "crossref-single"]
    assert [urllib.parse.unquote(s) for s in singles] == [CRAFTED["comma"][1]]

    agencies = set()
    for exchange in [e for e in seen if e.endpoint == "doi-ra"]:
        batch = raw_path(exchange, "/doi/ra/")
        agencies |= {urllib.parse.unquote(d) for d in batch.split(",")}
    assert agencies == DOIS - {CRAFTED["comma"][1]}  # /ra/ splits on commas: not sent

    negotiated = [raw_path(e, "/doi/") for e in seen if e.endpoint == "doi-csl"]
    assert sorted(urllib.parse.unquote(n) for n in negotiated) == sorted(DOIS)

    terms = []
    for exchange in [e for e in seen if e.endpoint == "esearch"]:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(exchange.target).query)
        assert set(query) == {"db", "term", "retmode", "retmax", "tool"}
        terms += query["term"]
    assert all(any(f'"{d}"[doi]' in t for t in terms) for d in DOIS)


def test_a_doi_with_a_line_break_never_reaches_a_request(
    services: Loopback, tmp_path: Path
) -> None:
    bib = bibtex() + (
        "@article{crlf,\n  author = {Doe, Jane},\n  title = {Crafted},\n  journal = {J},\n"
        "  year = {2020},\n  doi = {10.1234/x\\%0D\\%0AHost:evil.example},\n}\n"
    )
    kb = write_kb(tmp_path / "kb", bib)
    env = {**services.env(), "PROLOEVIDENCE_CACHE_DIR": str(tmp_path / "cache")}
    # A malformed DOI is a warning (the reference is kept as printed): check names it...
    run = run_cli(env, "check", "--kb", str(kb))
    assert run.code == 1
    assert "warning: malformed DOI" in run.err and "references.bib" in run.err
    # ...and verification judges it without asking anyone: no request carries it.
    run = run_cli(env, "verify", "--kb", str(kb), "--format", "json")
    assert run.results["crlf"]["status"] == "invalid_identifier"
    for exchange in services.seen():
        sent = urllib.parse.unquote(exchange.target) + repr(exchange.headers)
        assert "Host:evil.example" not in sent, exchange
