"""Names that do not split the BibTeX way, and biblatex's extended names (kb/bib_names.py)."""

from __future__ import annotations

from proloevidence.kb.bib_names import names_text, split_names
from proloevidence.kb.bib_reader import parse_references
from proloevidence.text.names import family_key


def test_vancouver_names_are_kept_as_printed_one_per_piece_with_a_warning() -> None:
    parsed = parse_references(
        "@article{m, author = {Molins A, Garc{\\'\\i}a B, Lopez C}, title = {T}}\n", "r.bib"
    )
    (ref,) = parsed.references
    # Kept as printed, and read as people in the Vancouver form: verification compares
    # their family names.
    assert [(a.family, a.given, a.literal) for a in ref.authors] == [
        ("Molins A", "", False),
        ("García B", "", False),
        ("Lopez C", "", False),
    ]
    assert [family_key(a) for a in ref.authors] == ["molins", "garcia", "lopez"]
    (problem,) = parsed.problems
    assert problem.code == "unsplit-name" and problem.severity.value == "warning"
    assert problem.line == 1 and "'m'" in problem.message


def test_a_name_that_does_not_split_otherwise_is_one_name() -> None:
    names, unsplit = split_names("Too, Many, Commas, here")
    assert unsplit and [(n.first, n.last) for n in names] == [([], ["Too, Many, Commas, here"])]


def test_biblatex_extended_names_are_read_by_their_keys() -> None:
    names, unsplit = split_names(
        "family=Heuvel, given=Charles, prefix=van den, useprefix=false and "
        "given={Jean Paul}, family={Sartre}, suffix=Jr"
    )
    assert not unsplit
    assert [(n.first, n.von, n.last, n.jr) for n in names] == [
        (["Charles"], ["van", "den"], ["Heuvel"], []),
        (["Jean", "Paul"], [], ["Sartre"], ["Jr"]),
    ]
    assert names_text(names) == "van den Heuvel, Charles and Sartre, Jr, Jean Paul"


def test_upper_case_name_fields_are_split_too() -> None:
    (ref,) = parse_references(
        "@article{k, AUTHOR = {Doe, Jane and Roe, R.}, TITLE = {T}}"
    ).references
    assert [(a.family, a.given) for a in ref.authors] == [("Doe", "Jane"), ("Roe", "R.")]
