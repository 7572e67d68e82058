"""Reading printed reference strings into fields: pure text parsing.

A doi.org URL here is text inside a printed reference, never requested; nothing in this
file opens a connection (the resolver's tests use a server on 127.0.0.1).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from proloevidence.importing.reference_parser import parse_reference
from proloevidence.model import Author


def test_ama_article_with_doi() -> None:
    entry = parse_reference(
        "Hauser RA, Lackner JB, Steilen-Matias D, Harris DK. A systematic review of dextrose "
        "prolotherapy for chronic musculoskeletal pain. Clinical Medicine Insights: Arthritis "
        "and Musculoskeletal Disorders. 2016;9:139–159. doi:10.4137/CMAMD.S39160."
    )
    assert entry.entry_type == "article" and entry.recognised and entry.missing == ()
    assert [str(a) for a in entry.authors] == [
        "Hauser RA",
        "Lackner JB",
        "Steilen-Matias D",
        "Harris DK",
    ]
    assert entry.authors[0] == Author("Hauser", "R. A.")
    assert (
        entry.title
        == "A systematic review of dextrose prolotherapy for chronic musculoskeletal pain"
    )
    assert entry.journal == "Clinical Medicine Insights: Arthritis and Musculoskeletal Disorders"
    assert (entry.year, entry.volume, entry.number, entry.pages) == (2016, "9", "", "139–159")
    assert entry.doi == "10.4137/CMAMD.S39160"


def test_vancouver_with_month_pmid_pmcid_and_et_al() -> None:
    entry = parse_reference(
        "Rabago D, Slattengren A, Zgierska A, et al. Prolotherapy in primary care practice. "
        "Prim Care. 2010 Mar;37(1):65-80. doi: 10.1016/j.pop.2009.09.013. PMID: 20188998; "
        "PMCID: PMC2862420."
    )
    assert entry.et_al and len(entry.authors) == 3
    assert (entry.journal, entry.year, entry.volume, entry.number, entry.pages) == (
        "Prim Care",
        2010,
        "37",
        "1",
        "65-80",
    )
    assert (entry.doi, entry.pmid, entry.pmcid) == (
        "10.1016/j.pop.2009.09.013",
        "20188998",
        "PMC2862420",
    )


@pytest.mark.parametrize(
    ("printed", "field", "value"),
    [
        ("Kim WM. Title. J Pain. 2010;13(4):363–370. PMID: 20648206.", "pmid", "20648206"),
        ("Kim WM. Title. J Pain. 2010;13:e1023.", "pages", "e1023"),
        ("Kim WM. Title. J Pain. 2010;30(1 Suppl):S12-S18.", "number", "1 Suppl"),
        ("Kim WM. Title? J Pain. 2010;3:1-2.", "title", "Title?"),
        ("Kim WM. Title. Am. J. Sports Med. 2010;3:1-2.", "journal", "Am. J. Sports Med"),
        ("Kim WM. T. J. 2010;3:1. https://doi.org/10.1000/x(1)2.", "doi", "10.1000/x(1)2"),
        ("Kim WM. T. J. 2010;3:1. doi:10.1000/abc).", "doi", "10.1000/abc"),
        ("van der Berg JH. T. J. 2010;3:1.", "authors", (Author("van der Berg", "J. H."),)),
        (
            "O'Brien K Jr, Müller H. T. J. 2010;3:1.",
            "authors",
            (Author("O'Brien, Jr", "K."), Author("Müller", "H.")),
        ),
    ],
)
def test_fields(printed: str, field: str, value: object) -> None:
    assert getattr(parse_reference(printed), field) == value


def test_organisation_as_author() -> None:
    entry = parse_reference("World Health Organization. Injection safety. Bull WHO. 2015;93:1-3.")
    assert entry.authors == (Author("World Health Organization", literal=True),)
    assert (entry.title, entry.journal) == ("Injection safety", "Bull WHO")


def test_book_and_web_page() -> None:
    book = parse_reference(
        "Hauser RA, Hauser MA. Prolo Your Pain Away! 4th ed. Oak Park, IL: Beulah Land Press; 2016."
    )
    assert (book.entry_type, book.title, book.year) == ("book", "Prolo Your Pain Away!", 2016)
    assert dict(book.extra) == {
        "publisher": "Beulah Land Press",
        "address": "Oak Park, IL",
        "edition": "4",
    }
    web = parse_reference(
        "Mayo Clinic. Prolotherapy: what is it? Mayo Foundation. Published March 1, 2020. "
        "Accessed March 3, 2024. https://www.mayoclinic.org/prolo."
    )
    assert (web.entry_type, web.title, web.year, web.url) == (
        "online",
        "Prolotherapy: what is it?",
        2020,
        "https://www.mayoclinic.org/prolo",
    )
    assert dict(web.extra) == {"howpublished": "Mayo Foundation", "urldate": "2024-03-03"}


def test_an_entry_that_cannot_be_parsed_keeps_what_was_found() -> None:
    entry = parse_reference("Notes from the 2019 staff meeting, PMID 123456")
    assert not entry.recognised and entry.entry_type == "misc"
    # The year is in the title, not where a style prints a year: not guessed (issue 15).
    assert (entry.year, entry.pmid, entry.title) == (None, "123456", "")
    assert entry.printed == "Notes from the 2019 staff meeting, PMID 123456"


def test_names_in_a_form_not_read_are_reported_missing_not_guessed() -> None:
    entry = parse_reference("Kim W.M., Lee H.G. A trial of dextrose. J Pain. 2010;3:1-2.")
    assert (entry.authors, entry.title, entry.journal) == ((), "A trial of dextrose", "J Pain")
    assert entry.missing == ("authors",)


def test_an_article_without_authors_says_so() -> None:
    entry = parse_reference("Prolotherapy. Pain Physician. 2010;13:1-2.")
    assert entry.recognised and entry.missing == ("authors",)


@given(st.text())
def test_never_raises_and_keeps_the_printed_string(text: str) -> None:
    assert parse_reference(text).printed == text
