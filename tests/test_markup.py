"""Escaping: text from a knowledge base or a service never turns into markup."""

from __future__ import annotations

from docutils.core import publish_doctree
from docutils.utils import Reporter
from markdown_it import MarkdownIt

from proloevidence.markup import (
    RstFormatter,
    escape,
    escape_attribute,
    escape_markdown,
    finish_rst,
    markdown_paragraph,
    rst_paragraph,
)

NASTY = "a <b>*bold*</b> & `code` _x_ [link](http://x) | ~s~ $m$ \\"


def test_html() -> None:
    assert escape(NASTY, "html") == NASTY.replace("&", "&amp;").replace("<", "&lt;").replace(
        ">", "&gt;"
    )
    assert escape_attribute('a"b') == "a&quot;b"
    assert escape(NASTY, "text") == NASTY


def test_markdown_renders_the_text_back() -> None:
    rendered = MarkdownIt().render(markdown_paragraph(NASTY))
    assert rendered == "<p>" + escape(NASTY, "html").replace('"', "&quot;") + "</p>\n"
    for start in ("1. step", "- item", "# heading", "> quote", "+ plus", "2) two"):
        assert MarkdownIt().render(markdown_paragraph(start)) == f"<p>{escape(start, 'html')}</p>\n"
    assert escape_markdown("*") == "\\*"


def test_rst_renders_the_text_back() -> None:
    starts = (
        "1. step",
        "- item",
        "a. letter",
        ".. comment",
        "(1) paren",
        ">>> doctest",
        ":field: x",
    )
    for text in (NASTY, *starts, "ends like a literal block::"):
        doctree = publish_doctree(
            rst_paragraph(text),
            settings_overrides={"report_level": Reporter.WARNING_LEVEL, "halt_level": 5},
        )
        assert doctree.astext() == text
        assert [n.tagname for n in doctree.children] == ["paragraph"]


def test_roles_get_escaped_spaces_only_where_rst_needs_them() -> None:
    assert finish_rst("x. " + RstFormatter.Italic("J") + ". 2010") == "x. :emphasis:`J`. 2010"
    assert finish_rst(RstFormatter.Italic("37") + "(1)") == ":emphasis:`37`\\ (1)"
    assert finish_rst("a" + RstFormatter.Superscript("1")) == "a\\ :sup:`1`"
    assert (
        finish_rst(RstFormatter.Italic("a") + RstFormatter.Bold("b"))
        == ":emphasis:`a`\\ :strong:`b`"
    )
