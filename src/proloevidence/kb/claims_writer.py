"""Write a document and its statements as ``claims.yaml`` (schema 1, docs/schema.md).

The layout follows the bundled ``data/claims.yaml``: one block per statement, a comment
line where the top-level section changes, links as one-line mappings. Every text value
is written double-quoted by PyYAML's own emitter, so any character survives a round trip
through :func:`proloevidence.kb.claims_reader.parse_claims`. ``comments`` (per statement id)
become ``# ...`` lines above the statement: what an editor must look at there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import yaml

from ..model import SCHEMA_VERSION, Assessment, Citation, Claim, Document

_NOT_PRINTABLE = re.compile("[^\x09\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_SLUG = re.compile(r"^[a-z][a-z0-9-]*$")
_YAML_WORDS = frozenset("y n yes no on off true false null".split())

HEADER = """\
# Draft made by `proloevidence import`: review every statement before relying on it.
# - kind: a guess from the statement's words; correct it (docs/schema.md lists the kinds).
# - requires_support: true (the default) for every statement; where a statement needs no
#   source (clinic logistics, a disclaimer, ...) write `requires_support: false` and a
#   `support_note` saying why.
# - citations: what the page's markers assert (`relation: supports`); change the relation
#   where the page cites a source for something else, and record an assessment once an
#   editor has read the source.
"""


def plain_or_quoted(value: str) -> str:
    """An id, key or kind: plain when it is a simple slug, else quoted."""
    if _SLUG.match(value) and value not in _YAML_WORDS:
        return value
    return quote(value)


def quote(value: str) -> str:
    """``value`` as a double-quoted YAML scalar on one line."""
    dumped = yaml.safe_dump(
        value, default_style='"', allow_unicode=True, width=float("inf"), explicit_end=False
    )
    return dumped.rstrip("\n").removesuffix("\n...").rstrip("\n")


def format_claims(
    document: Document,
    claims: Sequence[Claim],
    comments: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """The text of a ``claims.yaml`` holding ``document`` and ``claims`` in order."""
    comments = comments or {}
    lines = [HEADER.rstrip("\n"), f"schema: {SCHEMA_VERSION}", "document:"]
    lines.append(f"  id: {plain_or_quoted(document.id)}")
    if document.title:
        lines.append(f"  title: {quote(document.title)}")
    if document.source:
        lines.append(f"  source: {quote(document.source)}")
    if document.numbering:
        lines.append("  references:")
        lines.extend(
            f"    {number}: {plain_or_quoted(key)}"
            for number, key in sorted(document.numbering.items())
        )
    if not claims:
        lines.append("claims: []")
        return "\n".join(lines) + "\n"
    lines.extend(["", "claims:"])
    top: str | None = None
    for claim in claims:
        head = claim.section[0] if claim.section else ""
        if head != top:
            top = head
            lines.append(f"  # --- {_one_line(head)} " + "-" * max(3, 84 - len(head)))
        lines.extend(f"  # {_one_line(c)}" for c in comments.get(claim.id, ()))
        lines.extend(_claim_lines(claim))
    return "\n".join(lines) + "\n"


def _claim_lines(claim: Claim) -> list[str]:
    section = ", ".join(quote(h) for h in claim.section)
    lines = [
        f"  - id: {plain_or_quoted(claim.id)}",
        f"    section: [{section}]",
        f"    kind: {plain_or_quoted(claim.kind)}",
        f"    text: {quote(claim.text)}",
    ]
    if claim.marker is not None:
        lines.append(f"    marker: {quote(claim.marker)}")
    if claim.citations:
        lines.append("    citations:")
        lines.extend(f"      - {_citation(c)}" for c in claim.citations)
    if not claim.requires_support:
        lines.append("    requires_support: false")
    if claim.support_note:
        lines.append(f"    support_note: {quote(claim.support_note)}")
    return lines


def _citation(citation: Citation) -> str:
    parts = [f"ref: {plain_or_quoted(citation.ref)}", f"relation: {citation.relation.value}"]
    parts.append(f"assessment: {format_assessment(citation.assessment)}")
    return "{" + ", ".join(parts) + "}"


def format_assessment(assessment: Assessment) -> str:
    """An assessment as YAML on one line: ``unreviewed``, or a flow mapping
    ``{status: supported, date: 2026-12-06, reviewer: "...", ...}`` with its texts quoted."""
    if assessment == Assessment():
        return assessment.status.value
    fields = [f"status: {assessment.status.value}"]
    if assessment.date is not None:
        fields.append(f"date: {assessment.date.isoformat()}")
    for name in ("reviewer", "locator", "quote", "note"):
        value = getattr(assessment, name)
        if value:
            fields.append(f"{name}: {quote(value)}")
    return "{" + ", ".join(fields) + "}"


def _one_line(text: str) -> str:
    # A comment holds one line of printable characters, or YAML cannot read the file.
    return " ".join(_NOT_PRINTABLE.sub(" ", text).split())
