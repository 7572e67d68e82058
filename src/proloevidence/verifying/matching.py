"""Which record is the work the page meant: one work in two records, and the suggestion.

Pure functions over :class:`~proloevidence.verification.Record` values; the thresholds are
described in docs/verify.md ("Suggestions").
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from ..identifiers import doi_key
from ..model import Reference
from ..text.names import author_overlap, journal_match
from ..text.titles import TITLE_THRESHOLD, title_similarity
from ..verification import Record, Suggestion


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


def combine(primary: Record, pubmed: Record) -> Record:
    """One record from the DOI's record (Crossref or doi.org) and PubMed's, for the same work.

    The DOI's record leads; PubMed adds what only it knows: the PMID, the NLM journal
    abbreviation (esummary ``source``), the publication types the evidence grades read, the
    MeSH headings, and its abstract (labelled parts; Crossref's, when PubMed has none).
    Fields the DOI's record leaves empty are taken from PubMed's. ``source`` names both
    ("crossref+pubmed").
    """
    filled = {
        name: getattr(primary, name) or getattr(pubmed, name)
        for name in ("title", "authors", "journal", "year", "volume", "issue", "pages", "doi")
    }
    return dataclasses.replace(
        primary,
        **filled,
        source=f"{primary.source}+{pubmed.source}",
        journal_abbrev=pubmed.journal_abbrev or primary.journal_abbrev,
        issn=tuple(dict.fromkeys((*primary.issn, *pubmed.issn))),
        pmid=pubmed.pmid or primary.pmid,
        publication_types=pubmed.publication_types or primary.publication_types,
        abstract=pubmed.abstract or primary.abstract,
        mesh_headings=pubmed.mesh_headings or primary.mesh_headings,
        url=primary.url or pubmed.url,
    )
