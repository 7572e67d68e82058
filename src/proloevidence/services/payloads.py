"""Reading the services' payloads safely: tolerant getters, shape errors.

Pure functions shared by the Crossref, doi.org and PubMed parsers. A payload whose
*envelope* is wrong (not the documented shape at all) raises :class:`ShapeError`; the
resolver turns it into a failure naming the host and URL. A single odd *field* inside a
well-formed record is tolerated (read as empty), because one publisher's quirk must not
hide the rest of the record.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..model import Author
from ..text.markup import strip_markup


class ShapeError(ValueError):
    """A payload is not in the documented shape (wrong JSON types, wrong XML root)."""


def collapse(text: str) -> str:
    """Collapse runs of whitespace to one space and trim."""
    return " ".join(text.split())


def first_text(value: Any) -> str:
    """The first non-empty string of a string-or-list field, else ``""``.

    Crossref gives ``title`` and ``container-title`` as arrays (possibly empty); CSL-JSON
    gives them as strings.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        for item in value:
            if isinstance(item, str) and item.strip():
                return item
    return ""


def text_list(value: Any) -> tuple[str, ...]:
    """A string-or-list field as a tuple of non-empty strings."""
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    if isinstance(value, list):
        return tuple(v.strip() for v in value if isinstance(v, str) and v.strip())
    return ()


def scalar(value: Any) -> str:
    """A string or number field as text (``volume`` may be 37 or "37"); else ``""``."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, (str, int, float)):
        return str(value).strip()
    return ""


def objects(value: Any) -> list[Mapping[str, Any]]:
    """The JSON objects of an array field; anything else in it (or a non-array) is skipped."""
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def authors_of(value: Any) -> tuple[Author, ...]:
    """Crossref or CSL-JSON name objects as authors, markup stripped.

    ``family`` (+ ``given``) is a person; an organisation comes as ``name`` (Crossref) or
    ``literal`` (CSL) and becomes a literal author. Entries with neither are skipped.
    """
    found: list[Author] = []
    for entry in objects(value):
        family = strip_markup(scalar(entry.get("family")))
        if family:
            found.append(Author(family, strip_markup(scalar(entry.get("given")))))
            continue
        literal = strip_markup(scalar(entry.get("literal")) or scalar(entry.get("name")))
        if literal:
            found.append(Author(literal, literal=True))
    return tuple(found)


def mapping(value: Any, what: str) -> Mapping[str, Any]:
    """``value`` when it is a JSON object, else :class:`ShapeError` naming ``what``."""
    if not isinstance(value, Mapping):
        raise ShapeError(f"{what} is {_kind(value)}, not an object")
    return value


def array(value: Any, what: str) -> list[Any]:
    """``value`` when it is a JSON array, else :class:`ShapeError` naming ``what``."""
    if not isinstance(value, list):
        raise ShapeError(f"{what} is {_kind(value)}, not an array")
    return value


def _kind(value: Any) -> str:
    if value is None:
        return "missing"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return "a string" if isinstance(value, str) else "a number"


def date_parts(value: Any) -> tuple[int, ...]:
    """``{"date-parts": [[2020, 5, 22]]}`` -> ``(2020, 5, 22)``; ``[[null]]`` -> ``()``."""
    if not isinstance(value, Mapping):
        return ()
    parts = value.get("date-parts")
    if not isinstance(parts, list) or not parts or not isinstance(parts[0], list):
        return ()
    found: list[int] = []
    for part in parts[0]:
        if isinstance(part, bool):
            break
        if isinstance(part, int):
            found.append(part)
        elif isinstance(part, str) and part.isdigit():
            found.append(int(part))
        else:
            break
    return tuple(found)


def iso_date(parts: tuple[int, ...]) -> str | None:
    """``(2020, 5, 22)`` -> ``"2020-05-22"``; ``(2020, 5)`` -> ``"2020-05"``; ``()`` -> None."""
    if not parts:
        return None
    text = f"{parts[0]:04d}"
    for part in parts[1:3]:
        text += f"-{part:02d}"
    return text


_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")


def year_in(text: str) -> int | None:
    """The first plausible four-digit year in a date string (``"2010 Dec"`` -> 2010)."""
    found = _YEAR.search(text)
    return int(found.group(1)) if found else None
