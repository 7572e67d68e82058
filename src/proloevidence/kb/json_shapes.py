"""The JSON shapes of statements, links and references (documented in docs/cli.md).

Plain dicts for ``json.dumps``; every top-level document also carries ``schema_version``.
"""

from __future__ import annotations

from typing import Any

from ..model import Assessment, Citation, Claim, Reference
from .knowledge_base import KnowledgeBase, Source


def assessment_as_dict(assessment: Assessment) -> dict[str, Any]:
    out: dict[str, Any] = {"status": assessment.status.value}
    for name in ("reviewer", "locator", "quote", "note"):
        value = getattr(assessment, name)
        if value:
            out[name] = value
    if assessment.date:
        out["date"] = assessment.date.isoformat()
    return out


def citation_as_dict(citation: Citation) -> dict[str, Any]:
    return {
        "ref": citation.ref,
        "relation": citation.relation.value,
        "cito": citation.relation.cito,
        "assessment": citation.assessment.status.value,
        "assessment_detail": assessment_as_dict(citation.assessment),
    }


def claim_as_dict(kb: KnowledgeBase, claim: Claim) -> dict[str, Any]:
    return {
        "id": kb.claim_id(claim),
        "document": claim.document,
        "text": claim.text,
        "section": list(claim.section),
        "kind": claim.kind,
        "marker": claim.marker,
        "requires_support": claim.requires_support,
        "support_note": claim.support_note,
        "citations": [citation_as_dict(c) for c in claim.citations],
    }


def reference_as_dict(reference: Reference) -> dict[str, Any]:
    return {
        "key": reference.key,
        "number": reference.page_number,
        "authors": [str(a) for a in reference.authors] + (["et al."] if reference.et_al else []),
        "title": reference.title,
        "journal": reference.journal,
        "year": reference.year,
        "volume": reference.volume,
        "number_issue": reference.number,
        "pages": reference.pages,
        "doi": reference.doi,
        "pmid": reference.pmid,
        "pmcid": reference.pmcid,
        "printed": reference.printed,
    }


def source_as_dict(source: Source) -> dict[str, Any]:
    ref = source.reference
    return {
        "key": ref.key,
        "relation": source.citation.relation.value,
        "cito": source.citation.relation.cito,
        "assessment": source.citation.assessment.status.value,
        "doi": ref.doi,
        "pmid": ref.pmid,
        "title": ref.title,
        "year": ref.year,
        "number": ref.page_number,
        "printed": ref.printed,
    }
