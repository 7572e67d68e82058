"""Escaping: text from a knowledge base or a service never turns into markup."""

from __future__ import annotations

import pytest
from docutils.core import publish_doctree
from docutils.utils import Reporter
from markdown_it import MarkdownIt

from proloevidence.text.markup import (
    escape,
    escape_attribute,
    escape_markdown,
    finish_rst,
    markdown_paragraph,
    rst_paragraph,
    rst_role,
    strip_control,
    strip_markup,
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
    assert finish_rst("x. " + rst_role("emphasis", "J") + ". 2010") == "x. :emphasis:`J`. 2010"
    assert finish_rst(rst_role("emphasis", "37") + "(1)") == ":emphasis:`37`\\ (1)"
    assert finish_rst("a" + rst_role("sup", "1")) == "a\\ :sup:`1`"
    assert (
        finish_rst(rst_role("emphasis", "a") + rst_role("strong", "b"))
        == ":emphasis:`a`\\ :strong:`b`"
    )


# -- stripping: the resolver's parsers (Crossref, doi.org) and the title comparison share it ------


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ("Regulation of <i>TERT</i> in cells", "Regulation of TERT in cells"),
        ("(<i>&#x3bc;</i>-XRF)", "(μ-XRF)"),
        ("Doped SnO<sub>2</sub>thin films", "Doped SnO2thin films"),  # the source lost the space
        ("<jats:title>Low  back\n pain</jats:title>", "Low back pain"),
        ("p < 0.05 and q > 1", "p < 0.05 and q > 1"),
        ("A &amp; B", "A & B"),
        (
            'Flux of <mml:math><mml:mi>x</mml:mi><mml:annotation encoding="TeX">x</mml:annotation>'
            "</mml:math> ions",
            "Flux of x ions",
        ),
    ],
)
def test_strip_markup_keeps_the_words_of_service_payloads(raw: str, plain: str) -> None:
    assert strip_markup(raw) == plain


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("The <i>TERT</i> promoter", "The TERT promoter"),
        ("SnO<sub>2</sub> thin films", "SnO2 thin films"),
        ("Ca<sup>2+</sup> &amp; Mg<sup>2+</sup>", "Ca2+ & Mg2+"),
        ("p &lt;0.05 is not a tag", "p <0.05 is not a tag"),
        (
            "(<i>&#x3bc;</i>-XRF) imaging",  # metapub 37167981: a character reference inside <i>
            "(μ-XRF) imaging",
        ),
        (
            'Energy <mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:mi>E</mml:mi>'
            "<mml:mo>=</mml:mo><mml:mi>m</mml:mi><mml:msup><mml:mi>c</mml:mi><mml:mn>2</mml:mn>"
            '</mml:msup><mml:annotation encoding="application/x-tex">E=mc^2</mml:annotation>'
            "</mml:math> revisited",
            "Energy E=mc2 revisited",
        ),
    ],
)
def test_markup_and_mathml_are_stripped_keeping_their_text(raw: str, expected: str) -> None:
    assert strip_markup(raw) == expected


def test_entity_escaped_tags_are_markup_too() -> None:
    # esummary JSON titles may carry their <i> as &lt;i&gt;; a bare "<" stays text.
    assert strip_markup("Role of &lt;i&gt;TERT&lt;/i&gt; when p &lt; 0.05") == (
        "Role of TERT when p < 0.05"
    )


def test_strip_control_drops_escape_sequences_only() -> None:
    assert strip_control("Pain\x1b[2J Physician!\n\tok") == "Pain[2J Physician!\n\tok"
