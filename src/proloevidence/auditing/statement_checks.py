"""Checks on each statement: its support, the state of its sources, and the strength of evidence.

Used by :func:`proloevidence.auditing.audit`; pure functions over the knowledge base, the
references' verification statuses and their grades (:mod:`proloevidence.auditing.evidence_grades`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..kb.knowledge_base import KnowledgeBase
from ..model import AssessmentStatus, Citation, Claim, Finding, SourceLocation
from ..verification import Status, sources_state
from . import finding_codes as fc
from .evidence_grades import Grade, says_randomised, strong_words

STATEMENT_STATUSES = ("backed", "questionable", "unverified", "unsupported", "not-required")
"""A statement's status in the report, from best to worst-known; see docs/audit.md."""

EVIDENCE_KINDS = frozenset({"efficacy", "safety"})
"""Statement kinds whose sources must be more than reviews, editorials or hypotheses."""


@dataclass(frozen=True)
class Cell:
    """One link of the statement x source matrix: relation, assessment, verification status."""

    key: str
    relation: str
    assessment: str
    status: str
    level: int | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "ref": self.key,
            "relation": self.relation,
            "assessment": self.assessment,
            "verification": self.status,
            "level": self.level,
        }


@dataclass(frozen=True)
class StatementRow:
    """A statement with its status in the audit and its links (cells), in page order.

    ``status`` is one of :data:`STATEMENT_STATUSES`; ``level`` is the best evidence level
    among the sources backing it (None when none is graded).
    """

    id: str
    document: str
    section: tuple[str, ...]
    kind: str
    text: str
    marker: str | None
    requires_support: bool
    status: str
    level: int | None
    cells: tuple[Cell, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "document": self.document,
            "section": list(self.section),
            "kind": self.kind,
            "text": self.text,
            "marker": self.marker,
            "requires_support": self.requires_support,
            "status": self.status,
            "level": self.level,
            "citations": [c.as_dict() for c in self.cells],
        }


def audit_claim(
    kb: KnowledgeBase, claim: Claim, statuses: Mapping[str, Status], grades: Mapping[str, Grade]
) -> tuple[StatementRow, list[Finding], int]:
    """A statement's row, its findings, and how many of its supporting links are unreviewed.

    A link an editor assessed ``not-supported`` does not back the statement, whatever
    its relation says.
    """
    sid = kb.claim_id(claim)
    where = claim.location
    out: list[Finding] = []
    linked = [c for c in claim.citations if c.ref in kb.references]
    support = [c for c in linked if c.relation.is_support]
    for c in linked:
        if c.assessment.status is AssessmentStatus.NOT_SUPPORTED:
            detail = {"ref": c.ref, "relation": c.relation.value}
            for name in ("reviewer", "locator", "note"):
                if getattr(c.assessment, name):
                    detail[name] = getattr(c.assessment, name)
            if c.assessment.date:
                detail["date"] = c.assessment.date.isoformat()
            out.append(
                fc.make(
                    "assessed-not-supported",
                    sid,
                    f"{c.ref} was read and does not support the statement",
                    detail,
                    location=c.location or where,
                )
            )
    backing = [c for c in support if c.assessment.status is not AssessmentStatus.NOT_SUPPORTED]
    unreviewed = [c.ref for c in support if c.assessment.status is AssessmentStatus.UNREVIEWED]
    if unreviewed:
        out.append(
            fc.make(
                "support-unreviewed",
                sid,
                f"nobody has read {', '.join(unreviewed)} against this statement",
                {"refs": unreviewed},
                location=where,
            )
        )
    if claim.requires_support and not claim.is_supported:
        cited = [f"{c.ref} ({c.relation.value})" for c in linked]
        message = "needs a source and cites none" + (
            f"; it cites only {', '.join(cited)}" if cited else ""
        )
        out.append(fc.make("unsupported", sid, message, {"kind": claim.kind}, location=where))
    questionable = [c.ref for c in backing if statuses[c.ref].is_questionable]
    why = {ref: statuses[ref].value for ref in questionable}
    if backing and len(questionable) == len(backing):
        out.append(
            fc.make(
                "questionable-support",
                sid,
                "every source backing it is questionable: " + _reasons(why),
                {"refs": why},
                location=where,
            )
        )
    elif questionable:
        out.append(
            fc.make(
                "partly-questionable-support",
                sid,
                "it rests partly on questionable sources: " + _reasons(why),
                {"refs": why},
                location=where,
            )
        )
    # A questionable source is no evidence: judge strength on the sound ones only.
    sound = [c for c in backing if not statuses[c.ref].is_questionable]
    out.extend(_evidence_findings(sid, claim, sound, grades, where))

    levels = [grades[c.ref].level for c in sound if grades[c.ref].level is not None]
    row = StatementRow(
        id=sid,
        document=claim.document,
        section=claim.section,
        kind=claim.kind,
        text=claim.text,
        marker=claim.marker,
        requires_support=claim.requires_support,
        status=_statement_status(claim, backing, statuses),
        level=min(lv for lv in levels if lv is not None) if levels else None,
        cells=tuple(
            Cell(
                c.ref,
                c.relation.value,
                c.assessment.status.value,
                statuses[c.ref].value,
                grades[c.ref].level,
            )
            for c in linked
        ),
    )
    return row, out, len(unreviewed)


def _reasons(why: Mapping[str, str]) -> str:
    return ", ".join(f"{ref} ({status.replace('_', ' ')})" for ref, status in why.items())


def _statement_status(
    claim: Claim, backing: Sequence[Citation], statuses: Mapping[str, Status]
) -> str:
    if not backing:
        return "unsupported" if claim.requires_support else "not-required"
    state = sources_state(statuses[c.ref] for c in backing)
    return "backed" if state == "verified" else state


def _evidence_findings(
    sid: str,
    claim: Claim,
    backing: Sequence[Citation],
    grades: Mapping[str, Grade],
    where: SourceLocation | None,
) -> list[Finding]:
    """Strength of evidence against what the statement says.

    Silent when a source is ungraded (nothing is known of it) and, for the "only weak"
    and "randomised" rules, when nothing sound backs the statement (other findings say so).
    """
    out: list[Finding] = []
    graded = [grades[c.ref] for c in backing]
    if any(g.level is None for g in graded):
        return out  # Cannot judge what an unverified or ungraded source is.
    evidence = {"grades": {g.key: g.level for g in graded}}
    if claim.kind in EVIDENCE_KINDS and graded and all(g.level == 5 for g in graded):
        kinds = ", ".join(f"{g.key} ({g.label})" for g in graded)
        out.append(
            fc.make(
                "weak-evidence-only",
                sid,
                f"a statement of {claim.kind} rests only on {kinds}",
                evidence,
                location=where,
            )
        )
    if graded and says_randomised(claim.text) and not any(g.randomised_trial for g in graded):
        out.append(
            fc.make(
                "randomised-without-rct",
                sid,
                'says "randomised" but cites no source typed as a randomised controlled trial',
                evidence,
                location=where,
            )
        )
    words = strong_words(claim.text) if claim.requires_support else []
    if words and not any(g.level in (1, 2) for g in graded):
        out.append(
            fc.make(
                "strong-wording",
                sid,
                f"says {', '.join(repr(w) for w in words)} without level-1 or level-2 support",
                {**evidence, "words": words},
                location=where,
            )
        )
    return out
