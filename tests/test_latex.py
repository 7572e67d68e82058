from __future__ import annotations

from bibtexparser import middlewares
from hypothesis import given, settings
from hypothesis import strategies as st
from pylatexenc.latex2text import LatexNodes2Text

from proloevidence.text.latex import decode_latex

# bibtexparser's own decoder, as its middleware builds it (field values), and pylatexenc's
# default one (name parts, bibfile._NAME_DECODER): the reference results.
FULL = middlewares.LatexDecodingMiddleware()._decoder.latex_to_text
NAMES = LatexNodes2Text().latex_to_text

TOKENS = [
    "a",
    "Zq",
    "Müller",
    " ",
    "  ",
    "\n",
    "\t",
    ".",
    ",",
    ":",
    ";",
    "(",
    ")",
    "[",
    "]",
    "/",
    "1",
    "42",
    "_",
    "^",
    "#",
    "!",
    "?",
    "<",
    ">",
    '"',
    "@",
    "=",
    "+",
    "*",
    "–",
    "-",
    "--",
    "---",
    "'",
    "''",
    "`",
    "``",
    "!`",
    "?`",
    "~",
    "$",
    "%",
    "&",
    "\\",
    "{",
    "}",
    "{}",
    "\\&",
    "\\%",
    "\\$",
    "\\_",
    "\\#",
    "\\{",
    "\\}",
    '\\"u',
    '\\"{u}',
    "\\'e",
    "\\'{e}",
    "\\`a",
    "\\^o",
    "\\~n",
    "\\=a",
    "\\.z",
    '\\" u',
    "{\\O}",
    "{\\ss}",
    "{\\L}",
    "\\c{c}",
    "\\v{s}",
    "\\O{}",
    "\\O",
    "\\url{x}",
    "\\emph{x}",
    "$x^2$",
    "\\i",
    "\\\\",
]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=12))
def test_same_result_as_pylatexenc(tokens: list[str]) -> None:
    text = "".join(tokens)
    assert decode_latex(text, FULL) == FULL(text)
    assert decode_latex(text, NAMES) == NAMES(text)


def test_plain_values_never_reach_pylatexenc() -> None:
    def refuse(text: str) -> str:
        raise AssertionError(f"pylatexenc called for {text!r}")

    for value in ["Primary Care", "10.1016/j.pop.2009.09.013", "O'Brien, K. and Smith-Jones, A."]:
        assert decode_latex(value, refuse) == value


def test_common_constructs_decode() -> None:
    assert decode_latex("65--80", FULL) == "65–80"
    assert decode_latex('M{\\"u}ller and {\\O}stergaard', FULL) == "Müller and Østergaard"
    assert decode_latex("Pain Research \\& Management", FULL) == "Pain Research & Management"
