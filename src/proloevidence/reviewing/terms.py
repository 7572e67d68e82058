"""Where the review page marks the concepts a statement shares with its source's record.

Which concepts are shared is not decided here: it is the audit's relevance signal,
:func:`proloevidence.auditing.relevance.shared_concepts` (stop words dropped, words stemmed
by Snowball in :mod:`proloevidence.text.concepts`), so the page marks and lists exactly what
the audit counts and can never disagree with its ``source-off-topic`` finding. This module
only finds those concepts again in the texts, word by word, for ``<mark>``.
"""

from __future__ import annotations

from collections.abc import Collection

from ..auditing.relevance import Relevance
from ..text.concepts import is_concept_word, spans, stem


def shared_stems(relevance: Relevance | None) -> frozenset[str]:
    """The stems of the concepts the record shares (a concept's word stems to its concept,
    :func:`proloevidence.text.concepts.key_concepts`); none without a record."""
    return frozenset(stem(word) for word in relevance.shared) if relevance else frozenset()


def segments(
    text: str, stems: Collection[str], *, statement: bool = False
) -> list[tuple[str, bool]]:
    """``text`` cut into runs, each marked True where it is a word whose stem is one of
    ``stems``; joined, the runs give ``text`` back exactly.

    In a record's text any word of a shared stem is marked, as the audit matches any word of
    the record; in the ``statement``, only the words that are key concepts (a stop word of
    the same stem was not what the audit counted).
    """
    out: list[tuple[str, bool]] = []
    position = 0
    for start, end in spans(text):
        word = text[start:end]
        if stem(word) not in stems or (statement and not is_concept_word(word)):
            continue
        if start > position:
            out.append((text[position:start], False))
        out.append((word, True))
        position = end
    if position < len(text):
        out.append((text[position:], False))
    return out
