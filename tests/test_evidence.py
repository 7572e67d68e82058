from __future__ import annotations

import pytest

from proloevidence.auditing.evidence_grades import (
    CAVEATS,
    grade_source,
    is_hypothesis_journal,
    says_randomised,
    strong_words,
)
from proloevidence.model import Reference
from proloevidence.verification import Status

from .verification_data import record, result

REF = Reference(key="x", journal="Pain Physician")


@pytest.mark.parametrize(
    ("types", "level", "rct"),
    [
        (("Journal Article", "Meta-Analysis"), 1, False),
        (("Review", "Systematic Review"), 1, False),
        (("Journal Article", "Randomized Controlled Trial"), 2, True),
        (("Comparative Study",), 3, False),
        (("Observational Study",), 3, False),
        (("Case Reports",), 4, False),
        (("Review",), 5, False),
        (("Editorial",), 5, False),
        (("Letter", "Comment"), 5, False),
    ],
)
def test_levels_from_pubmed_publication_types(types, level, rct) -> None:
    grade = grade_source(REF, result("x", Status.VERIFIED, record=record(types=types)))
    assert (grade.level, grade.randomised_trial) == (level, rct)
    assert grade.basis == "PubMed publication types"


def test_review_grade_states_its_caveat_and_ungraded_says_why() -> None:
    review = grade_source(REF, result("x", Status.VERIFIED, record=record(types=("Review",))))
    assert any("narrative and systematic" in c for c in review.caveats)
    plain = grade_source(
        REF, result("x", Status.VERIFIED, record=record(types=("Journal Article",)))
    )
    assert plain.level is None and "no study design" in plain.basis
    crossref_only = grade_source(REF, result("x", Status.VERIFIED, record=record("crossref")))
    assert crossref_only.level is None and "no publication types" in crossref_only.basis
    unverified = grade_source(REF, None)
    assert unverified.level is None and "not verified" in unverified.basis
    assert any("2019" in c for c in CAVEATS) and any("0306-9877" in c for c in CAVEATS)


def test_a_mismatched_record_is_not_graded() -> None:
    # The record may describe another paper than the one the page meant.
    miscited = result("x", Status.MISMATCH, record=record(types=("Randomized Controlled Trial",)))
    assert grade_source(REF, miscited).level is None


@pytest.mark.parametrize(
    ("journal", "rec"),
    [
        ("Medical Hypotheses", None),  # the reference as printed: works offline
        ("Some Journal", record(issn=("0306-9877",))),
        ("Some Journal", record(issn=("15322777",))),
        ("Some Journal", record(journal_abbrev="Med Hypotheses")),
        ("medical  hypotheses.", None),
    ],
)
def test_hypothesis_journals_are_graded_by_a_rule_on_the_journal(journal, rec) -> None:
    ref = Reference(key="h", journal=journal)
    outcome = result("h", Status.VERIFIED, record=rec) if rec else None
    grade = grade_source(ref, outcome)
    assert grade.level == 5 and grade.hypothesis_journal
    assert "journal rule" in grade.basis


def test_other_journals_are_not_hypothesis_journals() -> None:
    assert not is_hypothesis_journal(["Journal of Pain", "Hypotheses in Medicine Today"], [])
    assert not is_hypothesis_journal(["Medical Hypothesis Letters"], [])  # not a near miss
    assert is_hypothesis_journal(["Med. Hypotheses"], [])  # the NLM abbreviation, dotted
    assert not is_hypothesis_journal([], ["1234-5678"])


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Prolotherapy cures chronic back pain.", ["cures"]),
        ("Its benefit is proven and permanent.", ["proven", "permanent"]),
        ("Results are GUARANTEED.", ["GUARANTEED"]),
        (
            "No claims are made regarding guaranteed outcomes, permanent structural repair, "
            "or disease modification.",
            [],
        ),
        ("The benefit is not proven.", []),
        ("It is never permanent.", []),
        ("It does not cure, but the relief is permanent.", ["permanent"]),
        ("Relief is rarely permanent without repeated injections.", ["permanent"]),
    ],
)
def test_strong_words_respect_negation(text, words) -> None:
    assert strong_words(text) == words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Randomized and prospective studies report improvements.", True),
        ("A randomised trial found less pain.", True),
        ("Non-randomized studies suggest a benefit.", False),
        ("Nonrandomised cohorts suggest a benefit.", False),
        ("No randomized trial has tested this.", False),
        ("Patients were not randomised.", False),
    ],
)
def test_says_randomised(text, expected) -> None:
    assert says_randomised(text) is expected
