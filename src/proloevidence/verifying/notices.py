"""Notices on a work (retractions, corrections, expressions of concern), normalised and ranked.

A retraction-like notice makes a reference ``retracted`` (docs/verify.md); the others are
listed on its result without changing its status.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from ..verification import Lookup, Notice, Record

# Most severe first. A retraction-like notice makes the reference ``retracted``; the others
# are listed on the result without changing its status.
_SEVERITY = {
    "retraction": 0,
    "withdrawal": 0,
    "removal": 0,
    "partial_retraction": 1,
    "expression_of_concern": 2,
    "correction": 3,
    "corrigendum": 3,
    "erratum": 3,
}
RETRACTING = frozenset({"retraction", "withdrawal", "removal", "partial_retraction"})
"""Notice types that make a reference ``retracted``."""

_ALIASES = {
    "retracted": "retraction",
    "retractionin": "retraction",
    "retracted_publication": "retraction",
    "withdrawn": "withdrawal",
    "erratumin": "erratum",
    "expressionofconcernin": "expression_of_concern",
    "expression_of_concern_in": "expression_of_concern",
    "concern": "expression_of_concern",
}


def notice_type(value: str) -> str:
    """Normalise a notice type ("Expression of Concern", "RetractionIn") to this vocabulary."""
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    return _ALIASES.get(key, _ALIASES.get(key.replace("_", ""), key))


def _severity(notice: Notice) -> int:
    return _SEVERITY.get(notice.type, 4)


def collect_notices(lookup: Lookup, records: Sequence[Record]) -> tuple[Notice, ...]:
    """The lookup's notices, normalised and deduplicated, most severe (then newest) first.

    Records also speak for themselves: a title prefixed "RETRACTED:" and PubMed's publication
    type "Retracted Publication" count as retraction notices when no other notice says so.
    """
    found = [dataclasses.replace(n, type=notice_type(n.type)) for n in lookup.notices]
    for record in records:
        flagged = [
            t for t in record.publication_types if t.strip().lower() == "retracted publication"
        ]
        if flagged:
            found.append(Notice("retraction", None, None, record.source, flagged[0]))
        prefix = record.title.lstrip().lower()
        if prefix.startswith(("retracted:", "retracted article:")):
            found.append(Notice("retraction", None, None, record.source, "title marked RETRACTED"))
        elif prefix.startswith(("withdrawn:", "withdrawn article:")):
            found.append(Notice("withdrawal", None, None, record.source, "title marked WITHDRAWN"))
    unique: dict[tuple[str, str], Notice] = {}
    for notice in found:
        ident = (notice.type, (notice.doi or "").lower() or notice.source)
        unique.setdefault(ident, notice)
    notices = sorted(unique.values(), key=lambda n: n.date or "", reverse=True)
    notices.sort(key=_severity)
    if any(n.doi for n in notices if n.type in RETRACTING):
        # A flag with no notice DOI adds nothing once a notice with its DOI is listed.
        notices = [n for n in notices if n.doi or n.type not in RETRACTING]
    return tuple(notices)
