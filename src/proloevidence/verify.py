"""Verify every reference against Crossref, doi.org and PubMed: one status per reference.

:func:`verify` asks the resolver (the only part that talks to the network) and hands each
answer to :func:`judge`, a pure function of the reference as printed and what the services
said. Statuses, field rules and thresholds are described in docs/verify.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from .compare import compare_reference
from .errors import ProloevidenceError
from .identifiers import doi_key, is_valid_doi, is_valid_pmid, normalize_doi, normalize_pmid
from .model import Reference
from .names import author_overlap, journal_match
from .titles import TITLE_THRESHOLD, clean_title, title_similarity
from .verification import (
    FieldComparison,
    Lookup,
    Notice,
    Record,
    Status,
    Suggestion,
    Verification,
    VerificationResult,
)

if TYPE_CHECKING:
    from .kb import KnowledgeBase

Progress = Callable[[int, int], None]


class ResolverLike(Protocol):
    """What :func:`verify` needs of :class:`proloevidence.resolver.Resolver`."""

    def lookup(
        self, references: Sequence[Reference], progress: Progress | None = None
    ) -> Mapping[str, Lookup]: ...

    def candidates(self, reference: Reference, rows: int = 3) -> list[Record]: ...

    def close(self) -> None: ...


NEEDS_SUGGESTION = frozenset({Status.MISMATCH, Status.CONFLICT, Status.NOT_FOUND})
"""Statuses for which :func:`verify` searches by title for the record the page meant."""

TITLE_SEARCH = "title search"
"""Added to a result's ``sources`` when the services were searched by title."""

# Most severe first. A retraction-like notice makes the reference ``retracted``; the others
# are listed on the result without changing its status.
_SEVERITY = {
    "retraction": 0,
    "withdrawal": 0,
    "removal": 0,
    "partial_retraction": 1,
    "expression_of_concern": 2,
    "correction": 3,
    "corrigendum": 3,
    "erratum": 3,
}
RETRACTING = frozenset({"retraction", "withdrawal", "removal", "partial_retraction"})
"""Notice types that make a reference ``retracted``."""

_ALIASES = {
    "retracted": "retraction",
    "retractionin": "retraction",
    "retracted_publication": "retraction",
    "withdrawn": "withdrawal",
    "erratumin": "erratum",
    "expressionofconcernin": "expression_of_concern",
    "expression_of_concern_in": "expression_of_concern",
    "concern": "expression_of_concern",
}


def notice_type(value: str) -> str:
    """Normalise a notice type ("Expression of Concern", "RetractionIn") to this vocabulary."""
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    return _ALIASES.get(key, _ALIASES.get(key.replace("_", ""), key))


def _severity(notice: Notice) -> int:
    return _SEVERITY.get(notice.type, 4)


def _notices(lookup: Lookup, records: Sequence[Record]) -> tuple[Notice, ...]:
    """The lookup's notices, normalised and deduplicated, most severe (then newest) first.

    Records also speak for themselves: a title prefixed "RETRACTED:" and PubMed's publication
    type "Retracted Publication" count as retraction notices when no other notice says so.
    """
    found = [dataclasses.replace(n, type=notice_type(n.type)) for n in lookup.notices]
    for record in records:
        flagged = [
            t for t in record.publication_types if t.strip().lower() == "retracted publication"
        ]
        if flagged:
            found.append(Notice("retraction", None, None, record.source, flagged[0]))
        prefix = record.title.lstrip().lower()
        if prefix.startswith(("retracted:", "retracted article:")):
            found.append(Notice("retraction", None, None, record.source, "title marked RETRACTED"))
        elif prefix.startswith(("withdrawn:", "withdrawn article:")):
            found.append(Notice("withdrawal", None, None, record.source, "title marked WITHDRAWN"))
    unique: dict[tuple[str, str], Notice] = {}
    for notice in found:
        ident = (notice.type, (notice.doi or "").lower() or notice.source)
        unique.setdefault(ident, notice)
    notices = sorted(unique.values(), key=lambda n: n.date or "", reverse=True)
    notices.sort(key=_severity)
    if any(n.doi for n in notices if n.type in RETRACTING):
        # A flag with no notice DOI adds nothing once a notice with its DOI is listed.
        notices = [n for n in notices if n.doi or n.type not in RETRACTING]
    return tuple(notices)


def same_work(a: Record, b: Record) -> bool:
    """True when two records describe one work: the same DOI, or title, an author and year agree."""
    if a.doi and b.doi:
        return doi_key(a.doi) == doi_key(b.doi)
    score, _ = title_similarity(a.title, b.title)
    if score < TITLE_THRESHOLD:
        return False
    if a.authors and b.authors and author_overlap(a.authors, b.authors) == 0:
        return False
    return not (a.year and b.year and abs(a.year - b.year) > 1)


def score_candidate(reference: Reference, record: Record) -> tuple[float, str] | None:
    """Score 0-1 of ``record`` as the work the page meant; None unless title AND an author AND
    the year (within one) agree, so a look-alike title alone never earns a suggestion."""
    if not (reference.title and reference.authors and reference.year and record.year):
        return None
    title, _ = title_similarity(reference.title, record.title)
    shared = author_overlap(reference.authors, record.authors)
    if title < TITLE_THRESHOLD or shared == 0 or abs(reference.year - record.year) > 1:
        return None
    same_year = reference.year == record.year
    journal = any(
        journal_match(reference.journal, name)[0]
        for name in (record.journal, record.journal_abbrev)
        if reference.journal and name
    )
    score = (
        0.5 * title / 100
        + 0.25 * shared / len(reference.authors)
        + 0.15 * (1.0 if same_year else 0.5)
        + 0.10 * (1.0 if journal else 0.0)
    )
    reason = (
        f"title similarity {title:.0f}; {shared} of {len(reference.authors)} printed authors; "
        f"year {record.year}{'' if same_year else ' (one year apart)'}; "
        f"journal {'agrees' if journal else 'differs'}"
    )
    return round(score, 3), reason


def suggest(reference: Reference, pool: Iterable[Record]) -> Suggestion | None:
    """The best-scoring record of ``pool`` by :func:`score_candidate`, or None."""
    best: Suggestion | None = None
    for record in pool:
        scored = score_candidate(reference, record)
        if scored is None:
            continue
        score, reason = scored
        richer = best is not None and score == best.score and bool(record.doi and record.pmid)
        if best is None or score > best.score or richer:
            best = Suggestion(record, score, reason)
    return best


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
            identifiers=dict(reference.identifiers),
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
    notices = _notices(lookup, records)
    primary = records[0] if records else None
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

    ``resolver`` defaults to a :class:`proloevidence.resolver.Resolver` configured from the
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
        from .resolver import Resolver

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
