"""Title folding and similarity: markup, MathML, prefixes, brackets, look-alike titles."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from proloevidence.text.titles import (
    TITLE_THRESHOLD,
    clean_title,
    fold,
    normalize_title,
    title_similarity,
)


def test_clean_title_drops_retraction_prefix_and_translation_brackets() -> None:
    assert clean_title("RETRACTED: Ileal-lymphoid-nodular hyperplasia") == (
        "Ileal-lymphoid-nodular hyperplasia"
    )
    assert clean_title("Retracted article: A trial") == "A trial"
    assert clean_title("[Prolotherapy in general practice].") == "Prolotherapy in general practice"
    # A retraction NOTICE keeps its prefix: it must never pass for the article it retracts.
    assert clean_title("Retraction: A trial") == "Retraction: A trial"
    # Brackets inside a title are text, not a translation marker.
    assert clean_title("[18F]FDG uptake [in rats]") == "[18F]FDG uptake [in rats]"


def test_fold_handles_unicode_case_diacritics_and_punctuation() -> None:
    assert fold("Ｐｒｏｌｏｔｈｅｒａｐｙ") == "prolotherapy"  # NFKC: full-width letters
    assert fold("Sjögren’s “syndrome”—a review") == "sjogren s syndrome a review"
    assert (
        normalize_title("A <i>Randomized</i>, Controlled Trial.") == "a randomized controlled trial"
    )


def test_similar_titles_of_different_trials_stay_apart() -> None:
    # 92 by characters alone, yet "knee" and "hand" name two different trials.
    score, note = title_similarity(
        "Prolotherapy for knee osteoarthritis", "Prolotherapy for hand osteoarthritis"
    )
    assert score < TITLE_THRESHOLD
    assert note == "words differ: knee / hand"


@pytest.mark.parametrize(
    ("cited", "found"),
    [
        ("A randomised trial of prolotherapy", "A randomized trial of prolotherapy"),
        ("Prolotherapy versus steroid injection", "Prolotherapy vs steroid injection"),
        ("Intra-articular prolotherapy for the knee", "Intraarticular prolotherapy for the knee"),
        ("SnO2 thin films for gas sensing", "SnO<sub>2</sub>thin films for gas sensing"),
        ("Paediatric orthopaedic injections", "Pediatric orthopedic injections"),
    ],
)
def test_spelling_variants_and_lost_spaces_still_match(cited: str, found: str) -> None:
    assert title_similarity(cited, found)[0] >= TITLE_THRESHOLD


@pytest.mark.parametrize(
    ("cited", "found", "words"),
    [
        (
            "Prolotherapy for knee osteoarthritis",
            "Prolotherapy for hand osteoarthritis",
            "knee / hand",
        ),
        (
            "Dextrose prolotherapy: a phase 2 trial",
            "Dextrose prolotherapy: a phase 3 trial",
            "2 / 3",
        ),
    ],
)
def test_one_word_that_names_another_work_is_a_mismatch(cited: str, found: str, words: str) -> None:
    score, note = title_similarity(cited, found)
    assert score < TITLE_THRESHOLD
    assert note == f"words differ: {words}"


@given(st.text(min_size=1, max_size=80))
def test_folding_is_idempotent_and_a_title_always_matches_itself(text: str) -> None:
    folded = normalize_title(text)
    assert normalize_title(folded) == folded
    if folded:
        assert title_similarity(text, text)[0] == 100


@given(
    st.text(st.characters(blacklist_characters="<>&[]", blacklist_categories=("Cs",)), max_size=80)
)
def test_markup_case_and_a_final_full_stop_never_change_a_title(text: str) -> None:
    assert normalize_title(f"<i>{text}</i>.") == normalize_title(text)
    assert normalize_title(text.casefold()) == normalize_title(text)
