"""What verification found, as plain data: one :class:`VerificationResult` per reference.

The resolver produces these; the audit, ``fix`` and the doc builds read them, usually
from the verification lock (``verification.json``), so they never need the network.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .model import SCHEMA_VERSION, Author


class Status(str, enum.Enum):
    """One status per reference; see docs/verify.md for what each means."""

    VERIFIED = "verified"
    MISMATCH = "mismatch"
    CONFLICT = "conflict"
    NOT_FOUND = "not_found"
    RETRACTED = "retracted"
    UNREACHABLE = "unreachable"
    UNVERIFIED = "unverified"
    NO_IDENTIFIER = "no_identifier"
    INVALID_IDENTIFIER = "invalid_identifier"

    @property
    def is_questionable(self) -> bool:
        """True when a statement resting on this reference rests on a broken source."""
        return self in _QUESTIONABLE


_QUESTIONABLE = {Status.MISMATCH, Status.CONFLICT, Status.NOT_FOUND, Status.RETRACTED}


def sources_state(statuses: Iterable[Status]) -> Literal["questionable", "verified", "unverified"]:
    """What several sources add up to: ``questionable`` when any is, ``verified`` when all
    are, else ``unverified``. The audit and the page annotations judge statements by it."""
    found = list(statuses)
    if any(s.is_questionable for s in found):
        return "questionable"
    return "verified" if all(s is Status.VERIFIED for s in found) else "unverified"


Match = Literal["match", "mismatch", "missing"]


@dataclass(frozen=True)
class Record:
    """A bibliographic record as a service returned it, normalised to common fields.

    ``source`` is the service (``crossref``, ``doi.org``, ``pubmed``), or two joined by ``+``
    when verification combined their records of one work. ``journal_abbrev`` is PubMed's NLM
    abbreviation (esummary ``source``) or Crossref's ``short-container-title``.
    ``abstract`` is the source's abstract as plain text (PubMed efetch ``AbstractText``, its
    ``Label`` before each part; Crossref ``abstract`` without its JATS markup) and
    ``mesh_headings`` PubMed's MeSH descriptor names: what an editor reads beside a
    statement (``proloevidence review``). A lock written before they existed reads as empty.
    """

    source: str
    title: str = ""
    authors: tuple[Author, ...] = ()
    journal: str = ""
    journal_abbrev: str = ""
    issn: tuple[str, ...] = ()
    year: int | None = None
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str | None = None
    pmid: str | None = None
    publication_types: tuple[str, ...] = ()
    abstract: str = ""
    mesh_headings: tuple[str, ...] = ()
    url: str | None = None

    def from_service(self, name: str) -> bool:
        """True when ``name`` (e.g. ``pubmed``) supplied this record or part of it."""
        return name in self.source.split("+")

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "title": self.title,
            "authors": [
                {"family": a.family, "given": a.given, "literal": a.literal} for a in self.authors
            ],
            "journal": self.journal,
            "journal_abbrev": self.journal_abbrev,
            "issn": list(self.issn),
            "year": self.year,
            "volume": self.volume,
            "issue": self.issue,
            "pages": self.pages,
            "doi": self.doi,
            "pmid": self.pmid,
            "publication_types": list(self.publication_types),
            "abstract": self.abstract,
            "mesh_headings": list(self.mesh_headings),
            "url": self.url,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Record:
        return cls(
            source=str(data.get("source", "")),
            title=str(data.get("title", "")),
            authors=tuple(
                Author(str(a.get("family", "")), str(a.get("given", "")), bool(a.get("literal")))
                for a in data.get("authors", [])
            ),
            journal=str(data.get("journal", "")),
            journal_abbrev=str(data.get("journal_abbrev", "")),
            issn=tuple(data.get("issn", [])),
            year=data.get("year"),
            volume=str(data.get("volume", "")),
            issue=str(data.get("issue", "")),
            pages=str(data.get("pages", "")),
            doi=data.get("doi"),
            pmid=data.get("pmid"),
            publication_types=tuple(data.get("publication_types", [])),
            abstract=str(data.get("abstract") or ""),
            mesh_headings=tuple(str(h) for h in data.get("mesh_headings") or ()),
            url=data.get("url"),
        )


@dataclass(frozen=True)
class FieldComparison:
    """One field: what the page cites, what the service holds, and whether they agree."""

    field: str
    cited: str | None
    found: str | None
    match: Match
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "cited": self.cited,
            "found": self.found,
            "match": self.match,
            "note": self.note,
        }


@dataclass(frozen=True)
class Notice:
    """A retraction, correction, erratum or expression of concern attached to a record."""

    type: str
    doi: str | None = None
    date: str | None = None
    source: str = ""
    label: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "doi": self.doi,
            "date": self.date,
            "source": self.source,
            "label": self.label,
        }


@dataclass(frozen=True)
class Suggestion:
    """The record the page most likely meant; offered, never applied silently."""

    record: Record
    score: float
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"record": self.record.as_dict(), "score": self.score, "reason": self.reason}


@dataclass(frozen=True)
class VerificationResult:
    """The verdict on one reference."""

    key: str
    status: Status
    identifiers: Mapping[str, str] = field(default_factory=dict)
    fields: tuple[FieldComparison, ...] = ()
    notices: tuple[Notice, ...] = ()
    suggestion: Suggestion | None = None
    sources: tuple[str, ...] = ()
    record: Record | None = None
    checked_at: dt.datetime | None = None
    message: str = ""

    @property
    def mismatched_fields(self) -> tuple[str, ...]:
        return tuple(f.field for f in self.fields if f.match == "mismatch")

    @property
    def names_another_work(self) -> bool:
        """True when the identifiers lead to another work than the one cited: a conflict, or a
        record whose title and authors both differ from the citation."""
        return self.status is Status.CONFLICT or {"title", "authors"} <= set(self.mismatched_fields)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "status": self.status.value,
            "identifiers": dict(self.identifiers),
            "fields": [f.as_dict() for f in self.fields],
            "notices": [n.as_dict() for n in self.notices],
            "suggestion": self.suggestion.as_dict() if self.suggestion else None,
            "sources": list(self.sources),
            "record": self.record.as_dict() if self.record else None,
            "checked_at": self.checked_at.isoformat() if self.checked_at else None,
            "message": self.message,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> VerificationResult:
        suggestion = data.get("suggestion")
        record = data.get("record")
        checked = data.get("checked_at")
        return cls(
            key=str(data["key"]),
            status=Status(data["status"]),
            identifiers=dict(data.get("identifiers", {})),
            fields=tuple(
                FieldComparison(
                    f["field"], f.get("cited"), f.get("found"), f["match"], f.get("note", "")
                )
                for f in data.get("fields", [])
            ),
            notices=tuple(
                Notice(
                    n["type"], n.get("doi"), n.get("date"), n.get("source", ""), n.get("label", "")
                )
                for n in data.get("notices", [])
            ),
            suggestion=(
                Suggestion(
                    Record.from_dict(suggestion["record"]),
                    float(suggestion["score"]),
                    suggestion.get("reason", ""),
                )
                if suggestion
                else None
            ),
            sources=tuple(data.get("sources", [])),
            record=Record.from_dict(record) if record else None,
            checked_at=dt.datetime.fromisoformat(checked) if checked else None,
            message=str(data.get("message", "")),
        )


@dataclass(frozen=True)
class Verification:
    """Results for a whole knowledge base, keyed by reference key."""

    results: Mapping[str, VerificationResult]
    created: dt.datetime | None = None

    def get(self, key: str) -> VerificationResult | None:
        return self.results.get(key)

    def status(self, key: str) -> Status:
        """The reference's status; ``unverified`` when it was never checked."""
        result = self.results.get(key)
        return result.status if result else Status.UNVERIFIED

    def as_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "created": self.created.isoformat() if self.created else None,
            "results": [r.as_dict() for r in self.results.values()],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Verification:
        created = data.get("created")
        results = [VerificationResult.from_dict(r) for r in data.get("results", [])]
        return cls(
            results={r.key: r for r in results},
            created=dt.datetime.fromisoformat(created) if created else None,
        )


@dataclass(frozen=True)
class Lookup:
    """What the services said about one reference's identifiers, before any comparison.

    The resolver (services/resolver.py) produces one per reference; verifying/verdicts.py
    compares it with the reference as printed and decides the status. ``failures`` name the host,
    the fault and
    the URL (with no key or address in it); ``offline_missing`` is True when ``--offline``
    found nothing cached for this reference.
    """

    key: str
    doi: str | None = None
    pmid: str | None = None
    pmid_from_doi: bool = False
    doi_record: Record | None = None
    doi_exists: bool | None = None
    doi_agency: str | None = None
    pubmed_record: Record | None = None
    pmid_exists: bool | None = None
    notices: tuple[Notice, ...] = ()
    failures: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    offline_missing: bool = False
