"""doi.org payloads: registration agencies (``/ra/``) and CSL-JSON from content negotiation.

Pure functions (shared/reference/apis.md, "doi.org"). ``/ra/`` tells a DOI registered
elsewhere (DataCite, mEDRA, ...) from one that does not exist, which Crossref's 404 cannot.
CSL-JSON comes with Crossref type names in recent answers (``journal-article``) and CSL
names in older ones (``article-journal``); :func:`normalize_type` maps both to Crossref's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..identifiers import doi_key
from ..text.markup import strip_markup
from ..verification import Record
from .payloads import (
    ShapeError,
    array,
    authors_of,
    date_parts,
    first_text,
    mapping,
    scalar,
    text_list,
)

SOURCE = "doi.org"
CSL_JSON = "application/vnd.citationstyles.csl+json"

# CSL 1.0.2 type -> Crossref type (the vocabulary Record.publication_types uses).
_CSL_TO_CROSSREF = {
    "article-journal": "journal-article",
    "paper-conference": "proceedings-article",
    "chapter": "book-chapter",
    "book": "book",
    "thesis": "dissertation",
    "report": "report",
    "dataset": "dataset",
    "article": "posted-content",
    "manuscript": "posted-content",
    "review": "peer-review",
    "entry-encyclopedia": "reference-entry",
    "entry-dictionary": "reference-entry",
    "standard": "standard",
}


def normalize_type(kind: str) -> str:
    """A CSL or Crossref type name as Crossref's (``article-journal`` -> ``journal-article``)."""
    kind = kind.strip().lower()
    return _CSL_TO_CROSSREF.get(kind, kind)


def agencies(payload: Any) -> dict[str, str | None]:
    """``/ra/`` answers by :func:`doi_key`: the agency's name, or None when no such DOI exists.

    ``{"DOI": ..., "RA": "DataCite"}`` -> ``"DataCite"``; ``{"DOI": ..., "status": "DOI does
    not exist"}`` (or ``"Invalid DOI"``) -> None.
    """
    found: dict[str, str | None] = {}
    for entry in array(payload, "the answer"):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("DOI"), str):
            raise ShapeError("an entry of the answer has no DOI")
        agency = scalar(entry.get("RA"))
        found[doi_key(entry["DOI"])] = agency or None
    return found


def csl_item(payload: Any) -> Mapping[str, Any]:
    """The CSL item of a content-negotiation answer (some services wrap it in a list)."""
    if isinstance(payload, list) and len(payload) == 1:
        payload = payload[0]
    return mapping(payload, "the CSL-JSON answer")


def record_from_csl(item: Mapping[str, Any]) -> Record:
    """A CSL-JSON item as a :class:`Record` (source ``doi.org``)."""
    doi = item.get("DOI") if isinstance(item.get("DOI"), str) else None
    kind = normalize_type(scalar(item.get("type")))
    issued = date_parts(item.get("issued")) or date_parts(item.get("published-print"))
    return Record(
        source=SOURCE,
        title=strip_markup(first_text(item.get("title"))),
        authors=authors_of(item.get("author")),
        journal=strip_markup(first_text(item.get("container-title"))),
        journal_abbrev=strip_markup(
            first_text(item.get("container-title-short"))
            or first_text(item.get("short-container-title"))
        ),
        issn=text_list(item.get("ISSN")),
        year=issued[0] if issued else None,
        volume=scalar(item.get("volume")),
        issue=scalar(item.get("issue")),
        pages=scalar(item.get("page")) or scalar(item.get("article-number")),
        doi=doi,
        pmid=scalar(item.get("PMID")) or None,
        publication_types=(kind,) if kind else (),
        url=f"https://doi.org/{doi}" if doi else None,
    )
