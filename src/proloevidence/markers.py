"""Printed citation markers: ``(1-3)``, ``[4,5]``, ``[1–3]``, ``¹⁻³`` and back.

:func:`parse_marker` reads a marker into the reference numbers it names;
:func:`format_marker` writes numbers as a marker, collapsing runs of three or more
(``1,2,3`` -> ``1-3``; ``4,5`` stays ``4,5``, as AMA and Vancouver print them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

MarkerStyle = Literal["parentheses", "brackets", "superscript", "plain"]

_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻‐–,", "0123456789---,")
_SUPER_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_DASHES = "-‐‑‒–—−"
# ASCII digits, at most nine: int() of "١٢" or of 5,000 digits is not a reference number.
_ITEM = re.compile(rf"^([0-9]{{1,9}})\s*(?:[{_DASHES}]\s*([0-9]{{1,9}}))?$")
_MAX_RANGE = 1000
_MAX_NUMBERS = 1000  # "1-1000,1-1000,..." must not expand a short string into millions.

MARKER_PATTERN = re.compile(
    rf"(?:\(\s*\d+(?:\s*[,{_DASHES}]\s*\d+)*\s*\)"
    rf"|\[\s*\d+(?:\s*[,{_DASHES}]\s*\d+)*\s*\]"
    rf"|[{_SUPER_DIGITS}]+(?:[⁻,‐–][{_SUPER_DIGITS}]+)*)"
)
"""Finds markers in running text (used by the page importer)."""


class MarkerError(ValueError):
    """The text is not a citation marker; the message says which part is wrong."""


def parse_marker(marker: str) -> tuple[int, ...]:
    """Return the reference numbers a printed marker names, in printed order, ranges expanded.

    Accepts parentheses, brackets, superscripts or bare lists; hyphens and en dashes for
    ranges; spaces anywhere. Raises :class:`MarkerError` for anything else, for a number
    below 1, and for a descending or absurdly long range.
    """
    text = marker.strip()
    if not text:
        raise MarkerError("empty citation marker")
    if any(ch in _SUPER_DIGITS for ch in text):
        text = text.translate(_SUPERSCRIPT)
    elif (text[0], text[-1]) in {("(", ")"), ("[", "]")}:
        text = text[1:-1]
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
    """Write numbers as a marker in ``style``: ``(1-3)``, ``[1-3]``, ``¹⁻³`` or ``1-3``."""
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
