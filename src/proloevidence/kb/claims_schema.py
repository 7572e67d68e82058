"""What a claims file may hold (docs/schema.md), shared by its two readers.

``claimsfile`` reads any file with every position; ``claimsfast`` reads valid files fast.
Both take the keys and the value rules from here, so they cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..errors import Problem
from ..model import Claim, Document
from ..text.markers import MarkerError, parse_marker

TOP_KEYS = ("schema", "document", "claims")
DOCUMENT_KEYS = ("id", "title", "source", "references")
CLAIM_KEYS = (
    "id",
    "text",
    "section",
    "kind",
    "marker",
    "citations",
    "requires_support",
    "support_note",
)
CITATION_KEYS = ("ref", "relation", "assessment")
ASSESSMENT_KEYS = ("status", "date", "reviewer", "locator", "quote", "note")


@dataclass
class ParsedClaims:
    """A document's statements as read from one file, and the problems met on the way."""

    document: Document | None = None
    claims: list[Claim] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    linked: frozenset[str] | None = None
    """Every reference key the statements link, when the reader collected them."""


def date_from_text(value: str) -> dt.date | None:
    """An assessment date written ``YYYY-MM-DD`` (or an ISO date-time), else None."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        try:
            return dt.datetime.fromisoformat(value.strip()).date()
        except ValueError:
            return None


def marker_problem(
    marker: str, refs: set[str], numbering: Mapping[int, str], what: str
) -> tuple[str, str, str] | None:
    """What is wrong between a printed marker and the links, as (message, hint, code), or None.

    ``refs`` are the keys the statement links; ``numbering`` the document's. With no
    numbering there is nothing to resolve the numbers through (the KB check reports it).
    """
    try:
        numbers = parse_marker(marker)
    except MarkerError as exc:
        return str(exc), "write it as printed, e.g. (1-3) or [4,5]", "bad-marker"
    if not numbering:
        return None
    unknown = [n for n in numbers if n not in numbering]
    if unknown:
        return (
            f"marker {marker} of {what} names reference "
            f"{', '.join(map(str, unknown))}, which the document does not number",
            "add it under document.references",
            "marker-mismatch",
        )
    expected = {numbering[n] for n in numbers}
    if expected == refs:
        return None
    missing = sorted(expected - refs)
    extra = sorted(refs - expected)
    detail = "; ".join(
        part
        for part in (
            f"no link to {', '.join(missing)}" if missing else "",
            f"links {', '.join(extra)}, which the marker does not print" if extra else "",
        )
        if part
    )
    return (
        f"marker {marker} of {what} disagrees with its links: {detail}",
        "make the citations match the printed marker",
        "marker-mismatch",
    )
