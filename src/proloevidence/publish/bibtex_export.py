"""CSL items as BibTeX: for pandoc, Quarto, LaTeX and reference managers.

Text fields are LaTeX-escaped as :mod:`proloevidence.kb.bib_writer` escapes them (``&`` ->
``\\&``, ligatures such as ``--`` broken), plus ``^`` (see :func:`latex_escape`), and names
are written as it writes them; identifier fields (doi, url, pmid, pmcid) are written as they
are, since biblatex reads them verbatim. An author list cited with
"et al." ends in ``and others``, BibTeX's own way to say so. Notes (for example where a
verified record differs from the citation) become ``%`` comment lines before the entry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..kb import bib_writer as bibwriter
from ..kb.bib_writer import bibtex_name
from ..model import Author
from ..text.rich_text import rich_text_to_latex
from .csl_items import CslItem, has_et_al, item_year

BIBTEX_TYPES: Mapping[str, str] = {
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "book": "book",
    "chapter": "incollection",
    "paper-conference": "inproceedings",
    "thesis": "phdthesis",
    "report": "techreport",
    "webpage": "online",
    "manuscript": "unpublished",
    "pamphlet": "booklet",
}
"""CSL item type -> BibTeX entry type; anything else is ``misc``."""

# (CSL variable, BibTeX field, written verbatim) in output order, after author and title.
_FIELDS: tuple[tuple[str, str, bool], ...] = (
    ("container-title-short", "shortjournal", False),
    ("volume", "volume", False),
    ("issue", "number", False),
    ("collection-number", "number", False),
    ("page", "pages", False),
    ("publisher", "publisher", False),
    ("publisher-place", "address", False),
    ("edition", "edition", False),
    ("collection-title", "series", False),
    ("ISBN", "isbn", False),
    ("ISSN", "issn", False),
    ("DOI", "doi", True),
    ("PMID", "pmid", True),
    ("PMCID", "pmcid", True),
    ("URL", "url", True),
    ("note", "note", False),
)


_PUBLISHER_FIELDS = {
    "phdthesis": "school",
    "mastersthesis": "school",
    "techreport": "institution",
}


def latex_escape(text: str) -> str:
    """:func:`proloevidence.kb.bib_writer.latex_escape`, and ``^`` too: LaTeX reads a bare one as a
    superscript (our own reader keeps it, so the knowledge base's files leave it bare)."""
    return bibwriter.latex_escape(text).replace("^", r"\textasciicircum{}")


def to_bibtex(items: Sequence[CslItem], notes: Mapping[str, Sequence[str]] | None = None) -> str:
    """A ``.bib`` file holding ``items`` in order; ``notes[key]`` lines go before each entry."""
    blocks = [_entry(item, (notes or {}).get(str(item["id"]), ())) for item in items]
    return "\n".join(blocks)


def _entry(item: CslItem, notes: Sequence[str]) -> str:
    entry_type = BIBTEX_TYPES.get(str(item.get("type", "")), "misc")
    if entry_type == "phdthesis" and "master" in str(item.get("genre", "")).lower():
        entry_type = "mastersthesis"
    fields: list[tuple[str, str]] = []
    authors = _names(item.get("author", []), has_et_al(item))
    if authors:
        fields.append(("author", authors))
    for variable in ("editor", "translator"):
        names = _names(item.get(variable, []), False)
        if names:
            fields.append((variable, names))
    if item.get("title"):
        fields.append(("title", _rich(str(item["title"]))))
    if item.get("container-title"):
        container = "journal" if entry_type == "article" else "booktitle"
        fields.append((container, _rich(str(item["container-title"]))))
    year = item_year(item)
    if year is not None:
        fields.append(("year", str(year)))
        fields.extend(_month_day(item.get("issued")))
    accessed = _iso_date(item.get("accessed"))
    if accessed:
        fields.append(("urldate", accessed))
    for variable, field, verbatim in _FIELDS:
        value = item.get(variable)
        if not value:
            continue
        text = _verbatim(str(value)) if verbatim else _rich(str(value))
        if variable == "publisher":  # BibTeX names a thesis's and a report's publisher
            field = _PUBLISHER_FIELDS.get(entry_type, field)
        if variable == "page":
            text = text.replace("-", "--")  # after escaping, which breaks "--" ligatures
        fields.append((field, text))
    if item.get("genre") and entry_type == "techreport":
        fields.append(("type", _rich(str(item["genre"]))))
    if item.get("number"):
        # An article's number is its article number (biblatex eid); elsewhere the work's own.
        written = {name for name, _ in fields}
        name = "eid" if entry_type == "article" or "number" in written else "number"
        fields.append((name, _rich(str(item["number"]))))
    comments = "".join(f"% {item['id']}: {_comment(line)}\n" for line in notes)
    # An entry without fields (a bare @string-like stub) is "@misc{key,\n}": a lone comma
    # line would be a syntax error for BibTeX and pandoc.
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"{comments}@{entry_type}{{{item['id']},\n{body}}}\n"


def _date_parts(variable: Any) -> list[Any]:
    try:
        parts = variable["date-parts"][0]
    except (KeyError, IndexError, TypeError):
        return []
    return list(parts) if all(isinstance(p, int) for p in parts) else []


def _month_day(issued: Any) -> list[tuple[str, str]]:
    """biblatex's ``month`` and ``day`` (numbers, which biblatex and pandoc read)."""
    parts = _date_parts(issued)
    return [(name, str(value)) for name, value in zip(("month", "day"), parts[1:3], strict=False)]


def _iso_date(variable: Any) -> str:
    return "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(_date_parts(variable)))


def _rich(text: str) -> str:
    return rich_text_to_latex(text, latex_escape)


def _names(names: Any, et_al: bool) -> str:
    written = []
    for name in names if isinstance(names, list) else []:
        if not isinstance(name, dict):
            continue
        if name.get("literal"):
            written.append(bibtex_name(Author(str(name["literal"]), literal=True), latex_escape))
            continue
        # BibTeX's "von Last, Jr, First" form keeps every part where BibTeX's rules find it.
        particle = str(name.get("non-dropping-particle") or name.get("dropping-particle") or "")
        family = " ".join(p for p in (particle, str(name.get("family", ""))) if p)
        given = str(name.get("given") or "")
        suffix = str(name.get("suffix") or "")
        if suffix and given:
            written.append(f"{latex_escape(family)}, {latex_escape(suffix)}, {latex_escape(given)}")
        else:
            written.append(bibtex_name(Author(family, given), latex_escape))
    if et_al and written:
        written.append("others")
    return " and ".join(written)


def _verbatim(text: str) -> str:
    # Braces would unbalance a verbatim field; percent-encoding keeps a DOI or URL resolvable.
    return text.replace("{", "%7B").replace("}", "%7D")


def _comment(line: str) -> str:
    # "@" starts an entry even outside one, for BibTeX; a comment must not hold one.
    return " ".join(line.split()).replace("@", "(at)")
