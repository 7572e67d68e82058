from __future__ import annotations

import pytest

from proloevidence.importing.markdown_page import (
    inline_text,
    is_marker_numbers,
    markdown_blocks,
    superscript,
)
from proloevidence.importing.page_structure import structure


def roles(text: str) -> list[tuple[str, str, int]]:
    return [(b.role, b.text, b.level) for b in markdown_blocks(text)]


def test_headings_lists_steps_and_soft_wrapped_paragraphs() -> None:
    text = (
        "# Title\n\nIntro line one\nline two (1).\n\n## Section ##\n\n- item one\n  continued\n"
        "* item two\n\n1. step one\n2) step two\n\nSetext\n------\n\n---\n\n> quoted text.\n"
    )
    assert roles(text) == [
        ("heading", "Title", 1),
        ("paragraph", "Intro line one line two (1).", 0),
        ("heading", "Section", 2),
        ("item", "item one continued", 0),
        ("item", "item two", 0),
        ("step", "1. step one", 0),
        ("step", "2) step two", 0),
        ("heading", "Setext", 2),
        ("paragraph", "quoted text.", 0),
    ]


def test_code_tables_and_images_are_skipped() -> None:
    text = "```\n# not a heading\n```\n\n| a | b |\n|---|---|\n\n![x](y.png)\n\nReal text.\n"
    assert roles(text) == [("paragraph", "Real text.", 0)]


def test_inline_markup_is_what_a_reader_sees() -> None:
    assert inline_text("**Bold** and *em* and `code` and [a link](http://x.org)") == (
        "Bold and em and code and a link"
    )
    assert inline_text(r"Escaped \*stars\* and 2 \* 3") == "Escaped *stars* and 2 * 3"
    assert inline_text("A&amp;B <https://x.org>") == "A&B https://x.org"


def test_numbered_links_and_sup_tags_become_markers() -> None:
    assert inline_text("Pain eased [2](#ref-2).") == "Pain eased [2]."
    assert inline_text("Pain eased<sup>1-3</sup>.") == "Pain eased¹⁻³."
    assert inline_text("Water is H<sub>2</sub>O, x<sup>n</sup>") == "Water is H2O, xn"
    assert superscript("1, 2") == "¹,²"


def test_structure_uses_markdown_levels_relative_to_the_title() -> None:
    page = structure(markdown_blocks("# T\n\n## A\n\n### B\n\nText.\n\n## C\n\nMore.\n"))
    assert page.title == "T"
    assert [b.section for b in page.blocks] == [("A", "B"), ("C",)]


@pytest.mark.parametrize(
    ("text", "marker"),
    [("1-3", True), (" 2, 5 ", True), ("1–3", True), ("a", False), ("-1", False), ("١", False)],
)
def test_what_counts_as_a_markers_numbers(text: str, marker: bool) -> None:
    # One rule for Markdown's <sup> and [2](#ref) and for HTML's <sup>.
    assert is_marker_numbers(text) is marker
