from __future__ import annotations

import pytest

from proloevidence.importing.kinds import KIND_RULES, guess_kind
from proloevidence.model import CLAIM_KINDS


@pytest.mark.parametrize(
    ("text", "step", "kind"),
    [
        ("Prolotherapy (proliferative therapy) is an injectable treatment.", False, "definition"),
        ("No claims are made regarding guaranteed outcomes.", False, "disclaimer"),
        ("Please contact our clinic to book.", False, "logistics"),
        ("Dextrose is an FDA-approved substance.", False, "definition"),
        ("Saline is FDA-approved.", False, "regulatory"),
        ("Serious complications are uncommon.", False, "safety"),
        ("Randomized studies report improvements in pain.", False, "efficacy"),
        ("Ultrasound guidance is commonly used.", False, "procedure"),
        ("It feels better.", False, "efficacy"),
        ("1. Clinical evaluation and planning: Diagnosis is confirmed.", True, "procedure"),
        ("4. Post-procedure expectations: Mild soreness is common.", True, "safety"),
        ("The solution is a stimulus.", True, "procedure"),
    ],
)
def test_guesses(text: str, step: bool, kind: str) -> None:
    assert guess_kind(text, step=step) == kind


def test_every_rule_names_a_kind_of_the_schema() -> None:
    assert {kind for kind, _ in KIND_RULES} <= set(CLAIM_KINDS)
