"""Which BibTeX fields are read, kept and checked (kb/bib_fields.py), as docs/schema.md says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from proloevidence.kb.bib_fields import (
    CHECKED_FIELDS,
    KNOWN_FIELDS,
    READ_FIELDS,
    USED_FIELDS,
    misspelt_field,
)
from proloevidence.kb.bib_reader import parse_references

SCHEMA = Path(__file__).parent.parent / "docs" / "schema.md"


def doc_list(label: str) -> set[str]:
    """The backticked names of the bullet of docs/schema.md that starts with **label**."""
    text = SCHEMA.read_text(encoding="utf-8")
    match = re.search(
        r"^- \*\*" + re.escape(label) + r"\*\*(.*?)(?=^- \*\*|^\S)", text, re.S | re.M
    )
    assert match, f"docs/schema.md has no bullet '**{label}**'"
    body = match.group(1)
    if label == "Kept and used":  # the sentence after the list names no more fields
        body = body.split("`editor` and `translator` are kept")[0]
    if label == "Kept and ignored":
        return set()
    return set(re.findall(r"`([a-z_-]+)`", body))


@pytest.mark.parametrize(
    ("label", "fields"),
    [("Read", READ_FIELDS), ("Kept and used", USED_FIELDS), ("Checked", CHECKED_FIELDS)],
)
def test_schema_doc_lists_the_fields_the_code_reads_uses_and_checks(
    label: str, fields: frozenset[str]
) -> None:
    assert doc_list(label) == set(fields)


def test_read_and_used_fields_are_disjoint_and_known() -> None:
    assert not READ_FIELDS & USED_FIELDS
    assert READ_FIELDS | USED_FIELDS | CHECKED_FIELDS <= KNOWN_FIELDS


@pytest.mark.parametrize(
    ("name", "meant"),
    [
        ("pmdi", "pmid"),
        ("jounral", "journal"),
        ("dio", "doi"),
        ("titel", "title"),
        ("authors", "author"),
        ("editors", "editor"),
        ("intitution", "institution"),
        ("urldat", "urldate"),
    ],
)
def test_a_name_one_edit_from_a_used_field_is_a_misspelling(name: str, meant: str) -> None:
    assert misspelt_field(name) == meant


@pytest.mark.parametrize(
    "name",
    # Real fields next to used ones (isrn/issn, editora/editor, volumes/volume), exporters'
    # own fields, and names far from any field we use.
    ["isrn", "ismn", "editora", "volumes", "pdf", "groups", "city", "hal_id", "bdsk-url-1", "x"],
)
def test_known_or_distant_names_are_no_misspelling(name: str) -> None:
    assert misspelt_field(name) is None


def test_every_field_is_kept_and_a_misspelling_is_only_a_warning() -> None:
    parsed = parse_references(
        "@book{k, author = {Smith, Anna}, title = {T}, year = {2019}, groups = {Reading},\n"
        "  editor = {van der Berg, J. and {World Health Organization}}, pmdi = {123},\n"
        "  urldate = {2020-01-02}, Month = jan, subtitle = {S}}\n",
        "r.bib",
    )
    (ref,) = parsed.references
    assert ref.extra == {
        "groups": "Reading",
        "editor": "van der Berg, J. and {World Health Organization}",
        "pmdi": "123",
        "urldate": "2020-01-02",
        "month": "January",
        "subtitle": "S",
    }
    (problem,) = parsed.problems
    assert problem.code == "unknown-field" and problem.severity.value == "warning"
    assert str(problem) == "r.bib:2: warning: unknown field 'pmdi' in 'k' (did you mean 'pmid'?)"
