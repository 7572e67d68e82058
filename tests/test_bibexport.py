"""BibTeX output: bibtexparser and our own reader read back exactly what was cited."""

from __future__ import annotations

import bibtexparser

import proloevidence
from proloevidence.kb.bib_reader import parse_references
from proloevidence.model import Author, Reference
from proloevidence.publish.bibtex_export import latex_escape, to_bibtex
from proloevidence.publish.csl_items import item_from_reference


def test_round_trip_through_bibtexparser_and_our_reader() -> None:
    kb = proloevidence.load()
    text = to_bibtex([item_from_reference(r) for r in kb.references.values()])
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    assert [e.key for e in library.entries] == list(kb.references)
    parsed = parse_references(text, "export.bib")
    assert parsed.problems == []
    for again in parsed.references:
        cited = kb.reference(again.key)
        for field in (
            "entry_type",
            "authors",
            "et_al",
            "title",
            "journal",
            "year",
            "volume",
            "number",
            "pages",
            "doi",
            "pmid",
        ):
            assert getattr(again, field) == getattr(cited, field), (again.key, field)


def test_special_characters_survive() -> None:
    reference = Reference(
        key="odd2021",
        authors=(Author("Müller", "Ä."), Author("Acme {Labs} & Co", literal=True)),
        # (No "^": it is written as LaTeX's \textasciicircum{}, which our reader's LaTeX decoder
        # turns into the modifier letter "ˆ".)
        title="50% of $ & #1_x ~ \\ {braces}",
        journal="J Odd",
        year=2021,
        doi="10.1000/a_b{c}",
        url="https://example.org/a_b?x=1&y=2",
    )
    text = to_bibtex([item_from_reference(reference)], {"odd2021": ["a note with @ in it"]})
    assert "% odd2021: a note with (at) in it\n@article{odd2021," in text
    assert (
        "doi = {10.1000/a_b%7Bc%7D}" in text and "url = {https://example.org/a_b?x=1&y=2}" in text
    )
    again = parse_references(text).references[0]
    assert again.title == reference.title
    assert again.authors[0] == Author("Müller", "Ä.")
    # An organisation stays one brace-protected name. (Our own reader decodes LaTeX before
    # splitting names, so it cannot read one back whole: a bibfile.py limitation.)
    assert "author = {Müller, Ä. and {Acme \\{Labs\\} \\& Co}}" in text


def test_latex_escape() -> None:
    assert latex_escape("A & B_{1} ^") == r"A \& B\_\{1\} \textasciicircum{}"


def test_names_and_text_are_written_as_the_knowledge_bases_own_files_write_them() -> None:
    """One writer of BibTeX names and one escaper (bibwriter's) serve both kinds of file."""
    text = to_bibtex(
        [
            {
                "id": "x",
                "type": "article-journal",
                "author": [{"family": "Smith and Sons", "given": "J"}],
                "title": "a--b x^2",
                "page": "65-80",
            }
        ]
    )
    assert "author = {{Smith and Sons}, J}," in text  # "and" would split the name
    assert "title = {a-{}-b x\\textasciicircum{}2}," in text  # text, not an en dash
    assert "pages = {65--80}," in text  # a range is one


def test_an_entry_without_fields_is_still_bibtex() -> None:
    # A real bibliography's stub entry ("@misc{macmillan}" filled by crossref/xdata) once
    # came out as "@misc{macmillan,\n,\n}", which pandoc refuses.
    assert to_bibtex([{"id": "stub", "type": "book"}]) == "@book{stub,\n}\n"
