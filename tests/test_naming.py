from __future__ import annotations

from proloevidence.importing.ids import UniqueNames, claim_id, document_id, reference_key, words
from proloevidence.model import Author


def test_words_fold_accents_and_drop_common_words() -> None:
    assert words("The Sørensen–Müller effect of ß-blockers") == [
        "sorensen",
        "muller",
        "effect",
        "ss",
        "blockers",
    ]


def test_claim_ids_from_heading_and_statement_unique_and_stable() -> None:
    taken = UniqueNames()
    section = ("Clinical Applications", "Sacroiliac (SI) Joint Dysfunction")
    first = claim_id(section, "Randomized studies report improvements in pain.", taken)
    assert first == "sacroiliac-si-randomized-studies-report"
    assert claim_id(section, "Randomized studies report improvements in pain.", taken) == (
        f"{first}-2"
    )
    assert claim_id((), "1. 2. 3.", taken) == "statement"
    assert claim_id((), "", UniqueNames()) == "statement"
    assert claim_id(section, "Randomized studies report improvements in pain.", UniqueNames()) == (
        first
    )


def test_reference_keys_family_year_with_letters_on_a_clash() -> None:
    taken = UniqueNames()
    kim = (Author("Kim", "W. M."),)
    assert reference_key(kim, 2010, "", 1, taken) == "kim2010"
    assert reference_key(kim, 2010, "", 2, taken) == "kim2010a"
    assert reference_key(kim, 2010, "", 3, taken) == "kim2010b"
    assert reference_key((Author("Steilen-Matias", "D."),), 2016, "", 4, taken) == (
        "steilenmatias2016"
    )
    assert reference_key(
        (Author("World Health Organization", literal=True),), None, "", 5, taken
    ) == ("world")
    assert reference_key((), 2019, "Notes on injections", 6, taken) == "notes2019"
    assert reference_key((), None, "", 7, taken) == "ref7"
    assert reference_key((), None, "2019 audit", 8, taken) == "ref2019"


def test_document_ids() -> None:
    assert document_id("Prolotherapy") == "prolotherapy"
    assert document_id("Is Prolotherapy Right for You?") == "prolotherapy-right"
    assert document_id("", "knee-page") == "knee-page"
    assert document_id("", "") == "page"


def test_unique_names_never_repeat_even_against_natural_suffixes() -> None:
    names = UniqueNames()
    given = [names.take(base) for base in ["a", "a-2", "a", "a", "b"]]
    assert given == ["a", "a-2", "a-3", "a-4", "b"]
    keys = [names.take("kim2010", letters=True) for _ in range(28)]
    assert keys[:3] == ["kim2010", "kim2010a", "kim2010b"]
    assert keys[26:] == ["kim2010z", "kim2010aa"]
    assert len(set(keys)) == 28
