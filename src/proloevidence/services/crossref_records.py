"""Crossref REST API payloads: work records and their update notices, as plain data.

Pure functions over decoded JSON (shared/reference/apis.md, "Crossref REST API"). A work's
``title`` and ``container-title`` are arrays that may hold inline HTML or MathML;
``issued.date-parts`` can be ``[[null]]``; ``page`` may be replaced by ``article-number``;
``updated-by`` and ``update-to`` both carry retractions and corrections, in no order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..identifiers import doi_key
from ..text.markup import strip_markup
from ..verification import Notice, Record
from .payloads import (
    ShapeError,
    array,
    authors_of,
    date_parts,
    first_text,
    iso_date,
    mapping,
    objects,
    scalar,
    text_list,
)

SOURCE = "crossref"

# Fields nothing reads and that make a cached record many times larger. The abstract is
# kept: an editor reads it beside the statement (``proloevidence review``).
_BULKY = ("reference", "link", "license", "assertion", "funder", "content-domain")

# JATS in ``abstract``: paragraphs and sections end a line; a section's title labels it, the
# "Abstract" heading many publishers deposit is dropped.
_PARAGRAPH_END = re.compile(r"</(?:jats:)?(?:p|sec)\s*>", re.IGNORECASE)
_JATS_TITLE = re.compile(r"<(?:jats:)?title\b[^>]*>(.*?)</(?:jats:)?title\s*>", re.I | re.S)


def work_list_items(payload: Any) -> list[Mapping[str, Any]]:
    """The items of a ``work-list`` answer (``/works?filter=...``, ``/works?query...``)."""
    message = mapping(mapping(payload, "the answer").get("message"), "message")
    items = array(message.get("items"), "message.items")
    found = [item for item in items if isinstance(item, Mapping)]
    if len(found) != len(items):
        raise ShapeError("message.items holds something other than work objects")
    return found


def work_message(payload: Any) -> Mapping[str, Any]:
    """The record of a ``work`` answer (``/works/{doi}``)."""
    message = mapping(mapping(payload, "the answer").get("message"), "message")
    if not isinstance(message.get("DOI"), str):
        raise ShapeError("message.DOI is missing")
    return message


def items_by_doi(items: list[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """Items keyed by :func:`doi_key` (Crossref lower-cases DOIs; the page may not)."""
    found: dict[str, Mapping[str, Any]] = {}
    for item in items:
        doi = item.get("DOI")
        if isinstance(doi, str):
            found.setdefault(doi_key(doi), item)
    return found


def slim(item: Mapping[str, Any]) -> dict[str, Any]:
    """The item without the bulky fields no comparison reads (reference lists, abstracts)."""
    return {k: v for k, v in item.items() if k not in _BULKY}


def record_from_work(item: Mapping[str, Any]) -> Record:
    """A Crossref work as a :class:`Record`.

    The title loses its markup but keeps a ``RETRACTED:`` prefix as given (the comparison
    decides what to ignore). Organisations (``name`` without ``family``) become literal
    authors. ``pages`` is ``page`` or, failing that, ``article-number``.
    """
    doi = item.get("DOI") if isinstance(item.get("DOI"), str) else None
    kind = scalar(item.get("type"))
    return Record(
        source=SOURCE,
        title=strip_markup(first_text(item.get("title"))),
        authors=authors_of(item.get("author")),
        journal=strip_markup(first_text(item.get("container-title"))),
        journal_abbrev=strip_markup(first_text(item.get("short-container-title"))),
        issn=text_list(item.get("ISSN")),
        year=work_year(item),
        volume=scalar(item.get("volume")),
        issue=scalar(item.get("issue")),
        pages=scalar(item.get("page")) or scalar(item.get("article-number")),
        doi=doi,
        publication_types=(kind,) if kind else (),
        abstract=abstract_text(scalar(item.get("abstract"))),
        url=f"https://doi.org/{doi}" if doi else None,
    )


def abstract_text(jats: str) -> str:
    """A Crossref ``abstract`` (JATS XML as a string) as plain text, a line per paragraph.

    ``<jats:title>Background</jats:title><jats:p>...`` becomes ``Background: ...``; tags are
    removed, entities decoded, and whatever the markup held stays text (never markup).
    """

    def title(match: re.Match[str]) -> str:
        words = strip_markup(match.group(1)).rstrip(":. ")
        return "" if words.casefold() in ("", "abstract", "summary") else f"{words}: "

    with_titles = _JATS_TITLE.sub(title, jats or "")
    lines = (strip_markup(part) for part in _PARAGRAPH_END.split(with_titles))
    return "\n".join(line for line in lines if line)


def work_year(item: Mapping[str, Any]) -> int | None:
    """``issued`` year, falling back to the print then online dates (``[[null]]`` is none)."""
    for name in ("issued", "published-print", "published-online", "published"):
        parts = date_parts(item.get(name))
        if parts:
            return parts[0]
    return None


def notices_from_work(item: Mapping[str, Any]) -> tuple[Notice, ...]:
    """Every ``updated-by`` and ``update-to`` entry as a :class:`Notice`, duplicates dropped.

    Both arrays are read: Retraction Watch data arrives in ``updated-by``, while some
    publishers put ``update-to`` on the retracted article itself (Lancet 2020). The type is
    kept as Crossref gives it (``retraction``, ``correction``, ``expression_of_concern``,
    ...); the source becomes ``crossref/<source>``.
    """
    notices: list[Notice] = []
    for name in ("updated-by", "update-to"):
        for entry in objects(item.get(name)):
            kind = scalar(entry.get("type")).lower()
            if not kind:
                continue
            doi = entry.get("DOI")
            notice = Notice(
                type=kind,
                doi=doi if isinstance(doi, str) else None,
                date=iso_date(date_parts(entry.get("updated"))),
                source=f"crossref/{scalar(entry.get('source')) or 'publisher'}",
                label=scalar(entry.get("label")),
            )
            if notice not in notices:
                notices.append(notice)
    return tuple(notices)
