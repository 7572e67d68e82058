"""doi.org: registration agencies and CSL-JSON (recorded content negotiation answers)."""

from __future__ import annotations

import pytest

from proloevidence.model import Author
from proloevidence.services import doiorg_records as doiorg
from proloevidence.services.payloads import ShapeError

from .loopback import fixture_json


@pytest.mark.parametrize(
    ("given", "normal"),
    [
        ("article-journal", "journal-article"),
        ("journal-article", "journal-article"),
        ("paper-conference", "proceedings-article"),
        ("chapter", "book-chapter"),
        ("dataset", "dataset"),
    ],
)
def test_csl_and_crossref_type_names_agree(given: str, normal: str) -> None:
    assert doiorg.normalize_type(given) == normal


def test_recent_csl_with_crossref_type_names() -> None:
    item = doiorg.csl_item(fixture_json("habanero__test_content_negotiation_citeproc_json__1.json"))
    record = doiorg.record_from_csl(item)
    assert record.source == "doi.org"
    assert record.title == "The Structure of Ordinary Water"
    assert record.journal == "Science"
    assert record.journal_abbrev == "Science"
    assert record.year == 1970
    assert record.pages == "635-641"
    assert record.publication_types == ("journal-article",)


def test_older_csl_in_a_list_with_csl_type_names() -> None:
    item = doiorg.csl_item(fixture_json("manubot__crossref-winter-scabs-csl__raw.json"))
    record = doiorg.record_from_csl(item)
    assert record.publication_types == ("journal-article",)
    assert record.authors == (Author("WINTER", "GEORGE D."),)
    assert record.year == 1962


def test_a_datacite_item() -> None:
    item = doiorg.csl_item(fixture_json("manubot__datacite-thesis-csl__raw.json"))
    record = doiorg.record_from_csl(item)
    assert record.doi == "10.6084/m9.figshare.4724797"
    assert record.year == 2017
    assert record.authors == (Author("Himmelstein", "Daniel"),)


def test_agencies_tell_another_agency_from_no_such_doi() -> None:
    answer = [
        {"DOI": "10.5281/ZENODO.1", "RA": "DataCite"},
        {"DOI": "10.9999/nothing", "status": "DOI does not exist"},
    ]
    assert doiorg.agencies(answer) == {"10.5281/zenodo.1": "DataCite", "10.9999/nothing": None}


@pytest.mark.parametrize("payload", [{"DOI": "x"}, [{"RA": "Crossref"}], "DOI does not exist"])
def test_agencies_of_the_wrong_shape(payload: object) -> None:
    with pytest.raises(ShapeError):
        doiorg.agencies(payload)
