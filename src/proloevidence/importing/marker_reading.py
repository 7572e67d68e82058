"""Which printed numbers on a page are citations, and which are values the text must keep.

:func:`proloevidence.text.markers.find_markers` finds candidates one block at a time; only the
whole page can tell a citation from a number in brackets. A candidate is a citation when:

- every number it names is one the page's reference list prints (otherwise it is text, with
  an ``unknown-reference-number`` note; a page without a list links nothing);
- it is in the page's marker form: on a page whose citations are ``[1]`` (or superscripts),
  a lone ``(5)`` is a number in brackets, not a citation (a form is the page's unless another
  form is used at least five times and four times as often);
- it is not part of a series that reads as values, in one sentence:

  - a scale's anchors, ``never (0), hardly ever (1), sometimes (2)``: consecutive numbers
    with a ``(0)`` among them;
  - score bands, ``mild (5–9), moderate (10–14), moderately severe (15–19)``: three or more
    ranges, each starting where the one before ended;
  - an enumeration, ``because: (1) our aim was ..., and (2) there is ...``: 1, 2, ... each
    followed by a word in lower case, each after the first after a comma, a semicolon,
    "and" or "or".

  Three or more consecutive single numbers in one sentence that are none of these look like
  a scale (``none (1), a little bit (2), somewhat (3)``) and like first citations
  (``deaths (6), ... (7), ... (8)``). They are citations when they continue the page's
  numbering (the first is one more than the highest number cited before them, as lists
  numbered by first citation do); otherwise *doubtful*: kept as text, no link, and a
  ``doubtful-marker`` note with the line. A candidate of a minority form is doubtful too.

- on a page citing in parentheses, a number in parentheses after a word naming a value
  (``question (5)``, ``stage (2)``; :func:`~proloevidence.text.markers.find_markers` leaves
  them out) is a citation when it continues the numbering, otherwise doubtful.

A page with a reference list and no citation in brackets or superscripts may have lost its
superscripts (text copied from HTML): then numbers glued to the end of a word in lower case
(``genotypes1–9``), standing right after its punctuation (``directed.1 Most``) or after a
number's (``in 2009.30 A lower``, ``in 1999,9 as``: not a decimal before a new sentence,
not a group of thousands) are
citations when the list prints them, there are at least three on the page, and each one
is not glued to a word in lower case inside a sentence while naming a reference cited
before (``omega3 does``: doubtful; ``Senegal31 and`` is a citation, as a name carries no
digits of its own).

Pure: text in, decisions out.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Literal

from ..text.markers import find_markers, parse_marker

Verdict = Literal["citation", "value", "unknown", "doubtful"]

_PARENTHESISED = re.compile(r"\((\d{1,3})(?:\s*[-‐‑‒–—−]\s*(\d{1,3}))?\)")
_SENTENCE_END = re.compile(r"[.!?]\s+[A-Z(\[]")
_AFTER_ITEM = re.compile(r"\s+[a-z]")
_BEFORE_ITEM = re.compile(r"(?:[,;]|\band|\bor)\s*$")
# Reference numbers glued to a word ("genotypes1–9") or standing after its punctuation
# ("directed.1 Most"): superscripts a copied HTML page lost. Not after a capital or a digit
# ("CD4", "H37Rv", "2.5") and not inside a word ("omega3s").
_NUMBERS = r"[1-9]\d{0,2}(?:\s?[,‐‑‒–—−-]\s?[1-9]\d{0,2})*"
_BARE = re.compile(
    r"(?:(?<=[a-z]{3})|(?<=[^\W\d_][.,;:])|(?<=[^\W\d_] [.,;:])|(?<=\)[.,;:]))"
    rf"(?:{_NUMBERS})(?=[\s.,;:)]|$)"
)
_PART_BEFORE = re.compile(r"\b(?:fig|figs|figure|table|eq|p|pp|no|vol|ref|refs)\.?\s*$", re.I)
# After a number: "in 2009.30 A lower ..." (a number's full stop, then a new sentence) and
# "in 1999,9 as ..." (one or two digits after a comma: not a group of thousands).
_BARE_AFTER_NUMBER = re.compile(
    rf"(?<=\d\.)(?:{_NUMBERS})(?=\s+[A-Z])|(?<=\d,)[1-9]\d?(?=\s|[.;:)](?!\d))"
)
_WORD_BEFORE = re.compile(r"[^\W\d_]+$")
_PROPER_NOUN = re.compile(r"[A-Z][a-z]{3,}")  # a name carries no digits of its own
_CLAUSE_END = re.compile(r"[.,;:)]|\s*$|\s+[(\[]")  # "membrane40 (Figure 1)" ends a clause
_LOOK_BACK = 40  # characters before a number that can tell what it is
_BARE_AT_LEAST = 3  # a page reads as having lost its superscripts from three such numbers on
_MINORITY_AT_LEAST = 5  # a form used this often makes a rarely used other form doubtful
_MINORITY_RATIO = 4
_SERIES_GAP = 400  # characters between two items of one series, at most


@dataclass(frozen=True)
class Candidate:
    """One candidate marker of a block and the verdict on it; ``reason`` says why in words."""

    match: re.Match[str]
    verdict: Verdict
    reason: str = ""

    @property
    def printed(self) -> str:
        return self.match.group()


@dataclass(frozen=True)
class MarkerReading:
    """The candidates of every block (by block index), each with its verdict."""

    blocks: tuple[tuple[Candidate, ...], ...] = field(default_factory=tuple)

    def citations(self, block: int) -> list[re.Match[str]]:
        """The matches of block ``block`` that are citations, in order."""
        return [c.match for c in self.blocks[block] if c.verdict == "citation"]

    def noted(self, block: int) -> list[Candidate]:
        """The candidates of block ``block`` kept as text that need an editor's eye."""
        return [c for c in self.blocks[block] if c.verdict in ("unknown", "doubtful")]


def form_of(marker: str) -> str:
    """``parentheses``, ``brackets`` or ``superscript``: how a marker is printed."""
    if marker.startswith("("):
        return "parentheses"
    if marker.startswith("["):
        return "brackets"
    return "superscript"


def read_markers(texts: Sequence[str], listed: Collection[int] | None) -> MarkerReading:
    """Judge every candidate marker of a page's blocks (rules in the module docstring).

    ``listed`` is the set of numbers the reference list prints, None when there is no list.
    """
    found = [find_markers(text) for text in texts]
    values = [_series_values(text) for text in texts]
    counts: Counter[str] = Counter()
    for matches, series in zip(found, values, strict=True):
        for match in matches:
            if match.start() not in series and _fits(match.group(), listed):
                counts[form_of(match.group())] += 1
    top = max(counts.values(), default=0)
    minority = {
        form
        for form, count in counts.items()
        if top >= _MINORITY_AT_LEAST and count * _MINORITY_RATIO < top
    }
    page_forms = ", ".join(
        f"{form} ({n})" for form, n in counts.most_common() if form not in minority
    )
    worded = _after_value_words(texts, found, "parentheses" in counts.keys() - minority)
    blocks = []
    highest = 0  # the highest number cited so far, for series that continue the numbering
    for matches, series, words in zip(found, values, worded, strict=True):
        judged = []
        for match in sorted([*matches, *words], key=lambda m: m.start()):
            printed, form = match.group(), form_of(match.group())
            verdict, reason = series.get(match.start(), ("citation", ""))
            if match in words:
                verdict, reason = "doubtful", f"after {_word_before(match)!r}: a value?"
            if verdict == "doubtful" and parse_marker(printed)[0] == highest + 1:
                verdict, reason = "citation", ""  # first citations, in the list's order
            if verdict == "citation" and not _fits(printed, listed):
                verdict, reason = "unknown", "names a number the list does not print"
            elif verdict == "citation" and form in minority:
                verdict = "doubtful"
                reason = f"printed as {form}, while the page's citations are {page_forms}"
            if verdict == "citation":
                highest = max(highest, *parse_marker(printed))
            judged.append(Candidate(match, verdict, reason))
        blocks.append(tuple(judged))
    if not counts and listed:
        blocks = _bare_numbers(texts, blocks, listed)
    return MarkerReading(tuple(blocks))


def _bare_numbers(
    texts: Sequence[str], blocks: list[tuple[Candidate, ...]], listed: Collection[int]
) -> list[tuple[Candidate, ...]]:
    """A page that lost its superscripts: "genotypes1–9.", "directed.1 Most" (module doc)."""
    found = [
        sorted([*_BARE.finditer(text), *_BARE_AFTER_NUMBER.finditer(text)], key=lambda m: m.start())
        for text in texts
    ]
    if sum(map(len, found)) < _BARE_AT_LEAST:
        return blocks
    out = []
    highest = 0
    for text, matches, judged in zip(texts, found, blocks, strict=True):
        taken = bytearray(len(text) + 1)  # characters of candidates already judged
        for c in judged:
            taken[c.match.start() : c.match.end()] = b"\x01" * (c.match.end() - c.match.start())
        bare = []
        for match in matches:
            if any(taken[match.start() : match.end()]):
                continue
            before = text[max(0, match.start() - _LOOK_BACK) : match.start()]
            if _PART_BEFORE.search(before):
                continue  # "Fig.2"
            numbers = parse_marker(match.group())
            if not all(n in listed for n in numbers):
                continue  # "omega3" on a page without reference 3: a word, said nothing
            word = _WORD_BEFORE.search(before)
            inside = word is not None and not _CLAUSE_END.match(text, match.end())
            named = word is not None and _PROPER_NOUN.fullmatch(word.group())
            if inside and min(numbers) <= highest and not named:
                # Glued to a word inside a sentence and cited before ("omega3 does"): perhaps
                # the word's own digit. New numbers there, numbers on a name ("Senegal31
                # and"), at a clause's end or after its punctuation are citations.
                reason = "bare digits that may be part of a word, not a lost superscript"
                bare.append(Candidate(match, "doubtful", reason))
                continue
            highest = max(highest, *numbers)
            bare.append(Candidate(match, "citation"))
        out.append(tuple(sorted((*judged, *bare), key=lambda c: c.match.start())))
    return out


def _after_value_words(
    texts: Sequence[str], found: list[list[re.Match[str]]], parentheses_cite: bool
) -> list[list[re.Match[str]]]:
    """Per block, "(5)" after a word naming a value ("question (5)", "stage (2)"): candidates
    only on a page whose citations are in parentheses (elsewhere they are plainly values)."""
    if not parentheses_cite:
        return [[] for _ in texts]
    out = []
    for text, matches in zip(texts, found, strict=True):
        starts = {m.start() for m in matches}
        worded = find_markers(text, after_value_words=True)
        out.append([m for m in worded if m.start() not in starts and m.group()[0] == "("])
    return out


def _word_before(match: re.Match[str]) -> str:
    words = match.string[max(0, match.start() - 24) : match.start()].split()
    return words[-1] if words else ""


def _fits(marker: str, listed: Collection[int] | None) -> bool:
    return listed is not None and all(n in listed for n in parse_marker(marker))


def _series_values(text: str) -> dict[int, tuple[Verdict, str]]:
    """Positions of parenthesised numbers that belong to a series of values, with why."""
    items = list(_PARENTHESISED.finditer(text))
    out: dict[int, tuple[Verdict, str]] = {}
    run: list[re.Match[str]] = []
    for item in [*items, None]:
        if item is not None and run and _continues(text, run[-1], item):
            run.append(item)
            continue
        if len(run) >= 2:
            verdict = _judge_series(text, run)
            if verdict is not None:
                for m in run:
                    out[m.start()] = verdict
        run = [item] if item is not None else []
    return out


def _bounds(item: re.Match[str]) -> tuple[int, int]:
    low = int(item.group(1))
    return low, int(item.group(2)) if item.group(2) else low


def _continues(text: str, previous: re.Match[str], item: re.Match[str]) -> bool:
    gap = text[previous.end() : item.start()]
    if len(gap) > _SERIES_GAP or _SENTENCE_END.search(gap):
        return False
    ranged = (previous.group(2) is not None, item.group(2) is not None)
    return ranged[0] == ranged[1] and _bounds(item)[0] == _bounds(previous)[1] + 1


def _judge_series(text: str, run: list[re.Match[str]]) -> tuple[Verdict, str] | None:
    starts = [_bounds(m)[0] for m in run]
    if run[0].group(2) is not None:
        return ("value", "score bands") if len(run) >= 3 else None
    if 0 in starts:
        return "value", "the anchors of a scale"
    enumerated = (
        starts[0] == 1
        and all(_AFTER_ITEM.match(text, m.end()) for m in run)
        and all(_BEFORE_ITEM.search(text[a.end() : b.start()]) for a, b in itertools.pairwise(run))
    )
    if enumerated:
        return "value", "an enumeration"
    if len(run) >= 3:
        return "doubtful", "a numbered series (a scale's anchors or first citations?)"
    return None
