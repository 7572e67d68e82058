"""DOIs through Crossref in batches, then doi.org for what Crossref lacks (real client,
server on 127.0.0.1; Crossref batch answers built in the documented work-list shape, since
no ``filter=doi:a,doi:b`` answer is recorded)."""

from __future__ import annotations

from pathlib import Path

from pytest_httpserver import HTTPServer

from proloevidence.model import Reference
from proloevidence.services.lookup_cache import FILE_NAME, LookupCache

from .loopback import Services, cassette_response, crossref_work, fixture_json


def refs_for(dois: list[str]) -> list[Reference]:
    # With a PMID printed, no DOI->PMID search is needed: these tests are about Crossref.
    return [Reference(f"r{i}", doi=d, pmid=str(1000 + i)) for i, d in enumerate(dois)]


def test_120_dois_take_three_list_calls(httpserver: HTTPServer, tmp_path: Path) -> None:
    fake = Services().install(httpserver)
    dois = [f"10.1000/batch.{i}" for i in range(120)]
    for doi in dois:
        fake.add_work(crossref_work(doi, f"Title {doi}"))
    with fake.resolver(tmp_path) as resolver:
        lookups = resolver.lookup(refs_for(dois))
    calls = fake.requests("crossref", "/works")
    assert len(calls) == 3
    assert sorted(c.params["filter"].count("doi:") for c in calls) == [20, 50, 50]
    assert all(int(c.params["rows"]) >= c.params["filter"].count("doi:") for c in calls)
    assert all(lookup.doi_exists for lookup in lookups.values())
    assert lookups["r7"].doi_record is not None
    assert lookups["r7"].doi_record.title == "Title 10.1000/batch.7"
    assert fake.requests("doi") == []


def test_dois_match_whatever_their_case(httpserver: HTTPServer, tmp_path: Path) -> None:
    fake = Services().install(httpserver)
    fake.add_work(crossref_work("10.1016/j.pop.2009.09.013", "Prolotherapy in primary care"))
    with fake.resolver(tmp_path) as resolver:
        lookup = resolver.lookup([Reference("a", doi="10.1016/J.POP.2009.09.013", pmid="1")])["a"]
    assert lookup.doi == "10.1016/J.POP.2009.09.013"  # as printed
    assert lookup.doi_record is not None
    assert lookup.doi_record.doi == "10.1016/j.pop.2009.09.013"  # as Crossref returns it
    assert lookup.doi_agency == "Crossref"


def test_a_comma_doi_goes_alone(httpserver: HTTPServer, tmp_path: Path) -> None:
    fake = Services().install(httpserver)
    comma = "10.1000/a,b"
    fake.add_work(crossref_work(comma, "Comma title"))
    fake.add_work(crossref_work("10.1000/plain", "Plain title"))
    with fake.resolver(tmp_path) as resolver:
        lookups = resolver.lookup(refs_for([comma, "10.1000/plain"]))
    singles = [c for c in fake.requests("crossref") if c.path.startswith("/works/")]
    batches = fake.requests("crossref", "/works")
    assert [c.path for c in singles] == ["/works/10.1000/a,b"]
    assert all("a,b" not in c.params.get("filter", "") for c in batches if c not in singles)
    assert lookups["r0"].doi_record is not None
    assert lookups["r0"].doi_record.title == "Comma title"
    assert lookups["r1"].doi_exists is True


def test_a_comma_doi_crossref_lacks_replays_the_recorded_404(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    # The recorded 404 is text/plain "Resource not found." with public-pool headers.
    for doi in ("10.1000/x,y", "10.1000/p,q"):
        httpserver.expect_request(f"/crossref/works/{doi}").respond_with_response(
            cassette_response("habanero__test_works_bad_id_warn.yaml")
        )
    fake = Services().install(httpserver)
    fake.csl["10.1000/x,y"] = {"DOI": "10.1000/x,y", "type": "article-journal", "title": "XY"}
    with fake.resolver(tmp_path) as resolver:
        lookups = resolver.lookup(refs_for(["10.1000/x,y", "10.1000/p,q"]))
        limits = resolver.current_limits
    # /ra/ cannot name a comma DOI (it splits on commas): content negotiation settles it.
    assert fake.requests("doi", "/ra/") == []
    found, missing = lookups["r0"], lookups["r1"]
    assert (found.doi_exists, found.doi_agency) == (True, None)
    assert found.doi_record is not None and found.doi_record.title == "XY"
    assert found.sources[:2] == ("crossref", "doi.org")
    assert (missing.doi_exists, missing.doi_record, missing.failures) == (False, None, ())
    # The recorded headers say public pool, 5/s, 1 in flight: the limiter follows down.
    assert (limits.crossref_single.rate, limits.crossref_single.concurrency) == (5, 1)


def test_dois_missing_from_a_batch_go_to_doi_org(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/doi/10.1000/registered-elsewhere").respond_with_response(
        cassette_response(
            "habanero__test_content_negotiation_raises_an_http_error_with_bad_requests.yaml"
        )
    )
    fake = Services().install(httpserver)
    fake.add_work(crossref_work("10.1000/in-crossref"))
    fake.agencies["10.5281/zenodo.42"] = "DataCite"
    fake.csl["10.5281/zenodo.42"] = fixture_json("manubot__datacite-thesis-csl__raw.json")[0]
    fake.agencies["10.1000/registered-elsewhere"] = "DataCite"
    dois = [
        "10.1000/in-crossref",
        "10.5281/zenodo.42",
        "10.9999/nowhere",
        "10.1000/registered-elsewhere",
    ]
    with fake.resolver(tmp_path) as resolver:
        lookups = resolver.lookup(refs_for(dois))
    assert len(fake.requests("crossref")) == 1
    ra_calls = fake.requests("doi", "/ra/")
    assert len(ra_calls) == 1 and ra_calls[0].path.count(",") == 2  # three DOIs, one call
    assert lookups["r0"].doi_agency == "Crossref"
    datacite = lookups["r1"]
    assert (datacite.doi_exists, datacite.doi_agency) == (True, "DataCite")
    assert datacite.doi_record is not None
    assert datacite.doi_record.source == "doi.org"
    assert datacite.doi_record.authors[0].family == "Himmelstein"
    assert (lookups["r2"].doi_exists, lookups["r2"].doi_record) == (False, None)
    # Registered, but content negotiation answered with doi.org's recorded 404 page.
    assert (lookups["r3"].doi_exists, lookups["r3"].doi_record) == (True, None)
    assert lookups["r3"].failures == ()


def test_old_csl_type_names_are_normalised(httpserver: HTTPServer, tmp_path: Path) -> None:
    fake = Services().install(httpserver)
    fake.agencies["10.1038/193293a0"] = "Crossref"  # Crossref's REST API lags its registry
    fake.csl["10.1038/193293a0"] = fixture_json("manubot__crossref-winter-scabs-csl__raw.json")[0]
    with fake.resolver(tmp_path) as resolver:
        lookup = resolver.lookup(refs_for(["10.1038/193293a0"]))["r0"]
    assert lookup.doi_record is not None
    assert lookup.doi_record.publication_types == ("journal-article",)


def test_a_failing_crossref_is_reported_not_guessed(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/crossref/works").respond_with_data("down", status=503)
    fake = Services().install(httpserver)
    with fake.resolver(tmp_path) as resolver:
        lookup = resolver.lookup(refs_for(["10.1000/a"]))["r0"]
    assert lookup.doi_exists is None  # not "does not exist": nobody could say
    assert fake.requests("doi") == []
    host = f"127.0.0.1:{httpserver.port}"
    assert lookup.failures == (
        f"{host}: HTTP 503 after 3 attempts "
        f"(http://{host}/crossref/works?filter=doi%3A10.1000%2Fa&rows=1)",
    )
    assert "crossref" not in lookup.sources


def test_retraction_arrays_out_of_order_become_notices(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    fake = Services().install(httpserver)
    for name in ("citeguard__surgisphere_mehra_2020.json", "citeguard__wakefield_1998.json"):
        fake.add_work(fixture_json(name)["message"])
    dois = ["10.1016/S0140-6736(20)31180-6", "10.1016/S0140-6736(97)11096-0"]
    with fake.resolver(tmp_path) as resolver:
        lookups = resolver.lookup(refs_for(dois))
    mehra, wakefield = lookups["r0"], lookups["r1"]
    assert {n.type for n in mehra.notices} >= {"retraction", "expression_of_concern", "erratum"}
    assert any(n.type == "retraction" and n.source == "crossref/publisher" for n in mehra.notices)
    assert [n.type for n in wakefield.notices] == ["correction", "retraction"]
    assert wakefield.doi_record is not None
    assert wakefield.doi_record.title.startswith("RETRACTED: ")


def test_dois_crossref_lacks_reach_doi_org_in_full_batches(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    fake = Services().install(httpserver)
    dois = [f"10.1000/mix.{i}" for i in range(150)]
    for i, doi in enumerate(dois):
        if i % 3:  # every third DOI is unknown to Crossref, spread over all three batches
            fake.add_work(crossref_work(doi))
    with fake.resolver(tmp_path) as resolver:
        lookups = resolver.lookup(refs_for(dois))
    ra_calls = fake.requests("doi", "/ra/")
    assert sorted(c.path.count(",") + 1 for c in ra_calls) == [10, 20, 20]
    assert sum(1 for lookup in lookups.values() if lookup.doi_exists is False) == 50


def test_a_doi_crossref_left_out_but_doi_org_places_there_is_asked_again(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    # Crossref's batch answer leaves out a DOI doi.org says Crossref registered (a glitch,
    # or the REST API lagging its registry): its "not in Crossref" must not be cached.
    fake = Services().install(httpserver)
    lagging, datacite = "10.1000/lagging", "10.5281/zenodo.7"
    fake.agencies.update({lagging: "Crossref", datacite: "DataCite"})
    for doi in (lagging, datacite):
        fake.csl[doi] = {"DOI": doi, "type": "article-journal", "title": f"Title of {doi}"}
    with fake.resolver(tmp_path) as resolver:
        first = resolver.lookup(refs_for([lagging, datacite]))
    assert first["r0"].doi_record is not None
    assert first["r0"].doi_record.source == "doi.org"
    fake.add_work(crossref_work(lagging, "Title of 10.1000/lagging"))
    with fake.resolver(tmp_path) as resolver:
        second = resolver.lookup(refs_for([lagging, datacite]))
    assert second["r0"].doi_record is not None
    assert second["r0"].doi_record.source == "crossref"
    # The DataCite DOI's absence, confirmed by doi.org, was cached: only the other is asked.
    filters = [c.params["filter"] for c in fake.requests("crossref", "/works")]
    assert filters[1:] == [f"doi:{lagging}"]


def test_the_abstract_is_cached_and_shown_offline_and_old_entries_are_not_read(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    # A BUILT work with a JATS abstract, in the shape Crossref gives (recorded examples:
    # tests/fixtures/habanero__test_works_with_many_ids__1.json).
    fake = Services().install(httpserver)
    abstract = "<jats:title>Abstract</jats:title><jats:p>Dextrose <jats:italic>works</jats:italic>.</jats:p>"  # noqa: E501
    fake.add_work(crossref_work("10.1000/abs", "Abstract kept", abstract=abstract))
    # What an older version cached under the kind "work": the abstract stripped.
    base = fake.resolver(tmp_path).crossref_url
    old = LookupCache(tmp_path / FILE_NAME)
    old.put_many({f"{base}|work|10.1000/abs": crossref_work("10.1000/abs", "Old")}, 1e6)
    old.close()
    with fake.resolver(tmp_path) as resolver:
        online = resolver.lookup(refs_for(["10.1000/abs"]))["r0"]
    with fake.resolver(tmp_path, offline=True) as resolver:
        offline = resolver.lookup(refs_for(["10.1000/abs"]))["r0"]
    for lookup in (online, offline):
        assert lookup.doi_record is not None
        assert lookup.doi_record.abstract == "Dextrose works."
    assert len(fake.requests("crossref")) == 1
