"""What an editor needs beside a statement: its evidence, and what verification said of its sources.

Used by ``render --annotate`` and the Sphinx page directive. The words are short and stable:
evidence is ``supported``, ``unsupported`` or ``not-required``; the sources' verification is
``verified``, ``questionable`` (a source is mismatched, conflicting, not found or retracted),
``unverified`` (not every source was checked) or ``none`` (nothing cited).
"""

from __future__ import annotations

from collections import Counter

from ..kb.knowledge_base import KnowledgeBase
from ..model import Claim, Relation
from ..verification import Verification, sources_state


def evidence_state(claim: Claim) -> str:
    """``supported``, ``unsupported`` or ``not-required``."""
    if claim.is_supported:
        return "supported"
    return "unsupported" if claim.requires_support else "not-required"


def verification_state(claim: Claim, verification: Verification | None) -> str:
    """``verified``, ``questionable``, ``unverified`` or ``none``."""
    keys = list(dict.fromkeys(claim.refs))
    if not keys:
        return "none"
    if verification is None:
        return "unverified"
    return sources_state(verification.status(key) for key in keys)


def annotation(kb: KnowledgeBase, claim: Claim, verification: Verification | None) -> str:
    """One line: the statement's id, its evidence, its sources' verification."""
    parts = [kb.claim_id(claim), _evidence(claim)]
    keys = list(dict.fromkeys(claim.refs))
    if keys and verification is None:
        parts.append("sources not verified (no verification lock)")
    elif keys and verification is not None:
        parts.append(
            "sources: " + ", ".join(f"{key} {verification.status(key).value}" for key in keys)
        )
    return " · ".join(parts)


def _evidence(claim: Claim) -> str:
    supporting = [c for c in claim.citations if c.relation.is_support]
    disputing = [c.ref for c in claim.citations if c.relation is Relation.DISPUTES]
    if supporting:
        counts = Counter(c.assessment.status.value for c in supporting)
        read = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        plural = "s" if len(supporting) != 1 else ""
        text = f"supported by {len(supporting)} source{plural} ({read})"
    elif claim.requires_support:
        others = sorted({c.relation.value for c in claim.citations})
        text = (
            f"UNSUPPORTED: needs a source; cited only as {', '.join(others)}"
            if others
            else "UNSUPPORTED: needs a source and cites none"
        )
    else:
        text = "no source needed"
    if disputing:
        text += f"; disputed by {', '.join(disputing)}"
    return text
