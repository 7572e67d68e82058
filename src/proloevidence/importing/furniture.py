"""Page furniture: the lines a web page prints around its text that are not part of it.

A wiki or a clinic's site copied as a page brings "Jump to navigation", "Last updated 14 March
2024" and a table of contents ("Contents" and the names of the sections below). Read as text
they become headings and statements; :func:`without_furniture` takes them out before the page's
structure is guessed:

- a line that is only a navigation link ("Jump to navigation", "Skip to main content", "Back
  to top", "Print this page", ...) or a dated update notice ("Last updated 14 March 2024",
  "Page last reviewed: 12 May 2023");
- a line "Contents" ("Table of contents", "On this page", "In this article") and the short
  lines after it that the page prints again further down (the headings they list).
"""

from __future__ import annotations

import re

from .page_structure import MAX_HEADING_WORDS, RawBlock

_NAVIGATION = re.compile(
    r"^(?:jump to (?:navigation|search|content|main content)|skip to (?:main )?content|"
    r"skip navigation|back to top|toggle navigation|print(?: this page)?|share(?: this page)?)$",
    re.IGNORECASE,
)
_UPDATED = re.compile(
    r"^(?:page )?(?:last )?(?:updated|modified|edited|reviewed)(?: on)?:?\s+[\w ,./-]{0,30}\d{4}$",
    re.IGNORECASE,
)
_CONTENTS = re.compile(r"^(?:contents|table of contents|on this page|in this article):?$", re.I)


def without_furniture(blocks: list[RawBlock]) -> list[RawBlock]:
    """``blocks`` without the page's furniture (rules in the module docstring)."""
    kept: list[RawBlock] = []
    i = 0
    while i < len(blocks):
        text = blocks[i].text.strip()
        if _NAVIGATION.match(text) or _UPDATED.match(text):
            i += 1
            continue
        if _CONTENTS.match(text):
            i += 1
            while i < len(blocks) and _listed_again(blocks, i):
                i += 1
            continue
        kept.append(blocks[i])
        i += 1
    return kept


def _listed_again(blocks: list[RawBlock], i: int) -> bool:
    """Whether block ``i`` is a short line the page prints again below (a contents entry)."""
    text = blocks[i].text.strip()
    if blocks[i].role == "paragraph" or len(text.split()) > MAX_HEADING_WORDS:
        return False
    folded = text.casefold()
    return any(b.text.strip().casefold() == folded for b in blocks[i + 1 :])
