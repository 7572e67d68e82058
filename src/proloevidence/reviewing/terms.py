"""What a statement and its source's record share, word by word, for highlighting.

A plain term overlap, meant to guide the eye, never to judge: a statement's key terms are
its words of three letters or more that are not common function words, each reduced by a
few English suffix rules (``injections`` and ``injection`` meet, ``ligamentous`` and
``ligament`` do not). The measured relevance signal is another matter (docs/audit.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")

STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers him his how however i if in
    into is it its itself may might more most much must no nor not of off often on once
    only or other our out over own per same she should so some such than that the their
    them then there these they this those through thus to too under until up upon very
    was we were what when where which while who whom why will with within without would
    you your used use using may can well including include includes particularly potentially
    """.split()
)
"""Words that carry no topic; a statement's other words are its key terms."""


def stem(word: str) -> str:
    """A crude English stem, the same for a word's common inflections: lower case, then a
    plural, ``-ing``, ``-ed`` or ``-ly`` removed and a final ``e`` dropped (``studies`` and
    ``study`` give ``study``; ``cases``, ``case`` and ``cased`` give ``cas``)."""
    w = word.casefold().replace("’", "'").removesuffix("'s")
    if w.endswith("ies") and len(w) >= 6:
        return w[:-3] + "y"
    if w.endswith(("sses", "xes", "zes", "ches", "shes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) >= 5:
        w = w[:-1]
    else:
        for suffix in ("ing", "ed", "ly"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                w = w[: -len(suffix)]
                break
    return w[:-1] if w.endswith("e") and len(w) >= 4 else w


def key_terms(text: str) -> set[str]:
    """The stems of the statement's key terms."""
    return {
        stem(w)
        for w in _WORD.findall(text)
        if len(w) >= 3 and w.casefold() not in STOP_WORDS and not w.isdigit()
    }


def shared_terms(statement: str, record_texts: Iterable[str]) -> set[str]:
    """The statement's key terms that appear in any of ``record_texts`` (title, abstract,
    MeSH headings)."""
    found: set[str] = set()
    for text in record_texts:
        found |= key_terms(text)
    return key_terms(statement) & found


def segments(text: str, terms: set[str]) -> list[tuple[str, bool]]:
    """``text`` cut into runs, each marked True where it is one of ``terms`` (by stem);
    joined, the runs give ``text`` back exactly."""
    out: list[tuple[str, bool]] = []
    position = 0
    for match in _WORD.finditer(text):
        word = match.group(0)
        if len(word) >= 3 and word.casefold() not in STOP_WORDS and stem(word) in terms:
            if match.start() > position:
                out.append((text[position : match.start()], False))
            out.append((word, True))
            position = match.end()
    if position < len(text):
        out.append((text[position:], False))
    return out
