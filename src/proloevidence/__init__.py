"""proloevidence: show which published sources back each statement of a medical text.

Start with :func:`load` (the bundled prolotherapy page when given no path)::

    import proloevidence
    kb = proloevidence.load()
    for claim in kb.unsupported_claims():
        print(claim.id, claim.text)
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .errors import (
    KnowledgeBaseError,
    OutputError,
    Problem,
    ProloevidenceError,
    ServiceError,
    UnknownIdError,
)
from .kb import KnowledgeBase, Source, bundled_path, load, validate
from .markers import MarkerError, format_marker, parse_marker
from .model import (
    Assessment,
    AssessmentStatus,
    Author,
    Citation,
    Claim,
    Document,
    Finding,
    Reference,
    Relation,
    Severity,
    SourceLocation,
)
from .resolver import Resolver

try:
    __version__ = version("proloevidence")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0"

__all__ = [
    "Assessment",
    "AssessmentStatus",
    "Author",
    "Citation",
    "Claim",
    "Document",
    "Finding",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "MarkerError",
    "OutputError",
    "Problem",
    "ProloevidenceError",
    "Reference",
    "Relation",
    "Resolver",
    "ServiceError",
    "Severity",
    "Source",
    "SourceLocation",
    "UnknownIdError",
    "__version__",
    "bundled_path",
    "format_marker",
    "load",
    "parse_marker",
    "validate",
]
