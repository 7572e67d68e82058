"""PMIDs through esummary and efetch in batches; a DOI's PMID through esearch (real client,
server on 127.0.0.1; efetch bodies recorded where possible, esummary JSON and esearch JSON
built in the documented shapes since none is recorded)."""

from __future__ import annotations

from pathlib import Path

from pytest_httpserver import HTTPServer

from proloevidence.model import Reference

from .loopback import Services, efetch_article, esummary_doc, fixture_articles


def test_batches_post_above_200_ids(httpserver: HTTPServer, tmp_path: Path) -> None:
    fake = Services().install(httpserver)
    pmids = [str(100000 + i) for i in range(450)]
    for pmid in pmids:
        fake.add_pubmed(esummary_doc(pmid), efetch_article(pmid))
    with fake.resolver(tmp_path) as resolver:
        lookups = resolver.lookup([Reference(f"r{p}", pmid=p) for p in pmids])
    summaries = fake.requests("eutils", "/esummary.fcgi")
    fetches = fake.requests("eutils", "/efetch.fcgi")
    assert [(s.method, len(s.params["id"].split(","))) for s in summaries] == [("POST", 450)]
    assert sorted((f.method, len(f.params["id"].split(","))) for f in fetches) == [
        ("GET", 50),
        ("GET", 200),
        ("GET", 200),
    ]
    assert all(lookup.pmid_exists for lookup in lookups.values())
    assert all(s.params["tool"] == "proloevidence" for s in summaries + fetches)


def test_an_unknown_pmid_does_not_exist(httpserver: HTTPServer, tmp_path: Path) -> None:
    # esummary answers "cannot get document summary"; efetch the recorded empty set.
    empty = (Path(__file__).parent / "fixtures" / "metapub__37909814.xml").read_text()
    httpserver.expect_request("/eutils/efetch.fcgi").respond_with_data(empty)
    fake = Services().install(httpserver)
    with fake.resolver(tmp_path) as resolver:
        lookup = resolver.lookup([Reference("r", pmid="37909814")])["r"]
    assert (lookup.pmid, lookup.pmid_exists, lookup.pubmed_record) == ("37909814", False, None)
    assert lookup.sources == ("pubmed",)
    assert lookup.failures == ()


def test_a_batch_answer_missing_some_ids(httpserver: HTTPServer, tmp_path: Path) -> None:
    fake = Services().install(httpserver)
    fake.add_pubmed(esummary_doc("11"), efetch_article("11"))
    fake.summaries["12"] = esummary_doc("12")  # efetch leaves 12 out, esummary has it
    with fake.resolver(tmp_path) as resolver:
        lookups = resolver.lookup([Reference(k, pmid=k) for k in ("11", "12", "13")])
    assert [lookups[k].pmid_exists for k in ("11", "12", "13")] == [True, True, False]


def test_markup_titles_and_errata_from_recorded_efetch(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    fake = Services().install(httpserver)
    for name in ("metapub__37167981.xml", "metapub__35649368.xml"):
        for pmid, xml in fixture_articles(name).items():
            fake.add_pubmed(esummary_doc(pmid, "esummary title"), xml)
    with fake.resolver(tmp_path) as resolver:
        lookups = resolver.lookup([Reference(p, pmid=p) for p in ("37167981", "35649368")])
    record = lookups["37167981"].pubmed_record
    assert record is not None
    assert "(μ-XRF) based detection" in record.title  # efetch's whole title, not esummary's
    erratum = lookups["35649368"]
    assert [(n.type, n.doi) for n in erratum.notices] == [
        ("erratum", "10.1016/j.celrep.2022.111044")
    ]
    assert erratum.pubmed_record is not None
    assert erratum.pubmed_record.doi == "10.1016/j.celrep.2022.110870"


def test_a_retraction_link_reaches_the_lookup(httpserver: HTTPServer, tmp_path: Path) -> None:
    # Built in the NLM DTD shape: no recorded record with RetractionIn is public.
    fake = Services().install(httpserver)
    fake.add_pubmed(
        esummary_doc("5", pubtype=("Journal Article", "Retracted Publication")),
        efetch_article(
            "5",
            pubtypes=("Journal Article", "Retracted Publication"),
            links=(("RetractionIn", "J Tests. 2021;2:1. doi: 10.1000/notice.", "6"),),
        ),
    )
    with fake.resolver(tmp_path) as resolver:
        lookup = resolver.lookup([Reference("r", pmid="5")])["r"]
    assert [(n.type, n.doi, n.source) for n in lookup.notices] == [
        ("retraction", "10.1000/notice", "pubmed")
    ]


def test_the_pmid_of_a_doi_is_searched_in_batches(httpserver: HTTPServer, tmp_path: Path) -> None:
    fake = Services().install(httpserver)
    fake.add_pubmed(esummary_doc("21", doi="10.1000/one"), efetch_article("21", doi="10.1000/one"))
    fake.add_pubmed(esummary_doc("22", doi="10.1000/two"), efetch_article("22", doi="10.1000/TWO"))
    refs = [
        Reference("one", doi="10.1000/ONE"),
        Reference("two", doi="10.1000/two"),
        Reference("none", doi="10.1000/not-in-pubmed"),
        Reference("printed", doi="10.1000/x", pmid="21"),
    ]
    with fake.resolver(tmp_path) as resolver:
        lookups = resolver.lookup(refs)
    searches = fake.requests("eutils", "/esearch.fcgi")
    assert len(searches) == 1
    assert searches[0].params["term"].count("[doi]") == 3  # not for the printed PMID
    assert (lookups["one"].pmid, lookups["one"].pmid_from_doi) == ("21", True)
    assert (lookups["two"].pmid, lookups["two"].pmid_from_doi) == ("22", True)
    assert lookups["two"].pubmed_record is not None
    assert (lookups["none"].pmid, lookups["none"].pmid_from_doi) == (None, False)
    assert "pubmed" in lookups["none"].sources  # PubMed was asked and knows no such DOI
    assert (lookups["printed"].pmid, lookups["printed"].pmid_from_doi) == ("21", False)
    # Found PMIDs are fetched together, once: 21 is printed and found, 22 only found.
    fetched = [f.params["id"] for f in fake.requests("eutils", "/esummary.fcgi")]
    assert sorted(p for ids in fetched for p in ids.split(",")) == ["21", "22"]


def test_an_unmatched_hit_in_a_batch_is_settled_one_by_one(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    fake = Services().install(httpserver)
    fake.add_pubmed(esummary_doc("31"), efetch_article("31"))  # its record lists no DOI
    fake.doi_search_extra["10.1000/b"] = "31"
    refs = [Reference("a", doi="10.1000/a"), Reference("b", doi="10.1000/b")]
    with fake.resolver(tmp_path) as resolver:
        lookups = resolver.lookup(refs)
    terms = [s.params["term"] for s in fake.requests("eutils", "/esearch.fcgi")]
    assert len(terms) == 3  # the batch, then each DOI alone
    assert (lookups["a"].pmid, lookups["b"].pmid) == (None, "31")


def test_efetch_failure_is_reported_esummary_failure_is_not_when_efetch_answered(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request(
        "/eutils/efetch.fcgi",
        query_string={"db": "pubmed", "id": "41", "retmode": "xml", "tool": "proloevidence"},
    ).respond_with_data("down", status=502)
    httpserver.expect_request(
        "/eutils/esummary.fcgi",
        query_string={"db": "pubmed", "id": "42", "retmode": "json", "tool": "proloevidence"},
    ).respond_with_data("down", status=502)
    fake = Services().install(httpserver)
    for pmid in ("41", "42"):
        fake.add_pubmed(esummary_doc(pmid), efetch_article(pmid))
    with fake.resolver(tmp_path) as resolver:
        a = resolver.lookup([Reference("a", pmid="41")])["a"]
        b = resolver.lookup([Reference("b", pmid="42")])["b"]
    # Without efetch, PubMed's retraction links are unknown: say so.
    assert a.pubmed_record is not None
    assert len(a.failures) == 1 and "HTTP 502 after 3 attempts" in a.failures[0]
    assert "efetch.fcgi" in a.failures[0]
    # efetch holds everything esummary would have said.
    assert b.pubmed_record is not None and b.failures == ()


def test_with_a_key_or_address_nothing_secret_is_in_a_url(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    fake = Services().install(httpserver)
    fake.add_pubmed(esummary_doc("51", doi="10.1000/k"), efetch_article("51"))
    with fake.resolver(tmp_path, api_key="KEY-51", mailto="me@example.org") as resolver:
        resolver.lookup([Reference("a", pmid="51"), Reference("b", doi="10.1000/k")])
    calls = fake.requests("eutils")
    assert calls and all(c.method == "POST" for c in calls)
    assert all(
        (c.params["api_key"], c.params["email"]) == ("KEY-51", "me@example.org") for c in calls
    )
    for request, _ in httpserver.log:
        assert "KEY-51" not in request.url and "example.org" not in request.url


def test_a_pmid_esummary_leaves_out_is_not_cached_as_missing(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    # Built in the esummary envelope's shape: a batch answer that does not mention the id.
    httpserver.expect_oneshot_request("/eutils/esummary.fcgi").respond_with_json(
        {"header": {"type": "esummary", "version": "0.3"}, "result": {"uids": []}}
    )
    fake = Services().install(httpserver)
    fake.add_pubmed(esummary_doc("21"), efetch_article("21"))
    with fake.resolver(tmp_path) as resolver:
        first = resolver.lookup([Reference("a", pmid="21")])["a"]
    # efetch's record stands in, so the reference is judged; "not found" is not cached...
    assert (first.pmid_exists, first.failures) == (True, ())
    with fake.resolver(tmp_path) as resolver:
        resolver.lookup([Reference("a", pmid="21")])
    # ...so the next run asks esummary again.
    assert [s.params["id"] for s in fake.requests("eutils", "/esummary.fcgi")] == ["21"]


def test_a_pmid_efetch_leaves_out_though_esummary_has_it_is_a_failure_asked_again(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    fake = Services().install(httpserver)
    fake.summaries["31"] = esummary_doc("31")  # efetch's answer leaves 31 out
    refs = [Reference("a", pmid="31"), Reference("z", pmid="39")]  # 39: no record anywhere
    with fake.resolver(tmp_path) as resolver:
        first = resolver.lookup(refs)
    assert first["a"].pmid_exists is True
    assert len(first["a"].failures) == 1
    assert "no answer for this PMID from efetch, though esummary has it" in first["a"].failures[0]
    assert (first["z"].pmid_exists, first["z"].failures) == (False, ())
    fake.articles["31"] = efetch_article("31")
    with fake.resolver(tmp_path) as resolver:
        second = resolver.lookup(refs)
    assert second["a"].failures == ()
    # The empty answer for 31 was not trusted; the one for 39 (esummary agrees) was.
    fetched = [f.params["id"] for f in fake.requests("eutils", "/efetch.fcgi")]
    assert fetched == ["31,39", "31"]
