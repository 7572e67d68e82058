"""References and verified records as CSL-JSON items, the Citation Style Language's data.

One item is a plain ``dict`` in the shape of CSL-JSON (https://citationstyles.org, the
``csl-data.json`` schema): ``id``, ``type``, name lists of ``{"family", "given"}`` or
``{"literal"}``, ``issued`` as ``{"date-parts": [[year]]}``, and string variables (each one
line, without control characters). Every output of the doc builds (citeproc rendering,
BibTeX, RIS, CSL-JSON) starts from these items.

A cited author list that ends in "et al." ends here in the name ``{"literal": "et al."}``
(:data:`ET_AL`): CSL has no field for an incomplete list, and dropping the "et al." would
print the list as complete.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..model import Author, Reference
from ..text.markup import strip_control
from ..verification import Record

CslItem = dict[str, Any]

ET_AL = "et al."
"""The literal name that stands for the authors a cited list left out."""

CSL_TYPES: Mapping[str, str] = {
    "article": "article-journal",
    "book": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "manual": "report",
    "mastersthesis": "thesis",
    "phdthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "online": "webpage",
    "unpublished": "manuscript",
    "misc": "document",
}
"""BibTeX entry type -> CSL item type; anything else becomes ``document``."""

# Extra BibTeX fields (Reference.extra) that have a CSL variable of their own.
_EXTRA_VARIABLES: Mapping[str, str] = {
    "publisher": "publisher",
    "address": "publisher-place",
    "booktitle": "container-title",
    "edition": "edition",
    "isbn": "ISBN",
    "issn": "ISSN",
    "series": "collection-title",
    "chapter": "chapter-number",
    "institution": "publisher",
    "school": "publisher",
    "language": "language",
}


def csl_names(authors: Iterable[Author], et_al: bool = False) -> list[dict[str, str]]:
    """CSL name objects; an organisation (``literal``) keeps its whole name."""
    names: list[dict[str, str]] = []
    for author in authors:
        family, given = _text(author.family), _text(author.given)
        if author.literal or not given:
            names.append({"literal": family})
        else:
            names.append({"family": family, "given": given})
    if et_al:
        names.append({"literal": ET_AL})
    return names


def csl_pages(pages: str) -> str:
    """``65–80`` or ``65--80`` -> ``65-80``; ``363-70`` -> ``363-370``.

    CSL-JSON writes page ranges in full with a hyphen; the style then abbreviates them as it
    wants (citeproc-py cannot expand a range given short, so AMA would print "363-70").
    """
    text = pages.strip()
    for dash in ("--", "–", "—", "‐", "‑", "−"):
        text = text.replace(dash, "-")
    first, dash, last = text.partition("-")
    first, last = first.strip(), last.strip()
    if dash and first.isdigit() and last.isdigit() and len(last) < len(first):
        last = first[: len(first) - len(last)] + last
        return f"{first}-{last}"
    return text


def item_from_reference(reference: Reference, *, journal_abbrev: str = "") -> CslItem:
    """The reference as the page cites it; ``journal_abbrev`` adds ``container-title-short``."""
    item = _item(reference.key, reference.entry_type, reference.authors, reference.et_al)
    for name, value in reference.extra.items():
        variable = _EXTRA_VARIABLES.get(name)
        if variable and variable not in item:
            _put(item, variable, value)
    _add_work(
        item,
        title=reference.title,
        journal=reference.journal,
        journal_abbrev=journal_abbrev,
        year=reference.year,
        volume=reference.volume,
        issue=reference.number,
        pages=reference.pages,
        doi=reference.doi,
        pmid=reference.pmid,
        pmcid=reference.pmcid,
        url=reference.url,
    )
    return item


def item_from_record(key: str, record: Record, *, entry_type: str = "article") -> CslItem:
    """A verification record (Crossref or PubMed) as an item with the cited reference's key."""
    item = _item(key, entry_type, record.authors, False)
    _add_work(
        item,
        title=record.title,
        journal=record.journal,
        journal_abbrev=record.journal_abbrev,
        year=record.year,
        volume=record.volume,
        issue=record.issue,
        pages=record.pages,
        doi=record.doi,
        pmid=record.pmid,
        pmcid=None,
        url=record.url,
    )
    if record.issn:
        item["ISSN"] = record.issn[0]
    return item


def _item(key: str, entry_type: str, authors: Iterable[Author], et_al: bool) -> CslItem:
    item: CslItem = {"id": key, "type": CSL_TYPES.get(entry_type, "document")}
    names = csl_names(authors, et_al)
    if names:
        item["author"] = names
    return item


def _add_work(
    item: CslItem,
    *,
    title: str,
    journal: str,
    journal_abbrev: str,
    year: int | None,
    volume: str,
    issue: str,
    pages: str,
    doi: str | None,
    pmid: str | None,
    pmcid: str | None,
    url: str | None,
) -> None:
    """The variables a reference and a record share, in one order for both."""
    _put(item, "title", title)
    _put(item, "container-title", journal)
    _put(item, "container-title-short", journal_abbrev)
    if year is not None:
        item["issued"] = {"date-parts": [[year]]}
    _put(item, "volume", volume)
    _put(item, "issue", issue)
    _put(item, "page", csl_pages(pages))
    for variable, value in (("DOI", doi), ("PMID", pmid), ("PMCID", pmcid), ("URL", url)):
        _put(item, variable, value or "")


def item_year(item: Mapping[str, Any]) -> int | None:
    """The first year of ``issued``, if any."""
    try:
        year = item["issued"]["date-parts"][0][0]
    except (KeyError, IndexError, TypeError):
        return None
    return int(year) if isinstance(year, int) or str(year).isdigit() else None


def _put(item: CslItem, variable: str, value: str) -> None:
    text = _text(value)
    if text:
        item[variable] = text


def _text(value: str) -> str:
    # A BibTeX field may span lines; CSL strings are single-spaced. Record titles come from
    # remote services: no control character (a terminal escape) reaches any output.
    return " ".join(strip_control(value).split())
