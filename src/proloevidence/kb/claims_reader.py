"""Read ``claims.yaml`` into a :class:`Document` and its :class:`Claim` values, with every problem.

A valid, plainly written file is read fast (kb/claims_fast_reader.py). Any other is composed into
nodes that keep their positions (kb/yaml_nodes.py: safe loader, no tag runs any code, aliases
refused) and walked along the schema (docs/schema.md) by hand, so an unknown key such as
``citatons`` is a problem with its line and column, never silently ignored.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem
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
from .claims_fast_reader import read_fast
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
from .input_limits import read_input_text
from .yaml_nodes import Fields, NodeReader, compose, shown


def read_claims(path: str | Path, default_id: str = "") -> ParsedClaims:
    """Read a claims file; an unreadable file is a problem, not an exception."""
    text = read_input_text(path)
    if isinstance(text, Problem):
        return ParsedClaims(problems=[text])
    return parse_claims(text, str(path), default_id=default_id)


def parse_claims(
    text: str, file: str = "<string>", default_id: str = "", *, fast: bool = True
) -> ParsedClaims:
    """Parse claims YAML text. ``default_id`` names the document when it gives no id.

    A valid, plainly written file is read by the fast reader (kb/claims_fast_reader.py); any other,
    or any with ``fast=False``, by composing PyYAML nodes, so every problem has its line
    and column. Both give the same result.
    """
    if fast:
        parsed = read_fast(text, file, default_id)
        if parsed is not None:
            return parsed
    root, problems = compose(text, file)
    if problems:
        return ParsedClaims(problems=problems)
    reader = _Reader(file)
    if root is None:
        reader.problem(None, "the file is empty", "start from docs/schema.md", code="empty")
        return ParsedClaims(problems=reader.problems)
    return reader.read_root(root, default_id)


class _Reader(NodeReader):
    """Walks the nodes of a claims file along the schema (docs/schema.md)."""

    def read_root(self, root: yaml.Node, default_id: str) -> ParsedClaims:
        top = self.mapping(root, "the file", TOP_KEYS)
        if top is None:
            return ParsedClaims(problems=self.problems)
        schema_node = self.required(top, "schema", root, "the file")
        if schema_node is not None:
            version = self.scalar(schema_node)
            if version != SCHEMA_VERSION:
                self.problem(
                    schema_node,
                    f"schema {version!r} is not supported",
                    f"this version reads schema {SCHEMA_VERSION}",
                    code="schema",
                )
        document = self.read_document(top["document"][1] if "document" in top else None, default_id)
        claims: list[Claim] = []
        claims_node = self.required(top, "claims", root, "the file")
        seen: dict[str, yaml.Node] = {}
        if claims_node is not None:
            for node in self.items(claims_node, "'claims'"):
                claim = self.read_claim(node, document, len(claims))
                if claim is None:
                    continue
                if claim.id in seen:
                    first = self.loc(seen[claim.id])
                    self.problem(
                        node,
                        f"duplicate claim id {claim.id!r} (first at line {first.line})",
                        "give each statement its own id",
                        code="duplicate-id",
                    )
                    continue
                seen[claim.id] = node
                claims.append(claim)
        return ParsedClaims(document=document, claims=claims, problems=self.problems)

    def read_document(self, node: yaml.Node | None, default_id: str) -> Document:
        if node is None:
            if not default_id:
                self.problem(
                    None, "the file has no 'document' (id, title, references)", code="missing"
                )
            return Document(id=default_id or "document", location=SourceLocation(self.file))
        fields = self.mapping(node, "'document'", DOCUMENT_KEYS) or {}
        doc_id = default_id
        if "id" in fields:
            doc_id = self.string(fields["id"][1], "document id") or default_id
        elif not default_id:
            self.problem(node, "'document' has no 'id'", "add 'id:'", code="missing")
        title = self.string(fields["title"][1], "title") or "" if "title" in fields else ""
        source = self.string(fields["source"][1], "source") if "source" in fields else None
        numbering: dict[int, str] = {}
        if "references" in fields:
            refs_node = fields["references"][1]
            ref_fields = refs_node.value if isinstance(refs_node, yaml.MappingNode) else None
            if ref_fields is None:
                self.problem(
                    refs_node,
                    "'references' must map page numbers to reference keys",
                    "e.g. '1: rabago2010'",
                    code="wrong-type",
                )
            else:
                for key_node, value_node in ref_fields:
                    number = self.scalar(key_node)
                    key = self.string(value_node, "reference key")
                    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
                        self.problem(
                            key_node,
                            f"reference number {shown(key_node)} is not a positive whole number",
                            code="wrong-type",
                        )
                        continue
                    if number in numbering:
                        self.problem(
                            key_node,
                            f"reference number {number} is given twice",
                            code="duplicate-key",
                        )
                        continue
                    if key:
                        numbering[number] = key
        return Document(
            id=doc_id or "document",
            title=title,
            source=source,
            numbering=numbering,
            location=self.loc(node),
        )

    def read_claim(self, node: yaml.Node, document: Document, order: int) -> Claim | None:
        fields = self.mapping(node, "a claim", CLAIM_KEYS)
        if fields is None:
            return None
        id_node = self.required(fields, "id", node, "a claim")
        claim_id = self.string(id_node, "claim id") if id_node is not None else None
        what = f"claim {claim_id!r}" if claim_id else "a claim"
        text_node = self.required(fields, "text", node, what)
        text = self.string(text_node, "text") if text_node is not None else None
        section = self.read_section(fields, node, what)
        kind_node = self.required(fields, "kind", node, what)
        kind = self.string(kind_node, "kind") if kind_node is not None else None
        if kind is not None and kind not in CLAIM_KINDS:
            close = difflib.get_close_matches(kind, CLAIM_KINDS, n=1)
            self.problem(
                kind_node,
                f"unknown kind {kind!r} in {what}",
                f"did you mean {close[0]!r}?" if close else "kinds: " + ", ".join(CLAIM_KINDS),
                code="unknown-kind",
            )
            kind = None
        marker = None
        if "marker" in fields and self.scalar(fields["marker"][1]) is not None:
            marker = self.string(fields["marker"][1], "marker")
        citations = self.read_citations(fields, what)
        requires = True
        if "requires_support" in fields:
            value = self.scalar(fields["requires_support"][1])
            if isinstance(value, bool):
                requires = value
            else:
                self.problem(
                    fields["requires_support"][1],
                    "'requires_support' must be true or false",
                    code="wrong-type",
                )
        note = (
            self.string(fields["support_note"][1], "support_note")
            if ("support_note" in fields)
            else None
        )
        if not requires and not note:
            self.problem(
                node,
                f"{what} says it needs no source but gives no 'support_note'",
                "say why (clinic logistics, an invitation to book, ...)",
                code="missing",
            )
        if marker is not None:
            self.check_marker(fields["marker"][1], marker, citations, document, what)
        elif citations:
            self.problem(
                fields["citations"][0],
                f"{what} links sources but prints no marker",
                'add the marker as printed, e.g. marker: "(1-3)"',
                code="marker-mismatch",
            )
        if not (claim_id and text and kind and section is not None):
            return None
        return Claim(
            id=claim_id,
            text=text,
            section=section,
            kind=kind,
            document=document.id,
            marker=marker,
            citations=tuple(citations),
            requires_support=requires,
            support_note=note,
            order=order,
            location=self.loc(node),
        )

    def read_section(self, fields: Fields, node: yaml.Node, what: str) -> tuple[str, ...] | None:
        section_node = self.required(fields, "section", node, what)
        if section_node is None:
            return None
        if isinstance(section_node, yaml.ScalarNode):
            value = self.string(section_node, "section")
            return (value,) if value else None
        parts = [self.string(n, "section heading") for n in self.items(section_node, "section")]
        if not parts or any(p is None for p in parts):
            if not parts:
                self.problem(section_node, f"{what} has an empty section", code="missing")
            return None
        return tuple(p for p in parts if p is not None)

    def read_citations(self, fields: Fields, what: str) -> list[Citation]:
        if "citations" not in fields:
            return []
        citations: list[Citation] = []
        for node in self.items(fields["citations"][1], "'citations'"):
            cite = self.mapping(node, f"a citation of {what}", CITATION_KEYS)
            if cite is None:
                continue
            ref_node = self.required(cite, "ref", node, f"a citation of {what}")
            ref = self.string(ref_node, "ref") if ref_node is not None else None
            relation = Relation.SUPPORTS
            if "relation" in cite:
                relation_node = cite["relation"][1]
                name = self.string(relation_node, "relation")
                parsed = _enum(Relation, name)
                if parsed is None:
                    self.problem(
                        relation_node,
                        f"unknown relation {name!r} in {what}",
                        "relations: " + ", ".join(r.value for r in Relation),
                        code="unknown-relation",
                    )
                else:
                    relation = parsed
            assessment = (
                self.read_assessment(cite["assessment"][1], what)
                if "assessment" in cite
                else Assessment()
            )
            if ref:
                citations.append(
                    Citation(
                        ref=ref,
                        relation=relation,
                        assessment=assessment,
                        location=self.loc(ref_node),
                    )
                )
        return citations

    def read_assessment(self, node: yaml.Node, what: str) -> Assessment:
        if isinstance(node, yaml.ScalarNode):
            fields: Fields = {"status": (node, node)}
        else:
            fields = self.mapping(node, f"an assessment in {what}", ASSESSMENT_KEYS) or {}
        status = AssessmentStatus.UNREVIEWED
        if "status" in fields:
            name = self.string(fields["status"][1], "assessment")
            parsed = _enum(AssessmentStatus, name)
            if parsed is None:
                self.problem(
                    fields["status"][1],
                    f"unknown assessment {name!r} in {what}",
                    "one of: " + ", ".join(s.value for s in AssessmentStatus),
                    code="unknown-assessment",
                )
            else:
                status = parsed
        date = None
        if "date" in fields:
            date = self.read_date(fields["date"][1])
        elif status is not AssessmentStatus.UNREVIEWED:
            self.problem(
                node,
                f"assessment {status.value!r} in {what} has no date",
                "add 'date: YYYY-MM-DD' (when the editor read the source)",
                code="missing",
            )

        def opt(key: str) -> str | None:
            return self.string(fields[key][1], key) if key in fields else None

        return Assessment(
            status=status,
            date=date,
            reviewer=opt("reviewer"),
            locator=opt("locator"),
            quote=opt("quote"),
            note=opt("note"),
        )

    def read_date(self, node: yaml.Node) -> dt.date | None:
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith((":timestamp", ":str")):
            value: Any = str(node.value)  # parsed below, so 2026-02-30 is a bad date, once
        else:
            value = self.scalar(node)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            parsed = date_from_text(value)
            if parsed is not None:
                return parsed
        self.problem(node, f"{shown(node)} is not a date", "write YYYY-MM-DD", code="bad-date")
        return None

    def check_marker(
        self, node: yaml.Node, marker: str, citations: list[Citation], document: Document, what: str
    ) -> None:
        found = marker_problem(marker, {c.ref for c in citations}, document.numbering, what)
        if found is not None:
            message, hint, code = found
            self.problem(node, message, hint, code=code)


def _enum(kind: Callable[[str], Any], name: str | None) -> Any:
    if name is None:
        return None
    try:
        return kind(name)
    except ValueError:
        return None
