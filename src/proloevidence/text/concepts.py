"""A statement's key concepts, and which of them another text shares.

A concept is a content word reduced to its stem with the Snowball English stemmer
(``snowballstemmer``): "injections", "injected" and "injecting" are one concept, ``inject``.
Function words and the generic vocabulary of any clinical paper ("patients", "study",
"results", "significant", ...) are not concepts: a statement and an unrelated abstract
share those by chance. British and American spellings are folded first ("randomised",
"haemorrhage", "oedema" as "randomized", "hemorrhage", "edema"), so both stem alike.

Pure and deterministic; :mod:`proloevidence.auditing.relevance` uses it to ask whether a
source is on the statement's topic.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

_FUNCTION_WORDS = """
a about above after again against all almost along also although always am among an and
another any are around as at be because been before being below between both but by can
cannot could did do does doing done down during each either else enough etc even ever every
for from further had has have having he her here hers herself him himself his how however i
if in into is it its itself just least less many may me might more most much must my myself
neither no nor not now of off often on once one only onto or other others otherwise our ours
ourselves out over own per perhaps quite rather same several shall she should since so some
such than that the their theirs them themselves then there therefore these they this those
though through thus to too toward towards under until up upon us very via was we well were
what whatever when where whereas whether which while who whom whose why will with within
without would yet you your yours yourself
"""

# The vocabulary any abstract or patient page uses whatever its topic (and the section labels
# of structured abstracts): sharing these says nothing about whether a source is on topic.
_GENERIC_WORDS = """
ability able according achieve achieved across addition additional adult adults affect affected
age aged aim aims already among analysed analyses analysis analyzed approach approaches area
areas article assess assessed assessment associated association available average background
based baseline basis becomes benefit benefits best better body care case cases cause caused
causes certain change changes characteristic characteristics clinical clinically common
commonly compare compared comparison conclusion conclusions condition conditions consider
considered control controlled controls current currently data day days decrease decreased
demonstrate demonstrated describe described design detect detected determine determined develop
developed development difference differences different discuss discussed discussion disease
diseases drug drugs due early effect effective effectively effects efficacy especially evaluate
evaluated evaluation evidence examine examined example factor factors find finding findings
first follow followed following found four further general given good greater group groups
health healthy help high higher however human humans identified identify impact important
improve improved improvement improvements include included includes including increase
increased increases increasing indicate indicated individual individuals influence information
introduction investigate investigated investigation involved issue issues known large larger
last later lead leading level levels likely limited long low lower main major make makes
management mean measure measured measures medical method methods months new normal number
numbers objective observed obtained occur often outcome outcomes overall paper part
participants particular particularly patient patients people percent performed period person
persons point possible potential potentially present presented previous previously primary
problem problems process proposed provide provided provides purpose range rate rates recent
recently reduce reduced reduction related relationship remain report reported reports research
result resulted results review reviewed risk role science scientific score scores second see
seen severe severity show showed shown shows significant significantly similar small specific
statistically studied studies study subject subjects suggest suggested suggests support
supported system systems take taken term terms test tested therapy three time times total treat
treated treatment treatments trial trials two type types understanding use used useful uses
using usually value values various week weeks whole work year years
"""

STOP_WORDS = frozenset((_FUNCTION_WORDS + _GENERIC_WORDS).split())
"""Words that are never key concepts (lower case, as written)."""

# Words: letters and digits, split at hyphens and apostrophes ("platelet-rich" -> two).
_WORD = re.compile(r"[^\W_]+")
_SPELLINGS = (
    (re.compile(r"(?<=[a-z])is(e|ed|es|ing|ation|ations)$"), r"iz\1"),
    (re.compile(r"(?<=[a-z])ys(e|ed|es|ing)$"), r"yz\1"),
    (re.compile(r"ae"), "e"),
    (re.compile(r"(?:^|(?<=[^aeiou]))oe(?=[a-z])"), "e"),
)
_LOCK = threading.Lock()  # a Snowball stemmer object is not safe to share between threads
_STEMMER = snowballstemmer.stemmer("english")


@dataclass(frozen=True)
class Concept:
    """One key concept: its stem and the word as the text first wrote it."""

    stem: str
    word: str


def words(text: str) -> list[str]:
    """The words of ``text`` in order, as written (hyphenated words as their parts)."""
    return _WORD.findall(text)


def spans(text: str) -> Iterator[tuple[int, int]]:
    """Where each word of ``text`` starts and ends, the words being those of :func:`words`."""
    return (match.span() for match in _WORD.finditer(text))


def stem(word: str) -> str:
    """The concept a word names: lower-cased, spelling folded, Snowball-stemmed."""
    return _stem(word.casefold())


@lru_cache(maxsize=65536)
def _stem(lowered: str) -> str:
    folded = lowered
    for pattern, replacement in _SPELLINGS:
        folded = pattern.sub(replacement, folded)
    with _LOCK:
        result: str = _STEMMER.stemWord(folded)
    return result


def is_concept_word(word: str) -> bool:
    """True when ``word`` can name a key concept: not a stop word, not a bare number, and
    at least three characters (or a short term mixing letters and digits, like "IL6")."""
    lowered = word.casefold()
    if lowered in STOP_WORDS or lowered.isdigit():
        return False
    return len(lowered) >= 3 or (any(c.isdigit() for c in lowered) and len(lowered) > 1)


@lru_cache(maxsize=4096)
def key_concepts(text: str) -> tuple[Concept, ...]:
    """The key concepts of ``text``, once each, in order of first appearance."""
    seen: dict[str, Concept] = {}
    for word in words(text):
        if not is_concept_word(word):
            continue
        concept = stem(word)
        if concept not in seen and concept.casefold() not in STOP_WORDS:
            seen[concept] = Concept(concept, word)
    return tuple(seen.values())


def stems(texts: Iterable[str]) -> frozenset[str]:
    """Every stem of the words of ``texts`` (stop words included: matching is by concept)."""
    return frozenset(stem(w) for text in texts for w in words(text))


def shared(concepts: Iterable[Concept], texts: Iterable[str]) -> tuple[Concept, ...]:
    """The concepts that occur (by stem) in any of ``texts``, in the concepts' order."""
    found = stems(texts)
    return tuple(c for c in concepts if c.stem in found)
