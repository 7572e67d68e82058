"""The cache's entries: a parsed file as msgpack-able plain data, and back (kb/parse_cache.py).

Lists rather than maps (smaller, faster to read); positions without their file name, which
the caller knows; what recurs within a file (a page's section paths and kinds, a .bib file's
authors) is stored once and referred to by index, and equal authors decode to one shared
(frozen) Author. Decoding builds the very objects the readers build, equal to them field
for field (tests/test_kbcache.py). It gives each object its __dict__ in one step, which is
right only while the model's classes are plain frozen dataclasses with the fields below:
otherwise decoding refuses and every file is parsed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from ..errors import Problem
from ..model import (
    CLAIM_KINDS,
    Assessment,
    AssessmentStatus,
    Author,
    Citation,
    Claim,
    Document,
    Reference,
    Relation,
    Severity,
    SourceLocation,
)
from .claims_schema import ParsedClaims
from .parsed_references import ParsedReferences

_RELATIONS = {r.value: r for r in Relation}
_SEVERITIES = {s.value: s for s in Severity}
_STATUSES = {s.value: s for s in AssessmentStatus}
_UNREVIEWED = Assessment()
_KINDS = {kind: kind for kind in CLAIM_KINDS}  # one string object per kind, not per statement


def _loc(location: SourceLocation | None) -> list[int] | None:
    return None if location is None else [location.line, location.column]


def _unloc(value: list[int] | None, file: str) -> SourceLocation | None:
    return None if value is None else SourceLocation(file, value[0], value[1])


def _encode_problems(problems: list[Problem]) -> list[Any]:
    return [
        [
            p.location.file,
            p.location.line,
            p.location.column,
            p.message,
            p.hint,
            p.code,
            p.severity.value,
        ]
        for p in problems
    ]


def _decode_problems(rows: list[Any]) -> list[Problem]:
    return [
        Problem(SourceLocation(r[0], r[1], r[2]), r[3], r[4], r[5], _SEVERITIES[r[6]]) for r in rows
    ]


def _encode_assessment(a: Assessment) -> list[Any] | None:
    if a == _UNREVIEWED:
        return None
    date = a.date.isoformat() if a.date else None
    return [a.status.value, date, a.reviewer, a.locator, a.quote, a.note]


def _assessment(row: list[Any]) -> Assessment:
    assessment = object.__new__(Assessment)
    fields = {
        "status": _STATUSES[row[0]],
        "date": dt.date.fromisoformat(row[1]) if row[1] else None,
        "reviewer": row[2],
        "locator": row[3],
        "quote": row[4],
        "note": row[5],
    }
    object.__setattr__(assessment, "__dict__", fields)
    return assessment


def encode_claims(parsed: ParsedClaims) -> dict[str, Any]:
    doc = parsed.document
    # A page's statements share a few section paths and kinds: each is stored once, and
    # a statement holds its index.
    sections: dict[tuple[str, ...], int] = {}
    kinds: dict[str, int] = {}
    claims = []
    for c in parsed.claims:
        # Positional, in Claim's field order; the document id is the file's document's.
        line, column = (c.location.line, c.location.column) if c.location else (0, 0)
        citations = [
            [
                x.ref,
                x.relation.value,
                _encode_assessment(x.assessment),
                *((x.location.line, x.location.column) if x.location else (0, 0)),
            ]
            for x in c.citations
        ]
        section = sections.setdefault(c.section, len(sections))
        kind = kinds.setdefault(c.kind, len(kinds))
        claims.append(
            [
                *(c.id, c.text, section, kind, c.marker, citations, c.requires_support),
                *(c.support_note, c.order, line, column),
            ]
        )
    return {
        "document": None
        if doc is None
        else [doc.id, doc.title, doc.source, list(doc.numbering.items()), _loc(doc.location)],
        "sections": list(sections),
        "kinds": list(kinds),
        "claims": claims,
        "problems": _encode_problems(parsed.problems),
        "linked": None if parsed.linked is None else sorted(parsed.linked),
    }


def decode_claims(data: dict[str, Any], file: str) -> ParsedClaims:
    if not _BY_DICT:  # pragma: no cover - the model changed: parse instead
        raise LookupError("the parse cache does not know this model")
    doc = data["document"]
    document = (
        None
        if doc is None
        else Document(doc[0], doc[1], doc[2], dict(doc[3]), _unloc(doc[4], file))
    )
    doc_id = document.id if document else ""
    # This loop builds every statement of a warm load. Each object gets its __dict__ in
    # one step, where the generated __init__ sets one field at a time (40% slower); no
    # call per object; locals.
    new, set_dict = object.__new__, object.__setattr__
    relations, assessment, unreviewed = _RELATIONS, _assessment, _UNREVIEWED
    location_type, citation_type, claim_type = SourceLocation, Citation, Claim
    sections = [tuple(section) for section in data["sections"]]
    kinds = [_KINDS.get(kind, kind) for kind in data["kinds"]]
    claims = []
    for r in data["claims"]:
        citations = []
        for x in r[5]:
            location = new(location_type)
            set_dict(location, "__dict__", {"file": file, "line": x[3], "column": x[4]})
            citation = new(citation_type)
            set_dict(
                citation,
                "__dict__",
                {
                    "ref": x[0],
                    "relation": relations[x[1]],
                    "assessment": unreviewed if x[2] is None else assessment(x[2]),
                    "location": location,
                },
            )
            citations.append(citation)
        location = new(location_type)
        set_dict(location, "__dict__", {"file": file, "line": r[9], "column": r[10]})
        claim = new(claim_type)
        set_dict(
            claim,
            "__dict__",
            {
                "id": r[0],
                "text": r[1],
                "section": sections[r[2]],
                "kind": kinds[r[3]],
                "document": doc_id,
                "marker": r[4],
                "citations": tuple(citations),
                "requires_support": r[6],
                "support_note": r[7],
                "order": r[8],
                "location": location,
            },
        )
        claims.append(claim)
    linked = data["linked"]
    return ParsedClaims(
        document,
        claims,
        _decode_problems(data["problems"]),
        None if linked is None else frozenset(linked),
    )


_REFERENCE_FIELDS = (
    "key entry_type et_al title journal year volume number pages doi pmid pmcid url "
    "page_number printed"
).split()


def encode_references(parsed: ParsedReferences) -> dict[str, Any]:
    # Authors recur across references (the same few hundred names in 10,000 entries): each
    # distinct one is stored once, and decoded into one shared (frozen) Author.
    authors: dict[tuple[str, str, bool], int] = {}
    references = [
        [
            [getattr(r, name) for name in _REFERENCE_FIELDS],
            [authors.setdefault((a.family, a.given, a.literal), len(authors)) for a in r.authors],
            dict(r.extra),
            _loc(r.location),
            dict(r.latex),
        ]
        for r in parsed.references
    ]
    return {
        "authors": [list(a) for a in authors],
        "references": references,
        "problems": _encode_problems(parsed.problems),
        "unparsed": parsed.unparsed,
        "unparsed_lines": parsed.unparsed_lines,
    }


def decode_references(data: dict[str, Any], file: str) -> ParsedReferences:
    if not _BY_DICT:  # pragma: no cover - the model changed: parse instead
        raise LookupError("the parse cache does not know this model")
    new, set_dict = object.__new__, object.__setattr__
    people = []
    for family, given, literal in data["authors"]:
        author = new(Author)
        set_dict(author, "__dict__", {"family": family, "given": given, "literal": literal})
        people.append(author)
    location_type, reference_type = SourceLocation, Reference
    references = []
    for v, authors, extra, position, latex in data["references"]:
        if position is None:
            location = None
        else:
            location = new(location_type)
            set_dict(
                location, "__dict__", {"file": file, "line": position[0], "column": position[1]}
            )
        reference = new(reference_type)
        # v holds _REFERENCE_FIELDS in their order; the display is in Reference's field
        # order (as its __init__ would fill __dict__), and faster than dict(zip()).
        set_dict(
            reference,
            "__dict__",
            {
                "key": v[0],
                "entry_type": v[1],
                "authors": tuple([people[i] for i in authors]),
                "et_al": v[2],
                "title": v[3],
                "journal": v[4],
                "year": v[5],
                "volume": v[6],
                "number": v[7],
                "pages": v[8],
                "doi": v[9],
                "pmid": v[10],
                "pmcid": v[11],
                "url": v[12],
                "page_number": v[13],
                "printed": v[14],
                "extra": extra,
                "latex": latex,
                "location": location,
            },
        )
        references.append(reference)
    return ParsedReferences(
        references,
        _decode_problems(data["problems"]),
        list(data["unparsed"]),
        list(data["unparsed_lines"]),
    )


def _plain_dataclass(kind: type, names: set[str]) -> bool:
    return (
        dataclasses.is_dataclass(kind)
        and {f.name for f in dataclasses.fields(kind)} == names
        and not hasattr(kind, "__post_init__")
        and "__slots__" not in vars(kind)
    )


# Objects are built from their __dict__ only while the model's classes are what this
# module was written for (those fields, no __post_init__, no slots); after a change to the
# model, entries are not decoded (every file is parsed) until this module follows it.
_BY_DICT = all(
    _plain_dataclass(kind, names)
    for kind, names in (
        (SourceLocation, {"file", "line", "column"}),
        (Citation, {"ref", "relation", "assessment", "location"}),
        (Author, {"family", "given", "literal"}),
        (Assessment, {"status", "date", "reviewer", "locator", "quote", "note"}),
        (Reference, {*_REFERENCE_FIELDS, "authors", "extra", "latex", "location"}),
        (
            Claim,
            {"id", "text", "section", "kind", "document", "marker", "citations"}
            | {"requires_support", "support_note", "order", "location"},
        ),
    )
)
