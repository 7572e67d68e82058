from __future__ import annotations

import pytest

from proloevidence.kb.bib_editor import BibEditError, braced, edit_entries, entry_spans
from proloevidence.kb.bib_reader import parse_references
from proloevidence.kb.knowledge_base import bundled_path

BUNDLED = (bundled_path() / "references.bib").read_text(encoding="utf-8")


def test_spans_find_every_field_of_every_entry() -> None:
    spans = entry_spans(BUNDLED)
    assert list(spans) == ["rabago2010", "kim2010", "hauser2016", "duman2012", "wu2017"]
    kim = spans["kim2010"]
    pages = kim.field("pages")
    assert pages is not None and BUNDLED[pages.value_start : pages.value_end] == "{363--370}"
    assert [f.name for f in kim.fields][-2:] == ["refnumber", "printed"]


def test_editing_one_value_changes_only_that_value() -> None:
    new = edit_entries(BUNDLED, {"kim2010": {"pages": "{363--371}"}})
    assert new == BUNDLED.replace("{363--370}", "{363--371}", 1)


def test_a_new_field_is_inserted_aligned_before_refnumber() -> None:
    new = edit_entries(BUNDLED, {"kim2010": {"doi": "{10.1000/xyz}"}})
    assert "  pmid      = {20648206},\n  doi       = {10.1000/xyz},\n  refnumber = {2}," in new
    assert new.replace("  doi       = {10.1000/xyz},\n", "", 1) == BUNDLED
    assert parse_references(new).references[1].doi == "10.1000/xyz"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@article{a, title={x}}\n", "@article{a, title={x}, doi = {10.1/z}}\n"),
        ("@article{a, title={x},}\n", "@article{a, title={x}, doi = {10.1/z},}\n"),
        (
            "@article{a,\n  title = {x}\n}\n",
            "@article{a,\n  title = {x},\n  doi   = {10.1/z},\n}\n",
        ),
        (
            "@article{a,\r\n  title = {x},\r\n}\r\n",
            "@article{a,\r\n  title = {x},\r\n  doi   = {10.1/z},\r\n}\r\n",
        ),
    ],
)
def test_insertion_follows_the_entry_style(text: str, expected: str) -> None:
    assert edit_entries(text, {"a": {"doi": "{10.1/z}"}}) == expected


def test_quoted_concatenated_and_commented_text_is_respected() -> None:
    text = (
        "% @article{a, title={not this one}}\n"
        '@string{j = "J Pain"}\n'
        '@article{a, title = "A {"}quoted{"} title", journal = j # " X", year = 2001,\n'
        "  pages = {1--2}}\n"
    )
    new = edit_entries(text, {"a": {"year": "{2002}", "title": "{B}"}})
    assert new == text.replace("2001", "{2002}").replace('"A {"}quoted{"} title"', "{B}")


def test_unknown_key_and_broken_entry_raise() -> None:
    with pytest.raises(BibEditError, match="no entry 'zz'"):
        edit_entries(BUNDLED, {"zz": {"title": "{x}"}})
    with pytest.raises(BibEditError, match="line 1"):
        entry_spans("@article{a, title = {unclosed,\n")


def test_braced_escapes_latex_and_keeps_braces_balanced() -> None:
    assert braced("Pain & Management 100% $5 #1 a_b") == r"{Pain \& Management 100\% \$5 \#1 a\_b}"
    assert braced("two\nlines") == "{two lines}"
    assert braced("10.1000/a_b%", verbatim=True) == "{10.1000/a_b%}"
    assert braced("10.1000/a}b\\", verbatim=True) == "{10.1000/ab}"
    # Text reads back as it was given, whatever LaTeX would make of it.
    for text in ("a } b { c", "x~y on T--cells", "\\textbf{b} ``q'' 50%", "}{"):
        entry = f"@article{{k, title = {braced(text)}}}\n"
        assert parse_references(entry).references[0].title == text, text
