"""Printed citation markers: ``(1-3)``, ``[4,5]``, ``[1–3]``, ``[1]–[3]``, ``¹⁻³`` and back.

:func:`parse_marker` reads a marker into the reference numbers it names;
:func:`find_markers` finds markers in running text;
:func:`format_marker` writes numbers as a marker, collapsing runs of three or more
(``1,2,3`` -> ``1-3``; ``4,5`` stays ``4,5``, as AMA and Vancouver print them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

MarkerStyle = Literal["parentheses", "brackets", "superscript", "plain"]
MARKER_STYLES: tuple[MarkerStyle, ...] = ("parentheses", "brackets", "superscript", "plain")

_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻‐–,", "0123456789---,")
_SUPER_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_DASHES = "-‐‑‒–—−"
# ASCII digits, at most nine: int() of "١٢" or of 5,000 digits is not a reference number.
_ITEM = re.compile(rf"^([0-9]{{1,9}})\s*(?:[{_DASHES}]\s*([0-9]{{1,9}}))?$")
_MAX_RANGE = 1000
_MAX_NUMBERS = 1000  # "1-1000,1-1000,..." must not expand a short string into millions.

# Escaped: in "[,-‐]" the hyphen would make a range from "," to "‐" that takes digits too.
_SEPARATOR = "[," + re.escape(_DASHES) + "]"
_NUMBER = r"[1-9]\d{0,2}"  # 1 to 999: a reference number; "(2010)" or "(01)" is prose
_SUP_NUMBER = rf"[¹²³⁴⁵⁶⁷⁸⁹][{_SUPER_DIGITS}]{{0,2}}(?![{_SUPER_DIGITS}])"
_BRACKETED = rf"\[\s*{_NUMBER}(?:\s*{_SEPARATOR}\s*{_NUMBER})*\s*\]"
# PLoS and IEEE print a range as two markers, "[4]–[7]", and a list as "[6], [7]".
_BETWEEN_BRACKETS = re.compile(rf"\]\s*([,{re.escape(_DASHES)}])\s*\[")
MARKER_PATTERN = re.compile(
    rf"(?:\(\s*{_NUMBER}(?:\s*{_SEPARATOR}\s*{_NUMBER})*\s*\)"
    rf"|{_BRACKETED}(?:\s*{_SEPARATOR}\s*{_BRACKETED})*"
    rf"|(?<![\d{_SUPER_DIGITS}⁻⁺]){_SUP_NUMBER}(?:[⁻,\-‐–]{_SUP_NUMBER})*)"
)
"""Finds candidate markers in running text; :func:`find_markers` applies the rules of prose.

A candidate is a parenthesised or bracketed list of whole numbers from 1 to 999 (ranges with
hyphens or dashes, commas between; bracketed ones may be chained, ``[4]–[7]``, ``[6], [7]``),
or a run of superscript digits. Words, decimals, years
and other four-digit numbers, and numbers with a leading zero are never markers, so
``(entheses)``, ``(SI)``, ``(e.g., knee)``, ``(2010)``, ``(3.5)`` and ``(0.05)`` stay text.
A superscript right after a digit or a superscript sign (``10⁶``, ``cm⁻¹``) is an exponent,
not a marker.
"""

# A number in parentheses right after one of these words names a figure, a step or a grade
# ("Table (2)", "stage (3)"), not a source. Square brackets are what citations use, so after
# a word that names a value ("stage [7]", "question [5]") they stay markers; only the parts
# of a document ("Fig. [3]", "Table [2]") keep them prose. A superscript after a unit is a
# power ("cm²"), and one right before a letter is an isotope's mass number ("¹⁴C").
_DOCUMENT_PARTS = (
    r"fig|figs|figure|figures|table|tables|step|steps|chapter|section|page|pages|pp|p|"
    r"appendix|box|eq|equation"
)
_PROSE_BEFORE = re.compile(
    rf"(?:\b(?:{_DOCUMENT_PARTS}|stage|grade|type|level|phase|class|item|part|question|no|"
    r"number|version)"
    r"\.?\s*)$",
    re.IGNORECASE,
)
_PART_BEFORE = re.compile(rf"(?:\b(?:{_DOCUMENT_PARTS})\.?\s*)$", re.IGNORECASE)
_UNIT_BEFORE = re.compile(r"(?:^|[\s(/])(?:m|cm|mm|km|dm|nm|µm|μm|ft|in|kg|g|s)$")


class MarkerError(ValueError):
    """The text is not a citation marker; the message says which part is wrong."""


def parse_marker(marker: str) -> tuple[int, ...]:
    """Return the reference numbers a printed marker names, in printed order, ranges expanded.

    Accepts parentheses, brackets (also chained as PLoS prints them: ``[4]–[7]`` names 4 to
    7, ``[6], [7]`` names 6 and 7), superscripts or bare lists; hyphens and en dashes for
    ranges; spaces anywhere. Raises :class:`MarkerError` for anything else, for a number
    below 1, and for a descending or absurdly long range.
    """
    text = marker.strip()
    if not text:
        raise MarkerError("empty citation marker")
    if any(ch in _SUPER_DIGITS for ch in text):
        text = text.translate(_SUPERSCRIPT)
    elif (text[0], text[-1]) in {("(", ")"), ("[", "]")}:
        text = _BETWEEN_BRACKETS.sub(lambda m: "," if m.group(1) == "," else "-", text[1:-1])
    numbers: list[int] = []
    for item in text.split(","):
        match = _ITEM.match(item.strip())
        if not match:
            raise MarkerError(f"{marker!r} is not a citation marker: cannot read {item.strip()!r}")
        start = int(match.group(1))
        end = int(match.group(2)) if match.group(2) else start
        if start < 1:
            raise MarkerError(f"{marker!r}: reference numbers start at 1")
        if end < start:
            raise MarkerError(f"{marker!r}: range {start}-{end} runs backwards")
        if end - start > _MAX_RANGE:
            raise MarkerError(f"{marker!r}: range {start}-{end} is too long")
        numbers.extend(range(start, end + 1))
        if len(numbers) > _MAX_NUMBERS:
            raise MarkerError(f"{marker[:40]!r}...: names more than {_MAX_NUMBERS} references")
    return tuple(numbers)


def find_markers(text: str, *, after_value_words: bool = False) -> list[re.Match[str]]:
    """The citation markers in running text, in order, with their positions.

    Every :data:`MARKER_PATTERN` candidate that :func:`parse_marker` accepts, except a
    number in parentheses right after a word such as "Table", "Fig.", "step" or "grade"
    (``Table (2)``; in square brackets only after a part of a document: ``Fig. [3]``), a
    superscript right after a unit (``cm²``) or right before a letter (``¹⁴C``): those are
    prose. Whether a candidate is a citation on a given page (its numbers in the page's list,
    its form the page's) is the importer's call, not this function's.

    ``after_value_words`` keeps the candidates in parentheses after a word that names a
    value (``stage (2)``, ``question (5)``) for a caller who can tell them apart; those
    after a part of a document (``Table (2)``) are never kept.
    """
    found: list[re.Match[str]] = []
    for match in MARKER_PATTERN.finditer(text):
        before = text[max(0, match.start() - 24) : match.start()]
        opening = match.group()[0]
        if opening in _SUPER_DIGITS:
            if _UNIT_BEFORE.search(before) or text[match.end() : match.end() + 1].isalpha():
                continue
        elif (_PART_BEFORE if opening == "[" or after_value_words else _PROSE_BEFORE).search(
            before
        ):
            continue
        try:
            parse_marker(match.group())
        except MarkerError:
            continue  # "(3-1)": runs backwards, so it is not a marker the page meant
        found.append(match)
    return found


def collapse(numbers: Iterable[int]) -> str:
    """``[1, 2, 3, 5]`` -> ``"1-3,5"``; duplicates dropped, sorted; runs of 3+ become ranges."""
    ordered = sorted(set(numbers))
    parts: list[str] = []
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        if j - i >= 2:
            parts.append(f"{ordered[i]}-{ordered[j]}")
        else:
            parts.extend(str(n) for n in ordered[i : j + 1])
        i = j + 1
    return ",".join(parts)


def format_marker(numbers: Iterable[int], style: MarkerStyle = "parentheses") -> str:
    """Write numbers as a marker in ``style``: ``(1-3)``, ``[1-3]``, ``¹⁻³`` or ``1-3``.

    A style outside :data:`MARKER_STYLES` is a ValueError naming them, never bare numbers.
    """
    if style not in MARKER_STYLES:
        raise ValueError(f"marker style must be one of {', '.join(MARKER_STYLES)}, not {style!r}")
    body = collapse(numbers)
    if not body:
        return ""
    if style == "parentheses":
        return f"({body})"
    if style == "brackets":
        return f"[{body}]"
    if style == "superscript":
        return body.translate(str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻"))
    return body
