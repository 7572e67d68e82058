"""Is a cited source on the statement's topic? A signal for the editor, never a verdict.

:func:`shared_concepts` compares a statement's key concepts
(:mod:`proloevidence.text.concepts`: stop words dropped, words stemmed) with the source's
record: its title, abstract and MeSH headings (the descriptor names the record keeps, each a
set of words: "Injections, Intra-Articular" lends "injection" and "articular"). A link whose
source shares none of them is reported as the info finding ``source-off-topic``, which the
review queue puts first (:func:`proloevidence.reviewing.review_queue.off_topic_first`).

It judges only records that carry an abstract or MeSH headings: a title alone is a dozen
words, and a source whose title shares no word with the statement is common and fine.
Links an editor has already assessed are not reported: the editor has read the source.
How well it separates on-topic from crossed pairs: docs/audit.md, ``benchmarks/relevance.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..kb.knowledge_base import KnowledgeBase
from ..model import AssessmentStatus, Citation, Claim, Finding
from ..text.concepts import Concept, key_concepts, stems
from ..verification import Record, VerificationResult
from . import finding_codes as fc

FIELDS = ("title", "abstract", "mesh")
"""The parts of a record a concept can be found in, in the order they are reported."""


@dataclass(frozen=True)
class Relevance:
    """Which of a statement's key concepts a source's record shares, and where.

    ``concepts`` are the statement's key concepts (words as the statement writes them);
    ``shared`` those the record shares; ``where`` maps each shared word to the record's
    parts that have it (``title``, ``abstract``, ``mesh``). ``judged`` is False when the
    record has neither abstract nor MeSH headings: then nothing is concluded.
    """

    concepts: tuple[str, ...]
    shared: tuple[str, ...]
    where: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    judged: bool = True

    @property
    def off_topic(self) -> bool:
        """True when the record was judged and shares none of the statement's concepts."""
        return self.judged and bool(self.concepts) and not self.shared

    def as_dict(self) -> dict[str, Any]:
        return {
            "concepts": list(self.concepts),
            "shared": list(self.shared),
            "where": {k: list(v) for k, v in self.where.items()},
            "judged": self.judged,
            "off_topic": self.off_topic,
        }


def shared_concepts(claim: Claim | str, record: Record) -> Relevance:
    """Which of the statement's key concepts the record's title, abstract and MeSH share.

    ``claim`` is a statement or its text. Pure; the review queue calls it for each link.
    """
    text = claim if isinstance(claim, str) else claim.text
    concepts = key_concepts(text)
    parts = _record_stems(record.title, record.abstract, record.mesh_headings)
    found: dict[str, list[str]] = {}
    for name, stems_of_part in zip(FIELDS, parts, strict=True):
        for concept in concepts:
            if concept.stem in stems_of_part:
                found.setdefault(concept.word, []).append(name)
    return Relevance(
        concepts=_words(concepts),
        shared=tuple(c.word for c in concepts if c.word in found),
        where={word: tuple(names) for word, names in found.items()},
        judged=bool(record.abstract.strip() or record.mesh_headings),
    )


@lru_cache(maxsize=1024)
def _record_stems(
    title: str, abstract: str, mesh: tuple[str, ...]
) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    # A source cited by many statements is read once, not once per link.
    return stems([title]), stems([abstract]), stems(mesh)


def _words(concepts: tuple[Concept, ...]) -> tuple[str, ...]:
    return tuple(c.word for c in concepts)


def relevance_findings(
    kb: KnowledgeBase, claim: Claim, results: Mapping[str, VerificationResult]
) -> list[Finding]:
    """A ``source-off-topic`` finding for each unreviewed link whose source shares nothing.

    ``results`` are the verification results that still fit their references; a link
    whose reference has no record (unverified, not found) is not judged.
    """
    out: list[Finding] = []
    sid = kb.claim_id(claim)
    for citation in claim.citations:
        result = results.get(citation.ref)
        if result is None or result.record is None:
            continue
        if citation.assessment.status is not AssessmentStatus.UNREVIEWED:
            continue
        if not (result.record.abstract.strip() or result.record.mesh_headings):
            continue  # a title alone is not judged (shared_concepts would say so, slower)
        relevance = shared_concepts(claim, result.record)
        if not reports_off_topic(citation, relevance):
            continue
        out.append(
            fc.make(
                "source-off-topic",
                sid,
                off_topic_message(citation.ref, relevance),
                {"ref": citation.ref, "concepts": list(relevance.concepts)},
                location=citation.location or claim.location,
            )
        )
    return out


def reports_off_topic(citation: Citation, relevance: Relevance) -> bool:
    """True when the audit reports the link ``source-off-topic``: its source was judged and
    shares none of the statement's concepts, and no editor has assessed the link yet.

    ``relevance`` is :func:`shared_concepts` of the link's statement and its source's
    record; the review page asks this too, so it shows the finding exactly when the audit
    reports it.
    """
    return relevance.off_topic and citation.assessment.status is AssessmentStatus.UNREVIEWED


def off_topic_message(ref: str, relevance: Relevance) -> str:
    """The ``source-off-topic`` finding's message for the source ``ref``."""
    listed = ", ".join(relevance.concepts[:8]) + ("..." if len(relevance.concepts) > 8 else "")
    return (
        f"{ref}'s title, abstract and MeSH headings share none of the statement's key "
        f"concepts ({listed})"
    )
