"""The cache's entries: a parsed file as msgpack-able plain data, and back (kbcache.py).

Lists rather than maps (smaller, faster to read); positions without their file name, which
the caller knows. Decoding builds the very objects the readers build, equal to them field
for field (tests/test_kbcache.py). It gives each object its __dict__ in one step, which is
right only while the model's classes are plain frozen dataclasses with the fields below:
otherwise decoding refuses and every file is parsed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from .bibfile import ParsedReferences
from .claimschema import ParsedClaims
from .errors import Problem
from .model import (
    CLAIM_KINDS,
    Assessment,
    AssessmentStatus,
    Author,
    Citation,
    Claim,
    Document,
    Reference,
    Relation,
    SourceLocation,
)

_RELATIONS = {r.value: r for r in Relation}
_STATUSES = {s.value: s for s in AssessmentStatus}
_UNREVIEWED = Assessment()
_KINDS = {kind: kind for kind in CLAIM_KINDS}  # one string object per kind, not per statement


def _loc(location: SourceLocation | None) -> list[int] | None:
    return None if location is None else [location.line, location.column]


def _unloc(value: list[int] | None, file: str) -> SourceLocation | None:
    return None if value is None else SourceLocation(file, value[0], value[1])


def _encode_problems(problems: list[Problem]) -> list[Any]:
    return [
        [p.location.file, p.location.line, p.location.column, p.message, p.hint, p.code]
        for p in problems
    ]


def _decode_problems(rows: list[Any]) -> list[Problem]:
    return [Problem(SourceLocation(r[0], r[1], r[2]), r[3], r[4], r[5]) for r in rows]


def _encode_assessment(a: Assessment) -> list[Any] | None:
    if a == _UNREVIEWED:
        return None
    date = a.date.isoformat() if a.date else None
    return [a.status.value, date, a.reviewer, a.locator, a.quote, a.note]


def _assessment(row: list[Any]) -> Assessment:
    date = dt.date.fromisoformat(row[1]) if row[1] else None
    return Assessment(_STATUSES[row[0]], date, row[2], row[3], row[4], row[5])


def encode_claims(parsed: ParsedClaims) -> dict[str, Any]:
    doc = parsed.document
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
        claims.append(
            [
                *(c.id, c.text, c.section, c.kind, c.marker, citations, c.requires_support),
                *(c.support_note, c.order, line, column),
            ]
        )
    return {
        "document": None
        if doc is None
        else [doc.id, doc.title, doc.source, list(doc.numbering.items()), _loc(doc.location)],
        "claims": claims,
        "problems": _encode_problems(parsed.problems),
        "linked": None if parsed.linked is None else sorted(parsed.linked),
    }


def decode_claims(data: dict[str, Any], file: str) -> ParsedClaims:
    if not _BY_DICT:  # pragma: no cover - the model changed: parse instead
        raise LookupError("kbcache does not know this model")
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
    relations, assessment, kinds, unreviewed = _RELATIONS, _assessment, _KINDS, _UNREVIEWED
    location_type, citation_type, claim_type = SourceLocation, Citation, Claim
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
                "section": r[2],
                "kind": kinds.get(r[3], r[3]),
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
    return {
        "references": [
            [
                [getattr(r, name) for name in _REFERENCE_FIELDS],
                [[a.family, a.given, a.literal] for a in r.authors],
                dict(r.extra),
                _loc(r.location),
            ]
            for r in parsed.references
        ],
        "problems": _encode_problems(parsed.problems),
        "unparsed": parsed.unparsed,
    }


def decode_references(data: dict[str, Any], file: str) -> ParsedReferences:
    if not _BY_DICT:  # pragma: no cover - the model changed: parse instead
        raise LookupError("kbcache does not know this model")
    new, set_dict, names = object.__new__, object.__setattr__, _REFERENCE_FIELDS
    references = []
    for values, authors, extra, location in data["references"]:
        people = []
        for family, given, literal in authors:
            author = new(Author)
            set_dict(author, "__dict__", {"family": family, "given": given, "literal": literal})
            people.append(author)
        fields = dict(zip(names, values, strict=True))
        fields["authors"] = tuple(people)
        fields["extra"] = extra
        fields["location"] = _unloc(location, file)
        reference = new(Reference)
        set_dict(reference, "__dict__", fields)
        references.append(reference)
    return ParsedReferences(references, _decode_problems(data["problems"]), list(data["unparsed"]))


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
        (Reference, {*_REFERENCE_FIELDS, "authors", "extra", "location"}),
        (
            Claim,
            {"id", "text", "section", "kind", "document", "marker", "citations"}
            | {"requires_support", "support_note", "order", "location"},
        ),
    )
)
