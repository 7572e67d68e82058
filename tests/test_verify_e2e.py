"""verify end to end: the real Resolver (requests, cache, limiter) against services on 127.0.0.1.

The loopback services (tests/loopback.py) answer in the documented shapes of
shared/reference/apis.md, from recorded Crossref bodies and from bodies built in those shapes
where nothing was recorded (tests/fixtures/README.md says which is which). Nothing here
touches the internet.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from proloevidence.kb.knowledge_base import KnowledgeBase, bundled_path
from proloevidence.model import Author, Reference
from proloevidence.services.resolver import Resolver
from proloevidence.verification import Status
from proloevidence.verifying.lock import LOCK_NAME, read_lock
from proloevidence.verifying.verdicts import verify

from .loopback import Services, bundled_services, recorded_services, run_cli

MAILTO = "verify-tests@example.org"
NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone.utc)


def environment(urls: dict[str, str], cache: Path) -> dict[str, str]:
    return {
        "PROLOEVIDENCE_CROSSREF_URL": urls["crossref_url"],
        "PROLOEVIDENCE_DOI_URL": urls["doi_url"],
        "PROLOEVIDENCE_EUTILS_URL": urls["eutils_url"],
        "PROLOEVIDENCE_MAILTO": MAILTO,
        "PROLOEVIDENCE_CACHE_DIR": str(cache),
    }


# -- the five bundled references against records like the public ones ---------------------------


class Bundled:
    """One cold ``verify --format json --lock`` of the bundled page, shared by the tests below."""

    def __init__(self, server: HTTPServer, root: Path) -> None:
        self.services = bundled_services()
        self.urls = self.services.install(server).urls()
        self.kb = root / "kb"
        shutil.copytree(bundled_path(), self.kb, ignore=shutil.ignore_patterns("__pycache__"))
        self.env = environment(self.urls, root / "cache")
        self.code, out, self.err = run_cli(
            self.env, "verify", "--kb", str(self.kb), "--format", "json", "--lock"
        )
        self.document = json.loads(out)
        self.results = {r["key"]: r for r in self.document["results"]}
        self.cold_requests = self.services.count()


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bundled]:
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    try:
        yield Bundled(server, tmp_path_factory.mktemp("bundled"))
    finally:
        server.clear()
        server.stop()


def fields(result: dict[str, Any]) -> dict[str, str]:
    return {f["field"]: f["match"] for f in result["fields"]}


def test_each_bundled_reference_gets_its_status(bundled: Bundled) -> None:
    assert bundled.code == 1
    assert "Traceback" not in bundled.err
    assert bundled.document["schema_version"] == 1
    assert {k: r["status"] for k, r in bundled.results.items()} == {
        "rabago2010": "verified",
        "kim2010": "mismatch",
        "hauser2016": "verified",
        "duman2012": "mismatch",
        "wu2017": "not_found",
    }
    summary = bundled.document["summary"]
    assert (summary["total"], summary["verified"], summary["mismatch"], summary["not_found"]) == (
        5,
        2,
        2,
        1,
    )
    for result in bundled.results.values():
        assert set(result) >= {
            "key",
            "status",
            "identifiers",
            "fields",
            "notices",
            "suggestion",
            "sources",
        }
        assert result["sources"]


def test_primary_care_is_prim_care_and_nlm_pages_expand(bundled: Bundled) -> None:
    rabago = bundled.results["rabago2010"]
    assert set(fields(rabago).values()) == {"match"}
    journal = next(f for f in rabago["fields"] if f["field"] == "journal")
    assert journal["cited"] == "Primary Care"
    hauser = bundled.results["hauser2016"]
    assert fields(hauser)["pages"] == "match"  # 139–159 printed; PubMed says 139-59
    assert fields(hauser)["issue"] == "missing"  # neither the page nor the services give one


def test_the_pmid_that_names_another_article_is_found_out_and_the_trial_suggested(
    bundled: Bundled,
) -> None:
    kim = bundled.results["kim2010"]
    assert {k for k, v in fields(kim).items() if v == "mismatch"} == {"title", "authors", "journal"}
    suggestion = kim["suggestion"]
    assert suggestion is not None
    record = suggestion["record"]
    assert record["doi"].lower() == "10.1089/acm.2010.0031"
    assert record["year"] == 2010
    assert 0.5 < suggestion["score"] <= 1
    assert any("search" in s for s in kim["sources"])


def test_a_doi_naming_another_work_gets_no_suggestion_from_look_alikes(bundled: Bundled) -> None:
    duman = bundled.results["duman2012"]
    assert fields(duman)["title"] == "mismatch"
    assert fields(duman)["journal"] == "match"  # the DOI is a Medical Hypotheses DOI
    assert duman["suggestion"] is None  # other dextrose papers share words, not title and author


def test_a_doi_nobody_registered_is_not_found(bundled: Bundled) -> None:
    wu = bundled.results["wu2017"]
    assert "10.1155/2017/8157910" in wu["message"]
    assert wu["suggestion"] is None


def test_the_lock_holds_every_result_and_no_contact_address(bundled: Bundled) -> None:
    locked = read_lock(bundled.kb)
    assert locked is not None
    assert {k: r.status.value for k, r in locked.results.items()} == {
        k: r["status"] for k, r in bundled.results.items()
    }
    assert all(r.checked_at is not None for r in locked.results.values())
    assert MAILTO not in (bundled.kb / LOCK_NAME).read_text(encoding="utf-8")


def test_a_warm_run_asks_nothing_and_says_the_same(bundled: Bundled) -> None:
    before = bundled.services.count()
    assert before == bundled.cold_requests > 0
    code, out, err = run_cli(bundled.env, "verify", "--kb", str(bundled.kb))
    assert bundled.services.count() == before
    assert code == 1
    assert "kim2010: mismatch: fields differ: title, authors, journal" in out
    assert "suggestion (score" in out
    assert "wu2017: not_found" in out
    assert "5 reference(s): 2 verified, 2 mismatch, 1 not_found" in out
    assert "verifying [" not in err  # stderr is not a terminal here: no progress bar


def test_offline_with_an_empty_cache_is_unverified_and_silent(
    bundled: Bundled, tmp_path: Path
) -> None:
    before = bundled.services.count()
    env = {**bundled.env, "PROLOEVIDENCE_CACHE_DIR": str(tmp_path / "empty")}
    code, out, _ = run_cli(env, "verify", "--kb", str(bundled.kb), "--offline", "--format", "json")
    assert code == 1
    assert bundled.services.count() == before
    assert {r["status"] for r in json.loads(out)["results"]} == {"unverified"}


def test_verifying_some_keys_merges_into_the_lock(bundled: Bundled) -> None:
    old = read_lock(bundled.kb)
    assert old is not None
    code, out, _ = run_cli(bundled.env, "verify", "--kb", str(bundled.kb), "hauser2016", "--lock")
    assert code == 0
    assert out.startswith("hauser2016: verified")
    merged = read_lock(bundled.kb)
    assert merged is not None
    assert list(merged.results) == list(old.results)
    assert merged.results["kim2010"] == old.results["kim2010"]
    assert merged.results["hauser2016"].checked_at != old.results["hauser2016"].checked_at


# -- recorded retractions, corrections and built PubMed records ----------------------------------


def printed(key: str, authors: str, title: str, journal: str, year: int, **rest: Any) -> Reference:
    names = tuple(Author(*name.split(" ", 1)) for name in authors.split(", ") if name != "et al.")
    return Reference(
        key=key,
        authors=names,
        et_al=authors.endswith("et al."),
        title=title,
        journal=journal,
        year=year,
        **rest,
    )


REFERENCES = [
    printed(
        "wakefield1998",
        "Wakefield AJ, Murch SH, Anthony A, et al.",
        "Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and pervasive developmental "
        "disorder in children",
        "Lancet",
        1998,
        volume="351",
        number="9103",
        pages="637-41",
        doi="10.1016/S0140-6736(97)11096-0",  # printed in capitals; Crossref answers in lower case
    ),
    printed(
        "mehra2020",
        "Mehra MR, Desai SS, Ruschitzka F, Patel AN",
        "Hydroxychloroquine or chloroquine with or without a macrolide for treatment of COVID-19: "
        "a multinational registry analysis",
        "Lancet",
        2020,
        doi="10.1016/S0140-6736(20)31180-6",
    ),
    printed(
        "watson1953",
        "Watson JD, Crick FH",
        "Molecular structure of nucleic acids; a structure for deoxyribose nucleic acid",
        "Nature",
        1953,
        volume="171",
        number="4356",
        pages="737-8",
        doi="10.1038/171737a0",
    ),
    printed(
        "sadasivan2012",
        "Sadasivan S, Pond BB, Pani AK, et al.",
        "Methylphenidate exposure induces dopamine neuron loss and activation of microglia in the "
        "basal ganglia of mice",
        "PLoS One",
        2012,
        volume="7",
        number="3",
        pages="e33693",
        doi="10.1371/journal.pone.0033693",
    ),
    printed(
        "li2022",
        "Li YJ, Fahrmann JF, Aftabizadeh M, et al.",
        "Fatty acid oxidation protects cancer cells from apoptosis by increasing mitochondrial "
        "membrane lipids",
        "Cell Rep",
        2022,
        volume="39",
        number="9",
        pages="110870",
        pmid="35649368",
    ),
    printed(
        "synthetic2015",
        "Fixture A, Builder B",
        "A synthetic trial whose retraction only PubMed records",
        "Synth J",
        2015,
        volume="1",
        number="1",
        pages="1-9",
        pmid="99000001",
    ),
    printed(
        "conflict1953",
        "Watson JD, Crick FH",
        "Molecular structure of nucleic acids; a structure for deoxyribose nucleic acid",
        "Nature",
        1953,
        doi="10.1038/171737a0",
        pmid="35649368",
    ),
    printed("ghost2019", "Nobody N", "A paper PubMed never had", "Nowhere", 2019, pmid="99999999"),
    printed("nothing2000", "Nobody N", "No identifier printed", "Nowhere", 2000),
    printed("broken2000", "Nobody N", "A broken DOI", "Nowhere", 2000, doi="10.1016"),
]


@pytest.fixture
def recorded(httpserver: HTTPServer) -> tuple[Services, dict[str, str]]:
    services = recorded_services()
    return services, services.install(httpserver).urls()


def test_library_statuses_notices_and_progress(
    recorded: tuple[Services, dict[str, str]], tmp_path: Path
) -> None:
    _, urls = recorded
    kb = KnowledgeBase([], [], REFERENCES)
    calls: list[tuple[int, int]] = []
    with Resolver(**urls, mailto=MAILTO, cache_dir=tmp_path / "cache") as resolver:
        verification = verify(
            kb, resolver, progress=lambda done, total: calls.append((done, total)), now=NOW
        )
    results = verification.results
    assert {k: r.status for k, r in results.items()} == {
        "wakefield1998": Status.RETRACTED,
        "mehra2020": Status.RETRACTED,
        "watson1953": Status.VERIFIED,
        "sadasivan2012": Status.VERIFIED,
        "li2022": Status.VERIFIED,
        "synthetic2015": Status.RETRACTED,
        "conflict1953": Status.CONFLICT,
        "ghost2019": Status.NOT_FOUND,
        "nothing2000": Status.NO_IDENTIFIER,
        "broken2000": Status.INVALID_IDENTIFIER,
    }
    # Wakefield: the correction comes first in the recorded array; the retraction still wins.
    wakefield = results["wakefield1998"]
    assert wakefield.notices[0].type == "retraction"
    assert wakefield.notices[0].doi == "10.1016/s0140-6736(10)60175-4"
    assert "correction" in [n.type for n in wakefield.notices]
    # Mehra: seven updated-by entries out of date order, four update-to retractions.
    assert results["mehra2020"].notices[0].type == "retraction"
    # Corrections and errata are listed without changing a verified status.
    assert [n.type for n in results["sadasivan2012"].notices] == ["correction"]
    assert "erratum" in [n.type for n in results["li2022"].notices]
    synthetic = results["synthetic2015"]
    assert any(n.type == "retraction" and "pubmed" in n.source for n in synthetic.notices)
    assert "35649368" in results["conflict1953"].message
    assert "99999999" in results["ghost2019"].message
    assert all(r.checked_at == NOW for r in results.values())
    assert verification.created == NOW
    assert calls and calls[-1][0] == calls[-1][1]


def test_a_service_that_keeps_failing_is_unreachable_naming_the_host(
    recorded: tuple[Services, dict[str, str]], tmp_path: Path
) -> None:
    services, urls = recorded
    services.failing = {"crossref", "doi", "eutils"}
    kb = KnowledgeBase([], [], [r for r in REFERENCES if r.key in ("watson1953", "li2022")])
    with Resolver(**urls, mailto=MAILTO, cache_dir=tmp_path / "cache") as resolver:
        results = verify(kb, resolver).results
    host = urllib.parse.urlsplit(urls["crossref_url"]).hostname or "?"
    for result in results.values():
        assert result.status is Status.UNREACHABLE
        assert host in result.message
    assert services.count("crossref") > 1  # it retried before giving up


def test_the_cli_reports_an_outage_without_a_traceback(
    recorded: tuple[Services, dict[str, str]], tmp_path: Path
) -> None:
    services, urls = recorded
    services.failing = {"crossref", "doi", "eutils"}
    code, out, err = run_cli(environment(urls, tmp_path / "cache"), "verify", "rabago2010")
    assert code == 3  # could not ask: an outage, not a finding
    assert out.startswith("rabago2010: unreachable")
    assert "Traceback" not in err
    assert "1 reference(s) could not be checked: a service failed" in err
