"""Verify every reference against Crossref, doi.org and PubMed: one status per reference.

:func:`verify` asks the resolver (the only part that talks to the network) and hands each
answer to :func:`judge`, a pure function of the reference as printed and what the services
said. Statuses, field rules and thresholds are described in docs/verify.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from ..errors import ProloevidenceError
from ..identifiers import doi_key, is_valid_doi, is_valid_pmid, normalize_doi, normalize_pmid
from ..model import Reference
from ..text.titles import clean_title
from ..verification import (
    FieldComparison,
    Lookup,
    Notice,
    Record,
    Status,
    Suggestion,
    Verification,
    VerificationResult,
)
from .compare import compare_reference
from .matching import combine, same_work, suggest
from .notices import RETRACTING, collect_notices

if TYPE_CHECKING:
    from ..kb.knowledge_base import KnowledgeBase

Progress = Callable[[int, int], None]


class ResolverLike(Protocol):
    """What :func:`verify` needs of :class:`proloevidence.services.resolver.Resolver`."""

    def lookup(
        self, references: Sequence[Reference], progress: Progress | None = None
    ) -> Mapping[str, Lookup]: ...

    def candidates(self, reference: Reference, rows: int = 3) -> list[Record]: ...

    def close(self) -> None: ...


NEEDS_SUGGESTION = frozenset({Status.MISMATCH, Status.CONFLICT, Status.NOT_FOUND})
"""Statuses for which :func:`verify` searches by title for the record the page meant."""

TITLE_SEARCH = "title search"
"""Added to a result's ``sources`` when the services were searched by title."""


def found_identifiers(reference: Reference, record: Record | None) -> dict[str, str]:
    """The printed identifiers, plus the DOI and PMID of ``record`` the page does not print."""
    identifiers = dict(reference.identifiers)
    if record is not None:
        for kind, value in (("doi", record.doi), ("pmid", record.pmid)):
            if value and kind not in identifiers:
                identifiers[kind] = value
    return identifiers


def _invalid(reference: Reference) -> list[str]:
    bad = []
    if reference.doi and not is_valid_doi(reference.doi):
        bad.append(f"DOI {reference.doi!r} is not a valid DOI")
    if reference.pmid and not is_valid_pmid(reference.pmid):
        bad.append(f"PMID {reference.pmid!r} is not a valid PubMed id")
    return bad


def judge(
    reference: Reference,
    lookup: Lookup,
    candidates: Sequence[Record] = (),
    *,
    checked_at: dt.datetime | None = None,
) -> VerificationResult:
    """The verdict on one reference from what the services said (pure: no I/O).

    ``lookup`` is the resolver's answer for the reference's identifiers; ``candidates`` are
    records found by title search, offered as a suggestion when the status is mismatch,
    conflict or not_found. Order of precedence: no_identifier, invalid_identifier,
    unverified (offline, nothing cached), retracted, not_found, conflict, mismatch,
    unreachable / unverified (no answer), verified. A ``verified`` verdict needs every
    service to have answered; a negative finding stands even when another service failed.
    The result's ``record`` is the record found (:func:`combine` joins the DOI's and PubMed's
    when they name the same work) and its ``identifiers`` add the DOI or PMID found to those
    printed.
    """
    doi = normalize_doi(reference.doi) if reference.doi else None
    pmid = normalize_pmid(reference.pmid) if reference.pmid else None
    sources = tuple(dict.fromkeys(lookup.sources))

    def result(
        status: Status,
        message: str,
        fields: tuple[FieldComparison, ...] = (),
        notices: tuple[Notice, ...] = (),
        record: Record | None = None,
        suggestion: Suggestion | None = None,
    ) -> VerificationResult:
        return VerificationResult(
            key=reference.key,
            status=status,
            identifiers=found_identifiers(reference, record),
            fields=fields,
            notices=notices,
            suggestion=suggestion,
            sources=sources,
            record=record,
            checked_at=checked_at,
            message=message,
        )

    if not doi and not pmid:
        only = f"only PMCID {reference.pmcid}, which is not resolved" if reference.pmcid else "none"
        return result(Status.NO_IDENTIFIER, f"no DOI or PMID to check ({only})")

    doi_record, pubmed_record = lookup.doi_record, lookup.pubmed_record
    pmid_mislinked = bool(
        pubmed_record
        and lookup.pmid_from_doi
        and pubmed_record.doi
        and doi
        and doi_key(pubmed_record.doi) != doi_key(doi)
    )
    if pmid_mislinked:
        pubmed_record = None  # the DOI search hit another article: evidence of nothing
    conflict = ""
    printed_both = bool(doi_record and pubmed_record and pmid and not lookup.pmid_from_doi)
    if printed_both and doi_record and pubmed_record and not same_work(doi_record, pubmed_record):
        conflict = (
            f"DOI {doi} names “{clean_title(doi_record.title)}” but PMID {pmid} names "
            f"“{clean_title(pubmed_record.title)}”"
        )
    records = [r for r in (doi_record, pubmed_record) if r]
    # In a conflict the printed fields are compared with the DOI's record; the message names both.
    compared = [doi_record] if conflict and doi_record else records
    fields = compare_reference(reference, compared) if compared else ()
    notices = collect_notices(lookup, records)
    primary = records[0] if records else None
    if doi_record and pubmed_record and not conflict:
        primary = combine(doi_record, pubmed_record)
    failed = f"; failed: {'; '.join(lookup.failures)}" if lookup.failures else ""

    def found(
        status: Status, message: str, suggestion: Suggestion | None = None
    ) -> VerificationResult:
        return result(status, message, fields, notices, primary, suggestion)

    invalid = _invalid(reference)
    if invalid:
        return found(Status.INVALID_IDENTIFIER, "; ".join(invalid))
    if lookup.offline_missing and not records:
        return found(Status.UNVERIFIED, "offline, and nothing cached for this reference")
    retracting = [n for n in notices if n.type in RETRACTING]
    if retracting:
        worst = retracting[0]
        detail = ", ".join(filter(None, [worst.doi, worst.date, worst.source]))
        message = worst.type.replace("_", " ") + (f" ({detail})" if detail else "")
        return found(Status.RETRACTED, message + (f"; also: {conflict}" if conflict else ""))

    absent, unanswered = [], []
    if doi and not doi_record:
        if lookup.doi_exists is False:
            absent.append(f"DOI {doi} does not exist (not in Crossref; unknown to doi.org)")
        else:
            agency = f" (registered with {lookup.doi_agency})" if lookup.doi_agency else ""
            unanswered.append(f"DOI {doi}{agency}")
    if pmid and not lookup.pmid_from_doi and not pubmed_record:
        if lookup.pmid_exists is False:
            absent.append(f"PubMed has no record {pmid}")
        else:
            unanswered.append(f"PMID {pmid}")
    pool = [*candidates, *records]
    if absent:
        return found(Status.NOT_FOUND, "; ".join(absent) + failed, suggest(reference, pool))
    if conflict:
        return found(Status.CONFLICT, conflict + failed, suggest(reference, pool))
    mismatched = [f.field for f in fields if f.match == "mismatch"]
    if mismatched:
        message = "fields differ: " + ", ".join(mismatched) + failed
        return found(Status.MISMATCH, message, suggest(reference, pool))
    if lookup.failures:
        what = ", ".join(unanswered) or "the reference"
        return found(Status.UNREACHABLE, f"no verdict for {what}: {'; '.join(lookup.failures)}")
    if unanswered:
        return found(Status.UNVERIFIED, f"no answer for {', '.join(unanswered)}")
    listed = [n.type.replace("_", " ") for n in notices]
    return found(Status.VERIFIED, ("notices: " + ", ".join(listed)) if listed else "")


def _lookup_ready(reference: Reference) -> bool:
    """True when the reference has an identifier worth sending (valid syntax)."""
    return bool(
        (reference.doi and is_valid_doi(reference.doi))
        or (reference.pmid and is_valid_pmid(reference.pmid))
    )


def verify(
    kb: KnowledgeBase,
    resolver: ResolverLike | None = None,
    keys: Sequence[str] | None = None,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> Verification:
    """Verify the references of ``kb`` (or only ``keys``) and return one result per reference.

    ``resolver`` defaults to a :class:`proloevidence.services.resolver.Resolver` configured from the
    environment (docs/services.md) and closed afterwards; pass your own to choose base
    URLs, cache or offline mode.
    An unknown key raises :class:`~proloevidence.errors.UnknownIdError`. Service failures are
    data (status ``unreachable``), never exceptions. ``progress(done, total)`` is called as
    lookups complete; ``now`` fixes ``checked_at`` (default: the current UTC time).
    """
    wanted = list(dict.fromkeys(keys)) if keys is not None else list(kb.references)
    references = [kb.reference(key) for key in wanted]
    checked_at = now or dt.datetime.now(dt.timezone.utc)
    owned = resolver is None
    if resolver is None:
        # Imported here so the network layer loads only when used. The Resolver reads its
        # configuration (base URLs, contact address, API key, cache) from the environment.
        from ..services.resolver import Resolver

        resolver = Resolver()
    try:
        ready = [r for r in references if _lookup_ready(r)]
        lookups = resolver.lookup(ready, progress) if ready else {}
        results: dict[str, VerificationResult] = {}
        for reference in references:
            lookup = lookups.get(reference.key) or Lookup(reference.key)
            result = judge(reference, lookup, checked_at=checked_at)
            if result.status in NEEDS_SUGGESTION:
                result = _with_suggestion(resolver, reference, lookup, checked_at)
            results[reference.key] = result
    finally:
        if owned:
            resolver.close()
    return Verification(results=results, created=checked_at)


def _with_suggestion(
    resolver: ResolverLike, reference: Reference, lookup: Lookup, checked_at: dt.datetime
) -> VerificationResult:
    """Judge again with the records a title search finds; a failed search only adds a note."""
    try:
        found = resolver.candidates(reference)
    except ProloevidenceError as exc:
        result = judge(reference, lookup, checked_at=checked_at)
        return dataclasses.replace(result, message=f"{result.message}; title search failed: {exc}")
    result = judge(reference, lookup, found, checked_at=checked_at)
    return dataclasses.replace(result, sources=(*result.sources, TITLE_SEARCH))


def summary(verification: Verification) -> dict[str, int]:
    """``{"total": n, "<status>": count, ...}`` with every status present (zeros included)."""
    counts = {"total": len(verification.results)}
    counts.update({s.value: 0 for s in Status})
    for result in verification.results.values():
        counts[result.status.value] += 1
    return counts
