from __future__ import annotations

import pytest

from proloevidence.text.sentences import split_sentences


def texts(text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(s.text, s.markers) for s in split_sentences(text).sentences]


def test_marker_after_the_full_stop_belongs_to_the_sentence_before() -> None:
    assert texts("It is a stimulus. The solution helps over time. (1-3)") == [
        ("It is a stimulus.", ()),
        ("The solution helps over time.", ("(1-3)",)),
    ]
    assert texts("Uncommon. (1-3) Next one.") == [("Uncommon.", ("(1-3)",)), ("Next one.", ())]


def test_marker_before_the_full_stop_or_inside_belongs_to_its_sentence() -> None:
    assert texts("Pain improved [2,3]. Studies (4) show it. Safe¹⁻³.") == [
        ("Pain improved.", ("[2,3]",)),
        ("Studies show it.", ("(4)",)),
        ("Safe.", ("¹⁻³",)),
    ]
    assert texts("Tendon pain eased.² Grip improved.") == [
        ("Tendon pain eased.", ("²",)),
        ("Grip improved.", ()),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Joints (e.g. knee, shoulder) respond.",
        "Kim et al. found less pain.",
        "See Fig. 2 for details.",
        "Dextrose vs. saline was compared.",
        "Dr. Smith injects 2.5 mL of solution.",
        "Some tissues, i.e. ligaments, respond.",
        "1. Clinical evaluation: Diagnosis is confirmed.",
        "J. Smith agrees.",
    ],
)
def test_abbreviations_decimals_and_step_numbers_do_not_end_a_sentence(text: str) -> None:
    assert texts(text) == [(text, ())]


def test_sentences_end_only_before_a_capital_digit_or_opening() -> None:
    assert texts("It ends here. it does not. 3 trials agree! Why? (Really.)") == [
        ("It ends here. it does not.", ()),
        ("3 trials agree!", ()),
        ("Why?", ()),
        ("(Really.)", ()),
    ]


def test_markers_at_the_start_of_a_paragraph_are_leading() -> None:
    split = split_sentences("(4,5) Then a sentence.")
    assert split.leading == ("(4,5)",)
    assert [s.text for s in split.sentences] == ["Then a sentence."]
    assert split_sentences("(1-3)").leading == ("(1-3)",)
    assert split_sentences("(1-3)").sentences == ()


def test_prose_numbers_stay_in_the_text() -> None:
    assert texts("In 2010 (2010) trials of the SI (SI) joint (entheses) used 10⁶ cells.") == [
        ("In 2010 (2010) trials of the SI (SI) joint (entheses) used 10⁶ cells.", ())
    ]


def test_several_markers_in_one_sentence_are_all_kept() -> None:
    assert texts("Neck pain (1) and headache (2) improved.") == [
        ("Neck pain and headache improved.", ("(1)", "(2)"))
    ]
