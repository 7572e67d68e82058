"""References and verified records as CSL-JSON items, the Citation Style Language's data.

One item is a plain ``dict`` in the shape of CSL-JSON (https://citationstyles.org, the
``csl-data.json`` schema): ``id``, ``type``, name lists of ``{"family", "given"}`` or
``{"literal"}``, ``issued`` as ``{"date-parts": [[year]]}``, and string variables. Every
output of the doc builds (citeproc rendering, BibTeX, RIS, CSL-JSON) starts from these items.

A cited author list that ends in "et al." ends here in the name ``{"literal": "et al."}``
(:data:`ET_AL`): CSL has no field for an incomplete list, and dropping the "et al." would
print the list as complete.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .model import Author, Reference
from .verification import Record

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
        if author.literal or not author.given:
            names.append({"literal": author.family})
        else:
            names.append({"family": author.family, "given": author.given})
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
    item: CslItem = {
        "id": reference.key,
        "type": CSL_TYPES.get(reference.entry_type, "document"),
    }
    names = csl_names(reference.authors, reference.et_al)
    if names:
        item["author"] = names
    for name, value in reference.extra.items():
        variable = _EXTRA_VARIABLES.get(name)
        if variable and value.strip() and variable not in item:
            item[variable] = value.strip()
    _put(item, "title", reference.title)
    _put(item, "container-title", reference.journal)
    _put(item, "container-title-short", journal_abbrev)
    if reference.year is not None:
        item["issued"] = {"date-parts": [[reference.year]]}
    _put(item, "volume", reference.volume)
    _put(item, "issue", reference.number)
    _put(item, "page", csl_pages(reference.pages))
    _put(item, "DOI", reference.doi or "")
    _put(item, "PMID", reference.pmid or "")
    _put(item, "PMCID", reference.pmcid or "")
    _put(item, "URL", reference.url or "")
    return item


def item_from_record(key: str, record: Record, *, entry_type: str = "article") -> CslItem:
    """A verification record (Crossref or PubMed) as an item with the cited reference's key."""
    item: CslItem = {"id": key, "type": CSL_TYPES.get(entry_type, "document")}
    names = csl_names(record.authors)
    if names:
        item["author"] = names
    _put(item, "title", record.title)
    _put(item, "container-title", record.journal)
    _put(item, "container-title-short", record.journal_abbrev)
    if record.year is not None:
        item["issued"] = {"date-parts": [[record.year]]}
    _put(item, "volume", record.volume)
    _put(item, "issue", record.issue)
    _put(item, "page", csl_pages(record.pages))
    _put(item, "DOI", record.doi or "")
    _put(item, "PMID", record.pmid or "")
    _put(item, "URL", record.url or "")
    if record.issn:
        item["ISSN"] = record.issn[0]
    return item


def item_year(item: Mapping[str, Any]) -> int | None:
    """The first year of ``issued``, if any."""
    try:
        year = item["issued"]["date-parts"][0][0]
    except (KeyError, IndexError, TypeError):
        return None
    return int(year) if isinstance(year, int) or str(year).isdigit() else None


def _put(item: CslItem, variable: str, value: str) -> None:
    # A BibTeX field may span lines; CSL strings are single-spaced.
    text = " ".join(value.split())
    if text:
        item[variable] = text
