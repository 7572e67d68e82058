"""Author and journal names: folding, compound names, NLM abbreviations."""

from __future__ import annotations

import pytest

from proloevidence.model import Author
from proloevidence.text.names import is_abbreviation, journal_match, same_author


def a(family: str, given: str = "") -> Author:
    return Author(family, given)


def test_family_names_fold_case_diacritics_and_hyphens() -> None:
    assert same_author(a("Müller"), a("MULLER"))
    assert same_author(a("Steilen-Matias"), a("Steilen Matias"))
    assert same_author(a("van der Berg"), a("Berg"))
    assert same_author(a("Kim WM"), a("Kim", "Woong Mo"))  # a whole NLM name string
    assert not same_author(a("Kim"), a("Kimura"))
    assert not same_author(a("Wu"), a("Wu Ho Li"))  # short name parts never match alone


@pytest.mark.parametrize(
    ("cited", "found"),
    [
        ("Primary Care", "Prim Care"),
        ("Pain Research & Management", "Pain Res Manag"),
        ("Pain Research & Management", "Pain Research and Management"),
        (
            "Clinical Medicine Insights: Arthritis and Musculoskeletal Disorders",
            "Clin Med Insights Arthritis Musculoskelet Disord",
        ),
        ("Journal of Alternative and Complementary Medicine", "J Altern Complement Med"),
        (
            "J Altern Complement Med",
            "The Journal of alternative and complementary medicine (New York, N.Y.)",
        ),
        ("The Lancet", "Lancet"),
    ],
)
def test_abbreviations_match_their_full_titles(cited: str, found: str) -> None:
    assert journal_match(cited, found)[0]
    assert journal_match(found, cited)[0]


@pytest.mark.parametrize(
    ("cited", "found"),
    [
        ("Pain Physician", "J Altern Complement Med"),
        ("Pain", "Pain Physician"),  # one word is not an abbreviation of two
        ("Medical Hypotheses", "Med Hist"),  # "hist" is not a prefix of "hypotheses"
        ("Primary Care", "Prim Health Care"),
    ],
)
def test_different_journals_do_not_match(cited: str, found: str) -> None:
    assert not journal_match(cited, found)[0]
    assert not is_abbreviation(cited, found)
