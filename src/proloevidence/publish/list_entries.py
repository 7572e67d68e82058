"""What a reference list lists: each reference as cited, or as verification recorded it.

``cited`` items are the references as the page prints them; the verification lock adds only
the journal's NLM abbreviation (from PubMed), and only when verification did not find the
journal wrong. ``verified`` items are the records from the lock (Crossref / PubMed), and every
difference from what the page cites comes back as a :class:`~proloevidence.model.Finding`, so
a caller can show it. A reference without a usable record, or whose identifiers lead to
another work, is listed as cited, with a note.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..kb.knowledge_base import KnowledgeBase
from ..model import Finding, Severity
from ..verification import Status, Verification, VerificationResult
from .csl_items import CslItem, item_from_record, item_from_reference


def journal_abbreviation(result: VerificationResult | None) -> str:
    """The NLM journal abbreviation PubMed gave verification, unless the cited journal is wrong
    or the identifiers lead to another work."""
    if result is None or result.record is None or result.names_another_work:
        return ""
    if not result.record.from_service("pubmed"):
        return ""  # Crossref's short titles are the publisher's, not NLM's
    if any(f.field.startswith("journal") and f.match == "mismatch" for f in result.fields):
        return ""
    return result.record.journal_abbrev


def cited_items(
    kb: KnowledgeBase, keys: Sequence[str], verification: Verification | None = None
) -> list[CslItem]:
    """The references as cited, with NLM journal abbreviations from ``verification``."""
    items = []
    for key in keys:
        result = verification.get(key) if verification else None
        items.append(
            item_from_reference(kb.references[key], journal_abbrev=journal_abbreviation(result))
        )
    return items


def verified_items(
    kb: KnowledgeBase,
    keys: Sequence[str],
    verification: Verification,
    changed: Mapping[str, Sequence[str]] | None = None,
) -> tuple[list[CslItem], list[Finding]]:
    """The locked records for ``keys``, and a finding for every difference from the citation.

    ``changed`` names the references changed since they were verified (their results left
    out of ``verification``; see :func:`proloevidence.verifying.outdated.current`) and what changed.
    """
    items: list[CslItem] = []
    notes: list[Finding] = []
    for key in keys:
        reference = kb.references[key]
        result = verification.get(key)
        if result is None or result.record is None or result.names_another_work:
            status = result.status.value if result else "unverified"
            why = "no verified record"
            if changed and key in changed:
                why = f"changed since it was verified ({'; '.join(changed[key])})"
            elif result is not None and result.status is Status.CONFLICT:
                why = "its identifiers lead to different works"
            elif result is not None and result.names_another_work:
                differ = ", ".join(result.mismatched_fields)
                why = f"its identifiers lead to another work ({differ} differ)"
            notes.append(
                Finding(
                    "listed-as-cited",
                    Severity.WARNING,
                    key,
                    f"{why} ({status}); listed as cited",
                    {"status": status},
                    "run `proloevidence verify --lock` and resolve the reference",
                )
            )
            items.append(item_from_reference(reference))
            continue
        items.append(item_from_record(key, result.record, entry_type=reference.entry_type))
        if result.status is Status.RETRACTED:
            notes.append(
                Finding(
                    "retracted",
                    Severity.WARNING,
                    key,
                    "the verification lock records a retraction",
                    {"notices": [n.as_dict() for n in result.notices]},
                )
            )
        for comparison in result.fields:
            if comparison.match == "match" or comparison.cited == comparison.found:
                continue
            mismatch = comparison.match == "mismatch"
            notes.append(
                Finding(
                    "verified-differs",
                    Severity.WARNING if mismatch else Severity.INFO,
                    key,
                    f"{comparison.field}: cited {_show(comparison.cited)}, "
                    f"verified {_show(comparison.found)}",
                    {
                        "field": comparison.field,
                        "cited": comparison.cited,
                        "found": comparison.found,
                        "match": comparison.match,
                        "sources": list(result.sources),
                    },
                )
            )
    return items, notes


def _show(value: str | None) -> str:
    return repr(value) if value else "nothing"
