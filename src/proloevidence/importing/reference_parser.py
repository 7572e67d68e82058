"""Parse one printed reference (AMA, Vancouver/NLM and similar numbered styles) into fields.

The shape read, in order: authors as ``Family Initials`` separated by commas, optionally
ending in ``et al`` (or an organisation as author), then the title, then the journal as
printed, then ``Year[ Mon[ Day]];Volume(Issue):Pages``; then identifiers anywhere:
``doi:``/``https://doi.org/...``, ``PMID:``, ``PMCID:``, a URL, ``Accessed ...``. Books
(``Place: Publisher; Year``) and web pages (a URL and no journal) are read too.

Nothing is invented and nothing raises: what cannot be read stays empty and is named in
:attr:`ParsedEntry.missing`; an entry whose shape is not recognised at all has
``recognised`` False and keeps only what was found (identifiers, a year). The printed
string is always kept verbatim in :attr:`ParsedEntry.printed`.
"""

from __future__ import annotations

import re

from ..model import Author
from .reference_fields import (
    FAMILY,
    INITIALS,
    YEAR,
    ParsedEntry,
    core,
    finish,
    identifiers,
    person,
    title_of,
    year_piece,
)
from .reference_fields import (
    pieces as split_pieces,
)
from .reference_styles import parse_ieee, parse_plos

_AUTHOR = rf"{FAMILY}\s+{INITIALS}(?=\s*[,.])"
# A group as first author before personal names: "Genomes Project Consortium, Abecasis GR, ..."
_GROUP = (
    r"(?P<org>[^\W\d_][^,.;:()]*?\b(?:Consortium|Group|Collaboration|Collaborators|Network|"
    r"Committee|Investigators|Initiative|Association|Society)),\s*"
)
_AUTHORS = re.compile(
    rf"^(?:{_GROUP})?(?P<list>{_AUTHOR}(?:\s*,\s*{_AUTHOR})*)(?:\s*,?\s*(?P<etal>et\s+al))?\s*\.(?:\s+|$)"
)
_MONTH = r"(?:[A-Z][a-z]{2,8}\.?|Spring|Summer|Fall|Autumn|Winter)"
_PAGES = r"[A-Za-z]{0,2}\d+[A-Za-z]?(?:\s*[-–‐]\s*[A-Za-z]{0,2}\d+[A-Za-z]?)?"
_SOURCE = re.compile(
    rf"(?P<year>{YEAR})[a-z]?(?:\s+{_MONTH}(?:\s*[-–/]\s*{_MONTH})?(?:\s+\d{{1,2}})?)?"
    rf"(?:\s*;\s*(?P<volume>[^\s(:;]+(?:\s+Suppl\s*\d*)?)?"
    rf"\s*(?:\((?P<issue>[^)]+)\))?(?:\s*:\s*(?P<pages>{_PAGES}))?"
    # A chapter or an article without a volume: "2013:145-62." (year, then its pages).
    rf"|\s*:\s*(?P<chapter_pages>{_PAGES})(?=\.?$|\.\s))"
)
_BOOK = re.compile(
    rf"(?:(?P<address>[^.;:]+):\s*)?(?P<publisher>[^.;:]+);\s*(?P<year>{YEAR})[a-z]?\.?$"
)
_EDITION = re.compile(r"^(\d+)(?:st|nd|rd|th)\s+ed\.?$", re.I)
_PUBLISHED = re.compile(rf"\b(?:Published|Updated|Posted)\b[^.]*?\b(?P<year>{YEAR})\b")
_END_YEAR = re.compile(rf"[;,]\s*(?P<year>{YEAR})[a-z]?\.?$")


def parse_reference(printed: str) -> ParsedEntry:
    """Read a printed reference into fields (rules in the module docstring); never raises."""
    text = " ".join(printed.split())
    found = identifiers(text)
    styled = parse_ieee(text, found) or parse_plos(text, found)
    if styled is not None:
        return styled
    authors, et_al, rest = _authors(core(text))

    source = _SOURCE.search(rest)
    if source:
        return _article(text, found, authors, et_al, rest, source)
    plos = parse_plos(text, found, lenient=True)
    if plos is not None:
        return plos
    book = _BOOK.search(rest)
    if book and not found.get("url"):
        return _book(text, found, authors, et_al, rest, book)
    if found.get("url"):
        return _online(text, found, authors, et_al, rest)
    parts = split_pieces(rest)
    if year_piece(parts) is not None:
        return _report(text, found, authors, et_al, parts)
    return finish(
        printed,
        found,
        authors=authors,
        et_al=et_al,
        year=_year_at_end(parts),
        recognised=False,
        missing=("title", "journal or publisher"),
    )


def _article(
    printed: str,
    found: dict[str, str],
    authors: tuple[Author, ...],
    et_al: bool,
    rest: str,
    source: re.Match[str],
) -> ParsedEntry:
    pieces = split_pieces(rest[: source.start()])
    authors, pieces = _organisation(authors, pieces, minimum=3)
    journal = pieces[-1].rstrip(".").strip() if pieces else ""
    title = title_of(pieces[:-1])
    fields = {
        "authors": authors,
        "title": title,
        "journal": journal,
    }
    return finish(
        printed,
        found,
        entry_type="article",
        authors=authors,
        et_al=et_al,
        title=title,
        journal=journal,
        year=int(source.group("year")),
        volume=(source.group("volume") or "").strip(),
        number=(source.group("issue") or "").strip(),
        pages=" ".join((source.group("pages") or source.group("chapter_pages") or "").split()),
        missing=tuple(name for name, value in fields.items() if not value),
    )


def _book(
    printed: str,
    found: dict[str, str],
    authors: tuple[Author, ...],
    et_al: bool,
    rest: str,
    book: re.Match[str],
) -> ParsedEntry:
    pieces = split_pieces(rest[: book.start()])
    authors, pieces = _organisation(authors, pieces, minimum=2)
    extra = [("publisher", " ".join(book.group("publisher").split()))]
    if book.group("address"):
        extra.append(("address", " ".join(book.group("address").split())))
    edition = [p for p in pieces if _EDITION.match(p)]
    if edition:
        extra.append(("edition", _EDITION.match(edition[0]).group(1)))  # type: ignore[union-attr]
    title = title_of([p for p in pieces if not _EDITION.match(p)])
    return finish(
        printed,
        found,
        entry_type="book",
        authors=authors,
        et_al=et_al,
        title=title,
        year=int(book.group("year")),
        extra=tuple(extra),
        missing=tuple(n for n, v in (("authors", authors), ("title", title)) if not v),
    )


def _online(
    printed: str,
    found: dict[str, str],
    authors: tuple[Author, ...],
    et_al: bool,
    rest: str,
) -> ParsedEntry:
    published = _PUBLISHED.search(printed)
    parts = split_pieces(rest)
    year = int(published.group("year")) if published else _year_at_end(parts)
    pieces = [p for p in parts if not _PUBLISHED.search(p)]
    authors, pieces = _organisation(authors, pieces, minimum=3)
    pieces = [p for p in pieces if year_piece([p]) is None]
    title = pieces[0].rstrip(".").strip() if pieces else ""
    extra = [("howpublished", pieces[1].rstrip(".").strip())] if len(pieces) > 1 else []
    return finish(
        printed,
        found,
        entry_type="online",
        authors=authors,
        et_al=et_al,
        title=title,
        year=year,
        extra=tuple(extra),
        missing=("title",) if not title else (),
    )


def _report(
    printed: str,
    found: dict[str, str],
    authors: tuple[Author, ...],
    et_al: bool,
    parts: list[str],
) -> ParsedEntry:
    """``Author. Title. [Issuer.] Year.``: a report, or an article printed without volume."""
    year = year_piece(parts)
    authors, pieces = _organisation(authors, parts, minimum=3)
    pieces = [p for p in pieces if year_piece([p]) is None]
    title = pieces[0].rstrip(".").strip() if pieces else ""
    issuer = " ".join(pieces[1:]).rstrip(".").strip()
    return finish(
        printed,
        found,
        authors=authors,
        et_al=et_al,
        title=title,
        year=year,
        extra=(("howpublished", issuer),) if issuer else (),
        missing=tuple(n for n, v in (("authors", authors), ("title", title)) if not v),
    )


def _authors(head: str) -> tuple[tuple[Author, ...], bool, str]:
    match = _AUTHORS.match(head)
    if not match:
        return (), False, head
    authors = []
    if match.group("org"):
        authors.append(Author(family=match.group("org").strip(), literal=True))
    for name in re.split(r"\s*,\s*", match.group("list")):
        one = person(name)
        if one is None:  # pragma: no cover - _AUTHORS only matches names of this shape
            return (), False, head
        authors.append(one)
    return tuple(authors), bool(match.group("etal")), head[match.end() :]


def _organisation(
    authors: tuple[Author, ...], pieces: list[str], minimum: int
) -> tuple[tuple[Author, ...], list[str]]:
    """No personal names read, but enough pieces: the first is the author list.

    Without a comma it is an organisation; with one it is personal names in a form not
    read here ("Kim W.M., Lee H.G."): it is left out and the authors are missing.
    """
    if not authors and len(pieces) > 1 and re.fullmatch(r"(?:[A-Z]\.){2,}", pieces[0]):
        pieces = [f"{pieces[0]} {pieces[1]}", *pieces[2:]]  # "U.S. General Accounting Office."
    if authors or len(pieces) < minimum:
        return authors, pieces
    if "," in pieces[0]:
        return (), pieces[1:]
    return (Author(family=pieces[0].rstrip(".").strip(), literal=True),), pieces[1:]


def _year_at_end(parts: list[str]) -> int | None:
    """A year where reports and web pages print it: a piece of its own ("Title. 2008.") or
    after the publisher ("Publisher; 2009."); never one inside a title ("2008–2013 Plan")."""
    alone = year_piece(parts)
    if alone is not None:
        return alone
    last = _END_YEAR.search(parts[-1]) if parts else None
    return int(last.group("year")) if last else None
