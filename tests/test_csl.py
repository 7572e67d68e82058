"""CSL-JSON items: valid CSL data that citeproc-py reads without a warning."""

from __future__ import annotations

import warnings

import citeproc
import pytest
from citeproc.source.json import CiteProcJSON

import proloevidence
from proloevidence.model import Author, Reference
from proloevidence.publish.csl_items import (
    ET_AL,
    csl_pages,
    item_from_record,
    item_from_reference,
    item_year,
)
from proloevidence.verification import Record

CSL_VARIABLES = {v.replace("_", "-") for v in citeproc.VARIABLES} | {
    "DOI",
    "PMID",
    "PMCID",
    "URL",
    "ISBN",
    "ISSN",
}


def test_every_bundled_reference_is_csl_data_citeproc_accepts() -> None:
    items = [item_from_reference(r) for r in proloevidence.load().references.values()]
    for item in items:
        assert set(item) - {"id", "type"} <= CSL_VARIABLES, item["id"]
        assert item["issued"] == {"date-parts": [[item_year(item)]]}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an unknown variable would warn
        source = CiteProcJSON(items)
    assert len(source) == 5


def test_reference_fields_map_to_csl_variables() -> None:
    kim = proloevidence.load().reference("kim2010")
    item = item_from_reference(kim, journal_abbrev="Pain Physician")
    assert item == {
        "id": "kim2010",
        "type": "article-journal",
        "author": [
            {"family": "Kim", "given": "W. M."},
            {"family": "Lee", "given": "H. G."},
            {"family": "Jeong", "given": "C. W."},
            {"literal": ET_AL},
        ],
        "title": kim.title,
        "container-title": "Pain Physician",
        "container-title-short": "Pain Physician",
        "issued": {"date-parts": [[2010]]},
        "volume": "13",
        "issue": "4",
        "page": "363-370",
        "PMID": "20648206",
    }


def test_organisations_types_and_extra_fields() -> None:
    reference = Reference(
        key="who2020",
        entry_type="book",
        authors=(Author("World Health Organization", literal=True),),
        title="Guidelines",
        year=2020,
        extra={"publisher": "WHO", "address": "Geneva", "isbn": "978-92-4-000000-0"},
    )
    item = item_from_reference(reference)
    assert item["type"] == "book"
    assert item["author"] == [{"literal": "World Health Organization"}]
    assert (item["publisher"], item["publisher-place"], item["ISBN"]) == (
        "WHO",
        "Geneva",
        "978-92-4-000000-0",
    )
    assert item_from_reference(Reference(key="x", entry_type="weird"))["type"] == "document"


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        ("65–80", "65-80"),
        ("65--80", "65-80"),
        ("363-70", "363-370"),
        ("8157910", "8157910"),
        ("e123-e130", "e123-e130"),
        ("1199-1203", "1199-1203"),
    ],
)
def test_pages_are_written_in_full_with_a_hyphen(pages: str, expected: str) -> None:
    assert csl_pages(pages) == expected


def test_records_keep_the_cited_key() -> None:
    record = Record(
        source="crossref",
        title="T",
        authors=(Author("Kim", "Won Min"),),
        journal="Pain physician",
        journal_abbrev="Pain Physician",
        issn=("1533-3159",),
        year=2010,
        issue="4",
        pages="363-70",
    )
    item = item_from_record("kim2010", record)
    assert item["id"] == "kim2010" and item["issue"] == "4" and item["page"] == "363-370"
    assert item["container-title-short"] == "Pain Physician" and item["ISSN"] == "1533-3159"


def test_remote_text_becomes_one_line_without_control_characters() -> None:
    # Every output (Markdown, reST, RIS, BibTeX, CSL-JSON) starts from these items.
    record = Record(
        source="crossref",
        title="A title\nER  - \x1b[2Jcleared",
        authors=(Author("O\x07Brien", "J\x1b[31m"), Author("Acme\x00 Labs", literal=True)),
        journal="J\tPain",
    )
    item = item_from_record("key", record)
    assert item["title"] == "A title ER - [2Jcleared"
    assert item["author"] == [{"family": "OBrien", "given": "J[31m"}, {"literal": "Acme Labs"}]
    assert item["container-title"] == "J Pain"
