"""Two numbered reference styles beside Vancouver/AMA: PLoS/BMC and IEEE.

- PLoS/BMC: ``Fava M, Smith J, et al. (2003) Title. Biol Psychiatry 53: 649–659.`` The
  year stands in parentheses after the authors (persons as ``Family Initials``, a group,
  or an organisation: "Department of Justice (2010) ..."); the source is ``Journal
  Volume(Issue): Pages`` as the entry's last piece. An entry with no such source (a
  report, a law, a web page) keeps its first piece as the title.
- IEEE: ``A. B. Author, C. Author, and D. Author, "Title," Journal, vol. 4, no. 2,
  pp. 1–5, 2006.`` Persons as ``Initials Family``, the title in quotes, the year last.

Each reader returns None when the entry is not in its style, so the caller tries the next.
A year is read only where the style prints it, never from a title ("... 1990–2008 ...").
"""

from __future__ import annotations

import re

from ..model import Author
from .reference_fields import (
    YEAR,
    ParsedEntry,
    core,
    finish,
    person,
    pieces,
    title_of,
)

_ACRONYM = re.compile(r"\b(?:[A-Z]\.){2,}")
_ET_AL = re.compile(r",?\s*\bet\s+al\b\.?\s*$")
_PLOS_HEAD = re.compile(rf"^(?P<authors>[^()]+?)\s*\((?P<year>{YEAR})[a-z]?\)\s*(?P<rest>\S.*)$")
_PLOS_SOURCE = re.compile(
    r"^(?P<journal>.+?)\s+(?P<volume>[A-Za-z]?\d+[A-Za-z]?(?:\s+Suppl\s*\d*)?)"
    r"\s*(?:\((?P<issue>[^)]+)\))?\s*:\s*"
    r"(?P<pages>[A-Za-z]{0,2}\d+[A-Za-z]?(?:\s*[-–‐]\s*[A-Za-z]{0,2}\d+[A-Za-z]?)?)\.?$"
)
_QUOTED_TITLE = re.compile(r"^(?P<authors>.*?)(?:,\s*|^)[\"“](?P<title>.+?)[,.]?[\"”]\s*,?\s*")
_IEEE_NAME = re.compile(
    r"^(?P<initials>(?:[A-Z][a-z]?\.(?:\s*-\s*[A-Z][a-z]?\.)?\s*)+)(?P<family>[^\W\d_].*)$"
)
_IEEE_YEAR = re.compile(
    rf"(?:^|,)\s*(?:[A-Z][a-z]{{2,8}}\.?(?:\s*[-–/]\s*[A-Z][a-z]{{2,8}}\.?)?\s+)?"
    rf"(?:\d{{1,2}},?\s+)?(?P<year>{YEAR})[a-z]?\.?$"
)
_ONLINE = re.compile(r"\[Online\]\.?", re.I)
_IEEE_FIELD = re.compile(r"\b(?:vol|no|pp|p)\.\s*(?P<value>[^,]+)")


def parse_plos(text: str, found: dict[str, str], *, lenient: bool = False) -> ParsedEntry | None:
    """Read ``Authors (Year) Title. Journal Vol: Pages.``; None when not in that style.

    The authors are persons or an organisation without a full stop inside; ``lenient``
    (for an entry no other style reads) takes anything before the year as one author
    ("US ex rel. Franklin v. Parke-Davis (1996) ...").
    """
    head = _PLOS_HEAD.match(core(text))
    if head is None:
        return None
    authors, et_al = _plos_authors(head.group("authors"))
    if not authors and lenient:
        authors = (Author(family=head.group("authors").strip(), literal=True),)
    if not authors:
        return None  # "Smith J. A report (2010)...": a title with a year, not PLoS
    parts = pieces(head.group("rest"))
    source = _PLOS_SOURCE.match(parts[-1]) if len(parts) > 1 else None
    year = int(head.group("year"))
    if source is None:
        title = parts[0].rstrip(".").strip() if parts else ""
        return finish(
            text,
            found,
            entry_type="online" if found.get("url") else "misc",
            authors=authors,
            et_al=et_al,
            title=title,
            year=year,
            missing=() if title else ("title",),
        )
    title = title_of(parts[:-1])
    return finish(
        text,
        found,
        entry_type="article",
        authors=authors,
        et_al=et_al,
        title=title,
        journal=source.group("journal").strip(),
        year=year,
        volume=source.group("volume"),
        number=(source.group("issue") or "").strip(),
        pages=" ".join(source.group("pages").split()),
        missing=() if title else ("title",),
    )


def _plos_authors(printed: str) -> tuple[tuple[Author, ...], bool]:
    """Persons ``Family Initials`` (a group may come first), or one organisation."""
    et_al = bool(_ET_AL.search(printed))
    names = [n for n in re.split(r"\s*,\s*", _ET_AL.sub("", printed).strip()) if n]
    read = [person(n) for n in names]
    if names and read[0] is not None and all(read):
        return tuple(a for a in read if a is not None), et_al
    if names and all(read[1:]) and _organisation_name(names[0]):
        first = Author(family=names[0].rstrip("."), literal=True)
        return (first, *(a for a in read[1:] if a is not None)), et_al
    if not any(read) and _organisation_name(printed):  # "Sanofi, Inc"
        return (Author(family=printed.strip().rstrip("."), literal=True),), et_al
    return (), et_al


def _organisation_name(text: str) -> bool:
    """An organisation ("Department of Justice", "U.S. Food and Drug Administration") has no
    full stop inside but an acronym's; "Smith J. A report" is a name and a title."""
    return not re.search(r"\.\s", _ACRONYM.sub("", text.strip()))


def parse_ieee(text: str, found: dict[str, str]) -> ParsedEntry | None:
    """Read ``A. Author, and B. Author, "Title," Journal, vol. v, pp. p, Year.``; else None."""
    head = _QUOTED_TITLE.match(core(text))
    if head is None:
        return None
    authors, et_al = _ieee_authors(head.group("authors"))
    if head.group("authors").strip() and not authors:
        return None
    rest = _ONLINE.sub("", core(text)[head.end() :]).strip()
    year = _IEEE_YEAR.search(rest)
    fields = {
        m.group()[:2].rstrip("."): m.group("value").strip() for m in _IEEE_FIELD.finditer(rest)
    }
    journal = re.split(r",\s*(?:vol|no|pp?)\.|,\s*(?:[A-Z][a-z]{2,8}\.?\s+)?\d{4}", rest)[0]
    article = "vo" in fields or "pp" in fields
    title = head.group("title").strip()
    return finish(
        text,
        found,
        entry_type="article" if article else "misc",
        authors=authors,
        et_al=et_al,
        title=title,
        journal=journal.strip(" ,.") if article else "",
        year=int(year.group("year")) if year else None,
        volume=fields.get("vo", ""),
        number=fields.get("no", ""),
        pages=" ".join(fields.get("pp", fields.get("p", "")).split()),
        extra=()
        if article or not journal.strip(" ,.")
        else (("howpublished", journal.strip(" ,.")),),
        missing=tuple(n for n, v in (("authors", authors), ("year", year)) if not v),
    )


def _ieee_authors(printed: str) -> tuple[tuple[Author, ...], bool]:
    """Persons ``Initials Family`` separated by commas and "and", perhaps "et al.", or one
    organisation (no comma, no full stop: "United Nations")."""
    if printed.strip() and not re.search(r"[,.]", printed):
        return (Author(family=printed.strip(), literal=True),), False
    et_al = bool(re.search(r"\bet\s+al\b", printed))
    text = re.sub(r"\s*,?\s*\bet\s+al\b\.?", "", printed).strip(" ,")
    names = [n for n in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", text) if n.strip()]
    authors = []
    for name in names:
        match = _IEEE_NAME.match(name.strip())
        if match is None:
            return (), et_al
        given = " ".join(match.group("initials").split())
        authors.append(Author(family=match.group("family").strip(), given=given))
    return tuple(authors), et_al
