"""Split a paragraph into sentences and give each the citation markers that belong to it.

A sentence ends at ``.``, ``!``, ``?`` or ``…`` (closing quotes and brackets may follow)
when whitespace and then a capital letter, a digit, an opening quote or bracket, or the
end of the paragraph come next. Not an end: an abbreviation ("e.g.", "i.e.", "et al.",
"Fig.", "vs.", "Dr.", ...), a single capital initial ("J."), a decimal ("2.5", no space),
and a printed step number at the start ("1. Clinical evaluation ...").

Markers (see :func:`proloevidence.text.markers.find_markers`): one inside a sentence or before
its full stop belongs to that sentence; one standing after a full stop belongs to the
sentence before it; markers at the very start of a paragraph, before any text, belong to
whatever came before the paragraph (:attr:`Split.leading`). A sentence's text is printed
without its markers: the marker and the space before it are taken out.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .markers import find_markers

ABBREVIATIONS = frozenset(
    (
        "e.g. i.e. al. cf. vs. viz. fig. figs. dr. drs. mr. mrs. ms. prof. st. no. nos. "
        "approx. ca. eq. eqs. ref. refs. vol. vols. pp. p. jr. sr. ed. eds. u.s. u.k. "
        "ph.d. m.d. d.o. inc. ltd. co. resp. esp. dept. univ. min. max. sec. mo. wk. yr. "
        "jan. feb. mar. apr. jun. jul. aug. sep. sept. oct. nov. dec."
    ).split()
)
"""Words ending in a full stop that do not end a sentence (compared lower-cased)."""

_MASK = "\ue000"  # a private-use character standing in for a marker while splitting
_END = re.compile(rf"[.!?…]+[\"'”’»)\]]*(?:\s*{_MASK}+)*(?=\s+(\S)|\s*$)")
_OPENERS = "\"'“‘«([" + _MASK
_STEP_PREFIX = re.compile(r"^\s*\d{1,3}[.)]$")
_WORD_BEFORE = re.compile(r"(\S+)$")


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text without markers, the markers it owns, and where it starts."""

    text: str
    markers: tuple[str, ...] = ()
    start: int = 0


@dataclass(frozen=True)
class Split:
    """A paragraph's sentences, and markers printed before any of its text."""

    sentences: tuple[Sentence, ...]
    leading: tuple[str, ...] = ()


def split_sentences(text: str, markers: Sequence[re.Match[str]] | None = None) -> Split:
    """Split ``text`` into sentences, each with its markers (rules in the module docstring).

    ``markers`` are the citation markers of ``text`` in order (matches on ``text``), when the
    caller has judged them (a page's importer keeps numbers that read as values in the
    text); by default every marker :func:`find_markers` finds.
    """
    matches = find_markers(text) if markers is None else list(markers)
    masked = list(text)
    for match in matches:
        masked[match.start() : match.end()] = _MASK * (match.end() - match.start())
    masked_text = "".join(masked)

    cuts = [0]
    for end in _END.finditer(masked_text):
        following = end.group(1)
        starts_sentence = following is None or (
            following.isupper() or following.isdigit() or following in _OPENERS
        )
        if starts_sentence and _ends_sentence(masked_text, end.start(), cuts[-1]):
            cuts.append(end.end())
    cuts.append(len(text))

    sentences: list[Sentence] = []
    leading: list[str] = []
    for start, stop in itertools.pairwise(cuts):
        owned = [m for m in matches if start <= m.start() < stop]
        body = _without_markers(text, start, stop, owned)
        printed = [m.group() for m in owned]
        if not re.search(r"\w", body):
            # Only markers (or punctuation): they close whatever came before.
            if sentences:
                last = sentences[-1]
                sentences[-1] = Sentence(last.text, last.markers + tuple(printed), last.start)
            else:
                leading.extend(printed)
            continue
        if not sentences and owned and not text[start : owned[0].start()].strip():
            # "(1-3) Text ..." at the start of a paragraph: the marker stands after the
            # previous paragraph's full stop.
            leading.append(printed.pop(0))
        sentences.append(Sentence(body, tuple(printed), start + _lstrip_len(text, start, stop)))
    return Split(tuple(sentences), tuple(leading))


def _ends_sentence(masked: str, punct: int, sentence_start: int) -> bool:
    """Whether the punctuation at ``punct`` ends the sentence begun at ``sentence_start``."""
    if masked[punct] != ".":
        return True
    before = masked[sentence_start : punct + 1]
    if _STEP_PREFIX.match(before):
        return False  # "1. Clinical evaluation": a printed step number
    word = _WORD_BEFORE.search(before)
    if word is None:
        return True
    token = word.group(1).lstrip("([{\"'“‘«")
    if token.lower() in ABBREVIATIONS:
        return False
    # A single capital initial ("J. Smith", "W. M. Kim") does not end a sentence.
    return not (len(token) == 2 and token[0].isupper())


def _without_markers(text: str, start: int, stop: int, owned: list[re.Match[str]]) -> str:
    pieces: list[str] = []
    position = start
    for match in owned:
        piece = text[position : match.start()]
        pieces.append(piece.rstrip() if piece.strip() else "")
        position = match.end()
        if match.end() < stop and text[match.end()].isspace() and pieces and pieces[-1]:
            # "Studies (2,3) show": keep one space between the words around the marker.
            tail = text[match.end() : stop].lstrip()
            if tail and tail[0].isalnum():
                pieces.append(" ")
    pieces.append(text[position:stop])
    return re.sub(r"\s+", " ", "".join(pieces)).strip()


def _lstrip_len(text: str, start: int, stop: int) -> int:
    segment = text[start:stop]
    return len(segment) - len(segment.lstrip())
