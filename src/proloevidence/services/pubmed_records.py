"""NCBI E-utilities payloads (esearch, esummary JSON, efetch XML) as plain data.

Pure functions (shared/reference/apis.md, "NCBI E-utilities"). esummary answers an unknown
id with HTTP 200 and ``{"uid": ..., "error": "cannot get document summary"}``; efetch
answers it with an empty ``<PubmedArticleSet/>``. Titles are read as the whole element's
text (``itertext``), never ``findtext``, which stops at the first ``<i>``. The article's
DOI is read from ``PubmedData/ArticleIdList`` only: the reference list holds other papers'.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..model import Author
from ..verification import Notice, Record
from .payloads import ShapeError, array, collapse, mapping, scalar, year_in

SOURCE = "pubmed"

# CommentsCorrections RefType -> notice type (NLM DTD; Crossref's vocabulary where one
# exists, so the status decision ranks both services' notices alike).
NOTICE_TYPES = {
    "RetractionIn": "retraction",
    "RetractedandRepublishedIn": "retraction",
    "PartialRetractionIn": "partial_retraction",
    "ErratumIn": "erratum",
    "CorrectedandRepublishedIn": "correction",
    "ExpressionOfConcernIn": "expression_of_concern",
}
RETRACTED_TYPE = "Retracted Publication"

_NOTICE_DOI = re.compile(r"doi:\s*(10\.\d{4,9}/\S+?)\.?(?:\s|$)", re.IGNORECASE)


@dataclass(frozen=True)
class Article:
    """One efetch ``PubmedArticle`` (or ``PubmedBookArticle``), reduced to what we compare."""

    pmid: str
    title: str = ""
    authors: tuple[Author, ...] = ()
    journal: str = ""
    journal_abbrev: str = ""
    issn: tuple[str, ...] = ()
    year: int | None = None
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str | None = None
    publication_types: tuple[str, ...] = ()
    notices: tuple[Notice, ...] = ()
    abstract: str = ""
    mesh_headings: tuple[str, ...] = ()


def esearch_ids(payload: Any) -> list[str]:
    """The PMIDs of an esearch JSON answer, in PubMed's order."""
    result = mapping(mapping(payload, "the answer").get("esearchresult"), "esearchresult")
    if "ERROR" in result:
        raise ShapeError(f"esearch error: {scalar(result.get('ERROR'))}")
    ids = array(result.get("idlist"), "esearchresult.idlist")
    return [str(i) for i in ids if isinstance(i, (str, int))]


def summaries(payload: Any) -> dict[str, Mapping[str, Any] | None]:
    """esummary JSON by uid: the document, or None for "cannot get document summary".

    A uid the answer does not mention at all is absent from the result (the caller asks
    efetch, which settles it).
    """
    answer = mapping(payload, "the answer")
    if "error" in answer and "result" not in answer:
        raise ShapeError(f"esummary error: {scalar(answer.get('error'))}")
    result = mapping(answer.get("result"), "result")
    found: dict[str, Mapping[str, Any] | None] = {}
    for uid in array(result.get("uids", []), "result.uids"):
        doc = result.get(str(uid))
        if isinstance(doc, Mapping):
            found[str(uid)] = None if doc.get("error") else doc
    # An unknown id may come back only as an error entry, without being listed in uids.
    for key, doc in result.items():
        if key != "uids" and isinstance(doc, Mapping) and doc.get("error"):
            found.setdefault(str(doc.get("uid") or key), None)
    return found


def parse_efetch(xml: ET.Element) -> dict[str, Article]:
    """Articles of an efetch ``PubmedArticleSet`` by PMID (empty for unknown ids)."""
    if xml.tag != "PubmedArticleSet":
        raise ShapeError(f"the XML root is <{xml.tag}>, not <PubmedArticleSet>")
    found: dict[str, Article] = {}
    for element in xml:
        if element.tag in ("PubmedArticle", "PubmedBookArticle"):
            article = parse_article(element)
            if article.pmid:
                found[article.pmid] = article
    return found


def article_elements(xml: ET.Element) -> dict[str, ET.Element]:
    """Each article element by PMID, for storing; its reference list is dropped (unused)."""
    found: dict[str, ET.Element] = {}
    for element in xml:
        pmid = _text(element.find(".//PMID"))
        if element.tag in ("PubmedArticle", "PubmedBookArticle") and pmid:
            for parent in element.iter():
                for child in list(parent):
                    if child.tag == "ReferenceList":
                        parent.remove(child)
            found[pmid] = element
    return found


def parse_article(element: ET.Element) -> Article:
    """One ``PubmedArticle`` / ``PubmedBookArticle`` element as an :class:`Article`."""
    citation = element.find("MedlineCitation")
    if citation is None:
        citation = element.find("BookDocument")
    if citation is None:
        citation = element
    art = citation.find("Article")
    if art is None:
        art = citation.find("Book")
    if art is None:
        art = citation
    journal = art.find("Journal")
    issue = journal.find("JournalIssue") if journal is not None else None
    pubdate = issue.find("PubDate") if issue is not None else None
    pmid = _text(citation.find("PMID"))
    types = tuple(t for t in (_text(e) for e in art.iter("PublicationType")) if t) or tuple(
        t for t in (_text(e) for e in citation.iter("PublicationType")) if t
    )
    title_element = art.find("ArticleTitle")
    if title_element is None:
        title_element = citation.find("ArticleTitle")
    if title_element is None:
        title_element = art.find("BookTitle")
    return Article(
        pmid=pmid,
        title=_text(title_element),
        authors=_authors(art.find("AuthorList")),
        journal=_text(journal.find("Title")) if journal is not None else "",
        journal_abbrev=_text(citation.find("MedlineJournalInfo/MedlineTA"))
        or (_text(journal.find("ISOAbbreviation")) if journal is not None else ""),
        issn=_issns(citation, journal),
        year=_year(pubdate, art),
        volume=_text(issue.find("Volume")) if issue is not None else "",
        issue=_text(issue.find("Issue")) if issue is not None else "",
        pages=_text(art.find("Pagination/MedlinePgn")) or _page_range(art),
        doi=_article_doi(element),
        publication_types=types,
        notices=_notices(citation, types),
        abstract=_abstract(art.find("Abstract"), citation.find("Abstract")),
        mesh_headings=_mesh_headings(citation),
    )


def record_from(
    pmid: str, summary: Mapping[str, Any] | None, article: Article | None
) -> Record | None:
    """The PubMed record from esummary and efetch together (either may be missing).

    esummary gives the journal's NLM abbreviation (``source``) and full name; efetch the
    full title with its markup text, structured author names, publication types and the
    article's own DOI. Each fills what the other lacks.
    """
    if summary is None and article is None:
        return None
    s = summary or {}
    a = article or Article(pmid)
    summary_types = tuple(str(t) for t in s.get("pubtype") or [] if isinstance(t, str))
    return Record(
        source=SOURCE,
        title=a.title or collapse(scalar(s.get("title"))),
        authors=a.authors or _summary_authors(s.get("authors")),
        journal=scalar(s.get("fulljournalname")) or a.journal,
        journal_abbrev=scalar(s.get("source")) or a.journal_abbrev,
        issn=tuple(dict.fromkeys(_summary_issns(s) + a.issn)),
        year=year_in(scalar(s.get("pubdate"))) or a.year or year_in(scalar(s.get("epubdate"))),
        volume=scalar(s.get("volume")) or a.volume,
        issue=scalar(s.get("issue")) or a.issue,
        pages=scalar(s.get("pages")) or a.pages,
        doi=a.doi or summary_doi(s),
        pmid=pmid,
        publication_types=a.publication_types or summary_types,
        abstract=a.abstract,
        mesh_headings=a.mesh_headings,
        url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/",
    )


def notices_from(summary: Mapping[str, Any] | None, article: Article | None) -> tuple[Notice, ...]:
    """The article's notices; from esummary's publication types when efetch is missing."""
    if article is not None:
        return article.notices
    types = tuple(str(t) for t in (summary or {}).get("pubtype") or [] if isinstance(t, str))
    return _type_notices(types, ())


def summary_doi(summary: Mapping[str, Any]) -> str | None:
    """The DOI among esummary's ``articleids``."""
    for entry in summary.get("articleids") or []:
        if isinstance(entry, Mapping) and scalar(entry.get("idtype")).lower() == "doi":
            value = scalar(entry.get("value"))
            if value:
                return value
    return None


def _text(element: ET.Element | None) -> str:
    """The element's whole text, markup children included (``<i>``, ``<sup>``, MathML)."""
    return collapse("".join(element.itertext())) if element is not None else ""


def _abstract(*candidates: ET.Element | None) -> str:
    """The first abstract found as plain text: each ``AbstractText`` on a line of its own, its
    ``Label`` (``BACKGROUND``, ``RESULTS``, ...) before it; markup children keep their text."""
    abstract = next((c for c in candidates if c is not None), None)
    if abstract is None:
        return ""
    parts = []
    for part in abstract.findall("AbstractText"):
        text = _text(part)
        label = collapse(part.get("Label", ""))
        if text:
            parts.append(f"{label}: {text}" if label else text)
    return "\n".join(parts)


def _mesh_headings(citation: ET.Element) -> tuple[str, ...]:
    """The MeSH descriptor names, in PubMed's order (qualifiers left out)."""
    names = map(_text, citation.findall("MeshHeadingList/MeshHeading/DescriptorName"))
    return tuple(dict.fromkeys(name for name in names if name))


def _authors(author_list: ET.Element | None) -> tuple[Author, ...]:
    if author_list is None:
        return ()
    found: list[Author] = []
    for author in author_list.findall("Author"):
        if author.get("ValidYN", "Y") == "N":
            continue
        collective = _text(author.find("CollectiveName"))
        last = _text(author.find("LastName"))
        if last:
            given = _text(author.find("ForeName")) or _text(author.find("Initials"))
            found.append(Author(last, given))
        elif collective:
            found.append(Author(collective, literal=True))
    return tuple(found)


def _summary_authors(value: Any) -> tuple[Author, ...]:
    found: list[Author] = []
    for entry in value if isinstance(value, list) else []:
        if not isinstance(entry, Mapping):
            continue
        name = scalar(entry.get("name"))
        if not name:
            continue
        if scalar(entry.get("authtype")).lower() == "collectivename":
            found.append(Author(name, literal=True))
        else:
            found.append(Author.from_vancouver(name))
    return tuple(found)


def _summary_issns(summary: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(v for v in (scalar(summary.get("issn")), scalar(summary.get("essn"))) if v)


def _issns(citation: ET.Element, journal: ET.Element | None) -> tuple[str, ...]:
    found = [_text(e) for e in journal.findall("ISSN")] if journal is not None else []
    found.append(_text(citation.find("MedlineJournalInfo/ISSNLinking")))
    return tuple(dict.fromkeys(v for v in found if v))


def _year(pubdate: ET.Element | None, art: ET.Element) -> int | None:
    if pubdate is not None:
        year = year_in(_text(pubdate.find("Year"))) or year_in(_text(pubdate.find("MedlineDate")))
        if year:
            return year
    for path in ("ArticleDate/Year", "PubDate/Year"):
        year = year_in(_text(art.find(path)))
        if year:
            return year
    return None


def _page_range(art: ET.Element) -> str:
    start, end = _text(art.find("Pagination/StartPage")), _text(art.find("Pagination/EndPage"))
    return f"{start}-{end}" if start and end else start


def _article_doi(element: ET.Element) -> str | None:
    for article_id in element.findall("PubmedData/ArticleIdList/ArticleId"):
        if article_id.get("IdType") == "doi" and _text(article_id):
            return _text(article_id)
    return None


def _notices(citation: ET.Element, types: tuple[str, ...]) -> tuple[Notice, ...]:
    linked: list[Notice] = []
    for entry in citation.iter("CommentsCorrections"):
        ref_type = entry.get("RefType", "")
        kind = NOTICE_TYPES.get(ref_type)
        if kind is None:
            continue
        ref_source = _text(entry.find("RefSource"))
        doi = _NOTICE_DOI.search(ref_source + " ")
        pmid = _text(entry.find("PMID"))
        label = f"{ref_type}: {ref_source}" + (f" (PMID {pmid})" if pmid else "")
        notice = Notice(kind, doi.group(1) if doi else None, None, SOURCE, label)
        if notice not in linked:
            linked.append(notice)
    return _type_notices(types, tuple(linked))


def _type_notices(types: Iterable[str], linked: tuple[Notice, ...]) -> tuple[Notice, ...]:
    """Add the "Retracted Publication" type as a notice unless a RetractionIn already says so."""
    if RETRACTED_TYPE in types and not any(n.type == "retraction" for n in linked):
        return (*linked, Notice("retraction", None, None, SOURCE, f"type: {RETRACTED_TYPE}"))
    return linked
