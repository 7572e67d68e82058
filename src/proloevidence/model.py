"""The knowledge base's plain data: references, statements (claims), links and findings.

Everything here is a frozen dataclass with no I/O, so parsing, comparison, rendering and
graph queries can be pure functions over these values. Loaders build them; nothing here
reads a file or the network.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1
"""Version of ``claims.yaml`` and of every JSON document this library writes."""

CITO = "http://purl.org/spar/cito/"


class Relation(str, enum.Enum):
    """What the page asserts by citing a source for a statement (mapped to CiTO v2.8.1).

    The direction is "statement -> source": ``supports`` means the source is evidence for
    the statement (``cito:obtainsSupportFrom``), not that the statement supports the source.
    """

    SUPPORTS = "supports"
    QUALIFIES = "qualifies"
    DISPUTES = "disputes"
    BACKGROUND = "background"
    MENTIONS = "mentions"
    SPECULATES = "speculates"

    @property
    def cito(self) -> str:
        """The CiTO property IRI for this relation."""
        return CITO + _CITO_NAMES[self]

    @property
    def is_support(self) -> bool:
        """True when the relation counts as support for the statement."""
        return self in (Relation.SUPPORTS, Relation.QUALIFIES)


_CITO_NAMES = {
    Relation.SUPPORTS: "obtainsSupportFrom",
    Relation.QUALIFIES: "qualifies",
    Relation.DISPUTES: "disputes",
    Relation.BACKGROUND: "obtainsBackgroundFrom",
    Relation.MENTIONS: "citesForInformation",
    Relation.SPECULATES: "speculatesOn",
}


class AssessmentStatus(str, enum.Enum):
    """An editor's verdict after reading the source; ``unreviewed`` until someone has."""

    UNREVIEWED = "unreviewed"
    SUPPORTED = "supported"
    PARTLY = "partly"
    NOT_SUPPORTED = "not-supported"


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Larger is more severe."""
        return {"info": 0, "warning": 1, "error": 2}[self.value]


CLAIM_KINDS = (
    "definition",
    "history",
    "mechanism",
    "efficacy",
    "indication",
    "contraindication",
    "safety",
    "procedure",
    "regulatory",
    "logistics",
    "recommendation",
    "scope",
    "disclaimer",
)
"""The vocabulary of statement kinds; ``claims.yaml`` may use only these."""


@dataclass(frozen=True)
class SourceLocation:
    """Where a value was read: file, 1-based line, 1-based column (0 when unknown)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line and self.column:
            return f"{self.file}:{self.line}:{self.column}"
        if self.line:
            return f"{self.file}:{self.line}"
        return self.file


@dataclass(frozen=True)
class Author:
    """A structured personal or organisational name.

    ``family`` holds an organisation's whole name when ``literal`` is True.
    """

    family: str
    given: str = ""
    literal: bool = False

    def __str__(self) -> str:
        """Vancouver/NLM form: family name then initials, e.g. ``Kim WM``."""
        if self.literal or not self.given:
            return self.family
        return f"{self.family} {initials(self.given)}"

    @classmethod
    def from_vancouver(cls, text: str) -> Author:
        """``"Kim WM"`` -> ``Author("Kim", "WM")``, the inverse of ``str()``.

        The last word is the initials when it is one to four capital letters
        (``"van der Berg AB"`` keeps its particle); anything else is a family name alone.
        """
        parts = text.split()
        if len(parts) > 1 and parts[-1].isupper() and parts[-1].isalpha() and len(parts[-1]) <= 4:
            return cls(" ".join(parts[:-1]), parts[-1])
        return cls(text.strip())


def initials(given: str) -> str:
    """``"W. M."`` or ``"Wan Mo"`` -> ``"WM"``; already-initialled ``"WM"`` stays as is."""
    parts = [p for p in given.replace(".", " ").replace("-", " ").split() if p]
    if len(parts) == 1 and parts[0].isupper() and len(parts[0]) <= 4:
        return parts[0]
    return "".join(p[0].upper() for p in parts)


@dataclass(frozen=True)
class Reference:
    """A cited source, transcribed as the page prints it (errors included).

    ``number`` is the reference's number on the page; ``printed`` the reference string
    exactly as printed, so an editor always sees what the page said.
    ``et_al`` records that the printed author list ends in "et al.".
    ``latex`` holds, for the fields that carry rich text (kb/bib_fields.py's
    ``RICH_TEXT_FIELDS``: title, booktitle, journal, series, ...), the value as written in
    LaTeX when it has markup that decoding drops (case-protecting braces, ``\\emph``), keyed
    as the value it is written for (``title``, ``journal``, ``booktitle``): the CSL-JSON
    export reads it; everything else reads the decoded ``title``, ``journal`` and ``extra``.
    """

    key: str
    entry_type: str = "article"
    authors: tuple[Author, ...] = ()
    et_al: bool = False
    title: str = ""
    journal: str = ""
    year: int | None = None
    volume: str = ""
    number: str = ""
    pages: str = ""
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    url: str | None = None
    page_number: int | None = None
    printed: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)
    latex: Mapping[str, str] = field(default_factory=dict)
    location: SourceLocation | None = field(default=None, compare=False)

    @property
    def identifiers(self) -> dict[str, str]:
        """The printed identifiers, by type (``doi``, ``pmid``, ``pmcid``)."""
        found = {"doi": self.doi, "pmid": self.pmid, "pmcid": self.pmcid}
        return {k: v for k, v in found.items() if v}


@dataclass(frozen=True)
class Assessment:
    """An editor's reading of one link: did the source say what the statement claims?"""

    status: AssessmentStatus = AssessmentStatus.UNREVIEWED
    date: dt.date | None = None
    reviewer: str | None = None
    locator: str | None = None
    quote: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Citation:
    """A typed link from a statement to a reference."""

    ref: str
    relation: Relation = Relation.SUPPORTS
    assessment: Assessment = field(default_factory=Assessment)
    location: SourceLocation | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Claim:
    """One statement of a page, verbatim, with the citation marker printed after it.

    ``text`` is the statement as printed without its trailing marker; ``marker`` is the
    marker exactly as printed (``"(1-3)"``) or None. ``requires_support`` is False only
    with a ``support_note`` saying why (clinic logistics, an invitation to book, ...).
    ``order`` is the statement's position in its document (0-based).
    """

    id: str
    text: str
    section: tuple[str, ...]
    kind: str
    document: str = ""
    marker: str | None = None
    citations: tuple[Citation, ...] = ()
    requires_support: bool = True
    support_note: str | None = None
    order: int = 0
    location: SourceLocation | None = field(default=None, compare=False)

    @property
    def refs(self) -> tuple[str, ...]:
        """Keys of every cited reference, in link order."""
        return tuple(c.ref for c in self.citations)

    @property
    def is_supported(self) -> bool:
        """True when at least one link is a supporting relation (supports/qualifies)."""
        return any(c.relation.is_support for c in self.citations)


@dataclass(frozen=True)
class Document:
    """A page: its id, title, origin, and the page's reference numbering (number -> key)."""

    id: str
    title: str = ""
    source: str | None = None
    numbering: Mapping[int, str] = field(default_factory=dict)
    location: SourceLocation | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Finding:
    """A problem (or a fact worth an editor's eye) found in the knowledge base.

    Problems are data, never exceptions: ``code`` is stable and documented, ``subject``
    is the statement id or reference key it is about, ``fix`` says what to do.
    """

    code: str
    severity: Severity
    subject: str
    message: str
    evidence: Mapping[str, Any] = field(default_factory=dict)
    fix: str = ""
    location: SourceLocation | None = field(default=None, compare=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "subject": self.subject,
            "message": self.message,
            "evidence": dict(self.evidence),
            "fix": self.fix,
            "location": str(self.location) if self.location else None,
        }
