"""BibTeX and BibLaTeX dates as CSL-JSON date variables (``{"date-parts": [[y, m, d]]}``).

BibTeX writes a date as ``year`` plus ``month`` (``jan``, ``January``, ``1``) and sometimes
``day``; BibLaTeX as ``date = {2020-03-04}`` (ISO 8601, a range with ``/``), and ``urldate``
the same way. A value none of these shapes fits is kept as ``{"raw": ...}``, which CSL-JSON
allows and processors parse as best they can, rather than dropped.
"""

from __future__ import annotations

import re
from typing import Any

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:T[\d:.+Z-]*)?$")


def month_number(text: str) -> int | None:
    """``jan``, ``January``, ``Jan.``, ``1``, ``01`` -> 1; anything else None."""
    value = text.strip().rstrip(".").lower()
    if value.isascii() and value.isdigit():
        number = int(value)
        return number if 1 <= number <= 12 else None
    return _MONTHS.get(value)


def iso_date_parts(text: str) -> list[int] | None:
    """``2020``, ``2020-03``, ``2020-03-04`` (a time after ``T`` ignored) -> date parts."""
    match = _ISO.match(text.strip())
    if not match:
        return None
    parts = [int(p) for p in match.groups() if p is not None]
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        return None
    if len(parts) > 2 and not 1 <= parts[2] <= 31:
        return None
    return parts


def date_variable(text: str) -> dict[str, Any] | None:
    """A BibLaTeX date field (``2020-03-04``, ``2020/2021``, ``2020-03-04/2020-03-06``)."""
    value = text.strip()
    if not value:
        return None
    ends = value.split("/")
    if len(ends) <= 2:
        parts = [iso_date_parts(end) for end in ends if end.strip()]
        if parts and all(p is not None for p in parts):
            return {"date-parts": parts}
    return {"raw": value}


def issued(
    year: int | None, month: str = "", day: str = "", date: str = ""
) -> dict[str, Any] | None:
    """``issued`` from a BibLaTeX ``date`` when it parses, else ``year`` + ``month`` + ``day``."""
    if date:
        variable = date_variable(date)
        if variable and "date-parts" in variable:
            return variable
    if year is None:
        return date_variable(date) if date else None
    parts = [year]
    number = month_number(month) if month else None
    if number is not None:
        parts.append(number)
        if day.strip().isascii() and day.strip().isdigit() and 1 <= int(day) <= 31:
            parts.append(int(day))
    elif month:
        # A range of months, "Jan.-March" or "jul/aug": the issue covers both.
        ends = [month_number(m) for m in re.split(r"\s*(?:--?|–|/)\s*", month.strip())]
        if len(ends) == 2 and ends[0] and ends[1]:
            return {"date-parts": [[year, ends[0]], [year, ends[1]]]}
    return {"date-parts": [parts]}
