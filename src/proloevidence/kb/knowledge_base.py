"""The knowledge base: documents, statements and references loaded together, with queries.

``load()`` reads a folder (``*.bib`` plus ``claims.yaml`` or ``claims/*.yaml``; which
files, and the checks across them: kb/folder.py), finds every problem in one pass, and the
:class:`KnowledgeBase` answers queries from indexes, each built once by
the first query that needs it (a load that only lists statements builds none). The networkx
graph (:attr:`KnowledgeBase.graph`) is built on first use too.
"""

from __future__ import annotations

import dataclasses
import gc
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import KnowledgeBaseError, Problem, UnknownIdError
from ..model import Citation, Claim, Document, Reference, Relation, Severity, SourceLocation
from .bib_cross_file import with_parents_from_other_files
from .citation_aliases import alias_keys, resolve_aliases
from .claims_schema import ParsedClaims
from .folder import CLAIMS_DIR, folder_files, folder_problem, link_problems
from .input_limits import UNREADABLE
from .parse_cache import ParseCache
from .parsed_references import ParsedReferences

if TYPE_CHECKING:
    import networkx as nx

RECOVERABLE = frozenset(
    {"marker-mismatch", "duplicate-identifier", "numbering-mismatch", "unknown-field"}
)
"""Codes of errors that still leave a usable knowledge base: ``load(strict=False)`` keeps
them in :attr:`KnowledgeBase.problems` (the audit reports them as findings). Warnings and
infos never raise: they are kept there by every load."""


@dataclass(frozen=True)
class Source:
    """A reference as one statement cites it: the reference and the typed link."""

    reference: Reference
    citation: Citation

    @property
    def key(self) -> str:
        return self.reference.key

    @property
    def relation(self) -> Relation:
        return self.citation.relation


def bundled_path() -> Path:
    """The folder of the knowledge base shipped with the package (the prolotherapy page)."""
    return Path(str(resources.files("proloevidence") / "data"))


class KnowledgeBase:
    """Statements and references with their links; build it with :func:`load`."""

    def __init__(
        self,
        documents: Sequence[Document],
        claims: Sequence[Claim],
        references: Sequence[Reference],
        *,
        path: Path | None = None,
        problems: Sequence[Problem] = (),
        aliases: Mapping[str, str] | None = None,
    ) -> None:
        self.path = path
        self.documents: dict[str, Document] = {d.id: d for d in documents}
        self.claims: list[Claim] = list(claims)
        self.references: dict[str, Reference] = {r.key: r for r in references}
        self.problems: list[Problem] = list(problems)
        self.aliases: dict[str, str] = dict(aliases or {})
        """Each ``ids`` alias -> its entry's key; links were resolved to the key at load."""
        self._numbers_by_document: dict[str, dict[str, int]] = {}

    # -- indexes: each built once, in one pass, by the first query that needs it -----------
    @cached_property
    def _clashing(self) -> set[str]:
        return _clashing_ids(self.claims)

    @cached_property
    def _by_id(self) -> dict[str, Claim]:
        clashing = self._clashing
        by_id: dict[str, Claim] = {}
        for claim in self.claims:
            bare = claim.id
            by_id[claim.document + "/" + bare] = claim
            if bare not in clashing:
                by_id[bare] = claim
        return by_id

    @cached_property
    def _citing(self) -> dict[str, list[Claim]]:
        citing: dict[str, list[Claim]] = {key: [] for key in self.references}
        for claim in self.claims:
            for citation in claim.citations:
                cited = citing.get(citation.ref)
                if cited is None:
                    citing[citation.ref] = [claim]
                elif not cited or cited[-1] is not claim:  # a claim once per key
                    cited.append(claim)
        return citing

    @cached_property
    def _unsupported(self) -> list[Claim]:
        return [c for c in self.claims if c.requires_support and not c.is_supported]

    def __repr__(self) -> str:
        return (
            f"<KnowledgeBase {len(self.documents)} documents, {len(self.claims)} claims, "
            f"{len(self.references)} references>"
        )

    # -- lookups ---------------------------------------------------------------------------
    def claim_id(self, claim: Claim) -> str:
        """The id that addresses ``claim``: bare, or ``document/claim`` where ids clash."""
        return f"{claim.document}/{claim.id}" if claim.id in self._clashing else claim.id

    def claim(self, claim_id: str) -> Claim:
        """The statement with this id (or ``document/id``); UnknownIdError suggests close ids."""
        try:
            return self._by_id[claim_id]
        except KeyError:
            if claim_id in self._clashing:
                same = [self.claim_id(c) for c in self.claims if c.id == claim_id]
                raise UnknownIdError("claim", claim_id, same, ambiguous=True) from None
            known = [self.claim_id(c) for c in self.claims]
            raise UnknownIdError("claim", claim_id, known) from None

    def reference(self, key: str) -> Reference:
        """The reference with this key (or ``ids`` alias); UnknownIdError suggests close keys."""
        try:
            return self.references[self.aliases.get(key, key)]
        except KeyError:
            raise UnknownIdError("reference", key, self.references) from None

    # -- queries ---------------------------------------------------------------------------
    def sources(
        self, claim_id: str, relations: Iterable[Relation | str] | None = None
    ) -> list[Source]:
        """The references a statement cites, in link order, optionally only some relations."""
        claim = self.claim(claim_id)
        wanted = {Relation(r) for r in relations} if relations is not None else None
        return [
            Source(self.references[c.ref], c)
            for c in claim.citations
            if c.ref in self.references and (wanted is None or c.relation in wanted)
        ]

    def claims_citing(self, key: str) -> list[Claim]:
        """The statements that cite a reference, in page order."""
        return list(self._citing.get(self.reference(key).key, []))

    def unsupported_claims(self) -> list[Claim]:
        """Statements that need a source and have no ``supports``/``qualifies`` link."""
        return list(self._unsupported)

    def uncited_references(self) -> list[Reference]:
        """References that no statement cites."""
        return [r for key, r in self.references.items() if not self._citing.get(key)]

    def search(self, text: str) -> list[Claim]:
        """Statements whose text holds every word of ``text`` (case-insensitive), page order."""
        words = text.casefold().split()
        return [c for c in self.claims if all(w in c.text.casefold() for w in words)]

    def number_of(self, key: str, document: str | None = None) -> int | None:
        """The reference's number on the page (the document's numbering), if it has one."""
        docs = [self.documents[document]] if document else self.documents.values()
        for doc in docs:
            number = self._numbers(doc.id).get(key)
            if number is not None:
                return number
        return None

    def _numbers(self, document: str) -> dict[str, int]:
        # key -> its first number on the page, built on first use per document.
        found = self._numbers_by_document.get(document)
        if found is None:
            found = {}
            for number, ref in self.documents[document].numbering.items():
                found.setdefault(ref, number)
            self._numbers_by_document[document] = found
        return found

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """document -> section -> statement -> reference, links typed (see kb/graph.py)."""
        from .graph import build_graph

        return build_graph(self)


class _Direct:
    """Reads every file (no cache)."""

    def open(self, folder: Path) -> None:
        pass

    def close(self) -> None:
        pass

    def claims(self, path: Path, default_id: str) -> ParsedClaims:
        from .claims_reader import read_claims

        return read_claims(path, default_id=default_id)

    def references(self, path: Path) -> ParsedReferences:
        from .bib_reader import read_references

        return read_references(path)


def load(
    path: str | os.PathLike[str] | None = None,
    *,
    strict: bool = True,
    cache: bool | str | os.PathLike[str] | ParseCache = True,
) -> KnowledgeBase:
    """Load a knowledge base folder; with no path, the bundled prolotherapy page.

    Every problem in every file is found in one pass. With ``strict`` (the default) any
    error raises :class:`KnowledgeBaseError` (listing the warnings too); otherwise the
    errors in :data:`RECOVERABLE` are kept on ``kb.problems`` and only the rest raise.
    Warnings and infos (``Problem.severity``) never raise: they are on ``kb.problems``.

    ``cache`` (default True) answers each file whose bytes did not change since a load
    from a compiled cache in ``$PROLOEVIDENCE_CACHE_DIR/kb`` (else the user cache
    directory); a folder may be given instead, False reads every file. The result is the
    same either way (see kb/parse_cache.py); the cache never makes a load fail.
    """
    folder = Path(path) if path is not None else bundled_path()
    unusable = folder_problem(folder)
    if unusable is not None:
        raise KnowledgeBaseError([unusable])
    reader: _Direct | ParseCache
    if cache is False:
        reader = _Direct()
    elif isinstance(cache, ParseCache):
        reader = cache
    else:
        reader = ParseCache(None if cache is True else cache)
    # A load allocates a few hundred thousand objects and frees almost none, so the cyclic
    # garbage collector would walk them again and again: half of a warm load's time.
    collecting = gc.isenabled()
    gc.disable()
    try:
        reader.open(folder)
        try:
            return _load(folder, strict, reader)
        finally:
            reader.close()
    finally:
        if collecting:
            gc.enable()


def _load(folder: Path, strict: bool, reader: _Direct | ParseCache) -> KnowledgeBase:
    bib_files, claim_paths, problems = folder_files(folder)
    references: list[Reference] = []
    keys: dict[str, Reference] = {}
    # Keys whose absence a problem already explains: a link to one is not reported again.
    explained: set[str] | None = set()  # None: a .bib file could not be read at all
    skipped: dict[str, tuple[str, int]] = {}  # an unparsed entry's key -> its problem's place
    parsed_files = [(bib, reader.references(bib)) for bib in bib_files]
    if len(parsed_files) > 1:
        parsed_files = with_parents_from_other_files(parsed_files)
    for bib, parsed in parsed_files:
        problems.extend(parsed.problems)
        if any(p.code in UNREADABLE for p in parsed.problems):
            explained = None
        elif explained is not None:
            explained.update(parsed.unparsed)
        for key, line in zip(parsed.unparsed, parsed.unparsed_lines, strict=True):
            skipped.setdefault(key, (str(bib), line))
        for ref in parsed.references:
            if ref.key in keys:
                problems.append(
                    Problem(
                        ref.location or SourceLocation(str(bib)),
                        f"duplicate reference key {ref.key!r}: the entry at "
                        f"{keys[ref.key].location} is kept, this one ignored",
                        "give each entry its own key",
                        code="duplicate-key",
                        severity=Severity.WARNING,
                    )
                )
                continue
            keys[ref.key] = ref
            references.append(ref)
    if len(bib_files) > 1:
        from .bib_reader import shared_identifier_problems

        problems.extend(shared_identifier_problems(references))

    documents: list[Document] = []
    document_ids: set[str] = set()
    claims: list[Claim] = []
    linked: list[tuple[list[Claim], frozenset[str] | None]] = []
    for claims_file in claim_paths:
        parsed_claims = reader.claims(
            claims_file, claims_file.stem if claims_file.parent.name == CLAIMS_DIR else ""
        )
        problems.extend(parsed_claims.problems)
        if parsed_claims.document is None:
            continue
        if parsed_claims.document.id in document_ids:
            problems.append(
                Problem(
                    SourceLocation(str(claims_file)),
                    f"document id {parsed_claims.document.id!r} is used twice",
                    code="duplicate-id",
                )
            )
            continue
        documents.append(parsed_claims.document)
        document_ids.add(parsed_claims.document.id)
        claims.extend(parsed_claims.claims)
        linked.append((parsed_claims.claims, parsed_claims.linked))

    aliases = alias_keys(references)
    if aliases:
        documents, linked = resolve_aliases(documents, linked, aliases)
        claims = [claim for file_claims, _ in linked for claim in file_claims]
    problems.extend(link_problems(documents, linked, keys, explained))
    if skipped:
        problems = _linked_skips_are_errors(problems, skipped, documents, claims)
    fatal = [p for p in problems if p.is_error and (strict or p.code not in RECOVERABLE)]
    if fatal:
        raise KnowledgeBaseError(problems if strict else fatal)
    return KnowledgeBase(
        documents, claims, references, path=folder, problems=problems, aliases=aliases
    )


def validate(path: str | os.PathLike[str] | None = None) -> list[Problem]:
    """Every problem of a knowledge base folder, warnings and infos included (empty when
    there is none); errors among them (``Problem.is_error``) make it unusable."""
    try:
        kb = load(path, strict=True)
    except KnowledgeBaseError as exc:
        return exc.problems
    return list(kb.problems)


def _linked_skips_are_errors(
    problems: list[Problem],
    skipped: dict[str, tuple[str, int]],
    documents: Sequence[Document],
    claims: Sequence[Claim],
) -> list[Problem]:
    """An entry that cannot be parsed is skipped with a warning, unless a statement or a
    page's numbering names it: then the knowledge base cannot be used as it is (an error)."""
    linked = {c.ref for claim in claims for c in claim.citations}
    linked.update(key for doc in documents for key in doc.numbering.values())
    places = {skipped[key] for key in linked if key in skipped}
    return [
        dataclasses.replace(p, severity=Severity.ERROR)
        if not p.is_error and (p.file, p.line) in places and p.code in _SKIPPED_ENTRY
        else p
        for p in problems
    ]


_SKIPPED_ENTRY = frozenset({"bibtex-syntax", "duplicate-field"})


def _clashing_ids(claims: Iterable[Claim]) -> set[str]:
    counts = Counter(claim.id for claim in claims)
    return {claim_id for claim_id, count in counts.items() if count > 1}
