"""BibTeX field text (LaTeX) as CSL rich text: the markup CSL-JSON strings may carry.

CSL processors (citeproc-js, pandoc's citeproc) read a small set of HTML-like tags inside
CSL-JSON strings (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html):
``<i>``, ``<b>``, ``<sup>``, ``<sub>``, ``<span style="font-variant:small-caps;">`` and
``<span class="nocase">``, the last keeping a style's ``text-case`` from changing the words
inside. :func:`latex_to_rich_text` turns a BibTeX value into that form, as Better BibTeX's
import and pandoc's BibTeX reader do:

- a brace group ``{DNA}`` protects its case: ``<span class="nocase">DNA</span>``; a group that
  opens with a command (``{\\"u}``, ``{\\emph{x}}``) is a special character, not protection;
- ``\\emph``, ``\\textit`` -> ``<i>``; ``\\textbf`` -> ``<b>``; ``\\textsc`` -> small caps;
  ``\\textsuperscript`` / ``\\textsubscript`` -> ``<sup>`` / ``<sub>``;
- math ``$...$`` -> Unicode (``$\\alpha$`` -> ``α``), ``^`` and ``_`` -> ``<sup>`` / ``<sub>``;
  a ``$`` is math only as pandoc's Markdown reads it (a non-space after the opening one, a
  non-space before the closing one, no digit after it), so ``$5 and $10`` stays money;
- accents and symbol macros -> Unicode (pylatexenc), ``--`` -> –, ``~`` -> no-break space;
  TeX's logos (``\\TeX``, ``\\LaTeX``, ``\\BibTeX``) -> their names, case-protected;
  biblatex's ``\\mkbibquote`` and ``\\enquote`` -> “quotes”.

Values the loader has already decoded go through unchanged but for the math the loader
keeps verbatim. Pure functions; no I/O.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from pylatexenc.latex2text import LatexNodes2Text

NOCASE = '<span class="nocase">{}</span>'

_WRAPPERS = {
    "emph": "<i>{}</i>",
    "textit": "<i>{}</i>",
    "textsl": "<i>{}</i>",
    "mathit": "<i>{}</i>",
    "textbf": "<b>{}</b>",
    "mathbf": "<b>{}</b>",
    "textsc": '<span style="font-variant:small-caps;">{}</span>',
    "textsuperscript": "<sup>{}</sup>",
    "textsubscript": "<sub>{}</sub>",
    "mkbibemph": "<i>{}</i>",
    "mkbibbold": "<b>{}</b>",
    "mkbibsuperscript": "<sup>{}</sup>",
    "textup": "{}",
    "textnormal": "{}",
    "textrm": "{}",
    "textsf": "{}",
    "texttt": "{}",
    "mathrm": "{}",
    "mathcal": "{}",
    "mathsf": "{}",
    "mathtt": "{}",
    "mathbb": "{}",
    "operatorname": "{}",
    "text": "{}",
    "mbox": "{}",
    "url": "{}",
    "NoCaseChange": NOCASE,
    # biblatex's quotation commands (biblatex-examples.bib writes \mkbibquote in titles).
    "mkbibquote": "“{}”",
    "enquote": "“{}”",
}
# TeX's logos, which pylatexenc does not know (it drops them: "The \TeX{}book" -> "The book").
_LOGOS = {name: name for name in "TeX LaTeX BibTeX XeTeX XeLaTeX LuaTeX LuaLaTeX ConTeXt".split()}
_LOGOS |= {"LaTeXe": "LaTeX2ε", "AmS": "AMS", "MF": "METAFONT", "MP": "MetaPost"}
# Switches that act on the rest of their group: {\it x}, {\bf x}.
_SWITCHES = {
    "it": "<i>{}</i>",
    "itshape": "<i>{}</i>",
    "em": "<i>{}</i>",
    "sl": "<i>{}</i>",
    "bf": "<b>{}</b>",
    "bfseries": "<b>{}</b>",
    "sc": '<span style="font-variant:small-caps;">{}</span>',
    "scshape": '<span style="font-variant:small-caps;">{}</span>',
    "rm": "{}",
    "normalfont": "{}",
}
_ACCENTS = frozenset("\"'`^~=.uvHcdbrtk")
_ESCAPES = {
    "&": "&",
    "%": "%",
    "$": "$",
    "#": "#",
    "_": "_",
    "{": "{",
    "}": "}",
    " ": " ",
    "-": "",  # a hyphenation point
    "/": "",  # a ligature break
}
_TEXT_RUNS = (("---", "—"), ("--", "–"), ("``", "“"), ("''", "”"), ("~", "\u00a0"))
_NEEDS_WORK = re.compile(r"[\\{}$~]|--|``|''")
_COMMAND = re.compile(r"\\(?:[A-Za-z]+\*?|.)", re.S)


def latex_to_rich_text(text: str) -> str:
    """``text`` (a BibTeX field value, LaTeX or already decoded) as CSL rich text."""
    if not _NEEDS_WORK.search(text):
        return text
    try:
        out, _ = _Parser(text).group(0, math=False, closing=False, protected=False)
    except _TooDeep:
        return text  # not LaTeX anyone wrote: kept as it is
    return out


def math_to_rich_text(text: str) -> str:
    """Decoded text with only its ``$...$`` math (which decoding leaves verbatim) converted.

    For values whose LaTeX is already decoded (:mod:`proloevidence.kb.bib_reader` decodes all
    but math): a brace or backslash left in them is a character of the title, not markup.
    """
    if "$" not in text and "\\(" not in text and "\\[" not in text:
        return text
    try:
        return _math_segments(text)
    except _TooDeep:
        return text


def _math_segments(text: str) -> str:
    parts: list[str] = []
    i = 0
    while i < len(text):
        start, end, after = i + 1, None, 1
        if text[i] == "$" and _opens_math(text, i):
            end = _closing_dollar(text, i + 1)
        elif text.startswith(("\\(", "\\["), i):
            closer = "\\)" if text[i + 1] == "(" else "\\]"
            start, after = i + 2, 2
            found = text.find(closer, start)
            end = found if found >= 0 else None
        if end is None:
            parts.append(text[i])
            i += 1
            continue
        parts.append(_math(text[start:end]))
        i = end + after
    return "".join(parts)


def _math(formula: str) -> str:
    return _Parser(formula).group(0, math=True, closing=False, protected=True)[0]


MAX_DEPTH = 64
"""Groups nested deeper than this are no LaTeX anyone wrote: the value is kept as it is
(a hostile value must not exhaust Python's recursion limit)."""


class _TooDeep(Exception):
    pass


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.depth = 0

    def group(self, i: int, *, math: bool, closing: bool, protected: bool) -> tuple[str, int]:
        """Convert from ``i`` up to the closing brace (when ``closing``) or the end.

        ``protected``: the text is inside a case-protecting group already.
        """
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _TooDeep
        try:
            return self._group(i, math=math, closing=closing, protected=protected)
        finally:
            self.depth -= 1

    def _group(self, i: int, *, math: bool, closing: bool, protected: bool) -> tuple[str, int]:
        text, parts = self.text, list[str]()
        while i < len(text):
            char = text[i]
            if char == "}":
                if closing:
                    return "".join(parts), i + 1
                i += 1  # an unbalanced brace is dropped
            elif char == "{":
                opens_command = text[i + 1 : i + 2] == "\\"
                protect = not (math or protected or opens_command)
                inner, i = self.group(
                    i + 1, math=math, closing=True, protected=protected or protect
                )
                parts.append(NOCASE.format(inner) if protect and inner.strip() else inner)
            elif char == "\\":
                piece, i = self.command(i, math=math, protected=protected)
                parts.append(piece)
            elif char == "$" and not math and text.startswith("$$", i):
                end = text.find("$$", i + 2)
                if end < 0:
                    parts.append("$$")
                    i += 2
                else:
                    formula = _Parser(text[i + 2 : end])
                    parts.append(formula.group(0, math=True, closing=False, protected=True)[0])
                    i = end + 2
            elif char == "$" and not math and _opens_math(text, i):
                closing_at = _closing_dollar(text, i + 1)
                if closing_at is None:
                    parts.append("$")
                    i += 1
                else:
                    formula = _Parser(text[i + 1 : closing_at])
                    parts.append(formula.group(0, math=True, closing=False, protected=True)[0])
                    i = closing_at + 1
            elif math and char in "^_":
                argument, i = self.argument(i + 1, math=True, protected=True)
                parts.append(("<sup>{}</sup>" if char == "^" else "<sub>{}</sub>").format(argument))
            else:
                matched = False
                if not math:
                    for run, replacement in _TEXT_RUNS:
                        if text.startswith(run, i):
                            parts.append(replacement)
                            i += len(run)
                            matched = True
                            break
                if not matched:
                    parts.append(char)
                    i += 1
        return "".join(parts), i

    def command(self, i: int, *, math: bool, protected: bool) -> tuple[str, int]:
        match = _COMMAND.match(self.text, i)
        if match is None:  # a lone backslash at the end
            return "\\", i + 1
        token, name, end = match.group(), match.group()[1:].rstrip("*"), match.end()
        if name in _ESCAPES:
            return _ESCAPES[name], end
        if name == "\\":
            return " ", end
        if name in _LOGOS:
            # A logo keeps its case whatever the style does to the words around it.
            end = end + 2 if self.text.startswith("{}", end) else _skip_spaces(self.text, end)
            return _LOGOS[name] if protected else NOCASE.format(_LOGOS[name]), end
        if name in ("(", "[") and not math:  # \( ... \) and \[ ... \]: math
            closer = "\\)" if name == "(" else "\\]"
            found = self.text.find(closer, end)
            if found >= 0:
                return _math(self.text[end:found]), found + 2
        if name in _WRAPPERS:
            argument, end = self.argument(end, math=math, protected=protected)
            return _WRAPPERS[name].format(argument), end
        if name in _SWITCHES:
            # The rest of the enclosing group; its closing brace is left for that group.
            start = _skip_spaces(self.text, end)
            rest, end = self.group(start, math=math, closing=True, protected=protected)
            if self.text[end - 1 : end] == "}" and end - 1 >= start:
                end -= 1
            return _SWITCHES[name].format(rest), end
        if name in _ACCENTS and len(token) == 2:
            argument_end = _accent_argument_end(self.text, end)
            return _decode(self.text[i:argument_end]), argument_end
        if name == "href":
            _url, end = self.argument(end, math=math, protected=protected)
            return self.argument(end, math=math, protected=protected)
        if not token[1:2].isalpha():
            return _decode(token), end
        # A symbol macro (\alpha, \ss, \textendash) or an accent command taking a group (\c{c}).
        if self.text.startswith("{", end) and len(name) == 1:
            close = _matching_brace(self.text, end)
            if close is not None:
                return _decode(self.text[i : close + 1]), close + 1
        decoded = _decode(token + " ").strip()
        if decoded == token:  # unknown to pylatexenc: kept as written, with its space
            return token, end
        if self.text.startswith("{}", end):
            end += 2
        elif not math and end < len(self.text) and self.text[end] == " ":
            end += 1  # the space ending a control word is not text (math keeps its spacing)
        return decoded, end

    def argument(self, i: int, *, math: bool, protected: bool) -> tuple[str, int]:
        """One argument: a brace group, a command, or a single character."""
        i = _skip_spaces(self.text, i)
        if i >= len(self.text):
            return "", i
        if self.text[i] == "{":
            return self.group(i + 1, math=math, closing=True, protected=protected)
        if self.text[i] == "\\":
            return self.command(i, math=math, protected=protected)
        return self.text[i], i + 1


def _skip_spaces(text: str, i: int) -> int:
    while i < len(text) and text[i] == " ":
        i += 1
    return i


def _matching_brace(text: str, start: int) -> int | None:
    depth = 0
    for j in range(start, len(text)):
        if text[j] == "{" and (j == 0 or text[j - 1] != "\\"):
            depth += 1
        elif text[j] == "}" and text[j - 1] != "\\":
            depth -= 1
            if depth == 0:
                return j
    return None


def _accent_argument_end(text: str, i: int) -> int:
    if text.startswith("{", i):
        close = _matching_brace(text, i)
        return close + 1 if close is not None else i
    if i < len(text) and text[i] == "\\":
        match = _COMMAND.match(text, i)
        return match.end() if match else i + 1
    return min(i + 1, len(text))


def _opens_math(text: str, i: int) -> bool:
    return i + 1 < len(text) and not text[i + 1].isspace() and text[i + 1] != "$"


def _closing_dollar(text: str, start: int) -> int | None:
    j = start + 1
    while j < len(text):
        if text[j] == "$" and text[j - 1] != "\\":
            after_ok = j + 1 >= len(text) or not text[j + 1].isdigit()
            if not text[j - 1].isspace() and after_ok:
                return j
        j += 1
    return None


_DECODER = LatexNodes2Text()


@functools.lru_cache(maxsize=4096)
def _decode(latex: str) -> str:
    # pylatexenc knows the accents and symbol macros; an unknown macro decodes to nothing,
    # so it is kept as written instead of silently dropped.
    try:
        decoded = _DECODER.latex_to_text(latex)
    except Exception:  # pylatexenc's parser raises its own assorted errors
        return latex
    return decoded if decoded.strip() else latex.strip()


# The tags latex_to_rich_text writes (the CSL rich text set), and what closes each.
_RICH_TAG = re.compile(
    r'<(?:i|b|sup|sub|span class="nocase"|span style="font-variant:small-caps;")>'
    r"|</(?:i|b|sup|sub|span)>"
)
_LATEX_OPENERS = {
    "<i>": r"\emph{",
    "<b>": r"\textbf{",
    "<sup>": r"\textsuperscript{",
    "<sub>": r"\textsubscript{",
    '<span class="nocase">': "{",
    '<span style="font-variant:small-caps;">': r"\textsc{",
}


def strip_rich_text(text: str) -> str:
    """CSL rich text without its tags: the plain text a processor without markup prints."""
    return _RICH_TAG.sub("", text)


def rich_text_to_latex(text: str, escape: Callable[[str], str]) -> str:
    """CSL rich text as LaTeX: text through ``escape``, tags as the commands they came from.

    The inverse of :func:`latex_to_rich_text` for what BibTeX can say: ``<i>x</i>`` ->
    ``\\emph{x}``, a nocase span -> ``{x}``.
    """
    out: list[str] = []
    position = depth = 0
    for match in _RICH_TAG.finditer(text):
        out.append(escape(text[position : match.start()]))
        tag = match.group()
        if not tag.startswith("</"):
            out.append(_LATEX_OPENERS[tag])
            depth += 1
        elif depth:  # a stray closing tag would unbalance the braces
            out.append("}")
            depth -= 1
        position = match.end()
    out.append(escape(text[position:]))
    return "".join(out) + "}" * depth
