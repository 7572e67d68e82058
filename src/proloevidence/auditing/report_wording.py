"""The words every form of the audit report shares: the summary lines and status names.

:mod:`~proloevidence.auditing.report` (text, JSON, Markdown) and
:mod:`~proloevidence.auditing.report_html` both say them, so they are said once, here.
"""

from __future__ import annotations

from .audit_report import AuditReport

STATUS_WORDS = {
    "backed": "backed by verified sources",
    "questionable": "resting on questionable references",
    "unverified": "with unverified sources",
    "unsupported": "unsupported",
    "not-required": "need no source",
}


_SUMMARY_ORDER = ("backed", "unsupported", "questionable", "unverified", "not-required")


def summary_line(report: AuditReport) -> str:
    """``42 statements: 3 backed by verified sources, 21 unsupported, ...``."""
    s = report.summary
    counts = ", ".join(
        f"{s[status.replace('-', '_')]} {STATUS_WORDS[status]}" for status in _SUMMARY_ORDER
    )
    return f"{s['statements']} statements: {counts}"


def status_word(status: str) -> str:
    """A verification status as readers see it: ``not_found`` -> ``not found``."""
    return status.replace("_", " ")


def references_line(report: AuditReport) -> str:
    s = report.summary
    return (
        f"{s['references']} references: {s['references_verified']} verified, "
        f"{s['references_questionable']} questionable, {s['references_unverified']} "
        f"unverified. Findings: {s['errors']} errors, {s['warnings']} warnings, "
        f"{s['info']} info ({s['unreviewed_links']} supporting links unreviewed)."
    )
