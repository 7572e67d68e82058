"""References added by identifier: ``doi:10.1089/acm.2010.0031``, ``pmid:21138388``.

:func:`add_references` looks each identifier up through the resolver
(:class:`proloevidence.services.resolver.Resolver`: Crossref, doi.org, PubMed, with its cache),
makes a BibTeX entry from the records found, and appends the entries to the knowledge base's
``references.bib``. :func:`plan_additions` is its pure core: lookups in, entries and refusals out.

Keys are the first author's family name and the year, made unique against the knowledge base
and each other (``kim2010``, then ``kim2010a``: :func:`proloevidence.importing.ids.reference_key`).
An identifier is refused (as data, :class:`Refusal`) when it is malformed, when an entry
already has the DOI or PMID (the refusal names the entry), when no service knows it, or when
the services could not be asked; the others are added. The file is appended to, never
re-serialised: every byte already in it stays, and the new text is written atomically.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..atomic import write_text_atomic
from ..errors import OutputError
from ..identifiers import (
    doi_key,
    is_valid_doi,
    is_valid_pmid,
    normalize_doi,
    normalize_pmid,
)
from ..kb.bib_reader import parse_references
from ..kb.bib_writer import format_entry
from ..kb.knowledge_base import KnowledgeBase
from ..model import Author, Reference
from ..text.markup import strip_control
from ..text.titles import clean_title
from ..verification import Lookup, Record
from .ids import UniqueNames, reference_key

if TYPE_CHECKING:
    from ..services.resolver import Resolver

BIB_FILE = "references.bib"
"""The file new entries are appended to, in the knowledge base's folder."""

Reason = Literal["malformed", "duplicate", "not-found", "unreachable", "offline"]


@dataclass(frozen=True)
class Identifier:
    """One identifier asked for: its kind (``doi`` or ``pmid``), its value, and as written."""

    kind: Literal["doi", "pmid"]
    value: str
    written: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


@dataclass(frozen=True)
class Refusal:
    """An identifier not added, and why (``reason`` for scripts, ``message`` for people)."""

    identifier: str
    reason: Reason
    message: str

    def __str__(self) -> str:
        return f"{self.identifier}: {self.message}"


@dataclass(frozen=True)
class AddPlan:
    """What ``add`` does: the entries to append (in order asked), the refusals, the texts.

    ``old_text``/``new_text`` are the whole file before and after; ``written`` is True once
    :func:`add_references` has written ``new_text`` to ``file``. ``notes`` name the added works
    that carry a notice (a retraction, a correction): added all the same, for the editor to read.
    """

    file: Path
    added: tuple[Reference, ...]
    entries: tuple[str, ...]
    refused: tuple[Refusal, ...]
    old_text: str
    new_text: str
    written: bool = False
    notes: tuple[str, ...] = ()


def parse_identifier(text: str) -> Identifier | Refusal:
    """``doi:10.x/y``, ``pmid:123``, a DOI link (``https://doi.org/10.x/y``), a bare DOI
    (``10.x/y``) or bare digits (a PMID); anything else is refused as malformed."""
    written = text.strip()
    kind, _, rest = written.partition(":")
    lowered = kind.casefold()
    if lowered == "pmid" or (not rest and written.isdigit()):
        value = normalize_pmid(rest if lowered == "pmid" else written)
        if is_valid_pmid(value):
            return Identifier("pmid", value, written)
        return Refusal(written, "malformed", "not a PubMed id (1 to 9 digits)")
    doi = normalize_doi(written)
    if is_valid_doi(doi):
        return Identifier("doi", doi, written)
    return Refusal(written, "malformed", "not a DOI (doi:10.NNNN/...) or a PMID (pmid:NNN)")


def probe(identifier: Identifier, number: int) -> Reference:
    """The reference the resolver is asked about: only the identifier, under a scratch key."""
    if identifier.kind == "doi":
        return Reference(key=f"add-{number}", doi=identifier.value)
    return Reference(key=f"add-{number}", pmid=identifier.value)


def plan_additions(
    kb: KnowledgeBase,
    identifiers: Sequence[Identifier | Refusal],
    lookups: Mapping[str, Lookup],
    text: str,
    file: Path,
    *,
    offline: bool = False,
) -> AddPlan:
    """The entries to append to ``text`` (the .bib file's content) and the refusals. Pure.

    ``lookups`` are keyed by the :func:`probe` keys (``add-0``, ``add-1``, ... in the order of
    ``identifiers``).
    """
    owners = _owners(kb.references.values())
    names = UniqueNames()
    names.taken.update(kb.references)
    added: list[Reference] = []
    refused: list[Refusal] = []
    notes: list[str] = []
    for number, asked in enumerate(identifiers):
        if isinstance(asked, Refusal):
            refused.append(asked)
            continue
        owner = owners.get((asked.kind, _id_key(asked.kind, asked.value)))
        if owner:
            above = owner in {r.key for r in added}
            where = "added above as" if above else "already in the file as"
            refused.append(Refusal(asked.written, "duplicate", f"{where} {owner}"))
            continue
        lookup = lookups.get(f"add-{number}")
        found = _found(asked, lookup, offline)
        if isinstance(found, Refusal):
            refused.append(found)
            continue
        ids = [("doi", found.doi), ("pmid", found.pmid)]
        owner = next(
            (owners[(k, _id_key(k, v))] for k, v in ids if v and (k, _id_key(k, v)) in owners),
            None,
        )
        if owner:
            what = f"the same work as {owner}" + (
                " (added above)" if owner in {r.key for r in added} else ""
            )
            refused.append(Refusal(asked.written, "duplicate", f"{what}: {_ids(found)}"))
            continue
        key = reference_key(found.authors, found.year, found.title, number + 1, names)
        reference = replace(found, key=key)
        added.append(reference)
        notices = lookup.notices if lookup else ()
        for kind in dict.fromkeys(n.type.replace("_", " ") for n in notices):
            notes.append(f"{key}: the work has a {kind} notice; `proloevidence verify` tells more")
        for kind, value in ids:
            if value:
                owners[(kind, _id_key(kind, value))] = key
    entries = tuple(format_entry(ref) for ref in added)
    new_text = _appended(text, entries)
    return AddPlan(file, tuple(added), entries, tuple(refused), text, new_text, notes=tuple(notes))


def add_references(
    kb: KnowledgeBase,
    identifiers: Sequence[str],
    *,
    resolver: Resolver | None = None,
    dry_run: bool = False,
    offline: bool = False,
) -> AddPlan:
    """Look the identifiers up and append their entries to ``<kb folder>/references.bib``.

    ``resolver`` defaults to one configured from the environment (docs/services.md), with
    ``offline`` (cache only). With ``dry_run`` nothing is written. Raises
    :class:`~proloevidence.errors.OutputError` when the knowledge base has no folder or the
    file cannot be read or written (the old file then stays whole).
    """
    if kb.path is None:
        raise OutputError("the knowledge base has no folder to add references to")
    file = kb.path / BIB_FILE
    text = _read(file)
    asked = [parse_identifier(i) for i in identifiers]
    # An identifier the file already has is refused without asking anyone.
    owned = _owners(kb.references.values())
    probes = [
        probe(a, n)
        for n, a in enumerate(asked)
        if isinstance(a, Identifier) and (a.kind, _id_key(a.kind, a.value)) not in owned
    ]
    lookups: dict[str, Lookup] = {}
    if probes:
        if resolver is None:
            from ..services.resolver import Resolver

            with Resolver(offline=offline) as own:
                lookups = own.lookup(probes)
        else:
            lookups = resolver.lookup(probes)
    plan = plan_additions(
        kb, asked, lookups, text, file, offline=offline or bool(resolver and resolver.offline)
    )
    _check(plan)
    if dry_run or not plan.added:
        return plan
    write_text_atomic(file, plan.new_text)
    return replace(plan, written=True)


# -- records into a reference ---------------------------------------------------------


def _found(asked: Identifier, lookup: Lookup | None, offline: bool) -> Reference | Refusal:
    """The reference the records describe, or why there is none."""
    if lookup is None:
        return Refusal(asked.written, "unreachable", "the services were not asked")
    records = [r for r in (lookup.doi_record, lookup.pubmed_record) if r is not None]
    if records:
        return reference_from(records, lookup)
    if lookup.offline_missing or (offline and not lookup.failures):
        return Refusal(
            asked.written, "offline", "not in the lookup cache (--offline): run without --offline"
        )
    if lookup.failures:
        return Refusal(asked.written, "unreachable", "could not ask: " + "; ".join(lookup.failures))
    where = "Crossref and doi.org know" if asked.kind == "doi" else "PubMed knows"
    return Refusal(asked.written, "not-found", f"{where} no such {asked.kind.upper()}")


def reference_from(records: Sequence[Record], lookup: Lookup) -> Reference:
    """A BibTeX-ready reference from the records of one work: Crossref's fields first (the
    publisher's capitalisation and full page ranges), PubMed's where Crossref has none."""

    def first(name: str) -> str:
        for record in records:
            value = getattr(record, name)
            if value:
                return strip_control(str(value))
        return ""

    authors: tuple[Author, ...] = next((r.authors for r in records if r.authors), ())
    year = next((r.year for r in records if r.year), None)
    doi = lookup.doi or next((r.doi for r in records if r.doi), None)
    pmid = lookup.pmid or next((r.pmid for r in records if r.pmid), None)
    return Reference(
        key="",
        entry_type="article",
        authors=tuple(
            Author(strip_control(a.family), strip_control(a.given), a.literal) for a in authors
        ),
        title=clean_title(first("title")).rstrip(" ."),
        journal=first("journal"),
        year=year,
        volume=first("volume"),
        number=first("issue"),
        pages=_page_range(first("pages")),
        doi=normalize_doi(doi) if doi else None,
        pmid=pmid or None,
    )


def _page_range(value: str) -> str:
    """``363-70`` (NLM's abbreviated last page) -> ``363–370``; the en dash becomes ``--``."""
    match = re.fullmatch(r"\s*(\w*?)(\d+)\s*[-–—]+\s*(\w*?)(\d+)\s*", value)
    if not match:
        return value.strip()
    prefix, start, prefix2, end = match.groups()
    if len(end) < len(start) and not prefix2:
        end = start[: len(start) - len(end)] + end
    return f"{prefix}{start}–{prefix2 or prefix}{end}"


# -- the file -------------------------------------------------------------------------


def _owners(references: Iterable[Reference]) -> dict[tuple[str, str], str]:
    owners: dict[tuple[str, str], str] = {}
    for ref in references:
        for kind in ("doi", "pmid"):
            value = getattr(ref, kind)
            if value:
                owners.setdefault((kind, _id_key(kind, value)), ref.key)
    return owners


def _id_key(kind: str, value: str) -> str:
    return doi_key(value) if kind == "doi" else normalize_pmid(value)


def _ids(ref: Reference) -> str:
    return ", ".join(f"{k}:{v}" for k, v in (("doi", ref.doi), ("pmid", ref.pmid)) if v)


def _read(file: Path) -> str:
    if not file.exists():
        return ""
    try:
        with file.open(encoding="utf-8", newline="") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise OutputError(f"cannot read {file}: {exc}") from exc


def _appended(text: str, entries: Sequence[str]) -> str:
    """``text`` with the entries after it, a blank line between, in the file's line endings."""
    if not entries:
        return text
    newline = "\r\n" if "\r\n" in text else "\n"
    block = "\n\n".join(entries).replace("\n", newline) + newline
    if not text:
        return block
    gap = newline if text.endswith("\n") else newline * 2
    return text + gap + block


def _check(plan: AddPlan) -> None:
    """Read the new text back: each entry must give back its identifiers, and no new problem."""
    if not plan.added:
        return
    before = {(p.code, p.message) for p in parse_references(plan.old_text).problems}
    parsed = parse_references(plan.new_text, str(plan.file))
    new = [p for p in parsed.problems if (p.code, p.message) not in before]
    by_key = {r.key: r for r in parsed.references}
    for ref in plan.added:
        back = by_key.get(ref.key)
        if back is None or back.doi != ref.doi or back.pmid != ref.pmid:
            raise OutputError(f"{plan.file}: the entry {ref.key} would not read back as written")
    if new:
        raise OutputError(f"{plan.file}: the new entries would not be valid: {new[0]}")
