"""Render an audit as one self-contained HTML page: matrix, statements, references, filters.

No external asset: the CSS and the script are inline, and a Content-Security-Policy
allows exactly those two (by hash) and nothing else, so even text that escaped its
escaping could neither run nor load anything. Every piece of text goes through :func:`e`
(escaped, control characters dropped): record titles and notices come from remote services.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable

from ..model import Finding, Severity
from ..text.markup import escape_attribute, strip_control
from .audit_report import AuditReport, ReferenceRow, StatementRow
from .report_wording import references_line, status_word, summary_line

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1200px;
padding:0 1rem 3rem;color:#1d1d1f;background:#fff}
h1{font-size:1.5rem;margin:1.2rem 0 .3rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}
.summary{font-weight:600}
#filters{border:1px solid #ccc;border-radius:6px;padding:.4rem .8rem;margin:.8rem 0}
#filters label{margin-right:1.2rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid #ddd;padding:.25rem .4rem;vertical-align:top;text-align:left}
.matrix td.cell{font-size:.8rem;white-space:nowrap}
.st-backed,.v-verified{background:#e6f4ea}
.st-questionable,.st-unsupported,.v-mismatch,.v-not_found,.v-conflict,.v-retracted{background:#fce8e6}
.st-unverified,.v-unverified,.v-unreachable{background:#fef7e0}
.st-not-required{color:#666}
.statement{border-left:4px solid #ccc;padding:.2rem .8rem;margin:1rem 0}
.statement.st-unsupported,.statement.st-questionable{border-color:#d93025}
.statement.st-backed{border-color:#188038}.statement.st-unverified{border-color:#f9ab00}
.text{margin:.3rem 0;font-style:italic}
.badge{font-size:.75rem;border-radius:4px;padding:0 .35rem;border:1px solid #aaa}
.finding{margin:.2rem 0}.sev-error b{color:#d93025}.sev-warning b{color:#b06000}
.sev-info b{color:#1a73e8}.fix{color:#444;font-size:.85rem}
.muted{color:#666;font-size:.85rem}
"""

_JS = """
(function () {
  "use strict";
  var boxes = document.querySelectorAll("#filters input[data-severity]");
  var onlyWithFindings = document.getElementById("only-with-findings");
  function apply() {
    var shown = {};
    boxes.forEach(function (box) { shown[box.getAttribute("data-severity")] = box.checked; });
    document.querySelectorAll(".finding[data-severity]").forEach(function (item) {
      item.hidden = !shown[item.getAttribute("data-severity")];
    });
    document.querySelectorAll(".statement").forEach(function (article) {
      var visible = article.querySelectorAll(".finding:not([hidden])").length;
      article.hidden = onlyWithFindings.checked && visible === 0;
    });
    var count = document.querySelectorAll(".finding:not([hidden])").length;
    document.getElementById("shown-count").textContent = count + " findings shown";
  }
  boxes.forEach(function (box) { box.addEventListener("change", apply); });
  onlyWithFindings.addEventListener("change", apply);
  apply();
  document.body.setAttribute("data-ready", "1");
})();
"""


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


_CSP = f"default-src 'none'; style-src {_hash(_CSS)}; script-src {_hash(_JS)}"


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
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        f'<p class="summary">{e(summary_line(report))}</p>',
        f"<p>{e(references_line(report))}</p>",
        _verification_line(report),
        f'<fieldset id="filters"><legend>Show findings</legend>{filters}'
        '<label><input type="checkbox" id="only-with-findings"> only statements with shown '
        'findings</label> <span id="shown-count" class="muted"></span></fieldset>',
        '<section id="matrix"><h2>Statements × sources</h2>',
        _matrix(report),
        '<p class="muted">Each cell: the relation the page asserts, an editor\'s assessment, '
        "and the reference's verification status.</p></section>",
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
        f"<script>{_JS}</script>",
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def _verification_line(report: AuditReport) -> str:
    made = report.verification_created
    if made is None:
        return '<p class="muted">No verification with a date: references are unverified.</p>'
    return f'<p class="muted">Verification of {e(made.isoformat(timespec="minutes"))}.</p>'


def _matrix(report: AuditReport) -> str:
    refs = report.references
    head = "".join(
        f'<th title="{e(r.reference.title)}">'
        f"{e(f'[{r.reference.page_number}] ' if r.reference.page_number else '')}"
        f'{e(r.reference.key)}<br><span class="muted">{e(status_word(r.status.value))}</span></th>'
        for r in refs
    )
    rows = []
    for row in report.statements:
        cells = []
        for ref_row in refs:
            links = [c for c in row.cells if c.key == ref_row.reference.key]
            if not links:
                cells.append("<td></td>")
                continue
            text = "<br>".join(
                f"{e(c.relation)}<br>{e(c.assessment)}<br>{e(status_word(c.status))}" for c in links
            )
            cells.append(f'<td class="cell v-{e(links[0].status)}">{text}</td>')
        rows.append(
            f'<tr><th><a href="#s-{e(row.id)}">{e(row.id)}</a></th>'
            f'<td class="st-{e(row.status)}">{e(row.status)}</td>{"".join(cells)}</tr>'
        )
    return (
        f'<table class="matrix"><thead><tr><th>statement</th><th>status</th>{head}</tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
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
