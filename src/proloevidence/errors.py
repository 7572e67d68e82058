"""The exception tree. Raise only when an input cannot be used at all.

::

    ProloevidenceError
    ├── KnowledgeBaseError      the knowledge base's files are invalid (lists every Problem)
    ├── UnknownIdError          (also a KeyError) no statement / reference with that id
    ├── ServiceError            a remote service could not be used (names the identifier and URL)
    ├── OutputError             a file could not be written (nothing was half-written)
    │   └── DraftExistsError    write_draft refused: the draft's files exist already
    ├── StyleError              a citation style cannot be found or used (names the style or file)
    └── PageError               a page cannot be imported (unreadable, empty, a bad option)

Everything else the library notices about the *content* (an unsupported statement, a
miscited reference) is a :class:`proloevidence.model.Finding`, not an exception.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .model import Severity, SourceLocation


class ProloevidenceError(Exception):
    """Base class of every error this library raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One validation problem: where it is, what is wrong, and what to do about it.

    ``severity`` says what it costs: an ``ERROR`` makes the knowledge base unusable
    (:func:`proloevidence.load` raises), a ``WARNING`` leaves it usable but wants a look
    (``check`` exits 1), an ``INFO`` only says what the loader did (a DOI link read as the
    DOI). Warnings and infos print their severity before the message.
    """

    location: SourceLocation
    message: str
    hint: str = ""
    code: str = "invalid"
    severity: Severity = Severity.ERROR

    @property
    def file(self) -> str:
        """The file the problem is in (``location.file``)."""
        return self.location.file

    @property
    def line(self) -> int:
        """Its 1-based line, 0 when unknown (``location.line``)."""
        return self.location.line

    @property
    def column(self) -> int:
        """Its 1-based column, 0 when unknown (``location.column``)."""
        return self.location.column

    @property
    def is_error(self) -> bool:
        """True when the problem makes the knowledge base unusable."""
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        label = "" if self.is_error else f"{self.severity.value}: "
        text = f"{self.location}: {label}{self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class KnowledgeBaseError(ProloevidenceError):
    """The knowledge base cannot be used; ``problems`` lists every problem found in one pass."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the knowledge base"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))


class UnknownIdError(ProloevidenceError, KeyError):
    """No statement or reference has this id; ``suggestions`` holds the closest ids."""

    def __init__(
        self, kind: str, wanted: str, known: Iterable[str], *, ambiguous: bool = False
    ) -> None:
        """``known``: every id there is; with ``ambiguous``, the full ids that ``wanted``
        (a bare id several documents use) could mean."""
        self.kind = kind
        self.wanted = wanted
        if ambiguous:
            addresses = list(known)
            self.suggestions = addresses[:3]
            more = ", ..." if len(addresses) > 3 else ""
            self.message = (
                f"{kind} id {wanted!r} is used in {len(addresses)} documents; address it as "
                f"document/id: {', '.join(self.suggestions)}{more}"
            )
        else:
            self.suggestions = difflib.get_close_matches(wanted, list(known), n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
            self.message = f"no {kind} with id {wanted!r}{hint}"
        super().__init__(self.message)

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message


class ServiceError(ProloevidenceError):
    """A remote service failed for good (after retries); names the identifier and the URL."""

    def __init__(self, message: str, *, url: str = "", identifier: str = "") -> None:
        self.url = url
        self.identifier = identifier
        super().__init__(message)


class OutputError(ProloevidenceError):
    """A file could not be written; the previous content, if any, is intact."""


class DraftExistsError(OutputError):
    """``write_draft`` refused: the folder already holds a claims.yaml or references.bib."""


class StyleError(ProloevidenceError):
    """A citation style is unknown, or its CSL file cannot be read or used."""


class PageError(ProloevidenceError):
    """A page cannot be imported at all: unreadable, empty, or options that do not fit it."""
