"""@string macros and # concatenation (kb/bib_macros.py), through parse_references."""

from __future__ import annotations

from proloevidence.kb.bib_reader import parse_references


def test_concatenation_of_macros_braces_quotes_and_numbers() -> None:
    parsed = parse_references(
        '@string{dtv = {Deutscher Taschenbuch-Verlag}}\n@string{ed = "Second" # { ed.}}\n'
        '@book{k, title = {T}, publisher = dtv # { and } # "Walter de Gruyter",\n'
        "  edition = ed, note = {Vol. } # 3, month = dec, year = 2001}\n"
    )
    (ref,) = parsed.references
    assert ref.extra["publisher"] == "Deutscher Taschenbuch-Verlag and Walter de Gruyter"
    assert ref.extra["edition"] == "Second ed."
    assert ref.extra["note"] == "Vol. 3"
    assert ref.extra["month"] == "December" and ref.year == 2001
    assert parsed.problems == []


def test_a_redefined_string_takes_the_last_definition_with_a_warning() -> None:
    parsed = parse_references(
        '@string{j = "First"}\n@string{J = "Second"}\n@article{k, title = {T}, journal = j}\n',
        "r.bib",
    )
    assert parsed.references[0].journal == "Second"
    (problem,) = parsed.problems
    assert (problem.code, problem.severity.value, problem.line) == (
        "redefined-string",
        "warning",
        2,
    )
    assert "first at line 1" in problem.message


def test_an_undefined_macro_is_kept_as_written_with_a_warning() -> None:
    parsed = parse_references("@article{k, title = {T}, journal = jbio # { Suppl.}}\n", "r.bib")
    assert parsed.references[0].journal == "jbio Suppl."
    (problem,) = parsed.problems
    assert problem.code == "undefined-string" and "'jbio'" in problem.message
    assert problem.severity.value == "warning"


def test_a_name_list_built_from_macros_splits() -> None:
    parsed = parse_references(
        '@string{p = "Patterson, David"}\n@string{a = "Arvind"}\n'
        "@article{k, title = {T}, author = p # { and } # a}\n"
    )
    authors = parsed.references[0].authors
    assert [(a.family, a.given) for a in authors] == [("Patterson", "David"), ("Arvind", "")]
