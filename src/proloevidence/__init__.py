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

from typing import TYPE_CHECKING, Any

# Each public name and the module that holds it. A name is imported when first used
# (PEP 562), so ``import proloevidence`` and ``proloevidence --help`` load none of
# requests, networkx, citeproc or the audit until something asks for them.
_HOMES = {
    "AuditReport": "auditing.audit_report",
    "audit": "auditing.audit_report",
    "DraftExistsError": "errors",
    "KnowledgeBaseError": "errors",
    "OutputError": "errors",
    "PageError": "errors",
    "Problem": "errors",
    "ProloevidenceError": "errors",
    "ServiceError": "errors",
    "StyleError": "errors",
    "UnknownIdError": "errors",
    "assess": "kb.claims_editor",
    "KnowledgeBase": "kb.knowledge_base",
    "Source": "kb.knowledge_base",
    "bundled_path": "kb.knowledge_base",
    "load": "kb.knowledge_base",
    "validate": "kb.knowledge_base",
    "MarkerError": "text.markers",
    "find_markers": "text.markers",
    "format_marker": "text.markers",
    "parse_marker": "text.markers",
    "Assessment": "model",
    "AssessmentStatus": "model",
    "Author": "model",
    "Citation": "model",
    "Claim": "model",
    "Document": "model",
    "Finding": "model",
    "Reference": "model",
    "Relation": "model",
    "Severity": "model",
    "SourceLocation": "model",
    "AddPlan": "importing.add_references",
    "add_references": "importing.add_references",
    "Draft": "importing.page_import",
    "import_file": "importing.page_import",
    "import_page": "importing.page_import",
    "write_draft": "importing.page_import",
    "ReferenceList": "publish.reference_list",
    "reference_list": "publish.reference_list",
    "RenderedPage": "publish.rebuilt_page",
    "render_page": "publish.rebuilt_page",
    "Resolver": "services.resolver",
    "judge": "verifying.verdicts",
    "verify": "verifying.verdicts",
}

if TYPE_CHECKING:  # what type checkers and editors see; at run time __getattr__ imports
    from .auditing.audit_report import AuditReport, audit
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
    from .importing.add_references import AddPlan, add_references
    from .importing.page_import import Draft, import_file, import_page, write_draft
    from .kb.claims_editor import assess
    from .kb.knowledge_base import KnowledgeBase, Source, bundled_path, load, validate
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
    from .publish.rebuilt_page import RenderedPage, render_page
    from .publish.reference_list import ReferenceList, reference_list
    from .services.resolver import Resolver
    from .text.markers import MarkerError, find_markers, format_marker, parse_marker
    from .verifying.verdicts import judge, verify

    __version__: str


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("proloevidence")
        except PackageNotFoundError:  # running from a source tree without installing
            value = "0.0.0"
    elif name in _HOMES:
        from importlib import import_module

        value = getattr(import_module(f".{_HOMES[name]}", __name__), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # the next use is an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "AddPlan",
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
    "add_references",
    "assess",
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
