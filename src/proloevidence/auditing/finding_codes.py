"""The audit's finding codes: each code's severity, what it means and what to do.

The codes are stable (scripts and CI filter on them) and documented in docs/audit.md,
which a test keeps in step with :data:`CODES`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..model import Finding, Severity, SourceLocation

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True)
class Code:
    """One finding code: its severity, the subject it is about, its meaning and the fix."""

    severity: Severity
    about: str
    meaning: str
    fix: str


CODES: dict[str, Code] = {
    # -- statements ---------------------------------------------------------------------
    "unsupported": Code(
        E,
        "statement",
        "the statement needs a source and cites none that supports it",
        "cite a source that supports it, soften it, or mark it `requires_support: false` "
        "with a `support_note` saying why",
    ),
    "questionable-support": Code(
        E,
        "statement",
        "every source backing the statement is not found, retracted, in conflict or miscited",
        "correct the citations (`proloevidence fix`) or find sound sources",
    ),
    "partly-questionable-support": Code(
        W,
        "statement",
        "some of the sources backing the statement are not found, retracted, in conflict "
        "or miscited",
        "correct or drop the questionable citations",
    ),
    "assessed-not-supported": Code(
        E,
        "statement",
        "an editor read the source and found it does not support the statement",
        "remove the citation, cite a source that does, or rewrite the statement",
    ),
    "support-unreviewed": Code(
        INFO,
        "statement",
        "no editor has yet read the cited sources against the statement",
        "read each source and record an assessment in claims.yaml",
    ),
    "weak-evidence-only": Code(
        W,
        "statement",
        "a statement of efficacy or safety rests only on reviews, editorials, letters "
        "or hypothesis papers (level 5)",
        "cite primary studies or a systematic review, or word the statement as opinion",
    ),
    "randomised-without-rct": Code(
        W,
        "statement",
        'the statement says "randomised" but none of its graded sources is a randomised trial',
        "cite the randomised trials, or drop the word",
    ),
    "strong-wording": Code(
        W,
        "statement",
        'the statement uses a word of certainty ("proven", "cures", "permanent", '
        '"guaranteed", ...) without level-1 or level-2 support',
        "cite a systematic review or a randomised trial, or soften the wording",
    ),
    "source-off-topic": Code(
        INFO,
        "statement",
        "a cited source's title, abstract and MeSH headings share none of the statement's "
        "key concepts: it may be cited for the wrong statement (a signal, not a verdict)",
        "read the source against the statement first, and record the assessment in claims.yaml",
    ),
    "marker-mismatch": Code(
        E,
        "statement",
        "the printed citation marker names other references than the statement's links",
        "make the links match the marker as printed (or correct the page)",
    ),
    # -- references ---------------------------------------------------------------------
    "reference-mismatch": Code(
        E,
        "reference",
        "the record found for the reference's identifier disagrees with the citation "
        "(title, authors, year, journal, ...)",
        "run `proloevidence fix` to see the corrections",
    ),
    "reference-not-found": Code(
        E,
        "reference",
        "no service knows the reference's identifier, and no record matches it",
        "check the printed reference against the journal; correct or remove it",
    ),
    "reference-conflict": Code(
        E,
        "reference",
        "the reference's identifiers lead to different works (e.g. the DOI and the PMID)",
        "find which identifier is right and correct the other",
    ),
    "reference-retracted": Code(
        E,
        "reference",
        "the cited work has been retracted",
        "stop citing it for support; rewrite the statements that rest on it",
    ),
    "reference-notice": Code(
        W,
        "reference",
        "a correction, erratum or expression of concern is attached to the cited work",
        "read the notice and check the statements that rest on the work still hold",
    ),
    "reference-unreachable": Code(
        W,
        "reference",
        "verification could not reach the services for this reference",
        "run `proloevidence verify` again later",
    ),
    "reference-invalid-identifier": Code(
        W,
        "reference",
        "the reference prints an identifier that cannot exist",
        "correct the identifier as printed",
    ),
    "reference-unverified": Code(
        INFO,
        "reference",
        "the reference has not been verified (no result in the verification lock), or has "
        "changed since it was verified",
        "run `proloevidence audit --online` or `proloevidence verify --lock`",
    ),
    "reference-no-identifier": Code(
        W,
        "reference",
        "the reference prints no DOI, PMID or PMCID, so nothing can verify it",
        "add the identifier (`proloevidence fix` proposes one when verification found it)",
    ),
    "reference-uncited": Code(
        INFO,
        "reference",
        "no statement cites the reference (a page usually cites a subset of its bibliography)",
        "link it from the statements it backs, if it backs any",
    ),
    "duplicate-reference": Code(
        W,
        "reference",
        "two references share a DOI or a PMID: one work cited twice",
        "merge the entries and cite one key",
    ),
    "numbering-mismatch": Code(
        W,
        "reference",
        "the reference's `refnumber` disagrees with the document's numbering",
        "make the two agree",
    ),
    "unknown-field": Code(
        W,
        "reference",
        "a BibTeX field name one edit away from a field the knowledge base reads (a typo?)",
        "rename the field",
    ),
    "kb-problem": Code(
        W,
        "knowledge base",
        "another recoverable problem of the knowledge base's files",
        "run `proloevidence check` and correct the file",
    ),
    # -- the verification ---------------------------------------------------------------
    "verification-missing": Code(
        INFO,
        "verification",
        "there is no verification: every reference is unverified and no source is graded "
        "by its publication types",
        "run `proloevidence audit --online` or `proloevidence verify --lock`",
    ),
    "verification-stale": Code(
        INFO,
        "verification",
        "the verification is older than the allowed age (`--max-age`, 90 days by default)",
        "verify again: retractions and corrections appear over time",
    ),
}


def make(
    code: str,
    subject: str,
    message: str,
    evidence: Mapping[str, Any] | None = None,
    *,
    location: SourceLocation | None = None,
    fix: str = "",
) -> Finding:
    """A :class:`Finding` with the code's severity and (unless given) its standard fix."""
    spec = CODES[code]
    return Finding(
        code=code,
        severity=spec.severity,
        subject=subject,
        message=message,
        evidence=dict(evidence or {}),
        fix=fix or spec.fix,
        location=location,
    )
