"""proloevidence: show which published sources back each statement of a medical text.

Start with :func:`load` (the bundled prolotherapy page when given no path)::

    import proloevidence
    kb = proloevidence.load()
    for claim in kb.unsupported_claims():
        print(claim.id, claim.text)

A page not yet in a knowledge base: :func:`import_page` (or :func:`import_file`) makes a
draft, :func:`write_draft` writes it for an editor to review.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .audit import AuditReport, audit
from .errors import (
    DraftExistsError,
    KnowledgeBaseError,
    OutputError,
    PageError,
    Problem,
    ProloevidenceError,
    ServiceError,
    StyleError,
    UnknownIdError,
)
from .kb import KnowledgeBase, Source, bundled_path, load, validate
from .markers import MarkerError, find_markers, format_marker, parse_marker
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
from .pageimport import Draft, import_file, import_page, write_draft
from .refs import ReferenceList, reference_list
from .render import RenderedPage, render_page
from .resolver import Resolver
from .verify import judge, verify

try:
    __version__ = version("proloevidence")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0"

__all__ = [
    "Assessment",
    "AssessmentStatus",
    "AuditReport",
    "Author",
    "Citation",
    "Claim",
    "Document",
    "Draft",
    "DraftExistsError",
    "Finding",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "MarkerError",
    "OutputError",
    "PageError",
    "Problem",
    "ProloevidenceError",
    "Reference",
    "ReferenceList",
    "Relation",
    "RenderedPage",
    "Resolver",
    "ServiceError",
    "Severity",
    "Source",
    "SourceLocation",
    "StyleError",
    "UnknownIdError",
    "__version__",
    "audit",
    "bundled_path",
    "find_markers",
    "format_marker",
    "import_file",
    "import_page",
    "judge",
    "load",
    "parse_marker",
    "reference_list",
    "render_page",
    "validate",
    "verify",
    "write_draft",
]
