"""BibTeX LaTeX as CSL rich text: what citeproc-js and pandoc read inside CSL-JSON strings."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from proloevidence.kb.bib_writer import latex_escape
from proloevidence.text.rich_text import (
    latex_to_rich_text,
    math_to_rich_text,
    rich_text_to_latex,
    strip_rich_text,
)

NOCASE = '<span class="nocase">{}</span>'


@pytest.mark.parametrize(
    ("latex", "rich"),
    [
        # Case protection: a brace group keeps a style's text-case away from its words.
        ("The {DNA} of yeast", f"The {NOCASE.format('DNA')} of yeast"),
        ("{{Whole Title}}", NOCASE.format("Whole Title")),
        ("{RNA-\\emph{seq}} data", NOCASE.format("RNA-<i>seq</i>") + " data"),
        # A group that opens with a command is a special character, not protection.
        ('M{\\"u}ller and {\\ss}', "Müller and ß"),
        ("Caf\\'e \\'{E}cole na\\\"ive \\c{c}", "Café École naïve ç"),
        # Font commands and switches.
        ("\\emph{E. coli} and \\textit{in vitro}", "<i>E. coli</i> and <i>in vitro</i>"),
        ("\\textbf{bold} {\\it it} {\\bf bf}", "<b>bold</b> <i>it</i> <b>bf</b>"),
        (
            "\\textsc{Who} 5\\textsuperscript{th} CO\\textsubscript{2}",
            '<span style="font-variant:small-caps;">Who</span> 5<sup>th</sup> CO<sub>2</sub>',
        ),
        # Math into Unicode and sub/superscripts.
        ("$\\alpha$-synuclein", "α-synuclein"),
        (
            "H$_2$O and $x^2$ and $T_{\\mathrm{max}}$",
            "H<sub>2</sub>O and x<sup>2</sup> and T<sub>max</sub>",
        ),
        ("$p \\leq 0.05$ and $\\pm$", "p ≤ 0.05 and ±"),
        ("$$\\beta$$", "β"),
        # Money is not math (pandoc: no space after the opening $, no digit after the closing).
        ("\\$5 and \\$10", "$5 and $10"),
        ("costs $5 and $10 each", "costs $5 and $10 each"),
        # Text symbols.
        ("10--20~mg --- \\& 5\\%", "10–20\u00a0mg — & 5%"),
        ("``quoted''", "“quoted”"),
        ("an \\unknownmacro stays", "an \\unknownmacro stays"),
        # Logos pylatexenc drops, biblatex's quotes (real titles of biblatex-examples.bib).
        ("The {\\TeX{}book}", f"The {NOCASE.format('TeX')}book"),
        (
            "\\BibTeX\\ and \\LaTeX{} files",
            f"{NOCASE.format('BibTeX')} and {NOCASE.format('LaTeX')} files",
        ),
        ("Aristotle's \\mkbibquote{De Motu Animalium}", "Aristotle's “De Motu Animalium”"),
        ("plain text", "plain text"),
    ],
)
def test_latex_becomes_csl_rich_text(latex: str, rich: str) -> None:
    assert latex_to_rich_text(latex) == rich


def test_decoded_text_only_has_its_math_converted() -> None:
    # The loader decodes everything but math: braces and backslashes left are characters.
    assert (
        math_to_rich_text("50% of $ & {x} ~ \\ $\\alpha$ $x^2$")
        == "50% of $ & {x} ~ \\ α x<sup>2</sup>"
    )
    assert math_to_rich_text("$5 and $10") == "$5 and $10"
    # LaTeX's own delimiters, as DBLP writes them: radix-2\({}^{\mbox{k}}\), 0.35 \(\mu\)m.
    assert math_to_rich_text("Radix-2\\({}^{\\mbox{k}}\\) FFT") == "Radix-2<sup>k</sup> FFT"
    assert latex_to_rich_text("0.35 \\(\\mathrm{\\mu}\\)m") == "0.35 μm"


def test_rich_text_goes_back_to_latex_and_to_plain_text() -> None:
    rich = latex_to_rich_text("The {DNA} of \\emph{E. coli} & H$_2$O")
    assert rich_text_to_latex(rich, latex_escape) == (
        "The {DNA} of \\emph{E. coli} \\& H\\textsubscript{2}O"
    )
    assert strip_rich_text(rich) == "The DNA of E. coli & H2O"
    # Text that only looks like a tag is text; a stray closing tag never unbalances braces.
    assert strip_rich_text("p <0.05 <pepper>") == "p <0.05 <pepper>"
    assert rich_text_to_latex("a</i>b<i>c", latex_escape) == "ab\\emph{c}"


_TAG = re.compile(r'<(/?)(i|b|sup|sub|span)(?: class="nocase"| style="[^"]*")?>')


def _balanced(rich: str) -> bool:
    stack: list[str] = []
    for match in _TAG.finditer(rich):
        closing, name = match.groups()
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            return False
    return not stack


_PIECES = st.sampled_from(
    [*"ab {}$\\^_~-'`\"", "\\emph", "\\it ", "\\(", "\\)", "$$", "\\'", "\\c", "\\href", "\\sc"]
)


@given(st.lists(_PIECES, max_size=40).map("".join))
def test_any_value_converts_without_error_into_balanced_markup(text: str) -> None:
    for convert in (latex_to_rich_text, math_to_rich_text):
        assert _balanced(convert(text))


def test_hostile_nesting_is_kept_as_it_is() -> None:
    # Deeper than any real title: the value is kept, never a RecursionError.
    deep = "{" * 5000 + "x" + "}" * 5000
    assert latex_to_rich_text(deep) == deep
    assert math_to_rich_text(f"${deep}$") == f"${deep}$"
    assert latex_to_rich_text("\\emph{" * 3000 + "x" + "}" * 3000).startswith("\\emph{")
