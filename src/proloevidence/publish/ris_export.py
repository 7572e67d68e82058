"""CSL items as RIS, the tagged format reference managers import (EndNote, Zotero, Mendeley).

Tags follow the RIS specification (Research Information Systems, 2011): each line is a
two-character tag, two spaces, a hyphen and a space; ``TY`` opens a record and ``ER`` closes
it; lines end in CR LF. ``T2`` holds the journal, ``J2`` its abbreviation, ``AN`` the PubMed
id (accession number), ``N1`` notes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..text.rich_text import strip_rich_text
from .csl_items import CslItem, has_et_al, item_year

RIS_TYPES: Mapping[str, str] = {
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "book": "BOOK",
    "chapter": "CHAP",
    "paper-conference": "CPAPER",
    "thesis": "THES",
    "report": "RPRT",
    "webpage": "ELEC",
    "manuscript": "UNPB",
    "pamphlet": "PAMP",
}
"""CSL item type -> RIS reference type; anything else is ``GEN``."""

EOL = "\r\n"

# (CSL variable, RIS tag) after TY, AU, TI.
_TAGS: tuple[tuple[str, str], ...] = (
    ("container-title", "T2"),
    ("container-title-short", "J2"),
    ("volume", "VL"),
    ("issue", "IS"),
    ("publisher", "PB"),
    ("publisher-place", "CY"),
    ("edition", "ET"),
    ("ISBN", "SN"),
    ("ISSN", "SN"),
    ("DOI", "DO"),
    ("PMID", "AN"),
    ("URL", "UR"),
)


def to_ris(items: Sequence[CslItem], notes: Mapping[str, Sequence[str]] | None = None) -> str:
    """An RIS file holding ``items`` in order; ``notes[key]`` become ``N1`` lines."""
    return "".join(_record(item, (notes or {}).get(str(item["id"]), ())) for item in items)


def _record(item: CslItem, notes: Sequence[str]) -> str:
    lines = [("TY", RIS_TYPES.get(str(item.get("type", "")), "GEN"))]
    incomplete = has_et_al(item)
    lines.extend(("AU", _name(name)) for name in _names(item.get("author")))
    # A2, "secondary author": the editor in the RIS 2011 spec's book and chapter types.
    lines.extend(("A2", _name(name)) for name in _names(item.get("editor")))
    if item.get("title"):
        lines.append(("TI", str(item["title"])))
    year = item_year(item)
    if year is not None:
        lines.append(("PY", str(year)))
    for variable, tag in _TAGS:
        if item.get(variable):
            lines.append((tag, str(item[variable])))
    if item.get("page"):
        first, _, last = str(item["page"]).partition("-")
        lines.append(("SP", first.strip()))
        if last.strip():
            lines.append(("EP", last.strip()))
    if incomplete:
        lines.append(("N1", "The cited author list ends in et al."))
    lines.extend(("N1", note) for note in notes)
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {_one_line(strip_rich_text(value))}{EOL}" for tag, value in lines)


def _name(name: dict[str, Any]) -> str:
    """RIS's "Last, First, Suffix"; a particle stays with the last name."""
    if name.get("literal"):
        return str(name["literal"])
    particle = str(name.get("non-dropping-particle") or name.get("dropping-particle") or "")
    family = " ".join(p for p in (particle, str(name.get("family", ""))) if p)
    parts = [family, str(name.get("given", "")), str(name.get("suffix", ""))]
    return ", ".join(p for p in parts if p)


def _names(names: Any) -> list[dict[str, Any]]:
    return [n for n in names if isinstance(n, dict)] if isinstance(names, list) else []


def _one_line(value: str) -> str:
    return " ".join(value.split())
