"""Record an editor's assessment of one link in ``claims.yaml``, keeping every other byte.

The file is never re-serialised. :func:`set_assessment` composes the YAML into nodes that
know their positions, finds the statement's link to the reference, and replaces only the
link's ``assessment`` value (or inserts one after its last field) with a one-line flow
mapping, ``{status: supported, date: 2026-12-06, reviewer: "..."}`` (kb/claims_writer.py
writes the same form). Comments, order, quoting and layout of everything else stay as they
were. The result is read back before it is returned: unless it parses to the same statements
with only that assessment changed, nothing is written (:class:`ClaimsEditError`).

:func:`assess` is the library call behind ``proloevidence assess`` and the review page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from ..atomic import write_text_atomic
from ..errors import ProloevidenceError
from ..model import Assessment, AssessmentStatus, Citation, Claim
from .claims_reader import parse_claims
from .claims_writer import format_assessment

if TYPE_CHECKING:
    from .knowledge_base import KnowledgeBase

JUDGEMENTS = (
    AssessmentStatus.SUPPORTED,
    AssessmentStatus.PARTLY,
    AssessmentStatus.NOT_SUPPORTED,
)
"""What an editor may record after reading a source (``unreviewed`` is where links start)."""


class ClaimsEditError(ProloevidenceError):
    """The claims file cannot be edited safely; the message names the file (and line)."""


def set_assessment(
    text: str,
    file: str,
    claim_id: str,
    ref: str,
    assessment: Assessment,
    default_id: str = "",
    aliases: Collection[str] = (),
) -> str:
    """``text`` (a claims file) with the link ``claim_id`` -> ``ref`` assessed as given.

    ``claim_id`` is the statement's id as written in this file; the link may name ``ref``
    or one of ``aliases`` (the entry's ``ids``). Raises :class:`ClaimsEditError` when the
    statement or the link is not in the file, or when the edit would change anything else.
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)  # indexes count characters
    except yaml.YAMLError as exc:
        raise ClaimsEditError(f"{file}: cannot be read as YAML: {exc}") from exc
    citation, written = _citation_node(root, file, claim_id, ref, aliases)
    edited = _edit(text, citation, format_assessment(assessment))
    _check(text, edited, file, claim_id, written, assessment, default_id)
    return edited


def write_assessment(
    path: str | os.PathLike[str],
    claim_id: str,
    ref: str,
    assessment: Assessment,
    default_id: str = "",
    aliases: Collection[str] = (),
) -> None:
    """Edit the claims file at ``path`` in place, atomically (see :func:`set_assessment`)."""
    target = Path(path)
    try:
        text = target.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ClaimsEditError(f"{target}: not UTF-8 ({exc.reason})") from exc
    write_text_atomic(
        target,
        set_assessment(text, str(target), claim_id, ref, assessment, default_id, aliases),
    )


def assess(
    claim: str,
    key: str,
    status: AssessmentStatus | str,
    *,
    locator: str | None = None,
    quote: str | None = None,
    note: str | None = None,
    by: str | None = None,
    date: dt.date | None = None,
    kb: KnowledgeBase | str | os.PathLike[str] | None = None,
) -> Citation:
    """Record an editor's judgement of the link ``claim`` -> ``key`` in the knowledge base.

    ``status`` is ``supported``, ``partly`` or ``not-supported``; ``locator`` says where in
    the source (``p. 367, Table 2``), ``quote`` the passage, ``note`` anything else, ``by``
    the reviewer; ``date`` defaults to today. ``kb`` is a loaded knowledge base or a folder
    (default: the bundled page). Only that link's assessment changes in its claims file:
    every other byte stays as it was. Returns the link as now recorded.

    Raises :class:`~proloevidence.UnknownIdError` for an unknown statement or a reference
    the statement does not cite, ``ValueError`` for another status, and
    :class:`ClaimsEditError` when the file cannot be edited safely.
    """
    from .knowledge_base import KnowledgeBase, load

    base = kb if isinstance(kb, KnowledgeBase) else load(kb)
    found = base.claim(claim)
    judged = AssessmentStatus(status)
    if judged not in JUDGEMENTS:
        allowed = ", ".join(s.value for s in JUDGEMENTS)
        raise ValueError(f"an assessment is one of {allowed}, not {judged.value!r}")
    key = base.aliases.get(key, key)  # the link was resolved to the entry's own key
    citation = _citation_of(base, found, key)
    if found.location is None or not found.location.file:
        raise ClaimsEditError(f"statement {claim!r} was not read from a file")
    assessment = Assessment(
        status=judged,
        date=date or dt.date.today(),
        reviewer=_clean(by),
        locator=_clean(locator),
        quote=_clean(quote),
        note=_clean(note),
    )
    path = Path(found.location.file)
    default_id = path.stem if path.parent.name == "claims" else ""
    aliases = [alias for alias, entry in base.aliases.items() if entry == key]
    write_assessment(path, found.id, key, assessment, default_id, aliases)
    return dataclasses.replace(citation, assessment=assessment)


def _citation_of(kb: KnowledgeBase, claim: Claim, key: str) -> Citation:
    from ..errors import UnknownIdError

    for citation in claim.citations:
        if citation.ref == key:
            return citation
    raise UnknownIdError(f"reference cited by {kb.claim_id(claim)}", key, claim.refs)


def _clean(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


# -- finding the link -------------------------------------------------------------------------
def _scalar(node: yaml.Node | None) -> str | None:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def _field(node: yaml.Node, name: str) -> tuple[yaml.Node, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if _scalar(key) == name:
                return key, value
    return None


def _citation_node(
    root: yaml.Node | None, file: str, claim_id: str, ref: str, aliases: Collection[str]
) -> tuple[yaml.Node, str]:
    """The link's node, and the key as the file writes it (``ref`` or an alias)."""
    claims = _field(root, "claims") if root is not None else None
    if claims is None or not isinstance(claims[1], yaml.SequenceNode):
        raise ClaimsEditError(f"{file}: no 'claims' list")
    for claim in claims[1].value:
        found = _field(claim, "id")
        if found is None or _scalar(found[1]) != claim_id:
            continue
        line = claim.start_mark.line + 1
        citations = _field(claim, "citations")
        if citations is not None and isinstance(citations[1], yaml.SequenceNode):
            for citation in citations[1].value:
                cited = _field(citation, "ref")
                written = _scalar(cited[1]) if cited is not None else None
                if written is not None and (written == ref or written in aliases):
                    node: yaml.Node = citation
                    return node, written
        raise ClaimsEditError(f"{file}:{line}: statement {claim_id!r} has no link to {ref!r}")
    raise ClaimsEditError(f"{file}: no statement {claim_id!r}")


def _end(node: yaml.Node) -> int:
    """Where a node's own text ends: a block collection ends with its last value (its end
    mark would take in the blank lines and comments after it)."""
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style:
        if isinstance(node, yaml.MappingNode) and node.value:
            return _end(node.value[-1][1])
        if isinstance(node, yaml.SequenceNode) and node.value:
            return _end(node.value[-1])
    return int(node.end_mark.index)


def _edit(text: str, citation: yaml.Node, value: str) -> str:
    if not isinstance(citation, yaml.MappingNode) or not citation.value:
        raise ClaimsEditError(f"line {citation.start_mark.line + 1}: the link is not a mapping")
    present = _field(citation, "assessment")
    if present is not None:
        key, old = present
        if isinstance(old, yaml.ScalarNode) or getattr(old, "flow_style", False):
            start, end = old.start_mark.index, _end(old)
            return text[:start] + value + text[end:]
        # A block mapping under "assessment:" becomes the one-line form after the key.
        start, end = key.end_mark.index, _end(old)
        return text[:start] + ": " + value + text[end:]
    last = _end(citation.value[-1][1])
    if citation.flow_style:
        return text[:last] + f", assessment: {value}" + text[last:]
    newline = "\r\n" if "\r\n" in text else "\n"
    indent = " " * citation.value[0][0].start_mark.column
    return text[:last] + f"{newline}{indent}assessment: {value}" + text[last:]


def _check(
    before: str,
    after: str,
    file: str,
    claim_id: str,
    ref: str,
    assessment: Assessment,
    default_id: str,
) -> None:
    """Refuse an edit that reads back as anything but the one assessment changed."""
    old = parse_claims(before, file, default_id, fast=False)
    new = parse_claims(after, file, default_id, fast=False)
    expected = [
        dataclasses.replace(
            c,
            citations=tuple(
                dataclasses.replace(link, assessment=assessment) if link.ref == ref else link
                for link in c.citations
            ),
        )
        if c.id == claim_id
        else c
        for c in old.claims
    ]
    if new.problems and not old.problems:
        raise ClaimsEditError(f"{file}: the edit would break the file: {new.problems[0]}")
    if new.document != old.document or new.claims != expected:
        raise ClaimsEditError(
            f"{file}: the assessment of {claim_id} -> {ref} cannot be written in place safely"
        )
