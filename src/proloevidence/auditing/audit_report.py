"""The editor's audit: statement by statement, what backs the page and what is broken.

:func:`audit` is pure: it reads a loaded knowledge base and, optionally, a verification
(usually the lock, :func:`proloevidence.verifying.lock.read_lock`) and returns an
:class:`AuditReport`. It never touches the network; without a verification every
reference is reported unverified. The finding codes are in
:mod:`proloevidence.auditing.finding_codes`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..kb.knowledge_base import KnowledgeBase
from ..model import Finding, Reference, Severity
from ..verification import Status, Verification, VerificationResult
from ..verifying.outdated import current
from .evidence_grades import CAVEATS, Grade, grade_source
from .reference_checks import (
    created,
    duplicate_findings,
    problem_findings,
    reference_findings,
    verification_findings,
)
from .relevance import relevance_findings
from .statement_checks import STATEMENT_STATUSES, Cell, StatementRow, audit_claim

__all__ = [
    "STATEMENT_STATUSES",
    "AuditReport",
    "Cell",
    "ReferenceRow",
    "StatementRow",
    "audit",
]


@dataclass(frozen=True)
class ReferenceRow:
    """A reference, its verification status and result, its grade and who cites it."""

    reference: Reference
    status: Status
    result: VerificationResult | None
    grade: Grade
    cited_by: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        ref = self.reference
        return {
            "key": ref.key,
            "number": ref.page_number,
            "title": ref.title,
            "journal": ref.journal,
            "year": ref.year,
            "doi": ref.doi,
            "pmid": ref.pmid,
            "status": self.status.value,
            "verification": self.result.as_dict() if self.result else None,
            "grade": self.grade.as_dict(),
            "cited_by": list(self.cited_by),
        }


@dataclass(frozen=True)
class AuditReport:
    """Findings, one row per statement and per reference, grades, and a summary."""

    findings: tuple[Finding, ...]
    statements: tuple[StatementRow, ...]
    references: tuple[ReferenceRow, ...]
    summary: Mapping[str, Any]
    caveats: tuple[str, ...] = CAVEATS
    verification_created: dt.datetime | None = field(default=None)

    @cached_property
    def grades(self) -> Mapping[str, Grade]:
        """Each reference's grade, by key (the rows' grades)."""
        return {row.reference.key: row.grade for row in self.references}

    def findings_about(self, subject: str) -> list[Finding]:
        """The findings about one statement id or reference key, in report order."""
        return list(self._by_subject.get(subject, ()))

    @cached_property
    def _by_subject(self) -> dict[str, list[Finding]]:
        # Renderers ask once per statement: an index keeps large pages linear.
        index: dict[str, list[Finding]] = {}
        for f in self.findings:
            index.setdefault(f.subject, []).append(f)
        return index

    def at_or_above(self, severity: Severity | str) -> list[Finding]:
        """The findings at least as severe as ``severity``."""
        rank = Severity(severity).rank
        return [f for f in self.findings if f.severity.rank >= rank]

    def as_dict(self) -> dict[str, Any]:
        """The JSON document (docs/audit.md), without ``schema_version``."""
        return {
            "summary": dict(self.summary),
            "findings": [f.as_dict() for f in self.findings],
            "statements": [s.as_dict() for s in self.statements],
            "references": [r.as_dict() for r in self.references],
            "grades": {k: g.as_dict() for k, g in self.grades.items()},
            "caveats": list(self.caveats),
        }


def audit(
    kb: KnowledgeBase,
    verification: Verification | None = None,
    *,
    now: dt.datetime | None = None,
    max_age_days: int = 90,
) -> AuditReport:
    """Audit a knowledge base against a verification (None: every reference unverified).

    ``now`` (default: the current UTC time) and ``max_age_days`` decide whether the
    verification is stale. A result for a reference that has changed since it was verified
    (:mod:`proloevidence.verifying.outdated`) is not used: the reference is unverified again.
    Findings come in page order: the knowledge base's problems, then each statement's,
    then each reference's, then the verification's.
    """
    fitting, changed = current(kb.references, verification)
    results: Mapping[str, VerificationResult] = fitting.results if fitting else {}
    statuses = {key: _status(results.get(key)) for key in kb.references}
    grades = {key: grade_source(ref, results.get(key)) for key, ref in kb.references.items()}
    found = problem_findings(kb)

    rows: list[StatementRow] = []
    unreviewed_links = 0
    for claim in kb.claims:
        row, claim_findings, unreviewed = audit_claim(kb, claim, statuses, grades)
        rows.append(row)
        found.extend(claim_findings)
        found.extend(relevance_findings(kb, claim, results))
        unreviewed_links += unreviewed

    ref_rows: list[ReferenceRow] = []
    for key, ref in kb.references.items():
        cited_by = tuple(kb.claim_id(c) for c in kb.claims_citing(key))
        ref_rows.append(ReferenceRow(ref, statuses[key], results.get(key), grades[key], cited_by))
        found.extend(reference_findings(ref, results.get(key), cited_by, changed.get(key, ())))
    found.extend(duplicate_findings(kb.references.values(), results))
    found.extend(verification_findings(verification, now, max_age_days))

    summary = _summary(rows, ref_rows, found, unreviewed_links, verification)
    return AuditReport(
        findings=tuple(found),
        statements=tuple(rows),
        references=tuple(ref_rows),
        summary=summary,
        verification_created=created(verification),
    )


def _status(result: VerificationResult | None) -> Status:
    return result.status if result is not None else Status.UNVERIFIED


def _summary(
    rows: Sequence[StatementRow],
    ref_rows: Sequence[ReferenceRow],
    found: Sequence[Finding],
    unreviewed_links: int,
    verification: Verification | None,
) -> dict[str, Any]:
    def count(status: str) -> int:
        return sum(1 for r in rows if r.status == status)

    made = created(verification)
    return {
        "statements": len(rows),
        "backed": count("backed"),
        "unsupported": count("unsupported"),
        "questionable": count("questionable"),
        "unverified": count("unverified"),
        "not_required": count("not-required"),
        "references": len(ref_rows),
        "references_verified": sum(1 for r in ref_rows if r.status is Status.VERIFIED),
        "references_questionable": sum(1 for r in ref_rows if r.status.is_questionable),
        "references_unverified": sum(
            1 for r in ref_rows if r.status in (Status.UNVERIFIED, Status.UNREACHABLE)
        ),
        "unreviewed_links": unreviewed_links,
        "errors": sum(1 for f in found if f.severity is Severity.ERROR),
        "warnings": sum(1 for f in found if f.severity is Severity.WARNING),
        "info": sum(1 for f in found if f.severity is Severity.INFO),
        "verification_created": made.isoformat() if made else None,
    }
