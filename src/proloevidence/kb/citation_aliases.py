"""Citations of an entry by one of its ``ids`` aliases, resolved to the entry's own key.

biblatex's ``ids = {old, older}`` names the other keys an entry was cited by; biber
resolves a citation of any of them to the entry (the biblatex manual, section 2.2.3,
"ids"). After a load, :func:`resolve_aliases` does the same for the statements' links and
the pages' numbering: a link to ``old`` becomes a link to the entry's key, so every later
stage (the graph, the audit, verification, ``refs``) sees one key per entry. An entry's own
key wins over another entry's alias, and the first entry to name an alias keeps it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence

from ..model import Claim, Document, Reference

Linked = tuple[list[Claim], frozenset[str] | None]
"""A claims file's statements, and the distinct keys they link (None: not known)."""


def alias_keys(references: Iterable[Reference]) -> dict[str, str]:
    """Each ``ids`` alias of the references -> the key of the entry it names."""
    listed = list(references)
    keys = {ref.key for ref in listed}
    aliases: dict[str, str] = {}
    for ref in listed:
        for alias in ref.extra.get("ids", "").split(","):
            alias = alias.strip()
            if alias and alias not in keys:
                aliases.setdefault(alias, ref.key)
    return aliases


def resolve_aliases(
    documents: Sequence[Document],
    linked: Sequence[Linked],
    aliases: Mapping[str, str],
) -> tuple[list[Document], list[Linked]]:
    """The documents and each file's statements with every alias replaced by its key."""
    resolved: list[Linked] = []
    for claims, keys in linked:
        if keys is not None and keys.isdisjoint(aliases):
            resolved.append((claims, keys))  # the usual case: no statement cites an alias
            continue
        claims = [_claim(claim, aliases) for claim in claims]
        resolved.append((claims, frozenset(c.ref for claim in claims for c in claim.citations)))
    pages = [
        dataclasses.replace(
            doc, numbering={n: aliases.get(key, key) for n, key in doc.numbering.items()}
        )
        if any(key in aliases for key in doc.numbering.values())
        else doc
        for doc in documents
    ]
    return pages, resolved


def _claim(claim: Claim, aliases: Mapping[str, str]) -> Claim:
    if not any(c.ref in aliases for c in claim.citations):
        return claim
    citations = tuple(
        dataclasses.replace(c, ref=aliases[c.ref]) if c.ref in aliases else c
        for c in claim.citations
    )
    return dataclasses.replace(claim, citations=citations)
