"""Read a valid claims file fast (yaml-rs), or say it cannot: the exact reader then reads it.

The exact reader (kb/claims_reader.py) composes PyYAML nodes to keep every position; that costs
about 45 us per statement. yaml-rs (Rust) parses the same text into plain data ten times
faster, but it reads YAML 1.2 (``yes`` is text, ``010`` is ten), ignores tags, and keeps no
positions. So :func:`read_fast` returns a result only when it is sure the exact reader would
return the very same one, and None otherwise:

- libyaml (the exact reader's parser) accepts the text;
- the text holds nothing on which the two YAML versions or parsers may differ (tags, anchors,
  aliases, merge keys, directives, tabs, characters PyYAML refuses, leading-zero numbers);
- every value is what the schema asks for and reads the same under PyYAML's YAML 1.1
  resolution (a text that PyYAML would read as a number, a boolean or a null sends the file
  to the exact reader, quoted or not);
- the file has no problem at all (any problem is reported by the exact reader, with its
  line and column);
- the positions the model keeps (each statement, each link's ``ref``, the document) are found
  in the text by a scan whose every finding is checked against the parsed data.

``tests/test_claimsfast.py`` compares both readers on mutated files.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from typing import Any

import yaml
import yaml_rs

from ..model import (
    CLAIM_KINDS,
    SCHEMA_VERSION,
    Assessment,
    AssessmentStatus,
    Citation,
    Claim,
    Document,
    Relation,
    SourceLocation,
)
from .claims_schema import (
    ASSESSMENT_KEYS,
    CITATION_KEYS,
    CLAIM_KEYS,
    DOCUMENT_KEYS,
    TOP_KEYS,
    ParsedClaims,
    date_from_text,
    marker_problem,
)

# libyaml, the parser the exact reader composes with; without it there is no fast reader.
CParser: Any = getattr(getattr(yaml, "_yaml", None), "CParser", None)

# Anything on which PyYAML and yaml-rs may read the text differently: tags (!), anchors (&)
# and aliases (*) where a node can start, merge keys, directives and document markers, tabs,
# characters PyYAML refuses or counts as line breaks (YAML 1.1).
# Each pattern starts with a literal or a class, so the scan of a large file stays fast.
_DIFFERS = [
    re.compile(r"[!&*](?<![^\s\[\]{},][!&*])"),
    # PyYAML's printable set less tab, NEL, LS, PS and BOM.
    re.compile(
        r"[^\x0A\x0D\x20-\x7E\xA0-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD"
        r"\U00010000-\U0010ffff]"
    ),
]
_DIFFERS_LITERALLY = ("<<", "\n%", "\n---", "\n...")
# A number with a leading zero: octal in YAML 1.1, decimal in 1.2. Numbers are read only
# in ``schema`` and in the document's numbering (anywhere else a number is no text and the
# file goes to the exact reader), so only those parts of the file are searched.
_LEADING_ZERO = re.compile(r"0(?<![\w.:/-]0)[0-9oxXbB_]|-0(?<![\w.:/]-0)[0-9oxXbB_]")
# PyYAML's own implicit resolvers: a plain scalar matching one is not text in YAML 1.1.
_IMPLICIT: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    first: list(resolvers)
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
    if first is not None
}
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_FIRST_KEY = re.compile(r"(schema|document|claims) *:(?= |\n|$)")
_TOP_KEY = re.compile(r"\n" + _FIRST_KEY.pattern)
_SPACES = re.compile(r" *")
_NEXT_CONTENT = re.compile(r"^ *(?=[^\s#])", re.MULTILINE)
_REF = re.compile(r"ref(?<![^\s{,]ref) *: +")
_REF_VALUE = re.compile(r"\"([^\"\\\n]*)\"|'([^'\n]*)'(?!')|([^\s,{}\[\]#]+)")
_UNREVIEWED = Assessment()
_RELATIONS = {r.value: r for r in Relation}
_STATUSES = {s.value: s for s in AssessmentStatus}


class _Unsure(Exception):
    """The fast reader cannot vouch for this file; the exact reader must read it."""


def read_fast(text: str, file: str, default_id: str = "") -> ParsedClaims | None:
    """The file's document and statements when the file is valid and plainly written, else None."""
    if (
        CParser is None
        or text.startswith(("%", "---", "..."))
        or any(literal in text for literal in _DIFFERS_LITERALLY)
        or ("\r" in text and text.count("\r") != text.count("\r\n"))
        or any(pattern.search(text) for pattern in _DIFFERS)
    ):
        return None
    try:
        # libyaml itself must accept the text: where yaml-rs is more lenient (a plain
        # scalar starting with ':' in a flow mapping, say) the exact reader reports it.
        # raw_parse runs libyaml's parser in C without building any Python object.
        CParser(text).raw_parse()
        data = yaml_rs.loads(
            text, parse_datetime=False, duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error
        )
    except (yaml.YAMLError, ValueError):  # yaml_rs.YAMLDecodeError is a ValueError
        return None  # refused: the exact reader explains it with a position
    try:
        return _FastReader(text.replace("\r\n", "\n"), file).read(data, default_id)
    except _Unsure:
        return None


def _text(value: Any) -> str:
    """A non-empty text that PyYAML reads as text too, quoted or plain."""
    if type(value) is not str or not value:
        raise _Unsure
    for _tag, regexp in _IMPLICIT.get(value[0], ()):
        if regexp.match(value):
            raise _Unsure
    return value


def _mapping(value: Any, allowed: tuple[str, ...]) -> dict[str, Any]:
    if type(value) is not dict or not value:
        raise _Unsure
    for key in value:
        if type(key) is not str or key not in allowed:
            raise _Unsure
    return value


class _FastReader:
    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self._line_offset = 0
        self._line = 0
        self.linked: set[str] = set()

    # -- positions -----------------------------------------------------------------------
    def location(self, offset: int) -> SourceLocation:
        """1-based line and column of ``offset``; offsets must come in increasing order."""
        if offset < self._line_offset:
            self._line_offset = self._line = 0
        self._line += self.text.count("\n", self._line_offset, offset)
        self._line_offset = offset
        column = offset - (self.text.rfind("\n", 0, offset) + 1)
        return SourceLocation(self.file, self._line + 1, column + 1)

    def top_keys(self, data: Mapping[str, Any]) -> dict[str, int]:
        """Where each top-level key's ``key:`` ends; each must be written once, at column 1."""
        first = _FIRST_KEY.match(self.text)
        found = {first.group(1): first.end()} if first else {}
        for match in _TOP_KEY.finditer(self.text):  # after a newline: a fast literal scan
            if match.group(1) in found:
                raise _Unsure
            found[match.group(1)] = match.end()
        if set(found) != set(data):
            raise _Unsure
        offsets = sorted(found.values())
        for key in ("schema", "document"):
            if key in found:
                start = found[key]
                end = next((o for o in offsets if o > start), len(self.text))
                if _LEADING_ZERO.search(self.text, start, end):
                    raise _Unsure
        return found

    def block_start(self, offset: int, first_key: str, parent_indent: int) -> int:
        """Where the mapping after ``offset`` starts (its first key or ``{``), checked.

        A mapping on a later line must be indented deeper than ``parent_indent``.
        """
        start = _SPACES.match(self.text, offset).end()  # type: ignore[union-attr]
        if start >= len(self.text):
            raise _Unsure
        if self.text[start] in "#\n":
            following = _NEXT_CONTENT.search(self.text, start)
            if following is None or following.end() - following.start() <= parent_indent:
                raise _Unsure
            start = following.end()
        rest = self.text[start : start + len(first_key) + 2]
        if rest[:-1] == first_key + ":" and rest[-1:] in (" ", "\n", ""):
            return start
        if self.text[start] == "{" and re.match(
            r"\{ *" + re.escape(first_key) + " *:", self.text[start : start + 200]
        ):
            return start
        raise _Unsure

    def item_starts(self, after: int, count: int) -> tuple[list[int], int, int]:
        """Offsets of the ``-`` of each item of the block sequence after ``after``, its end
        and its indentation."""
        first = _NEXT_CONTENT.search(self.text, after)
        if first is None or self.text[first.end() : first.end() + 2] not in ("- ", "-\n", "-"):
            raise _Unsure
        indent = first.end() - first.start()
        # The sequence ends at a line less indented, or as indented but not an item.
        end_match = re.compile(rf"\n {{0,{indent}}}[^ \n#-]").search(self.text, first.end())
        end = end_match.start() if end_match else len(self.text)
        dash = re.compile(rf"\n {{{indent}}}-(?= |\n|$)")
        starts = [first.end()] + [m.end() - 1 for m in dash.finditer(self.text, first.end(), end)]
        if len(starts) != count:
            raise _Unsure
        return starts, end, indent

    def ref_offsets(self, starts: list[int], end: int, claims: list[Any]) -> list[list[int]]:
        """The offset of each link's ``ref`` value, per statement, checked against the data."""
        found: list[list[int]] = [[] for _ in starts]
        for match in _REF.finditer(self.text, starts[0], end):
            found[bisect_right(starts, match.start()) - 1].append(match.end())
        for offsets, claim in zip(found, claims, strict=True):
            citations = claim.get("citations", [])
            if type(citations) is not list or len(offsets) != len(citations):
                raise _Unsure
            for offset, citation in zip(offsets, citations, strict=True):
                value = _REF_VALUE.match(self.text, offset)
                if (
                    value is None
                    or type(citation) is not dict
                    or citation.get("ref") != value.group(value.lastindex or 0)
                ):
                    raise _Unsure
        return found

    # -- the schema (the exact reader's rules, for files without any problem) -------------
    def read(self, data: Any, default_id: str) -> ParsedClaims:
        top = _mapping(data, TOP_KEYS)
        schema = top.get("schema")
        if type(schema) is not int or schema != SCHEMA_VERSION:
            raise _Unsure
        claims_data = top.get("claims")
        if type(claims_data) is not list:
            raise _Unsure
        keys = self.top_keys(top)
        document = self.read_document(top.get("document"), keys.get("document"), default_id)
        claims: list[Claim] = []
        if claims_data:
            starts, end, indent = self.item_starts(keys["claims"], len(claims_data))
            refs = self.ref_offsets(starts, end, [_mapping(c, CLAIM_KEYS) for c in claims_data])
            seen: set[str] = set()
            for raw, start, ref_offsets in zip(claims_data, starts, refs, strict=True):
                location = self.location(self.block_start(start + 1, next(iter(raw)), indent))
                claim = self.read_claim(raw, document, len(claims), location, ref_offsets)
                if claim.id in seen:
                    raise _Unsure
                seen.add(claim.id)
                claims.append(claim)
        return ParsedClaims(document=document, claims=claims, linked=frozenset(self.linked))

    def read_document(self, raw: Any, key: int | None, default_id: str) -> Document:
        if key is None:
            if not default_id:
                raise _Unsure
            return Document(id=default_id, location=SourceLocation(self.file))
        fields = _mapping(raw, DOCUMENT_KEYS)
        if "id" in fields:
            doc_id = _text(fields["id"])
        elif default_id:
            doc_id = default_id
        else:
            raise _Unsure
        numbering: dict[int, str] = {}
        references = fields.get("references", {})
        if type(references) is not dict:
            raise _Unsure
        for number, ref in references.items():
            if type(number) is not int or number < 1:
                raise _Unsure
            numbering[number] = _text(ref)
        return Document(
            id=doc_id,
            title=_text(fields["title"]) if "title" in fields else "",
            source=_text(fields["source"]) if "source" in fields else None,
            numbering=numbering,
            location=self.location(self.block_start(key, next(iter(fields)), 0)),
        )

    def read_claim(
        self,
        fields: dict[str, Any],
        document: Document,
        order: int,
        location: SourceLocation,
        ref_offsets: list[int],
    ) -> Claim:
        claim_id = _text(fields.get("id"))
        kind = _text(fields.get("kind"))
        if kind not in CLAIM_KINDS:
            raise _Unsure
        section_value = fields.get("section")
        if type(section_value) is list and section_value:
            section = tuple(_text(heading) for heading in section_value)
        else:
            section = (_text(section_value),)
        requires = fields.get("requires_support", True)
        if type(requires) is not bool:
            raise _Unsure
        note = _text(fields["support_note"]) if "support_note" in fields else None
        if not requires and not note:
            raise _Unsure
        citations = self.read_citations(fields.get("citations", []), ref_offsets)
        marker = _text(fields["marker"]) if "marker" in fields else None
        if marker is None:
            if citations:
                raise _Unsure
        elif marker_problem(marker, {c.ref for c in citations}, document.numbering, ""):
            raise _Unsure
        return Claim(
            id=claim_id,
            text=_text(fields.get("text")),
            section=section,
            kind=kind,
            document=document.id,
            marker=marker,
            citations=citations,
            requires_support=requires,
            support_note=note,
            order=order,
            location=location,
        )

    def read_citations(self, raw: Any, ref_offsets: list[int]) -> tuple[Citation, ...]:
        if type(raw) is not list:
            raise _Unsure
        citations = []
        for item, offset in zip(raw, ref_offsets, strict=True):
            fields = _mapping(item, CITATION_KEYS)
            relation = _RELATIONS.get(_text(fields["relation"])) if "relation" in fields else None
            if relation is None and "relation" in fields:
                raise _Unsure
            ref = _text(fields.get("ref"))
            self.linked.add(ref)
            citations.append(
                Citation(
                    ref=ref,
                    relation=relation or Relation.SUPPORTS,
                    assessment=self.read_assessment(fields["assessment"])
                    if "assessment" in fields
                    else _UNREVIEWED,
                    location=self.location(offset),
                )
            )
        return tuple(citations)

    def read_assessment(self, raw: Any) -> Assessment:
        if type(raw) is str:
            if raw != AssessmentStatus.UNREVIEWED.value:
                raise _Unsure  # a verdict without its date
            return _UNREVIEWED
        fields = _mapping(raw, ASSESSMENT_KEYS)
        status = _STATUSES.get(_text(fields["status"])) if "status" in fields else None
        if status is None and "status" in fields:
            raise _Unsure
        status = status or AssessmentStatus.UNREVIEWED
        date = None
        if "date" in fields:
            value = fields["date"]
            if type(value) is not str or not value:
                raise _Unsure
            # PyYAML reads a date only from what it resolves as a timestamp, or from text.
            tag = next((t for t, regexp in _IMPLICIT.get(value[0], ()) if regexp.match(value)), "")
            if tag not in ("", _TIMESTAMP):
                raise _Unsure
            date = date_from_text(value)
            if date is None:
                raise _Unsure
        elif status is not AssessmentStatus.UNREVIEWED:
            raise _Unsure

        def optional(key: str) -> str | None:
            return _text(fields[key]) if key in fields else None

        return Assessment(
            status=status,
            date=date,
            reviewer=optional("reviewer"),
            locator=optional("locator"),
            quote=optional("quote"),
            note=optional("note"),
        )
