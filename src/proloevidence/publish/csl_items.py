"""References and verified records as CSL-JSON items, the Citation Style Language's data.

One item is a plain ``dict`` in the shape of CSL-JSON 1.0.2 (the ``csl-data.json`` schema of
citation-style-language/schema): ``id``, ``type``, name lists of CSL name objects
(:mod:`.csl_names`), dates as ``{"date-parts": [[year, month, day]]}`` (:mod:`.csl_dates`),
and string variables, each one line without control characters. Titles and other text
variables of a reference are CSL rich text (:mod:`proloevidence.text.rich_text`), made from
the LaTeX the loader keeps where it has markup (``Reference.latex``: ``{DNA}`` -> ``<span
class="nocase">DNA</span>``, ``\\emph{x}`` -> ``<i>x</i>``), else from the decoded value, whose
math becomes Unicode and ``<sub>``/``<sup>`` (``$\\alpha$`` -> ``α``) and whose brace or
backslash left is a character, not markup. Their case is kept as written (docs/refs.md,
"Title case"). Every output of the doc builds (citeproc rendering, BibTeX, RIS, CSL-JSON)
starts from these items.

A cited author list that ends in "et al." is flagged, ``"custom": {"et-al": true}``
(:func:`has_et_al`): CSL has no variable for an incomplete list, the schema's ``custom``
object holds what CSL has no variable for, and a name ``"et al."`` would be printed as a
person by every processor ("& et al." in APA).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..kb.bib_fields import RICH_TEXT_FIELDS
from ..model import Reference
from ..text.markup import strip_control
from ..text.rich_text import latex_to_rich_text, math_to_rich_text
from ..verification import Record
from .csl_dates import date_variable, issued
from .csl_names import csl_name_list, csl_names

CslItem = dict[str, Any]

ET_AL = "et al."
"""What a renderer prints for the authors a cited list left out."""

CSL_TYPES: Mapping[str, str] = {
    "article": "article-journal",
    "periodical": "periodical",
    "suppperiodical": "article-journal",
    "book": "book",
    "mvbook": "book",
    "collection": "book",
    "mvcollection": "book",
    "proceedings": "book",
    "mvproceedings": "book",
    "reference": "book",
    "mvreference": "book",
    "manual": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "bookinbook": "chapter",
    "incollection": "chapter",
    "suppbook": "chapter",
    "suppcollection": "chapter",
    "inreference": "entry-encyclopedia",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "mastersthesis": "thesis",
    "phdthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "webpage": "webpage",
    "web_page": "webpage",  # Mendeley
    "book_section": "chapter",  # Mendeley
    "preprint": "article",
    "unpublished": "manuscript",
    "patent": "patent",
    "dataset": "dataset",
    "data": "dataset",
    "software": "software",
    "softwareversion": "software",  # biblatex-software
    "softwaremodule": "software",
    "artifactsoftware": "software",  # ACM
    "artifactdataset": "dataset",
    "standard": "standard",
    "legislation": "legislation",
    "jurisdiction": "legal_case",
    "letter": "personal_communication",
    "movie": "motion_picture",
    "video": "motion_picture",
    "audio": "song",
    "music": "song",
    "artwork": "graphic",
    "image": "graphic",
    "review": "review",
    "misc": "document",
}
"""BibTeX / BibLaTeX entry type -> CSL item type; anything else becomes ``document``."""

_ARTICLE_TYPES = frozenset({"article-journal", "article-magazine", "article-newspaper"})
# biblatex's localisation keys for pubstate, as the words CSL's status variable prints.
_PUBLICATION_STATES = {
    "inpress": "in press",
    "inpreparation": "in preparation",
    "submitted": "submitted",
    "forthcoming": "forthcoming",
    "prepublished": "preprint",
}
_PREPRINT_KINDS = frozenset({"article-journal", "document", "webpage", "manuscript", "report"})
_THESIS_GENRES = {
    "phdthesis": "PhD thesis",
    "mastersthesis": "Master's thesis",
    "mathesis": "Master's thesis",
    "bathesis": "Bachelor's thesis",
}
# Preprint servers whose eprint makes an unpublished work a CSL "article" (a preprint).
_PREPRINT_SERVERS = {"arxiv": "arXiv", "biorxiv": "bioRxiv", "medrxiv": "medRxiv"}
# Plain string variables of a reference, in output order: (CSL variable, BibTeX fields).
_TEXT_VARIABLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("collection-title", ("series",)),
    ("edition", ("edition",)),
    ("event-title", ("eventtitle",)),
    ("event-place", ("venue",)),
    ("publisher", ("publisher", "institution", "school", "organization")),
    ("publisher-place", ("address", "location")),
    ("chapter-number", ("chapter",)),
    ("number-of-pages", ("pagetotal", "numpages")),
    ("number-of-volumes", ("volumes",)),
    ("version", ("version",)),
    ("ISBN", ("isbn",)),
    ("ISSN", ("issn",)),
    ("note", ("note",)),
)
_LANGUAGES = {
    "english": "en",
    "american": "en-US",
    "usenglish": "en-US",
    "british": "en-GB",
    "ukenglish": "en-GB",
    "german": "de",
    "ngerman": "de",
    "french": "fr",
    "spanish": "es",
    "italian": "it",
    "dutch": "nl",
    "portuguese": "pt",
    "brazilian": "pt-BR",
    "swedish": "sv",
    "danish": "da",
    "norwegian": "no",
    "finnish": "fi",
    "polish": "pl",
    "russian": "ru",
    "japanese": "ja",
    "chinese": "zh",
    "korean": "ko",
    "latin": "la",
    "greek": "el",
    "turkish": "tr",
    "czech": "cs",
    "hungarian": "hu",
}
# arXiv identifiers: 2101.01234v2 (since 2007), hep-th/9901001 (before).
_ARXIV_ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")
_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def has_et_al(item: Mapping[str, Any]) -> bool:
    """True when the item's cited author list ends in "et al."."""
    custom = item.get("custom")
    return isinstance(custom, Mapping) and bool(custom.get("et-al"))


def csl_pages(pages: str) -> str:
    """``65–80`` or ``65--80`` -> ``65-80``; ``363-70`` -> ``363-370``.

    CSL-JSON writes page ranges in full with a hyphen; the style then abbreviates them as it
    wants, from the same full range in every processor that reads our CSL-JSON.
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


def csl_type(entry_type: str, fields: Mapping[str, str]) -> str:
    """The CSL type of a BibTeX entry; ``fields`` (lower-case names) refine it."""
    kind = CSL_TYPES.get(entry_type.lower(), "document")
    subtype = fields.get("entrysubtype", "").strip().lower()
    if kind == "article-journal" and subtype in ("magazine", "newspaper"):
        return f"article-{subtype}"
    unpublished = not fields.get("journal") and not fields.get("journaltitle")
    if _preprint_server(fields) and unpublished and kind in _PREPRINT_KINDS:
        return "article"
    return kind


def item_from_reference(reference: Reference, *, journal_abbrev: str = "") -> CslItem:
    """The reference as the page cites it; ``journal_abbrev`` adds ``container-title-short``."""
    fields = {name.lower(): value for name, value in reference.extra.items() if value}
    kind = csl_type(reference.entry_type, {**fields, "journal": reference.journal})
    item: CslItem = {"id": reference.key, "type": kind}
    authors = csl_names(reference.authors)
    if authors:
        item["author"] = authors
    for variable, field in (
        ("editor", "editor"),
        ("translator", "translator"),
        ("container-author", "bookauthor"),
    ):
        names, _others = csl_name_list(fields.get(field, ""))
        if names:
            item[variable] = names
    rich = _rich_fields(reference, fields)
    title = rich.get("title", "")
    if rich.get("subtitle"):
        title = f"{title}: {rich['subtitle']}" if title else rich["subtitle"]
    _put(item, "title", title)
    _put(item, "title-short", rich.get("shorttitle", ""))
    container = rich.get("journal") or rich.get("booktitle", "")
    if not container and kind in ("chapter", "paper-conference"):
        container = rich.get("maintitle", "")  # a chapter of one volume of a multi-volume work
    _put(item, "container-title", container)
    _put(item, "container-title-short", journal_abbrev or fields.get("shortjournal", ""))
    date = issued(
        reference.year, fields.get("month", ""), fields.get("day", ""), fields.get("date", "")
    )
    if date:
        item["issued"] = date
    _put(item, "volume", reference.volume)
    _put(item, _number_variable(kind, fields), reference.number)
    _put(item, "page", csl_pages(reference.pages))
    if "number" not in item:  # an article number (biblatex eid, ACM articleno)
        _put(item, "number", fields.get("eid", "") or fields.get("articleno", ""))
    for variable, sources in _TEXT_VARIABLES:
        # The rich-text ones (series, eventtitle, note) are converted already.
        found = next((rich.get(n) or fields[n] for n in sources if fields.get(n)), "")
        _put(item, variable, found)
    genre = fields.get("type", "")
    if kind == "thesis":
        genre = _THESIS_GENRES.get(genre.lower(), genre) or _THESIS_GENRES.get(
            reference.entry_type.lower(), ""
        )
    _put(item, "genre", genre)
    _put(item, "language", _language(fields.get("langid") or fields.get("language", "")))
    _eprint(item, fields)
    for variable, field in (("accessed", "urldate"), ("event-date", "eventdate")):
        date = date_variable(fields.get(field, ""))
        if date:
            item[variable] = date
    status = fields.get("pubstate", "").strip()
    _put(item, "status", _PUBLICATION_STATES.get(status.lower(), status))
    howpublished = fields.get("howpublished", "")
    url = reference.url or _url(howpublished)
    if "publisher" not in item and howpublished and not _url(howpublished):
        # "howpublished = {medRxiv}" names who published it, as pandoc's BibTeX reader reads it.
        _put(item, "publisher", "" if "://" in howpublished else howpublished)
    for variable, value in (
        ("DOI", reference.doi),
        ("PMID", reference.pmid),
        ("PMCID", reference.pmcid),
        ("URL", url),
    ):
        _put(item, variable, value or "")
    if reference.et_al:
        item["custom"] = {"et-al": True}
    return item


def _rich_fields(reference: Reference, fields: Mapping[str, str]) -> dict[str, str]:
    """The rich-text fields as CSL rich text: from their LaTeX where the loader kept it
    (``{DNA}`` -> a nocase span, ``\\emph`` -> ``<i>``), else the decoded value's math."""
    values = {name: fields.get(name, "") for name in RICH_TEXT_FIELDS}
    values.update(title=reference.title, journal=reference.journal, journaltitle="")
    rich: dict[str, str] = {}
    for name, value in values.items():
        if not value:
            continue
        latex = _text(reference.latex.get(name, ""))
        converted = latex_to_rich_text(latex) if latex else latex
        # Unchanged LaTeX is what the converter refuses (groups nested too deep to be text
        # anyone wrote): the decoded value then, never braces and backslashes.
        rich[name] = converted if converted != latex else math_to_rich_text(_text(value))
    return rich


def item_from_record(key: str, record: Record, *, entry_type: str = "article") -> CslItem:
    """A verification record (Crossref or PubMed) as an item with the cited reference's key."""
    item: CslItem = {"id": key, "type": CSL_TYPES.get(entry_type, "document")}
    authors = csl_names(record.authors)
    if authors:
        item["author"] = authors
    _put(item, "title", record.title)
    _put(item, "container-title", record.journal)
    _put(item, "container-title-short", record.journal_abbrev)
    if record.year is not None:
        item["issued"] = {"date-parts": [[record.year]]}
    _put(item, "volume", record.volume)
    _put(item, "issue", record.issue)
    _put(item, "page", csl_pages(record.pages))
    for variable, value in (("DOI", record.doi), ("PMID", record.pmid), ("URL", record.url)):
        _put(item, variable, value or "")
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


def _number_variable(kind: str, fields: Mapping[str, str]) -> str:
    # BibTeX's "number" is a journal issue in an article, a series number next to "series",
    # and the work's own number (a report's, a patent's) elsewhere.
    if kind in _ARTICLE_TYPES or kind == "periodical":
        return "issue"
    if fields.get("series"):
        return "collection-number"
    return "number"


def _preprint_server(fields: Mapping[str, str]) -> str:
    prefix = fields.get("eprinttype", "") or fields.get("archiveprefix", "")
    if not prefix and _ARXIV_ID.match(fields.get("eprint", "").strip()):
        return "arXiv"  # an eprint alone is arXiv's by BibTeX custom (and by its shape)
    return _PREPRINT_SERVERS.get(prefix.strip().lower(), "")


def _eprint(item: CslItem, fields: Mapping[str, str]) -> None:
    """An arXiv-style eprint as Zotero's preprint fields: number ``arXiv:ID``, the server."""
    eprint = fields.get("eprint", "").strip()
    server = _preprint_server(fields)
    if eprint and server:
        item.setdefault("number", f"{server}:{eprint}")
        item.setdefault("publisher", server)
    elif eprint and fields.get("eprinttype", "").lower() == "pubmed":
        item.setdefault("PMID", eprint)


def _language(value: str) -> str:
    text = value.strip()
    mapped = _LANGUAGES.get(text.lower())
    if mapped:
        return mapped
    return text if _LANGUAGE_TAG.match(text) else ""


def _url(howpublished: str) -> str:
    text = howpublished.strip()
    if text.startswith("\\url{") and text.endswith("}"):
        text = text[5:-1]
    return text if re.match(r"^https?://\S+$", text) else ""


def _put(item: CslItem, variable: str, value: str) -> None:
    if not value:  # most variables of most references: nothing to clean
        return
    text = _text(value)
    if text:
        item[variable] = text


def _text(value: str) -> str:
    # A BibTeX field may span lines; CSL strings are single-spaced. Record titles come from
    # remote services: no control character (a terminal escape) reaches any output.
    return " ".join(strip_control(value).split())
