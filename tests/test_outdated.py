"""A lock's result stops counting once the reference it verified has been corrected."""

from __future__ import annotations

import dataclasses

from proloevidence.model import Reference
from proloevidence.verification import FieldComparison, Status
from proloevidence.verifying.outdated import changes_since, current

from .verification_data import result, verification

CITED = Reference(
    "kim2010",
    title="A randomized controlled trial of prolotherapy",
    journal="Pain Physician",
    year=2010,
    volume="13",
    pages="363–370",
    pmid="20648206",
)
MISCITED = result(
    "kim2010",
    Status.MISMATCH,
    identifiers={"pmid": "20648206", "doi": "10.1089/acm.2010.0031"},
    fields=(
        FieldComparison(
            "title", CITED.title, "A randomized controlled trial of prolotherapy", "match"
        ),
        FieldComparison("journal", "Pain Physician", "J Altern Complement Med", "mismatch"),
        FieldComparison("year", "2010", "2010", "match"),
        FieldComparison("pages", "363–370", "1285-90", "mismatch"),
    ),
)


def test_a_result_fits_the_reference_it_verified() -> None:
    assert changes_since(CITED, MISCITED) == []
    # Adding an identifier verification found, or a cosmetic change, is no change.
    with_doi = dataclasses.replace(CITED, doi="10.1089/ACM.2010.0031", title=CITED.title + ".")
    assert changes_since(with_doi, MISCITED) == []


def test_another_identifier_is_a_change() -> None:
    other = dataclasses.replace(CITED, pmid="21138388")
    assert changes_since(other, MISCITED) == ["PMID now 21138388, verified 20648206"]
    other_doi = dataclasses.replace(CITED, doi="10.1000/other")
    assert changes_since(other_doi, MISCITED) == [
        "DOI now 10.1000/other, verified 10.1089/acm.2010.0031"
    ]


def test_an_identifier_where_none_was_printed_is_a_change() -> None:
    none = result("kim2010", Status.NO_IDENTIFIER)
    assert changes_since(dataclasses.replace(CITED, pmid=None), none) == []
    assert changes_since(CITED, none) == ["PMID 20648206 added"]


def test_a_field_corrected_to_what_verification_found_is_a_change() -> None:
    corrected = dataclasses.replace(CITED, journal="J Altern Complement Med", pages="1285--1290")
    assert changes_since(corrected, MISCITED) == [
        "journal corrected to 'J Altern Complement Med'",
        "pages corrected to '1285--1290'",
    ]
    # Changed, but not to what was found: the result still describes a wrong field.
    elsewhere = dataclasses.replace(CITED, journal="Pain Med")
    assert changes_since(elsewhere, MISCITED) == []


def test_current_leaves_out_only_the_results_that_no_longer_fit() -> None:
    other = result("rabago2010", Status.VERIFIED, identifiers={"doi": "10.1016/j.pop"})
    lock = verification(MISCITED, other)
    references = {
        "kim2010": dataclasses.replace(CITED, pmid="21138388"),
        "rabago2010": Reference("rabago2010", doi="10.1016/j.pop"),
    }
    fitting, changed = current(references, lock)
    assert fitting is not None and set(fitting.results) == {"rabago2010"}
    assert fitting.created == lock.created
    assert changed == {"kim2010": ["PMID now 21138388, verified 20648206"]}
    assert current({"rabago2010": references["rabago2010"]}, lock) == (lock, {})
    assert current(references, None) == (None, {})
