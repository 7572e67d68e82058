"""The Resolver as callers use it: configuration, cache, secrets, offline, limits, suggestions.

Real client, server on 127.0.0.1 (tests/loopback.py: Crossref batches, esummary and
esearch JSON built in the documented shapes; efetch and Crossref works recorded)."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

import proloevidence
from proloevidence.model import Author, Reference
from proloevidence.services.lookup_cache import DAY, FILE_NAME
from proloevidence.services.rate_limit import RateLimit, ServiceLimits
from proloevidence.services.resolver import CROSSREF_URL, DOI_URL, EUTILS_URL, Resolver

from .loopback import FAST, Services, crossref_work, efetch_article, esummary_doc

SENTINEL_KEY = "SENTINEL-API-KEY-93e1"
SENTINEL_MAIL = "sentinel-93e1@example.org"


def populated(server: HTTPServer) -> tuple[Services, list[Reference]]:
    """Four references: DOI only, PMID only, DOI+PMID, and a DOI nobody knows."""
    fake = Services().install(server)
    fake.add_work(crossref_work("10.1000/alpha", "Alpha"))
    fake.add_work(crossref_work("10.1000/gamma", "Gamma"))
    fake.add_pubmed(
        esummary_doc("61", doi="10.1000/alpha"), efetch_article("61", doi="10.1000/alpha")
    )
    fake.add_pubmed(esummary_doc("62"), efetch_article("62"))
    fake.add_pubmed(
        esummary_doc("63", doi="10.1000/gamma"), efetch_article("63", doi="10.1000/gamma")
    )
    refs = [
        Reference("alpha", doi="10.1000/alpha"),
        Reference("beta", pmid="62"),
        Reference("gamma", doi="10.1000/gamma", pmid="63"),
        Reference("ghost", doi="10.9999/ghost", pmid="99999999"),
    ]
    return fake, refs


def test_exported_from_the_package() -> None:
    assert proloevidence.Resolver is Resolver


def test_defaults_are_the_public_services(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("CROSSREF_URL", "DOI_URL", "EUTILS_URL", "MAILTO", "CACHE_DIR"):
        monkeypatch.delenv(f"PROLOEVIDENCE_{name}", raising=False)
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    with Resolver() as resolver:
        assert (resolver.crossref_url, resolver.doi_url, resolver.eutils_url) == (
            CROSSREF_URL,
            DOI_URL,
            EUTILS_URL,
        )
        assert (resolver.mailto, resolver.api_key) == (None, None)
        assert resolver.limits == ServiceLimits.published(polite=False, ncbi_key=False)
        assert resolver.cache_dir.name == "proloevidence"


def test_environment_then_arguments(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PROLOEVIDENCE_CROSSREF_URL", "http://mirror.test/crossref/")
    monkeypatch.setenv("PROLOEVIDENCE_DOI_URL", "http://mirror.test/doi")
    monkeypatch.setenv("PROLOEVIDENCE_EUTILS_URL", "http://mirror.test/eutils")
    monkeypatch.setenv("PROLOEVIDENCE_MAILTO", "team@example.org")
    monkeypatch.setenv("NCBI_API_KEY", "k")
    monkeypatch.setenv("PROLOEVIDENCE_CACHE_DIR", str(tmp_path / "env-cache"))
    with Resolver() as resolver:
        assert resolver.crossref_url == "http://mirror.test/crossref"
        assert resolver.eutils_url == "http://mirror.test/eutils"
        assert (resolver.mailto, resolver.api_key) == ("team@example.org", "k")
        assert resolver.cache_dir == tmp_path / "env-cache"
        # A contact address reaches Crossref's polite pool; a key NCBI's 10/s.
        assert resolver.limits == ServiceLimits.published(polite=True, ncbi_key=True)
    with Resolver(crossref_url="http://other.test", mailto="", cache_dir=tmp_path) as resolver:
        assert resolver.crossref_url == "http://other.test"
        assert resolver.mailto is None  # an empty argument switches the address off
        assert resolver.cache_dir == tmp_path


def test_lookups_say_what_each_service_said(httpserver: HTTPServer, tmp_path: Path) -> None:
    fake, refs = populated(httpserver)
    with fake.resolver(tmp_path) as resolver:
        lookups = resolver.lookup(refs)
    assert list(lookups) == ["alpha", "beta", "gamma", "ghost"]
    alpha = lookups["alpha"]
    assert (alpha.doi_exists, alpha.pmid, alpha.pmid_from_doi) == (True, "61", True)
    assert alpha.sources == ("crossref", "pubmed")
    beta = lookups["beta"]
    assert (beta.doi, beta.doi_record, beta.pmid_exists) == (None, None, True)
    gamma = lookups["gamma"]
    assert gamma.doi_record is not None and gamma.pubmed_record is not None
    assert gamma.pubmed_record.doi == "10.1000/gamma"  # so verify.py can check they agree
    ghost = lookups["ghost"]
    assert (ghost.doi_exists, ghost.pmid_exists) == (False, False)
    assert ghost.sources == ("crossref", "doi.org", "pubmed")


def test_invalid_identifiers_are_not_sent(httpserver: HTTPServer, tmp_path: Path) -> None:
    fake = Services().install(httpserver)
    refs = [Reference("bad", doi="doi:not-a-doi", pmid="0123"), Reference("none")]
    with fake.resolver(tmp_path) as resolver:
        lookups = resolver.lookup(refs)
    assert httpserver.log == []
    assert (lookups["bad"].doi, lookups["bad"].pmid, lookups["bad"].sources) == (None, None, ())


def test_progress_counts_references_to_the_end(httpserver: HTTPServer, tmp_path: Path) -> None:
    fake, refs = populated(httpserver)
    seen: list[tuple[int, int]] = []
    with fake.resolver(tmp_path) as resolver:
        resolver.lookup(refs, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (4, 4)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_a_second_run_makes_no_request(httpserver: HTTPServer, tmp_path: Path) -> None:
    fake, refs = populated(httpserver)
    with fake.resolver(tmp_path) as resolver:
        first = resolver.lookup(refs)
    asked = len(httpserver.log)
    assert asked > 0
    with fake.resolver(tmp_path) as resolver:
        second = resolver.lookup(refs)
    assert len(httpserver.log) == asked
    assert second == first


def test_records_last_30_days_and_not_found_answers_1_day(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    fake, refs = populated(httpserver)
    with fake.resolver(tmp_path) as resolver:
        resolver.lookup(refs)
    with sqlite3.connect(tmp_path / FILE_NAME) as db:
        rows = db.execute("SELECT key, value, expires - stored FROM answers").fetchall()
    lifetimes = {value == "null": round(life / DAY) for _, value, life in rows}
    assert lifetimes == {True: 1, False: 30}
    # esummary's 200 "cannot get document summary" and efetch's empty set are not-founds.
    missing = {key.split("|", 1)[1] for key, value, _ in rows if value == "null"}
    assert {"summary|99999999", "article|99999999", "work.v2|10.9999/ghost"} <= missing


def test_expired_answers_are_asked_again(httpserver: HTTPServer, tmp_path: Path) -> None:
    fake, refs = populated(httpserver)
    with fake.resolver(tmp_path) as resolver:
        resolver.lookup(refs)
    with sqlite3.connect(tmp_path / FILE_NAME) as db:  # a day later: not-founds expired
        db.execute("UPDATE answers SET expires = 0 WHERE value = 'null'")
    fake.add_pubmed(esummary_doc("99999999"), efetch_article("99999999"))  # indexed since
    fake.seen.clear()
    with fake.resolver(tmp_path) as resolver:
        lookup = resolver.lookup(refs)["ghost"]
    asked = {(s.service, s.path) for s in fake.seen}
    assert ("crossref", "/works") in asked and ("eutils", "/esummary.fcgi") in asked
    assert all("61" not in s.params.get("id", "") for s in fake.seen)  # records still fresh
    assert lookup.pmid_exists is True


def test_refresh_asks_again(httpserver: HTTPServer, tmp_path: Path) -> None:
    fake, refs = populated(httpserver)
    with fake.resolver(tmp_path) as resolver:
        resolver.lookup(refs)
    first = len(httpserver.log)
    with fake.resolver(tmp_path, refresh=True) as resolver:
        resolver.lookup(refs)
    assert len(httpserver.log) == 2 * first


def test_errors_are_never_cached(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_oneshot_request("/crossref/works").respond_with_data("busy", status=503)
    httpserver.expect_oneshot_request("/crossref/works").respond_with_data("<html>busy</html>")
    httpserver.expect_oneshot_request("/crossref/works").respond_with_data('{"message": {"it')
    fake = Services().install(httpserver)
    fake.add_work(crossref_work("10.1000/alpha", "Alpha"))
    refs = [Reference("alpha", doi="10.1000/alpha", pmid="1")]
    with fake.resolver(tmp_path) as resolver:
        failed = resolver.lookup(refs)["alpha"]
    assert failed.failures and failed.doi_exists is None
    with fake.resolver(tmp_path) as resolver:
        again = resolver.lookup(refs)["alpha"]
    assert (again.failures, again.doi_exists) == ((), True)


def test_secrets_never_reach_the_cache_file_or_logs(
    httpserver: HTTPServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    httpserver.expect_oneshot_request("/eutils/esummary.fcgi").respond_with_data("x", status=503)
    fake, refs = populated(httpserver)
    with fake.resolver(tmp_path, api_key=SENTINEL_KEY, mailto=SENTINEL_MAIL) as resolver:
        lookups = resolver.lookup(refs)
        resolver.candidates(Reference("c", title="Alpha", authors=(Author("Smith"),), year=2020))
    # They were sent where they belong...
    assert any(s.params.get("api_key") == SENTINEL_KEY for s in fake.seen)
    assert any(SENTINEL_MAIL in s.user_agent for s in fake.requests("crossref"))
    # ...and are nowhere else: not in the cache files (WAL included), logs or lookups.
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert stored and b"Alpha" in stored
    for secret in (SENTINEL_KEY, SENTINEL_MAIL, "sentinel-93e1"):
        assert secret.encode() not in stored
        assert secret not in caplog.text
        assert secret not in repr(lookups)


def test_offline_with_nothing_cached_sends_nothing(httpserver: HTTPServer, tmp_path: Path) -> None:
    fake, refs = populated(httpserver)
    with fake.resolver(tmp_path, offline=True) as resolver:
        lookups = resolver.lookup(refs)
    assert httpserver.log == []
    assert all(lookup.offline_missing for lookup in lookups.values())
    assert all(lookup.sources == () for lookup in lookups.values())


def test_offline_answers_from_the_cache(httpserver: HTTPServer, tmp_path: Path) -> None:
    fake, refs = populated(httpserver)
    with fake.resolver(tmp_path) as resolver:
        online = resolver.lookup(refs)
    asked = len(httpserver.log)
    with fake.resolver(tmp_path, offline=True) as resolver:
        offline = resolver.lookup([*refs, Reference("new", pmid="77")])
    assert len(httpserver.log) == asked
    assert {k: offline[k] for k in online} == online
    assert offline["new"].offline_missing


def test_the_limit_holds_on_the_wire_and_both_services_work_at_once(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    fake = Services().install(httpserver)
    dois = [f"10.1000/w{i}" for i in range(400)]
    for doi in dois:
        fake.add_work(crossref_work(doi))
    pmids = [str(500 + i) for i in range(4)]
    for pmid in pmids:
        fake.add_pubmed(esummary_doc(pmid), efetch_article(pmid))
    limits = ServiceLimits(
        crossref_single=FAST.crossref_single,
        crossref_list=RateLimit(3, per=0.5, concurrency=3),
        doi=FAST.doi,
        eutils=RateLimit(1, per=0.3, concurrency=1),
    )
    refs = [Reference(f"d{i}", doi=d, pmid="500") for i, d in enumerate(dois)]
    refs += [Reference(f"p{p}", pmid=p) for p in pmids]
    with fake.resolver(tmp_path, limits=limits) as resolver:
        resolver.lookup(refs)
    crossref_times = [s.at for s in fake.requests("crossref")]
    assert len(crossref_times) == 8
    # Arrivals at the server, in any half-second window less 50 ms: the limiter spaces the
    # sends, and a loaded machine may delay one arrival towards the next (jitter, not a breach).
    for start in crossref_times:
        assert sum(1 for t in crossref_times if start <= t < start + 0.45) <= 3
    assert crossref_times[-1] - crossref_times[0] >= 2 * 0.5
    eutils_times = [s.at for s in fake.requests("eutils")]
    assert len(eutils_times) == 2
    # The same 50 ms of arrival jitter: a delayed first arrival shortens the gap seen here.
    assert eutils_times[1] - eutils_times[0] >= 0.3 - 0.05
    assert eutils_times[0] < crossref_times[-1]  # side by side, not one after the other


def test_candidates_from_pubmed_and_crossref(httpserver: HTTPServer, tmp_path: Path) -> None:
    fake = Services().install(httpserver)
    title = "A randomized controlled trial of prolotherapy"
    fake.add_pubmed(
        esummary_doc("71", title + ".", pubtype=("Randomized Controlled Trial",)),
        efetch_article(
            "71", title + ".", pubtypes=("Journal Article", "Randomized Controlled Trial")
        ),
    )
    fake.title_search[title] = ["71"]
    fake.bibliographic = [crossref_work("10.1000/c1", title), crossref_work("10.1000/c2", "Other")]
    wanted = Reference("k", title=title + ".", authors=(Author("Kim", "W. M."),), year=2010)
    with fake.resolver(tmp_path) as resolver:
        found = resolver.candidates(wanted, rows=2)
    assert [(r.source, r.pmid or r.doi) for r in found] == [
        ("pubmed", "71"),
        ("crossref", "10.1000/c1"),
        ("crossref", "10.1000/c2"),
    ]
    assert found[0].publication_types == ("Journal Article", "Randomized Controlled Trial")
    term = fake.requests("eutils", "/esearch.fcgi")[0].params["term"]
    assert term == f'"{title}"[Title]'  # markup and the final full stop do not matter
    query = fake.requests("crossref", "/works")[0].params
    assert query["query.bibliographic"] == f"{title} Kim 2010"
    asked = len(httpserver.log)
    with fake.resolver(tmp_path) as resolver:
        assert resolver.candidates(wanted, rows=2) == found
    assert len(httpserver.log) == asked


def test_candidates_fall_back_to_title_words(httpserver: HTTPServer, tmp_path: Path) -> None:
    fake = Services().install(httpserver)
    fake.add_pubmed(esummary_doc("81"), efetch_article("81"))
    fake.title_search["Dextrose[Title] AND injection[Title] AND chronic[Title] AND pain[Title]"] = [
        "81"
    ]
    wanted = Reference("k", title="Dextrose injection for chronic pain")
    with fake.resolver(tmp_path) as resolver:
        found = resolver.candidates(wanted)
    assert [r.pmid for r in found] == ["81"]


def test_candidates_survive_a_failing_service(
    httpserver: HTTPServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    httpserver.expect_request("/eutils/esearch.fcgi").respond_with_data("down", status=500)
    fake = Services().install(httpserver)
    fake.bibliographic = [crossref_work("10.1000/c1", "T")]
    with fake.resolver(tmp_path) as resolver:
        found = resolver.candidates(Reference("k", title="T"))
    assert [r.doi for r in found] == ["10.1000/c1"]
    assert "no PubMed candidates" in caplog.text
