"""Render an audit (:class:`~proloevidence.auditing.audit_report.AuditReport`) as text, JSON,
Markdown.

Pure functions from a report to a string. Text from remote services (titles of records,
notice labels) reaches every format, so each escapes it: control characters are dropped
from terminal text and Markdown, and Markdown escapes pipes, backticks, emphasis and HTML. The HTML
page is in :mod:`proloevidence.auditing.report_html`; the words both say, in
:mod:`proloevidence.auditing.report_wording`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..model import SCHEMA_VERSION, Finding, Severity
from ..text.markup import escape_markdown, strip_control
from .audit_report import AuditReport, Cell
from .report_html import to_html
from .report_wording import references_line, status_word, summary_line

# -- JSON -----------------------------------------------------------------------------------


def to_json(report: AuditReport) -> str:
    """``{"schema_version": 1, "summary": ..., "findings": [...], "statements": ..., ...}``."""
    document = {"schema_version": SCHEMA_VERSION, **report.as_dict()}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# -- text -----------------------------------------------------------------------------------


_STATUS_COLOURS = {
    "backed": "green",
    "questionable": "red",
    "unverified": "yellow",
    "unsupported": "red",
    "not-required": "bright_black",
}
_SEVERITY_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


def clean(text: object) -> str:
    """Text safe for a terminal: one line, no control characters (no escape sequences)."""
    return strip_control(" ".join(str(text).split()))


def to_text(report: AuditReport, *, color: bool = False, width: int = 100) -> str:
    """The editor's report: the summary line first, then every statement in page order with
    its findings, then the references with their status and grade, then the rest."""

    def paint(text: str, colour: str, bold: bool = False) -> str:
        if not color:
            return text
        return f"\x1b[{'1;' if bold else ''}{_ANSI[colour]}m{text}\x1b[0m"

    fixes_shown: set[str] = set()

    def finding_lines(found: Iterable[Finding]) -> list[str]:
        # Each fix is printed once, at the first finding that needs it (info included: an
        # editor must learn what to do about an unverified reference too), since 21 copies
        # of "cite a source" would bury the report.
        lines = []
        for f in found:
            sev = f.severity.value
            lines.append(
                f"    {paint(sev.ljust(7), _SEVERITY_COLOURS[sev])} {f.code}: {clean(f.message)}"
            )
            if f.fix and f.fix not in fixes_shown:
                fixes_shown.add(f.fix)
                lines.append(f"            fix: {clean(f.fix)}")
        return lines

    out = [paint(summary_line(report), "white", bold=True), references_line(report), ""]
    out.append(paint("Statements, in page order", "white", bold=True))
    for row in report.statements:
        status = paint(row.status.upper().ljust(12), _STATUS_COLOURS[row.status])
        text = _truncate(clean(row.text), width - 15)
        cited = (
            " <- " + ", ".join(f"{c.key} ({_link_words(c)})" for c in row.cells)
            if row.cells
            else ""
        )
        out.append(f"  {status} {row.id}{cited}")
        out.append(f"               {paint(text, 'bright_black')}")
        out.extend(finding_lines(report.findings_about(row.id)))
    out += ["", paint("References", "white", bold=True)]
    for reference_row in report.references:
        ref, grade = reference_row.reference, reference_row.grade
        number = f"[{ref.page_number}] " if ref.page_number is not None else ""
        level = f"level {grade.level} ({grade.label})" if grade.level else "ungraded"
        out.append(
            f"  {number}{ref.key}  {status_word(reference_row.status.value)}  "
            f"evidence: {level}; {clean(grade.basis)}"
        )
        out.extend(finding_lines(report.findings_about(ref.key)))
    subjects = {r.id for r in report.statements} | {r.reference.key for r in report.references}
    rest = [f for f in report.findings if f.subject not in subjects]
    if rest:
        out += ["", paint("Other", "white", bold=True), *finding_lines(rest)]
    out += ["", "Evidence grades are signals, not verdicts:"]
    out += [f"  - {c}" for c in report.caveats]
    return "\n".join(out) + "\n"


_ANSI = {
    "red": "31",
    "green": "32",
    "yellow": "33",
    "cyan": "36",
    "white": "37",
    "bright_black": "90",
}


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 1, 1)] + "…"


# -- Markdown -------------------------------------------------------------------------------


def md(text: object) -> str:
    """Text safe in a Markdown table cell: one line, no control characters, markup escaped.

    A line break would end the row, a pipe the cell; backticks, ``<``, brackets and the rest
    are escaped as in every Markdown we write (:func:`proloevidence.text.markup.escape_markdown`).
    """
    return escape_markdown(clean(text))


_SEVERITY_MARKS = {"error": "🔴 error", "warning": "🟡 warning", "info": "🔵 info"}


def to_markdown(report: AuditReport, *, title: str = "proloevidence audit") -> str:
    """A pull-request comment: the summary, the statements that need attention, and the
    findings as tables; info findings and the grading caveats folded away."""
    out = [f"### {md(title)}", "", f"**{summary_line(report)}.**", "", references_line(report)]
    attention = [
        r
        for r in report.statements
        if r.status not in ("backed", "not-required")
        or any(f.severity is not Severity.INFO for f in report.findings_about(r.id))
    ]
    if attention:
        out += ["", "#### Statements that need attention", ""]
        out += ["| statement | status | sources | findings |", "|---|---|---|---|"]
        for row in attention:
            sources = ", ".join(f"{md(c.key)} ({md(_link_words(c))})" for c in row.cells) or "none"
            codes = sorted({f.code for f in report.findings_about(row.id)})
            out.append(
                f"| {md(row.id)} | {md(row.status)} | {sources} | "
                f"{', '.join(md(c) for c in codes) or '-'} |"
            )
    serious = [f for f in report.findings if f.severity is not Severity.INFO]
    info = [f for f in report.findings if f.severity is Severity.INFO]
    if serious:
        out += ["", "#### Errors and warnings", ""]
        out += _finding_table(serious)
        out += ["", "#### What to do", "", "| code | fix |", "|---|---|"]
        fixes = dict.fromkeys((f.code, f.fix) for f in serious if f.fix)
        out += [f"| {md(code)} | {md(fix)} |" for code, fix in fixes]
    if info:
        out += ["", f"<details><summary>{len(info)} info findings</summary>", ""]
        out += [*_finding_table(info), "", "</details>"]
    out += ["", "<details><summary>Evidence grades</summary>", ""]
    out += ["| reference | status | level | basis |", "|---|---|---|---|"]
    for ref_row in report.references:
        grade = ref_row.grade
        out.append(
            f"| {md(ref_row.reference.key)} | {md(status_word(ref_row.status.value))} | "
            f"{grade.level if grade.level is not None else '-'} {md(grade.label)} | "
            f"{md(grade.basis)} |"
        )
    out += ["", *[f"- {md(c)}" for c in report.caveats], "", "</details>"]
    return "\n".join(out) + "\n"


def _finding_table(found: Iterable[Finding]) -> list[str]:
    rows = ["| severity | code | subject | message |", "|---|---|---|---|"]
    for f in found:
        rows.append(
            f"| {_SEVERITY_MARKS[f.severity.value]} | {md(f.code)} | {md(f.subject)} | "
            f"{md(f.message)} |"
        )
    return rows


RENDERERS: Mapping[str, Callable[..., str]] = {
    "json": to_json,
    "markdown": to_markdown,
    "text": to_text,
}


def render(report: AuditReport, fmt: str, **options: Any) -> str:
    """Render in ``fmt`` (``text``, ``json``, ``markdown`` or ``html``); ValueError otherwise."""
    if fmt == "html":
        return to_html(report, **options)
    if fmt not in RENDERERS:
        raise ValueError(f"fmt must be one of html, {', '.join(sorted(RENDERERS))}, not {fmt!r}")
    return RENDERERS[fmt](report, **options)


def _link_words(cell: Cell) -> str:
    """``verified``, or ``verified, assessed supported`` once an editor has read the source."""
    read = "" if cell.assessment == "unreviewed" else f", assessed {cell.assessment}"
    return status_word(cell.status) + read
