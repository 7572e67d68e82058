"""Field-by-field comparison: what counts as the same title, author, journal, year and pages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from proloevidence.model import Author, Reference
from proloevidence.verification import Record
from proloevidence.verifying.compare import (
    FIELDS,
    compare_authors,
    compare_issue,
    compare_journal,
    compare_pages,
    compare_reference,
    compare_title,
    compare_volume,
    compare_year,
    parse_pages,
)


def crossref(**fields: object) -> Record:
    return Record(source="crossref", **fields)  # type: ignore[arg-type]


def pubmed(**fields: object) -> Record:
    return Record(source="pubmed", **fields)  # type: ignore[arg-type]


# -- titles --


def test_titles_differing_only_in_case_markup_and_punctuation_match() -> None:
    result = compare_title(
        "Prolotherapy in primary care practice",
        [crossref(title="<i>Prolotherapy</i> in Primary Care Practice.")],
    )
    assert (result.match, result.found) == ("match", "Prolotherapy in Primary Care Practice.")


def test_a_different_title_is_a_mismatch_with_its_similarity() -> None:
    result = compare_title(
        "Relief of chronic pain by perineural injection of dextrose",
        [crossref(title="Hypertonic saline for the common cold")],
    )
    assert result.match == "mismatch"
    assert "< 90" in result.note


def test_an_omitted_subtitle_matches_with_a_note() -> None:
    result = compare_title(
        "A systematic review of dextrose prolotherapy",
        [crossref(title="A Systematic Review of Dextrose Prolotherapy: Chronic Pain in Practice")],
    )
    assert (result.match, result.note) == ("match", "the page omits the subtitle")
    # ...but a short main title does not: "Editorial: X" must not match "Editorial: Y".
    short = compare_title("Editorial", [crossref(title="Editorial: On something else")])
    assert short.match == "mismatch"


def test_the_best_of_several_records_counts() -> None:
    result = compare_title(
        "Prolotherapy in primary care practice",
        [
            crossref(title="Something else entirely"),
            pubmed(title="Prolotherapy in primary care practice."),
        ],
    )
    assert result.match == "match"


def test_missing_title_says_who_lacks_it() -> None:
    assert compare_title("A title", [crossref(title="")]).note == "crossref gives no title"
    printed_none = compare_title("", [crossref(title="A title")])
    assert (printed_none.match, printed_none.note) == ("missing", "the page prints no title")


# -- authors --


def a(family: str, given: str = "") -> Author:
    return Author(family, given)


def test_authors_match_when_first_and_all_printed_names_agree() -> None:
    record = crossref(
        authors=(a("Kim", "Woong Mo"), a("Lee"), a("Jeong"), a("Kim", "C"), a("Yoon"))
    )
    result = compare_authors([a("Kim", "W. M."), a("Lee"), a("Jeong")], True, [record])
    assert result.match == "match"
    assert result.cited == "Kim WM, Lee, Jeong, et al."
    assert result.note == ""


def test_a_short_list_without_et_al_matches_with_a_note() -> None:
    record = pubmed(authors=(a("Wu"), a("Ke"), a("Ho"), a("Li")))
    result = compare_authors([a("Wu"), a("Ke")], False, [record])
    assert result.match == "match"
    assert "4 authors" in result.note


@pytest.mark.parametrize(
    ("cited", "note"),
    [
        (["Doe", "Roe"], "no printed author is in the record"),
        (["Lee", "Kim"], "first author differs; 2 of 2 printed names in the record"),
        (["Kim", "Nobody"], "1 of 2 printed names not in the record"),
    ],
)
def test_author_mismatches_say_why(cited: list[str], note: str) -> None:
    record = crossref(authors=(a("Kim"), a("Lee"), a("Jeong")))
    result = compare_authors([a(n) for n in cited], True, [record])
    assert (result.match, result.note) == ("mismatch", note)


def test_capitalisation_and_accents_are_not_author_mismatches() -> None:
    record = crossref(authors=(a("WATSON", "J. D."), a("CRICK", "F. H. C.")))
    assert compare_authors([a("Watson"), a("Crick")], False, [record]).match == "match"
    record = crossref(authors=(a("Taşkaynatan"),))
    assert compare_authors([a("Taskaynatan")], False, [record]).match == "match"


# -- journals --


def test_journal_compares_with_every_name_of_every_record() -> None:
    records = [
        crossref(journal="Primary Care: Clinics in Office Practice"),
        pubmed(journal="Primary care", journal_abbrev="Prim Care"),
    ]
    result = compare_journal("Primary Care", records)
    assert (result.match, result.found) == ("match", "Primary care")


def test_journal_title_before_its_subtitle_matches() -> None:
    result = compare_journal(
        "Primary Care", [crossref(journal="Primary Care: Clinics in Office Practice")]
    )
    assert (result.match, result.note) == ("match", "the title before its subtitle")


def test_journal_matches_by_issn_when_the_reference_has_one() -> None:
    result = compare_journal(
        "Lancet (London)", [crossref(journal="Other", issn=("0140-6736",))], ["01406736"]
    )
    assert (result.match, result.note) == ("match", "same ISSN")


def test_journal_mismatch_shows_the_record_name() -> None:
    result = compare_journal("Pain Physician", [pubmed(journal="J Altern Complement Med")])
    assert (result.match, result.found) == ("mismatch", "J Altern Complement Med")


# -- year, volume, issue --


def test_year_one_apart_matches_with_a_note_two_apart_does_not() -> None:
    assert compare_year(2010, [crossref(year=2010)]).match == "match"
    near = compare_year(2016, [crossref(year=2015)])
    assert (near.match, near.found) == ("match", "2015")
    assert "one year apart" in near.note
    assert compare_year(2012, [crossref(year=2010)]).match == "mismatch"
    assert compare_year(2012, [crossref(year=2010), pubmed(year=2012)]).match == "match"


def test_missing_values_are_never_mismatches() -> None:
    assert compare_year(None, [crossref(year=2010)]).match == "missing"
    assert compare_year(2010, [crossref()]).match == "missing"
    assert compare_volume("37", [crossref()]).note == "crossref gives no volume"
    assert compare_issue("", [crossref(issue="1")]).note == "the page prints no issue"


@pytest.mark.parametrize(
    ("cited", "found", "match"),
    [
        ("37", "37", "match"),
        ("Vol. 37", "37", "match"),
        ("037", "37", "match"),
        ("13", "16", "mismatch"),
        ("4", "12", "mismatch"),
        ("Suppl 1", "Supplement 1", "match"),
        ("4", "4 Suppl 1", "mismatch"),
    ],
)
def test_volume_and_issue_normalisation(cited: str, found: str, match: str) -> None:
    assert compare_volume(cited, [crossref(volume=found)]).match == match
    assert compare_issue(cited, [crossref(issue=found)]).match == match


# -- pages --


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1285-90", ("1285", "1290")),
        ("1285–1290", ("1285", "1290")),
        ("65 — 80", ("65", "80")),
        ("pp. 139-59", ("139", "159")),
        ("S12-8", ("s12", "s18")),
        ("R45-R50", ("r45", "r50")),
        ("e8157910", ("e8157910", None)),
        ("8157910", ("8157910", None)),
        ("12-12", ("12", None)),
        ("", None),
        ("99-101", ("99", "101")),
    ],
)
def test_parse_pages(text: str, expected: tuple[str, str | None] | None) -> None:
    assert parse_pages(text) == expected


def nlm_abbreviation(first: int, last: int) -> str:
    """NLM style, written independently of the code under test: drop the shared leading digits."""
    a, b = str(first), str(last)
    if len(a) != len(b):
        return f"{a}-{b}"
    shared = 0
    while shared < len(a) - 1 and a[shared] == b[shared]:
        shared += 1
    return f"{a}-{b[shared:]}"


@given(st.integers(1, 10**7), st.integers(1, 10**4))
def test_nlm_ranges_expand_to_the_full_range(first: int, length: int) -> None:
    last = first + length
    assert parse_pages(nlm_abbreviation(first, last)) == (str(first), str(last))
    assert (
        compare_pages(f"{first}–{last}", [pubmed(pages=nlm_abbreviation(first, last))]).match
        == "match"
    )


@given(st.integers(1, 10**6), st.integers(1, 10**6), st.integers(1, 10**6))
def test_different_ranges_never_match(first: int, last: int, other: int) -> None:
    if other == first:
        return
    assert compare_pages(
        f"{first}-{first + last}", [crossref(pages=f"{other}-{other + last}")]
    ).match == ("mismatch")


@pytest.mark.parametrize(
    ("cited", "found", "match", "note"),
    [
        ("1285-1290", "1285-90", "match", ""),
        ("8157910", "e8157910", "match", ""),
        ("e8157910", "8157910", "match", ""),
        ("65", "65-80", "match", "the page prints only the first page"),
        ("65–80", "65", "match", "the record gives only the first page"),
        ("363–370", "1285-90", "mismatch", ""),
        ("21–24", "21-26", "mismatch", ""),
    ],
)
def test_compare_pages(cited: str, found: str, match: str, note: str) -> None:
    result = compare_pages(cited, [pubmed(pages=found)])
    assert (result.match, result.note) == (match, note)


def test_pages_match_any_record() -> None:
    records = [crossref(pages="CMAMD.S39160"), pubmed(pages="139-59")]
    assert compare_pages("139–159", records).match == "match"


# -- a whole reference --


def test_compare_reference_returns_every_field_in_order() -> None:
    reference = Reference(
        key="kim2010",
        authors=(a("Kim", "W. M."), a("Lee", "H. G."), a("Jeong", "C. W.")),
        et_al=True,
        title="A randomized controlled trial of intra-articular prolotherapy versus steroid "
        "injection for sacroiliac joint pain",
        journal="Pain Physician",
        year=2010,
        volume="13",
        number="4",
        pages="363–370",
        pmid="20648206",
    )
    record = pubmed(
        title="A randomized controlled trial of intra-articular prolotherapy versus steroid "
        "injection for sacroiliac joint pain.",
        authors=(a("Kim WM"), a("Lee HG"), a("Jeong CW"), a("Kim CM"), a("Yoon MH")),
        journal="Journal of alternative and complementary medicine (New York, N.Y.)",
        journal_abbrev="J Altern Complement Med",
        year=2010,
        volume="16",
        issue="12",
        pages="1285-90",
    )
    fields = compare_reference(reference, [record])
    assert tuple(f.field for f in fields) == FIELDS
    assert {f.field: f.match for f in fields} == {
        "title": "match",
        "authors": "match",
        "journal": "mismatch",
        "year": "match",
        "volume": "mismatch",
        "issue": "mismatch",
        "pages": "mismatch",
    }
    pages = fields[-1]
    assert (pages.cited, pages.found) == ("363–370", "1285-90")
