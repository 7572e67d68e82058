"""The verdict on a reference, judged purely from what the services said (no network here).

Lookup and Record values are built in each test: judge() is pure logic over them. The same
pipeline against a real HTTP server on 127.0.0.1 is in test_verify_e2e.py; the service URLs
below are only text inside failure messages, never requested.
"""

from __future__ import annotations

import datetime as dt

import pytest

import proloevidence
from proloevidence.errors import UnknownIdError
from proloevidence.model import Author, Reference
from proloevidence.verification import Lookup, Notice, Record, Status, Verification
from proloevidence.verifying.matching import same_work, score_candidate, suggest
from proloevidence.verifying.notices import RETRACTING, notice_type
from proloevidence.verifying.verdicts import judge, summary, verify

NOW = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)

KIM_TITLE = (
    "A randomized controlled trial of intra-articular prolotherapy versus steroid injection "
    "for sacroiliac joint pain"
)


def ref(**fields: object) -> Reference:
    base: dict[str, object] = {
        "key": "kim2010",
        "authors": (Author("Kim", "W. M."), Author("Lee", "H. G."), Author("Jeong", "C. W.")),
        "et_al": True,
        "title": KIM_TITLE,
        "journal": "J Altern Complement Med",
        "year": 2010,
        "volume": "16",
        "number": "12",
        "pages": "1285–1290",
        "doi": "10.1089/acm.2010.0031",
    }
    base.update(fields)
    return Reference(**base)  # type: ignore[arg-type]


def kim_record(source: str = "crossref", **fields: object) -> Record:
    base: dict[str, object] = {
        "source": source,
        "title": KIM_TITLE,
        "authors": (
            Author("Kim", "Woong Mo"),
            Author("Lee", "Hyung Gon"),
            Author("Jeong", "Chang Won"),
            Author("Kim", "Chang Mo"),
            Author("Yoon", "Myung Ha"),
        ),
        "journal": "The Journal of Alternative and Complementary Medicine",
        "year": 2010,
        "volume": "16",
        "issue": "12",
        "pages": "1285-1290",
        "doi": "10.1089/acm.2010.0031",
    }
    base.update(fields)
    return Record(**base)  # type: ignore[arg-type]


def other_record(source: str = "pubmed", **fields: object) -> Record:
    base: dict[str, object] = {
        "source": source,
        "title": "Lumbar facet joint injections: an audit of outcomes",
        "authors": (Author("Roe", "R"), Author("Poe", "P")),
        "journal": "Pain Physician",
        "year": 2010,
        "volume": "13",
        "issue": "4",
        "pages": "300-310",
        "pmid": "20648206",
    }
    base.update(fields)
    return Record(**base)  # type: ignore[arg-type]


# -- no identifier, invalid identifier, offline --


def test_a_reference_with_no_identifier_is_not_looked_up() -> None:
    result = judge(ref(doi=None), Lookup("kim2010"), checked_at=NOW)
    assert result.status is Status.NO_IDENTIFIER
    assert result.checked_at == NOW
    pmcid_only = judge(ref(doi=None, pmcid="PMC123"), Lookup("kim2010"))
    assert (pmcid_only.status, "PMCID PMC123" in pmcid_only.message) == (Status.NO_IDENTIFIER, True)


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"doi": "10.1089"}, "not a valid DOI"),
        ({"doi": None, "pmid": "0123"}, "not a valid PubMed id"),
        ({"pmid": "PMID: 12a"}, "not a valid PubMed id"),
    ],
)
def test_syntactically_invalid_identifiers(fields: dict[str, object], says: str) -> None:
    result = judge(ref(**fields), Lookup("kim2010"))
    assert result.status is Status.INVALID_IDENTIFIER
    assert says in result.message


def test_offline_with_nothing_cached_is_unverified() -> None:
    result = judge(ref(), Lookup("kim2010", doi="10.1089/acm.2010.0031", offline_missing=True))
    assert result.status is Status.UNVERIFIED
    assert "offline" in result.message


# -- verified --


def test_matching_record_is_verified_with_fields_and_sources() -> None:
    lookup = Lookup(
        "kim2010",
        doi="10.1089/acm.2010.0031",
        doi_record=kim_record(),
        doi_exists=True,
        sources=("crossref", "pubmed", "crossref"),
    )
    result = judge(ref(), lookup, checked_at=NOW)
    assert result.status is Status.VERIFIED
    assert [f.match for f in result.fields] == ["match"] * 7
    assert result.record == kim_record()
    assert result.sources == ("crossref", "pubmed")
    assert result.identifiers == {"doi": "10.1089/acm.2010.0031"}
    assert result.suggestion is None


def test_crossref_and_pubmed_together_carry_every_journal_name() -> None:
    """The page's "Primary Care" is PubMed's "Prim Care" and Crossref's longer container title."""
    reference = ref(
        key="rabago2010",
        authors=(Author("Rabago", "D."), Author("Slattengren", "A."), Author("Zgierska", "A.")),
        et_al=False,
        title="Prolotherapy in primary care practice",
        journal="Primary Care",
        volume="37",
        number="1",
        pages="65–80",
        doi="10.1016/j.pop.2009.09.013",
    )
    people = (
        Author("Rabago", "David"),
        Author("Slattengren", "Andrew"),
        Author("Zgierska", "Aleksandra"),
    )
    lookup = Lookup(
        "rabago2010",
        doi="10.1016/j.pop.2009.09.013",
        pmid="20188998",
        pmid_from_doi=True,
        doi_record=Record(
            "crossref",
            title="Prolotherapy in Primary Care Practice",
            authors=people,
            journal="Primary Care: Clinics in Office Practice",
            year=2010,
            volume="37",
            issue="1",
            pages="65-80",
            doi="10.1016/j.pop.2009.09.013",
        ),
        doi_exists=True,
        pubmed_record=Record(
            "pubmed",
            title="Prolotherapy in primary care practice.",
            authors=(Author("Rabago", "D"), Author("Slattengren", "A"), Author("Zgierska", "A")),
            journal="Primary care",
            journal_abbrev="Prim Care",
            year=2010,
            volume="37",
            issue="1",
            pages="65-80",
            doi="10.1016/j.pop.2009.09.013",
            pmid="20188998",
        ),
        pmid_exists=True,
    )
    result = judge(reference, lookup)
    assert result.status is Status.VERIFIED
    journal = next(f for f in result.fields if f.field == "journal")
    assert (journal.found, journal.match) == ("Primary care", "match")
    # The result keeps one record: Crossref's, completed with what only PubMed knows.
    record = result.record
    assert record is not None and record.source == "crossref+pubmed"
    assert (record.title, record.journal) == (
        "Prolotherapy in Primary Care Practice",
        "Primary Care: Clinics in Office Practice",
    )
    assert (record.journal_abbrev, record.pmid) == ("Prim Care", "20188998")
    # The PMID found from the DOI joins the printed DOI, for `fix` to add.
    assert result.identifiers == {"doi": "10.1016/j.pop.2009.09.013", "pmid": "20188998"}


def test_a_record_of_another_work_is_never_combined() -> None:
    """In a conflict the result keeps the DOI's record alone: PubMed's names another work."""
    lookup = Lookup(
        "kim2010", doi_record=kim_record(), pubmed_record=other_record(), pmid_exists=True
    )
    result = judge(ref(pmid="20648206"), lookup)
    assert result.status is Status.CONFLICT
    assert result.record == kim_record()
    assert result.identifiers == {"doi": "10.1089/acm.2010.0031", "pmid": "20648206"}


def test_a_doi_of_another_agency_is_checked_from_its_doi_org_record() -> None:
    record = kim_record(source="doi.org")
    lookup = Lookup("kim2010", doi_record=record, doi_exists=True, doi_agency="DataCite")
    assert judge(ref(), lookup).status is Status.VERIFIED


def test_missing_fields_are_not_mismatches() -> None:
    bare = kim_record(volume="", issue="", pages="", journal="")
    result = judge(ref(), Lookup("kim2010", doi_record=bare, doi_exists=True))
    assert result.status is Status.VERIFIED
    assert {f.field for f in result.fields if f.match == "missing"} == {
        "journal",
        "volume",
        "issue",
        "pages",
    }


# -- notices and retractions --


def wakefield_notices() -> tuple[Notice, ...]:
    # As in the recorded Crossref record of 10.1016/s0140-6736(97)11096-0: correction listed first.
    return (
        Notice(
            "correction", "10.1016/s0140-6736(04)15715-2", "2004-03-06", "crossref/retraction-watch"
        ),
        Notice(
            "retraction", "10.1016/s0140-6736(10)60175-4", "2010-02-06", "crossref/retraction-watch"
        ),
    )


def test_retraction_anywhere_in_an_unordered_array_wins() -> None:
    lookup = Lookup(
        "kim2010", doi_record=kim_record(), doi_exists=True, notices=wakefield_notices()
    )
    result = judge(ref(), lookup)
    assert result.status is Status.RETRACTED
    assert [n.type for n in result.notices] == ["retraction", "correction"]
    assert "10.1016/s0140-6736(10)60175-4" in result.message


def test_most_severe_notice_first_then_newest() -> None:
    notices = (
        Notice("Expression of Concern", "10.1/eoc", "2020-06-03", "crossref/retraction-watch"),
        Notice("correction", "10.1/c1", "2020-05-30", "crossref/publisher"),
        Notice("RetractionIn", "10.1/r-old", "2020-05-22", "pubmed"),
        Notice("retraction", "10.1/r-new", "2020-06-05", "crossref/retraction-watch"),
    )
    lookup = Lookup("kim2010", doi_record=kim_record(), doi_exists=True, notices=notices)
    result = judge(ref(), lookup)
    assert [n.doi for n in result.notices] == ["10.1/r-new", "10.1/r-old", "10.1/eoc", "10.1/c1"]
    assert result.status is Status.RETRACTED


@pytest.mark.parametrize("kind", ["correction", "erratum", "expression_of_concern", "ErratumIn"])
def test_corrections_errata_and_concerns_do_not_change_a_verified_status(kind: str) -> None:
    lookup = Lookup(
        "kim2010",
        doi_record=kim_record(),
        doi_exists=True,
        notices=(Notice(kind, "10.1/notice", "2012-01-01", "crossref/publisher"),),
    )
    result = judge(ref(), lookup)
    assert result.status is Status.VERIFIED
    assert len(result.notices) == 1
    assert result.notices[0].type not in RETRACTING
    assert result.message.startswith("notices: ")


def test_records_flag_retractions_themselves() -> None:
    flagged = kim_record(
        source="pubmed", publication_types=("Journal Article", "Retracted Publication")
    )
    result = judge(
        ref(), Lookup("kim2010", doi_record=kim_record(), pubmed_record=flagged, pmid_from_doi=True)
    )
    assert result.status is Status.RETRACTED
    titled = kim_record(title="RETRACTED: " + KIM_TITLE)
    result = judge(ref(), Lookup("kim2010", doi_record=titled, doi_exists=True))
    assert result.status is Status.RETRACTED
    title = next(f for f in result.fields if f.field == "title")
    assert title.match == "match"  # the prefix is not a title difference


def test_a_flag_without_a_notice_doi_is_folded_into_the_notice() -> None:
    flagged = kim_record(source="pubmed", publication_types=("Retracted Publication",))
    notices = (Notice("retraction", "10.1/r", "2011-01-01", "pubmed"),)
    lookup = Lookup(
        "kim2010",
        doi_record=kim_record(),
        pubmed_record=flagged,
        pmid_from_doi=True,
        notices=notices,
    )
    assert [n.doi for n in judge(ref(), lookup).notices] == ["10.1/r"]


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("Retraction", "retraction"),
        ("RetractionIn", "retraction"),
        ("expression-of-concern", "expression_of_concern"),
        ("ExpressionOfConcernIn", "expression_of_concern"),
        ("ErratumIn", "erratum"),
        ("withdrawal", "withdrawal"),
        ("new_version", "new_version"),
    ],
)
def test_notice_types_normalise(raw: str, kind: str) -> None:
    assert notice_type(raw) == kind


# -- not found, conflict --


def test_a_doi_nobody_knows_is_not_found() -> None:
    lookup = Lookup(
        "kim2010", doi="10.1089/acm.2010.0031", doi_exists=False, sources=("crossref", "doi.org")
    )
    result = judge(ref(), lookup)
    assert result.status is Status.NOT_FOUND
    assert "does not exist" in result.message
    assert result.fields == ()


def test_a_pmid_pubmed_lacks_is_not_found() -> None:
    result = judge(ref(doi=None, pmid="99999999"), Lookup("kim2010", pmid_exists=False))
    assert (result.status, result.message) == (Status.NOT_FOUND, "PubMed has no record 99999999")


def test_a_missing_doi_beside_a_found_pmid_is_not_found_with_fields_from_pubmed() -> None:
    lookup = Lookup(
        "kim2010", doi_exists=False, pubmed_record=kim_record(source="pubmed"), pmid_exists=True
    )
    result = judge(ref(pmid="21138388"), lookup)
    assert result.status is Status.NOT_FOUND
    assert [f.match for f in result.fields] == ["match"] * 7


def test_a_not_found_reference_gets_the_searched_record_as_suggestion() -> None:
    found = kim_record(source="pubmed", pmid="21138388")
    result = judge(ref(), Lookup("kim2010", doi_exists=False), [other_record(), found])
    assert result.status is Status.NOT_FOUND
    assert result.suggestion is not None
    assert result.suggestion.record == found


def test_doi_and_pmid_naming_different_works_conflict() -> None:
    lookup = Lookup(
        "kim2010",
        doi_record=kim_record(),
        doi_exists=True,
        pubmed_record=other_record(doi="10.1/other"),
        pmid_exists=True,
    )
    result = judge(ref(pmid="20648206"), lookup)
    assert result.status is Status.CONFLICT
    assert "PMID 20648206 names “Lumbar facet joint injections" in result.message
    # the fields are those of the DOI's record, which the page matches
    assert all(f.match == "match" for f in result.fields)
    assert result.suggestion is not None and result.suggestion.record == kim_record()


def test_a_pubmed_record_without_doi_conflicts_by_its_content() -> None:
    lookup = Lookup(
        "kim2010", doi_record=kim_record(), pubmed_record=other_record(), pmid_exists=True
    )
    assert judge(ref(pmid="20648206"), lookup).status is Status.CONFLICT
    same = kim_record(source="pubmed", doi=None, title=KIM_TITLE + ".")
    lookup = Lookup("kim2010", doi_record=kim_record(), pubmed_record=same, pmid_exists=True)
    assert judge(ref(pmid="21138388"), lookup).status is Status.VERIFIED


def test_a_pmid_found_from_the_doi_that_names_another_article_is_ignored() -> None:
    wrong = other_record(doi="10.1/other")
    lookup = Lookup("kim2010", doi_record=kim_record(), pubmed_record=wrong, pmid_from_doi=True)
    result = judge(ref(), lookup)
    assert result.status is Status.VERIFIED
    assert result.record == kim_record()


def test_same_work() -> None:
    assert same_work(kim_record(), kim_record(source="pubmed", doi="10.1089/ACM.2010.0031"))
    assert not same_work(kim_record(), kim_record(doi="10.1/else"))
    assert same_work(kim_record(doi=None), kim_record(source="pubmed", doi=None, year=2011))
    assert not same_work(kim_record(doi=None), kim_record(doi=None, authors=(Author("Roe"),)))
    assert not same_work(kim_record(doi=None), kim_record(doi=None, year=2014))


# -- mismatch and suggestions --


def test_a_pmid_that_names_another_article_is_a_mismatch_listing_fields() -> None:
    printed = ref(
        doi=None,
        pmid="20648206",
        journal="Pain Physician",
        volume="13",
        number="4",
        pages="363–370",
    )
    lookup = Lookup("kim2010", pmid="20648206", pubmed_record=other_record(), pmid_exists=True)
    real = kim_record(source="pubmed", pmid="21138388")
    result = judge(printed, lookup, [real])
    assert result.status is Status.MISMATCH
    assert result.message == "fields differ: title, authors, pages"
    assert result.mismatched_fields == ("title", "authors", "pages")
    assert result.suggestion is not None
    assert result.suggestion.record == real
    assert 0.5 < result.suggestion.score <= 1.0
    assert "3 of 3 printed authors" in result.suggestion.reason


def test_wrong_locator_on_the_right_doi_suggests_the_record_itself() -> None:
    printed = ref(journal="Pain Physician", volume="13", number="4", pages="363–370")
    lookup = Lookup("kim2010", doi_record=kim_record(), doi_exists=True)
    result = judge(printed, lookup)
    assert result.status is Status.MISMATCH
    assert result.message == "fields differ: journal, volume, issue, pages"
    assert result.suggestion is not None
    assert result.suggestion.record.pages == "1285-1290"
    assert "journal differs" in result.suggestion.reason


@pytest.mark.parametrize(
    "candidate",
    [
        # same title, other authors: a different paper with a look-alike title (betterbib#203)
        kim_record(source="crossref", doi="10.1/x", authors=(Author("Park"), Author("Choi"))),
        # same authors and year, another title
        kim_record(source="pubmed", title="Prolotherapy for the knee: a cohort", doi=None),
        # everything but the year
        kim_record(source="pubmed", year=2014, doi=None),
    ],
)
def test_no_suggestion_unless_title_author_and_year_all_agree(candidate: Record) -> None:
    printed = ref(doi=None, pmid="20648206")
    lookup = Lookup("kim2010", pubmed_record=other_record(), pmid_exists=True)
    result = judge(printed, lookup, [candidate])
    assert result.status is Status.MISMATCH
    assert result.suggestion is None


def test_suggestion_scores_prefer_closer_and_richer_records() -> None:
    printed = ref()
    exact = score_candidate(printed, kim_record())
    near_year = score_candidate(printed, kim_record(year=2011))
    assert exact is not None and near_year is not None
    assert exact[0] > near_year[0]
    assert "one year apart" in near_year[1]
    both = kim_record(source="pubmed", pmid="21138388")
    best = suggest(printed, [kim_record(), both])
    assert best is not None and best.record == both
    assert score_candidate(ref(authors=()), kim_record()) is None
    assert suggest(printed, []) is None


# -- service failures --

FAILURE = (
    "api.crossref.org: HTTP 503 after 4 attempts (https://api.crossref.org/works?filter=doi:...)"
)


def test_a_failure_that_prevents_a_verdict_is_unreachable_naming_the_host() -> None:
    result = judge(ref(), Lookup("kim2010", failures=(FAILURE,)))
    assert result.status is Status.UNREACHABLE
    assert "api.crossref.org" in result.message


def test_verified_needs_every_service_to_have_answered() -> None:
    failure = "eutils.ncbi.nlm.nih.gov: connection refused (https://eutils.ncbi.nlm.nih.gov/...)"
    lookup = Lookup("kim2010", doi_record=kim_record(), doi_exists=True, failures=(failure,))
    result = judge(ref(), lookup)
    assert result.status is Status.UNREACHABLE
    assert [f.match for f in result.fields] == ["match"] * 7  # what was seen is still shown


def test_a_mismatch_stands_even_when_another_service_failed() -> None:
    lookup = Lookup("kim2010", doi_record=kim_record(), doi_exists=True, failures=(FAILURE,))
    result = judge(ref(pages="1-2"), lookup)
    assert result.status is Status.MISMATCH
    assert "failed: api.crossref.org" in result.message


def test_no_answer_and_no_failure_is_unverified() -> None:
    result = judge(ref(), Lookup("kim2010"))
    assert (result.status, result.message) == (
        Status.UNVERIFIED,
        "no answer for DOI 10.1089/acm.2010.0031",
    )


# -- verify() and the summary --


def test_verify_rejects_unknown_keys_before_asking_anyone() -> None:
    kb = proloevidence.load()
    with pytest.raises(UnknownIdError) as caught:
        verify(kb, keys=["kim201"])
    assert caught.value.suggestions[0] == "kim2010"


def test_summary_counts_every_status() -> None:
    results = {
        "a": judge(ref(key="a", doi=None), Lookup("a")),
        "b": judge(ref(key="b"), Lookup("b", doi_record=kim_record(), doi_exists=True)),
        "c": judge(ref(key="c"), Lookup("c", doi_record=kim_record(), doi_exists=True)),
    }
    counts = summary(Verification(results))
    assert counts["total"] == 3
    assert counts["verified"] == 2
    assert counts["no_identifier"] == 1
    assert counts["retracted"] == 0
    assert set(counts) == {"total", *(s.value for s in Status)}
