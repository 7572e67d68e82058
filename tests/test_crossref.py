"""Crossref works as Records and Notices, from recorded responses (tests/fixtures/)."""

from __future__ import annotations

import pytest

from proloevidence.model import Author
from proloevidence.services import crossref_records as crossref
from proloevidence.services.payloads import ShapeError

from .loopback import fixture_json


def work(name: str) -> dict:
    return fixture_json(name)["message"]


def test_a_recorded_work_becomes_a_record() -> None:
    record = crossref.record_from_work(work("habanero__test_works_with_one_id__0.json"))
    assert record.source == "crossref"
    assert record.doi == "10.1371/journal.pone.0033693"
    assert record.year == 2012
    assert record.journal == "PLoS ONE"
    assert record.publication_types == ("journal-article",)
    assert record.authors and all(a.family for a in record.authors)


def test_article_number_stands_in_for_missing_pages() -> None:
    item = work("habanero__test_works_with_many_ids__2.json")
    assert "page" not in item
    record = crossref.record_from_work(item)
    assert record.pages == item["article-number"]


def test_null_date_parts_give_no_year_not_a_crash() -> None:
    item = work("habanero__test_works_with_many_ids__3.json")
    assert item["issued"]["date-parts"] == [[None]]
    record = crossref.record_from_work(item)
    assert record.year is None
    assert record.journal_abbrev == ""  # short-container-title is an empty array


def test_an_author_without_given_name_is_kept() -> None:
    item = work("habanero__test_works_with_many_ids__4.json")
    record = crossref.record_from_work(item)
    families = [a.family for a in record.authors]
    missing_given = [a["family"] for a in item["author"] if "given" not in a]
    assert missing_given and missing_given[0] in families


def test_organisations_become_literal_authors_and_markup_leaves_titles() -> None:
    item = {
        "DOI": "10.1000/x",
        "title": ["Effect of <i>dextrose</i> on <sub>2</sub>"],
        "author": [{"name": "Prolo Study Group"}, {"family": "Kim", "given": "W. M."}],
    }
    record = crossref.record_from_work(item)
    assert record.title == "Effect of dextrose on 2"
    assert record.authors == (Author("Prolo Study Group", literal=True), Author("Kim", "W. M."))


def test_retracted_title_prefix_is_kept_as_given() -> None:
    record = crossref.record_from_work(work("citeguard__wakefield_1998.json"))
    assert record.title.startswith("RETRACTED: ")


def test_retraction_found_among_updates_out_of_date_order() -> None:
    notices = crossref.notices_from_work(work("citeguard__wakefield_1998.json"))
    assert [(n.type, n.date) for n in notices] == [
        ("correction", "2004-03-06"),
        ("retraction", "2010-02-06"),
    ]
    assert {n.source for n in notices} == {"crossref/retraction-watch"}
    assert notices[1].doi == "10.1016/s0140-6736(10)60175-4"


def test_both_update_arrays_are_read_and_duplicates_dropped() -> None:
    item = work("citeguard__surgisphere_mehra_2020.json")
    notices = crossref.notices_from_work(item)
    types = {n.type for n in notices}
    assert types == {"retraction", "expression_of_concern", "correction", "erratum"}
    sources = {n.source for n in notices}
    assert sources == {"crossref/publisher", "crossref/retraction-watch"}
    # The same publisher retraction appears in updated-by and update-to: listed once.
    assert len(notices) == len(set(notices))
    raw = len(item["updated-by"]) + len(item["update-to"])
    assert len(notices) < raw


def test_a_clean_record_has_no_notices() -> None:
    assert crossref.notices_from_work(work("citeguard__watson_crick_1953_clean.json")) == ()


def test_a_publisher_correction_is_a_notice() -> None:
    notices = crossref.notices_from_work(work("habanero__test_works_with_one_id__0.json"))
    assert [(n.type, n.source) for n in notices] == [("correction", "crossref/publisher")]


def test_work_list_items_reads_the_list_envelope() -> None:
    payload = fixture_json("habanero__test_works_query__0.json")
    items = crossref.work_list_items(payload)
    assert len(items) == len(payload["message"]["items"]) > 0


@pytest.mark.parametrize(
    "payload",
    [[], {"message": "oops"}, {"message": {"items": {}}}, {"message": {"items": ["x"]}}],
)
def test_wrongly_typed_lists_are_shape_errors(payload: object) -> None:
    with pytest.raises(ShapeError):
        crossref.work_list_items(payload)


def test_items_by_doi_matches_case_insensitively() -> None:
    items = [{"DOI": "10.1016/j.pop.2009.09.013"}]
    assert list(crossref.items_by_doi(items)) == ["10.1016/j.pop.2009.09.013"]


def test_slim_drops_the_reference_list_and_keeps_what_is_compared() -> None:
    slim = crossref.slim({"DOI": "10.1000/x", "title": ["t"], "reference": [1, 2]})
    assert slim == {"DOI": "10.1000/x", "title": ["t"]}


@pytest.mark.parametrize("index", range(5))
def test_every_recorded_work_parses(index: int) -> None:
    item = work(f"habanero__test_works_with_many_ids__{index}.json")
    record = crossref.record_from_work(item)
    assert record.doi == item["DOI"]
    assert record.title and record.journal


def test_the_jats_abstract_becomes_plain_text_without_its_heading() -> None:
    # Recorded (habanero): "<jats:title>Abstract</jats:title><jats:p>Twenty‐two beagles ..."
    record = crossref.record_from_work(work("habanero__test_works_with_many_ids__1.json"))
    assert record.abstract.startswith("Twenty‐two beagles were divided into two equal groups")
    assert "jats" not in record.abstract and "(p < 0.001)" in record.abstract


def test_jats_sections_label_their_paragraphs_and_markup_stays_text() -> None:
    jats = (
        "<jats:title>Abstract</jats:title><jats:sec><jats:title>Background</jats:title>"
        "<jats:p>Dextrose &lt;script&gt; p &lt; 0.05</jats:p></jats:sec>"
        "<jats:sec><jats:title>Results</jats:title><jats:p>It <jats:italic>worked</jats:italic>."
        "</jats:p></jats:sec>"
    )
    assert crossref.abstract_text(jats) == "Background: Dextrose p < 0.05\nResults: It worked."
    assert crossref.abstract_text("") == ""


def test_slim_keeps_the_abstract_for_the_review_page() -> None:
    assert crossref.slim({"DOI": "10.1000/x", "abstract": "<jats:p>a</jats:p>"}) == {
        "DOI": "10.1000/x",
        "abstract": "<jats:p>a</jats:p>",
    }
