"""One parsed BibTeX entry as a :class:`Reference`, with the problems of its fields.

The fields of kb/bib_fields.py's ``READ_FIELDS`` become the reference's attributes; every
other field is kept in ``Reference.extra`` under its lower-case name (a name list such as
``editor`` as BibTeX text again, ``Family, Given and ...``); the LaTeX of the rich-text fields
that decoding strips of markup is kept in ``Reference.latex``. A field name that misspells one
we read or use is a warning; so are a name kept as printed, a year that is not one and a
malformed identifier (kept as printed, for verification to judge); a DOI written as a link
or with ``doi:`` is read as the DOI, with an info.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from bibtexparser.model import Entry

from ..errors import Problem
from ..identifiers import IDENTIFIER_KINDS, IDENTIFIER_SHAPES, canonical_identifier
from ..model import Author, Reference, Severity, SourceLocation
from .bib_fields import NAME_FIELDS, READ_FIELDS, RICH_TEXT_FIELDS, USED_FIELDS, misspelt_field
from .bib_names import LATEX, UNSPLIT, decoded, names_text

WARNING = Severity.WARNING
_JOURNAL_FIELDS = ("journal", "journaltitle")

# A field name and '=' at the start of a line inside a value: the comma before it is missing.
_RUNS_ON = re.compile(
    r"\n\s*(" + "|".join(sorted(READ_FIELDS | USED_FIELDS)) + r")\s*=", re.IGNORECASE
)
# A shortDOI (http://shortdoi.org): an alias doi.org resolves, which Crossref cannot look up.
_SHORT_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?10/[a-z0-9]+$", re.IGNORECASE)


def reference_from_entry(entry: Entry, file: str) -> tuple[Reference, list[Problem]]:
    """The entry as a reference (never refused), and the problems of its fields."""
    problems: list[Problem] = []
    entry_line = (entry.start_line or 0) + 1
    fields = {f.key.lower(): f for f in entry.fields}

    def where(name: str | None = None) -> SourceLocation:
        f = fields.get(name) if name else None
        line = f.start_line if f is not None else None
        return SourceLocation(file, line + 1 if line is not None else entry_line)

    def text(name: str) -> str:
        f = fields.get(name)
        return str(f.value).strip() if f is not None and not isinstance(f.value, list) else ""

    def problem(
        name: str | None, message: str, hint: str, code: str, severity: Severity = WARNING
    ) -> None:
        problems.append(Problem(where(name), message, hint, code, severity))

    for name, value_field in fields.items():
        runs_on = _RUNS_ON.search(value_field.value) if isinstance(value_field.value, str) else None
        if runs_on:
            # bibtexparser reads "volume = {37}<newline> number = {1}," as one value.
            problem(
                name,
                f"field {name!r} of {entry.key!r} runs on into "
                f"'{runs_on.group(1)} = ...': a comma is missing after its value",
                f"end the line with a comma: {name} = {{...}},",
                "bibtex-syntax",
                severity=Severity.ERROR,
            )
        meant = misspelt_field(name)
        if meant is not None:
            problem(
                name,
                f"unknown field {name!r} in {entry.key!r}",
                f"did you mean {meant!r}?",
                "unknown-field",
            )

    for name, printed in entry.parser_metadata.get(UNSPLIT, {}).items():
        problem(
            name,
            f"{name} {' '.join(printed.split())!r} of {entry.key!r} does not split into family "
            "and given names: kept as printed",
            "join names with 'and', each as 'Family, Given': Molins, A. and Garcia, B.",
            "unsplit-name",
        )

    unsplit = "author" in entry.parser_metadata.get(UNSPLIT, {})
    authors, et_al = _authors(fields["author"].value if "author" in fields else [], unsplit)
    year_text = text("year") or text("date")[:4]
    year: int | None = None
    if year_text:
        year = _whole_number(year_text)
        if year is None:
            problem(
                "year" if "year" in fields else "date",
                f"year {year_text!r} of {entry.key!r} is not a year: the reference has none",
                "write four digits",
                "bad-year",
            )

    ids: dict[str, str | None] = {}
    for kind in IDENTIFIER_KINDS:
        ids[kind] = _identifier(kind, text(kind), entry.key, functools.partial(problem, kind))

    page_number: int | None = None
    if text("refnumber"):
        page_number = _whole_number(text("refnumber")) or None
        if page_number is None:
            problem(
                "refnumber",
                f"refnumber {text('refnumber')!r} of {entry.key!r} is not a positive whole number",
                "",
                "bad-refnumber",
                severity=Severity.ERROR,
            )

    extra = {
        name: names_text(f.value) if name in NAME_FIELDS else str(f.value)
        for name, f in fields.items()
        if name not in READ_FIELDS and (isinstance(f.value, str) or name in NAME_FIELDS)
    }
    written: dict[str, str] = entry.parser_metadata.get(LATEX, {})
    latex = {
        name: value.strip()
        for name, value in written.items()
        if name in RICH_TEXT_FIELDS and name in fields and name not in _JOURNAL_FIELDS
    }
    # Keyed as the value it is the LaTeX of: the journal, whichever field gave it.
    journal_field = "journal" if text("journal") else "journaltitle"
    if journal_field in written:
        latex["journal"] = written[journal_field].strip()
    reference = Reference(
        key=entry.key,
        entry_type=entry.entry_type.lower(),
        authors=authors,
        et_al=et_al,
        title=text("title"),
        journal=text("journal") or text("journaltitle"),
        year=year,
        volume=text("volume"),
        number=text("number") or text("issue"),
        pages=text("pages"),
        doi=ids["doi"],
        pmid=ids["pmid"],
        pmcid=ids["pmcid"],
        url=text("url") or None,
        page_number=page_number,
        printed=text("printed"),
        extra=extra,
        latex=latex,
        location=SourceLocation(file, entry_line),
    )
    return reference, problems


def _identifier(kind: str, printed: str, key: str, report: Callable[..., None]) -> str | None:
    """The canonical identifier, or the printed one when malformed (reported), or None."""
    if not printed:
        return None
    canonical = canonical_identifier(kind, printed)
    if canonical is None and kind == "doi" and _SHORT_DOI.match(printed):
        report(
            f"{printed!r} in {key!r} is a shortDOI: doi.org resolves it, but Crossref cannot "
            "look it up, so verification cannot compare the reference",
            "write the full DOI (https://doi.org/10/" + printed.rsplit("10/", 1)[-1] + " shows it)",
            "short-doi",
        )
    elif canonical is None:
        report(
            f"malformed {kind.upper()} {printed!r} in {key!r}: kept as printed",
            IDENTIFIER_SHAPES[kind],
            f"bad-{kind}",
        )
    elif canonical != printed and canonical.lower() != printed.lower():
        report(
            f"{kind.upper()} {printed!r} in {key!r} is read as {canonical}",
            "",
            f"normalised-{kind}",
            severity=Severity.INFO,
        )
    return canonical or printed


def _whole_number(text: str) -> int | None:
    # str.isdigit() accepts "²" and int() refuses more than 4300 digits: both would raise.
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def _authors(value: object, unsplit: bool = False) -> tuple[tuple[Author, ...], bool]:
    """The names as authors; ``unsplit``: kept as printed ("Molins A"), which is a person's
    name in the Vancouver form (not literal: verification compares its family name), not an
    organisation's."""
    if not isinstance(value, list):
        return (), False
    authors: list[Author] = []
    et_al = False
    for name in value:
        last = decoded(getattr(name, "von", []) + getattr(name, "last", []))
        first = decoded(getattr(name, "first", []))
        jr = decoded(getattr(name, "jr", []))
        if last == "others" and not first:
            et_al = True
            continue
        family = f"{last}, {jr}" if jr else last
        vancouver = unsplit and not first and bool(Author.from_vancouver(family).given)
        authors.append(Author(family=family, given=first, literal=not first and not vancouver))
    return tuple(authors), et_al
