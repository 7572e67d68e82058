"""Reference numbers from the knowledge base: the order of first citation, never hand-kept.

A page's references are numbered in the order its statements first cite them (document
order), or alphabetically by first author. Markers and reference lists take their numbers
from the same :class:`Numbering`, so they always agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from ..errors import UnknownIdError
from ..model import Claim, Reference
from ..text.markers import MarkerStyle, format_marker
from .choices import ORDERS, Order

if TYPE_CHECKING:
    from ..kb.knowledge_base import KnowledgeBase


@dataclass(frozen=True)
class Numbering:
    """The listed references in order, each with its number (1-based)."""

    keys: tuple[str, ...]

    @cached_property
    def numbers(self) -> Mapping[str, int]:
        """Key -> number (built once: a page asks once per citing statement)."""
        return {key: i for i, key in enumerate(self.keys, start=1)}

    def numbers_of(self, claim: Claim) -> list[int]:
        """The numbers a statement's marker names (references not listed are left out)."""
        numbers = self.numbers
        return [numbers[key] for key in dict.fromkeys(claim.refs) if key in numbers]

    def marker(self, claim: Claim, style: MarkerStyle = "parentheses") -> str:
        """The statement's marker, collapsed (``(1-3)``, ``[4,5]``, ``¹⁻³``); "" when none."""
        return format_marker(self.numbers_of(claim), style)


def document_claims(kb: KnowledgeBase, document: str | None = None) -> list[Claim]:
    """The statements of one document (all of them when ``document`` is None), page order."""
    if document is None:
        return list(kb.claims)
    if document not in kb.documents:
        raise UnknownIdError("document", document, kb.documents)
    return [c for c in kb.claims if c.document == document]


def citation_order(claims: Iterable[Claim], known: Mapping[str, Reference]) -> list[str]:
    """Reference keys in the order the statements first cite them (link order within one)."""
    seen: dict[str, None] = {}
    for claim in claims:
        for key in claim.refs:
            if key in known:
                seen.setdefault(key)
    return list(seen)


def number_references(
    kb: KnowledgeBase,
    *,
    order: Order = "document",
    cited_only: bool = False,
    document: str | None = None,
) -> Numbering:
    """Number the references of a document (or of the whole knowledge base).

    Document order: cited references by first citation, then (unless ``cited_only``) the
    uncited ones in the page's own numbering, then in file order. Alphabetical: by first
    author's family name, year, title and key.
    """
    cited = citation_order(document_claims(kb, document), kb.references)
    keys = list(cited)
    if not cited_only:
        keys.extend(k for k in _listed_uncited(kb, document) if k not in cited)
    if order == "alphabetical":
        keys.sort(key=lambda k: _alphabetical_key(kb.references[k]))
    elif order != "document":
        raise ValueError(f"order must be one of {', '.join(ORDERS)}, not {order!r}")
    return Numbering(tuple(keys))


def _listed_uncited(kb: KnowledgeBase, document: str | None) -> list[str]:
    documents: Sequence[str] = [document] if document else list(kb.documents)
    keys: dict[str, None] = {}
    for doc_id in documents:
        numbering = kb.documents[doc_id].numbering
        for number in sorted(numbering):
            if numbering[number] in kb.references:
                keys.setdefault(numbering[number])
    if document is None:
        for key in kb.references:
            keys.setdefault(key)
    return list(keys)


def _alphabetical_key(reference: Reference) -> tuple[str, int, str, str]:
    first = reference.authors[0].family if reference.authors else reference.title
    return (first.casefold(), reference.year or 0, reference.title.casefold(), reference.key)
