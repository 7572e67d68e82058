"""Render an audit as one self-contained HTML page: matrix, statements, references, filters.

No external asset: the CSS and the script are inline, and a Content-Security-Policy
allows exactly those two (by hash) and nothing else, so even text that escaped its
escaping could neither run nor load anything. Every piece of text goes through :func:`e`
(escaped, control characters dropped): record titles and notices come from remote services.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Finding, Severity
from ..text.markup import escape_attribute, strip_control
from .audit_report import AuditReport, ReferenceRow, StatementRow
from .report_page_assets import CSP, CSS, JS
from .report_wording import references_line, status_word, summary_line
from .statement_checks import STATEMENT_STATUSES, Cell


def e(value: object) -> str:
    """Escape text for HTML content and attribute values (quotes included); control
    characters, which HTML forbids, are dropped."""
    return escape_attribute(strip_control(str(value)))


def to_html(report: AuditReport, *, title: str = "proloevidence audit") -> str:
    """The whole page as a string (UTF-8, no external assets)."""
    counts = {s.value: sum(1 for f in report.findings if f.severity is s) for s in Severity}
    filters = "".join(
        f'<label><input type="checkbox" data-severity="{s}"{" checked" if s != "info" else ""}>'
        f" {s} ({counts[s]})</label>"
        for s in ("error", "warning", "info")
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        f'<p class="summary">{e(summary_line(report))}</p>',
        f"<p>{e(references_line(report))}</p>",
        _verification_line(report),
        f'<fieldset id="filters"><legend>Show findings</legend>{filters}'
        '<label><input type="checkbox" id="only-with-findings"> only statements with shown '
        'findings</label> <label>Search statements and references <input type="search" '
        'id="search" placeholder="words, an id or a key"></label> '
        '<span id="shown-count" class="muted" aria-live="polite"></span></fieldset>',
        '<section id="matrix"><h2>Statements × sources</h2>',
        _matrix(report),
        '<p class="muted">One row per statement; click a heading to sort. Each source: its '
        "number and key, then its verification status (and the relation the page asserts or "
        "an editor's assessment when there is one); hover for all three.</p></section>",
        '<section id="statements"><h2>Statements in page order</h2>',
        *(_statement(report, row) for row in report.statements),
        "</section>",
        '<section id="references"><h2>References</h2>',
        *(_reference(report, row) for row in report.references),
        "</section>",
        _other(report),
        '<section id="caveats"><h2>About the evidence grades</h2><ul>',
        *(f"<li>{e(c)}</li>" for c in report.caveats),
        "</ul></section>",
        f"<script>{JS}</script>",
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def _verification_line(report: AuditReport) -> str:
    made = report.verification_created
    if made is None:
        return '<p class="muted">No verification with a date: references are unverified.</p>'
    return f'<p class="muted">Verification of {e(made.isoformat(timespec="minutes"))}.</p>'


_SHORT = 110
"""Characters of a statement the table shows; the whole text is on hover (and below)."""

_COLUMNS = (
    # (class, heading, sort type): every column sorts; numbers sort as numbers.
    ("c-n", "#", "number"),
    ("c-id", "statement", "text"),
    ("c-text", "text", "text"),
    ("c-section", "section", "text"),
    ("c-status", "status", "number"),
    ("c-level", "level", "number"),
    ("c-sources", "sources", "number"),
    ("c-sev c-error", "errors", "number"),
    ("c-sev c-warning", "warnings", "number"),
    ("c-sev c-info", "info", "number"),
)


def _matrix(report: AuditReport) -> str:
    """One row per statement (never one column per reference: a page may cite thousands):
    its text, status, evidence level, its sources as chips and its findings by severity."""
    numbers = {r.reference.key: r.reference.page_number for r in report.references}
    head = "".join(
        f'<div role="columnheader" class="{c}" data-type="{t}">'
        f'<button type="button">{e(h)}</button></div>'
        for c, h, t in _COLUMNS
    )
    rows = [_matrix_row(report, order, row, numbers) for order, row in enumerate(report.statements)]
    return (
        '<div class="matrix" role="table" aria-label="Statements and their sources">'
        f'<div class="mhead" role="rowgroup"><div class="mrow" role="row">{head}</div></div>'
        f'<div class="mbody" role="rowgroup">{"".join(rows)}</div></div>'
    )


def _matrix_row(
    report: AuditReport, order: int, row: StatementRow, numbers: dict[str, int | None]
) -> str:
    counts = {s.value: 0 for s in Severity}
    for finding in report.findings_about(row.id):
        counts[finding.severity.value] += 1
    text = row.text if len(row.text) <= _SHORT else row.text[: _SHORT - 1].rstrip() + "…"
    chips = "".join(_chip(cell, numbers.get(cell.key)) for cell in row.cells)
    severity_cells = "".join(
        f'<div role="cell" class="c-{s}" data-value="{counts[s]}">{counts[s] or ""}</div>'
        for s in ("error", "warning", "info")
    )
    return (
        f'<div class="mrow" role="row" data-id="{e(row.id)}" data-error="{counts["error"]}" '
        f'data-warning="{counts["warning"]}" data-info="{counts["info"]}">'
        f'<div role="cell" data-value="{order}">{order + 1}</div>'
        f'<div role="cell"><a href="#s-{e(row.id)}">{e(row.id)}</a></div>'
        f'<div role="cell" class="c-text" title="{e(row.text)}">{e(text)}</div>'
        f'<div role="cell">{e(" › ".join(row.section))}</div>'
        f'<div role="cell" class="st-{e(row.status)}" '
        f'data-value="{STATEMENT_STATUSES.index(row.status)}">{e(row.status)}</div>'
        f'<div role="cell" data-value="{row.level or 99}">{row.level or ""}</div>'
        f'<div role="cell" data-value="{len(row.cells)}">{chips}</div>{severity_cells}</div>'
    )


def _chip(cell: Cell, number: int | None) -> str:
    """A source of a statement: its number and key, coloured by its verification status;
    the relation, the editor's assessment and the status in words (the last two on hover
    when they say nothing unusual)."""
    words = [status_word(cell.status)]
    if cell.assessment != "unreviewed":
        words.append(cell.assessment)
    if cell.relation != "supports":
        words.insert(0, cell.relation)
    detail = f"{cell.relation} · {cell.assessment} · {status_word(cell.status)}"
    label = f"[{number}] {cell.key}" if number else cell.key
    return (
        f'<span class="chip v-{e(cell.status)}" title="{e(detail)}">'
        f"{e(label)} · {e(' · '.join(words))}</span>"
    )


def _findings(found: Iterable[Finding]) -> str:
    items = [
        f'<li class="finding sev-{e(f.severity.value)}" data-severity="{e(f.severity.value)}">'
        f"<b>{e(f.severity.value)}</b> <code>{e(f.code)}</code>: {e(f.message)}"
        + (f'<div class="fix">Fix: {e(f.fix)}</div>' if f.fix else "")
        + "</li>"
        for f in found
    ]
    return f'<ul class="findings">{"".join(items)}</ul>' if items else ""


def _statement(report: AuditReport, row: StatementRow) -> str:
    sources = ", ".join(
        f"{e(c.key)} ({e(c.relation)}, {e(c.assessment)}, {e(status_word(c.status))}"
        + (f", level {c.level}" if c.level else "")
        + ")"
        for c in row.cells
    )
    return (
        f'<article class="statement st-{e(row.status)}" id="s-{e(row.id)}">'
        f'<h3>{e(row.id)} <span class="badge">{e(row.status)}</span> '
        f'<span class="muted">{e(row.kind)}</span></h3>'
        f'<p class="muted">{e(" › ".join(row.section))}</p>'
        f'<p class="text">{e(row.text)}{e(" " + row.marker) if row.marker else ""}</p>'
        + (f'<p class="muted">Sources: {sources}</p>' if sources else "")
        + _findings(report.findings_about(row.id))
        + "</article>"
    )


def _reference(report: AuditReport, row: ReferenceRow) -> str:
    ref, result, grade = row.reference, row.result, row.grade
    details = [
        f'<p class="muted">As printed: {e(ref.printed or ref.title)}</p>',
        f"<p>Verification: <b>{e(status_word(row.status.value))}</b>"
        + (f" — {e(result.message)}" if result and result.message else "")
        + "</p>",
    ]
    if result and result.record:
        rec = result.record
        details.append(
            f'<p class="muted">Record found ({e(rec.source)}): {e(rec.title)}'
            f"{e(f' ({rec.year})') if rec.year else ''}"
            f"{e(' · ' + ', '.join(rec.publication_types)) if rec.publication_types else ''}</p>"
        )
    mismatched = [f for f in result.fields if f.match == "mismatch"] if result else []
    if mismatched:
        details.append(
            "<table><tr><th>field</th><th>printed</th><th>found</th></tr>"
            + "".join(
                f"<tr><td>{e(f.field)}</td><td>{e(f.cited or '')}</td><td>{e(f.found or '')}</td>"
                "</tr>"
                for f in mismatched
            )
            + "</table>"
        )
    if result and result.suggestion:
        rec = result.suggestion.record
        details.append(
            f"<p>Probably meant: {e(rec.title)} {e(rec.doi or '')} "
            f"{e('PMID ' + rec.pmid) if rec.pmid else ''}</p>"
        )
    for notice in result.notices if result else ():
        details.append(
            f"<p>Notice: {e(notice.type)} {e(notice.label)} {e(notice.doi or '')} "
            f"{e(notice.date or '')}</p>"
        )
    level = f"level {grade.level}: {grade.label}" if grade.level else "ungraded"
    details.append(
        f'<p>Evidence: {e(level)} <span class="muted">({e(grade.basis)}'
        + "".join(f"; {e(c)}" for c in grade.caveats)
        + ")</span></p>"
    )
    cited = ", ".join(f'<a href="#s-{e(c)}">{e(c)}</a>' for c in row.cited_by) or "nothing"
    details.append(f'<p class="muted">Cited by: {cited}</p>')
    number = f"[{ref.page_number}] " if ref.page_number else ""
    return (
        f'<article class="reference v-{e(row.status.value)}" id="r-{e(ref.key)}">'
        f"<h3>{e(number)}{e(ref.key)}</h3>{''.join(details)}"
        f"{_findings(report.findings_about(ref.key))}</article>"
    )


def _other(report: AuditReport) -> str:
    subjects = {r.id for r in report.statements} | {r.reference.key for r in report.references}
    rest = [f for f in report.findings if f.subject not in subjects]
    if not rest:
        return ""
    return (
        '<section id="other"><h2>The knowledge base and its verification</h2>'
        f"{_findings(rest)}</section>"
    )
