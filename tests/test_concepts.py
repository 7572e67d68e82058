from __future__ import annotations

from proloevidence.text.concepts import key_concepts, shared, stem


def test_key_concepts_drop_stop_words_and_keep_first_spelling() -> None:
    concepts = key_concepts("Dextrose injections relieve the pain of injected knees in patients.")
    assert [c.word for c in concepts] == ["Dextrose", "injections", "relieve", "pain", "knees"]


def test_inflections_and_british_spellings_are_one_concept() -> None:
    assert stem("injections") == stem("injected") == stem("Injecting")
    assert stem("randomised") == stem("randomized")
    assert stem("oedema") == stem("edema") and stem("haemorrhage") == stem("hemorrhage")


def test_shared_finds_concepts_by_stem_in_any_text() -> None:
    concepts = key_concepts("Prolotherapy injections strengthen ligaments.")
    found = shared(concepts, ["A ligament injected with dextrose", "Injections, Intra-Articular"])
    assert [c.word for c in found] == ["injections", "ligaments"]


def test_numbers_and_short_words_are_not_concepts_but_mixed_terms_are() -> None:
    assert [c.word for c in key_concepts("In 2010, 90 of 120 had IL6 raised by 2 mg")] == [
        "IL6",
        "raised",
    ]
