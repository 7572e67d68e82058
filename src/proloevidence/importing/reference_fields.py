"""The fields of one printed reference, and what every reference style shares.

:class:`ParsedEntry` is what :func:`proloevidence.importing.reference_parser.parse_reference`
gives; here too: identifiers read anywhere in an entry (DOI, PMID, PMCID, URL, access
date), the part of an entry before them (:func:`core`), splitting at full stops
(:func:`pieces`), and the year a style prints on its own (:func:`year_piece`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ..model import Author

YEAR = r"(?:1[5-9]|20)\d{2}"
_TRAIL = ".,;:"
# Loose on purpose: whatever follows "doi:" is taken, so a malformed DOI is noted, not lost.
_DOI = re.compile(r"\bdoi\s*:\s*(\S+)|\bdoi\s+(10\.\S+)|\bdoi\.org/(\S+)", re.I)
_PMID = re.compile(r"\bPMID\s*:?\s*(\d{1,9})\b", re.I)
_PMCID = re.compile(r"\b(?:PMCID\s*:?\s*)?(PMC\d{1,9})\b", re.I)
_URL = re.compile(r"\bhttps?://\S+", re.I)
_ACCESSED = re.compile(
    r"\b(?:Accessed|Retrieved|\[cited)\s+(?:on\s+)?(?P<date>[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}|"
    r"\d{4}\s+[A-Z][a-z]{2}\.?\s+\d{1,2}|\d{4}-\d{2}-\d{2}|"
    r"\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\.?,?\s+\d{4})",
    re.I,
)
TAIL = re.compile(
    r"(?:\bdoi\b|\bhttps?://|\bPMID\b|\bPMCID\b|\bAvailable(?:\s+(?:from|at)\b|\s*:)|\[Online\]|\bAccessed\b|"
    r"\bRetrieved\b|\[cited\b|\bEpub\b|\bPublished online\b)",
    re.I,
)
INITIALS = r"[A-Z]{1,4}(?:\s+(?:Jr|Sr|II|III|IV|2nd|3rd))?"
FAMILY = r"[^\W\d_][\w'’\-]*(?:\s+[^\W\d_][\w'’\-]*){0,3}?"
_PERSON = re.compile(rf"^(?P<family>{FAMILY})\s+(?P<initials>{INITIALS})$")


@dataclass(frozen=True)
class ParsedEntry:
    """The fields read from one printed reference; empty where nothing could be read."""

    printed: str
    entry_type: str = "misc"
    authors: tuple[Author, ...] = ()
    et_al: bool = False
    title: str = ""
    journal: str = ""
    year: int | None = None
    volume: str = ""
    number: str = ""
    pages: str = ""
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    url: str | None = None
    extra: tuple[tuple[str, str], ...] = ()
    missing: tuple[str, ...] = ()
    recognised: bool = True


def pieces(text: str) -> list[str]:
    """Split at full stops (or ? and !) followed by a space; "Am. J." stays one piece."""
    raw = [p for p in re.split(r"(?<=[.?!])\s+", text.strip()) if p.strip()]
    pieces: list[str] = []
    abbreviated = False  # the last piece is only abbreviations ("Am. J.") so far
    for piece in raw:
        # A short abbreviation ("J.", "Am.", "Int.") belongs to the journal name after it;
        # the first piece is the title, however short. Each raw piece is looked at once, so
        # "J. J. J. ..." stays linear.
        short = bool(_ABBREVIATION.fullmatch(piece))
        if len(pieces) > 1 and abbreviated:
            pieces[-1] = f"{pieces[-1]} {piece}"
            abbreviated = short
        else:
            pieces.append(piece)
            abbreviated = short
    return pieces


def title_of(pieces: list[str]) -> str:
    title = " ".join(pieces).strip()
    return title[:-1].rstrip() if title.endswith(".") else title


def identifiers(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    doi = _DOI.search(text)
    if doi:
        found["doi"] = clean_tail(next(g for g in doi.groups() if g))
    pmid = _PMID.search(text)
    if pmid:
        found["pmid"] = pmid.group(1)
    pmcid = _PMCID.search(text)
    if pmcid:
        found["pmcid"] = pmcid.group(1).upper()
    for url in _URL.finditer(text):
        if "doi.org/" not in url.group().lower():
            found["url"] = clean_tail(url.group())
            break
    accessed = _ACCESSED.search(text)
    if accessed:
        date = iso_date(accessed.group("date"))
        if date:
            found["urldate"] = date
    return found


def finish(printed: str, found: dict[str, str], **fields: Any) -> ParsedEntry:
    """The entry with the identifiers found anywhere in the printed string."""
    extra = tuple(fields.pop("extra", ()))
    if "urldate" in found:
        extra += (("urldate", found["urldate"]),)
    return ParsedEntry(
        printed=printed,
        extra=extra,
        doi=found.get("doi"),
        pmid=found.get("pmid"),
        pmcid=found.get("pmcid"),
        url=found.get("url"),
        **fields,
    )


def clean_tail(value: str) -> str:
    """Drop punctuation that ends the sentence, and a closing bracket opened before."""
    while value and (
        value[-1] in _TRAIL
        or (value[-1] == ")" and value.count("(") < value.count(")"))
        or (value[-1] == "]" and value.count("[") < value.count("]"))
    ):
        value = value[:-1]
    return value


def iso_date(text: str) -> str:
    cleaned = re.sub(r"(?<=\d)(?:st|nd|rd|th)\b", "", text.replace(",", "").replace(".", ""))
    for fmt in ("%B %d %Y", "%b %d %Y", "%Y %b %d", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(cleaned, fmt).date().isoformat()
        except ValueError:
            continue
    return ""


_ABBREVIATION = re.compile(r"(?:[A-Z][a-z]{0,4}\.\s*)+")
_YEAR_PIECE = re.compile(rf"^\(?(?P<year>{YEAR})[a-z]?\)?\.?$")


def person(name: str) -> Author | None:
    """A name printed ``Family Initials`` (Vancouver, AMA, PLoS: "Fava M", "O'Brien K Jr")."""
    one = _PERSON.match(name.strip())
    if one is None:
        return None
    initials = one.group("initials")
    suffix = ""
    if " " in initials:
        initials, suffix = initials.split(None, 1)
    family = f"{one.group('family')}, {suffix}" if suffix else one.group("family")
    return Author(family=family, given=" ".join(f"{c}." for c in initials))


def core(text: str) -> str:
    """The entry before its identifiers and access notes (doi, URL, PMID, "Accessed")."""
    tail = TAIL.search(text)
    return text[: tail.start()].strip() if tail else text


def year_piece(parts: list[str]) -> int | None:
    """The year printed as a piece of its own ("... Title. 2008. http://..."), or None."""
    for part in parts:
        match = _YEAR_PIECE.match(part.strip())
        if match:
            return int(match.group("year"))
    return None
