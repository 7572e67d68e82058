"""One reference's :class:`~proloevidence.verification.Lookup` from a run's answers.

Pure: the lanes fill :class:`~proloevidence.services.run_state.Answers` (from the services or
the cache); this reads out what they say of one reference, its records, notices and failures.
"""

from __future__ import annotations

from ..identifiers import doi_key, is_valid_doi, is_valid_pmid, normalize_doi, normalize_pmid
from ..model import Reference
from ..verification import Lookup, Notice, Record
from . import crossref_records as crossref
from . import doiorg_records as doiorg
from . import pubmed_records as pubmed
from .run_state import Answers


def identifiers_of(ref: Reference) -> tuple[str | None, str | None]:
    """The reference's DOI and PMID when syntactically valid (normalised), else None."""
    doi = normalize_doi(ref.doi) if ref.doi and is_valid_doi(ref.doi) else None
    pmid = normalize_pmid(ref.pmid) if ref.pmid and is_valid_pmid(ref.pmid) else None
    return doi, pmid


def assemble(ref: Reference, answers: Answers, *, offline: bool = False) -> Lookup:
    """What the answers say about one reference (no judgement: :mod:`proloevidence.verifying`).

    ``offline``: the run asked nothing, so a reference no answer speaks of was not looked up.
    """
    doi, pmid = identifiers_of(ref)
    sources: list[str] = []
    failures: list[str] = []
    notices: list[Notice] = []
    doi_record: Record | None = None
    doi_exists: bool | None = None
    agency: str | None = None
    pmid_from_doi = False

    def failed(kind: str, ident: str) -> None:
        text = answers.failures.get((kind, ident))
        if text and text not in failures:
            failures.append(text)

    if doi:
        k = doi_key(doi)
        if k in answers.crossref:
            sources.append("crossref")
            item = answers.crossref[k]
            if item is not None:
                doi_record, doi_exists, agency = (
                    crossref.record_from_work(item),
                    True,
                    "Crossref",
                )
                notices += crossref.notices_from_work(item)
            elif k in answers.agency:
                sources.append("doi.org")
                doi_exists = answers.agency[k] is not None
                agency = answers.agency[k] or None  # "" when no agency was named
                csl = answers.csl.get(k)
                doi_record = doiorg.record_from_csl(csl) if csl else None
                failed("doi.org", k)
            else:
                failed("doi.org", k)
        else:
            failed("crossref", k)
        if not pmid:
            if k in answers.doi_pmid:
                sources.append("pubmed")
                pmid = answers.doi_pmid[k]
                pmid_from_doi = pmid is not None
            else:
                failed("pubmed-doi", k)

    pubmed_record: Record | None = None
    pmid_exists: bool | None = None
    if pmid:
        summary_known, article_known = pmid in answers.summary, pmid in answers.article
        if (summary_known or article_known) and "pubmed" not in sources:
            sources.append("pubmed")
        summary, article = answers.summary.get(pmid), answers.parsed_article(pmid)
        pubmed_record = pubmed.record_from(pmid, summary, article)
        if pubmed_record is not None:
            pmid_exists = True
        elif (summary_known and summary is None) or (article_known and article is None):
            pmid_exists = False
        notices += [n for n in pubmed.notices_from(summary, article) if n not in notices]
        failed("efetch", pmid)  # without efetch, PubMed's retraction links are unknown
        if article is None:
            failed("esummary", pmid)

    return Lookup(
        key=ref.key,
        doi=doi,
        pmid=pmid,
        pmid_from_doi=pmid_from_doi,
        doi_record=doi_record,
        doi_exists=doi_exists,
        doi_agency=agency,
        pubmed_record=pubmed_record,
        pmid_exists=pmid_exists,
        notices=tuple(notices),
        failures=tuple(failures),
        sources=tuple(sources),
        offline_missing=offline and not sources and bool(doi or pmid),
    )
