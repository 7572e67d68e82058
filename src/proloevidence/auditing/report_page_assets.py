"""The HTML audit report's inline style sheet and script, and the policy that allows only them.

They are constants so that the Content-Security-Policy can name them by hash: the page
runs this script and no other. The script works on the page as served (no data island,
no templating): it reads the statements table's rows once, then sorts, searches and
filters them in place, so a page of 5,000 statements stays responsive (measured by
``benchmarks/bench_report_browser.py``). The table is a grid of rows (ARIA table roles),
not a ``<table>``, so that it and the long sections can use ``content-visibility``: the
browser lays out only the rows on screen, whatever the page's length.
"""

from __future__ import annotations

import base64
import hashlib

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1440px;
padding:0 1rem 3rem;color:#1d1d1f;background:#fff}
h1{font-size:1.5rem;margin:1.2rem 0 .3rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}
.summary{font-weight:600}
#filters{border:1px solid #ccc;border-radius:6px;padding:.4rem .8rem;margin:.8rem 0}
#filters label{margin-right:1.2rem}#search{min-width:18rem;padding:.15rem .3rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid #ddd;padding:.25rem .4rem;vertical-align:top;text-align:left}
.matrix{font-size:.9rem;border:1px solid #ddd;border-bottom:0}
.mrow{display:grid;grid-template-columns:3rem 9.5rem minmax(12rem,1fr) 9rem 6.8rem 3.6rem 13rem
5.4rem 5.4rem 5.4rem;border-bottom:1px solid #ddd}
.mrow>div{padding:.25rem .4rem;overflow:hidden;text-overflow:ellipsis;border-right:1px solid #eee;
overflow-wrap:break-word}
.mbody .mrow{content-visibility:auto;contain-intrinsic-size:auto 4.6rem}
.mhead{position:sticky;top:0;background:#f6f6f6;z-index:1;font-weight:600}
.mhead button{font:inherit;border:0;background:none;padding:0;cursor:pointer;text-align:left;
width:100%}
.mhead [aria-sort=ascending] button::after{content:" \\25B2"}
.mhead [aria-sort=descending] button::after{content:" \\25BC"}
.matrix.hide-error .c-error,.matrix.hide-warning .c-warning,.matrix.hide-info .c-info{color:#bbb}
.chip{display:inline-block;font-size:.78rem;border-radius:4px;padding:0 .3rem;
margin:0 .2rem .15rem 0;
border:1px solid #ccc;white-space:nowrap}
.st-backed,.v-verified{background:#e6f4ea}
.st-questionable,.st-unsupported,.v-mismatch,.v-not_found,.v-conflict,.v-retracted{background:#fce8e6}
.st-unverified,.v-unverified,.v-unreachable{background:#fef7e0}
.st-not-required{color:#666}
article{content-visibility:auto;contain-intrinsic-size:auto 9rem}
.statement{border-left:4px solid #ccc;padding:.2rem .8rem;margin:1rem 0}
.statement.st-unsupported,.statement.st-questionable{border-color:#d93025}
.statement.st-backed{border-color:#188038}.statement.st-unverified{border-color:#f9ab00}
.text{margin:.3rem 0;font-style:italic}
.badge{font-size:.75rem;border-radius:4px;padding:0 .35rem;border:1px solid #aaa}
.finding{margin:.2rem 0}.sev-error b{color:#d93025}.sev-warning b{color:#b06000}
.sev-info b{color:#1a73e8}.fix{color:#444;font-size:.85rem}
.muted{color:#666;font-size:.85rem}
"""

JS = """
(function () {
  "use strict";
  var SEVERITIES = ["error", "warning", "info"];
  var list = function (nodes) { return Array.prototype.slice.call(nodes); };
  var boxes = list(document.querySelectorAll("#filters input[data-severity]"));
  var onlyWithFindings = document.getElementById("only-with-findings");
  var search = document.getElementById("search");
  var table = document.querySelector(".matrix");
  var body = table.querySelector(".mbody");
  var headers = list(table.querySelectorAll(".mhead [role=columnheader]"));
  var rows = list(body.children);
  var rowText = rows.map(function (row) {
    return (row.textContent + " " + row.querySelector(".c-text").title).toLowerCase();
  });
  var articles = {};
  list(document.querySelectorAll("article.statement")).forEach(function (a) {
    articles[a.id.slice(2)] = a;
  });
  var references = list(document.querySelectorAll("article.reference"));
  var referenceText = references.map(function (a) { return a.textContent.toLowerCase(); });
  var findings = list(document.querySelectorAll(".finding[data-severity]"));
  var findingSeverity = findings.map(function (f) { return f.getAttribute("data-severity"); });
  var findingHolder = findings.map(function (f) { return f.closest("article"); });

  function apply() {
    var shown = {};
    boxes.forEach(function (box) { shown[box.getAttribute("data-severity")] = box.checked; });
    SEVERITIES.forEach(function (s) { table.classList.toggle("hide-" + s, !shown[s]); });
    var query = search.value.trim().toLowerCase();
    var only = onlyWithFindings.checked;
    var visibleRows = 0;
    rows.forEach(function (row, i) {
      var hasShown = SEVERITIES.some(function (s) {
        return shown[s] && row.getAttribute("data-" + s) !== "0";
      });
      var visible = (!query || rowText[i].indexOf(query) >= 0) && (!only || hasShown);
      row.hidden = !visible;
      var article = articles[row.getAttribute("data-id")];
      if (article) { article.hidden = !visible; }
      if (visible) { visibleRows += 1; }
    });
    references.forEach(function (a, i) {
      a.hidden = query !== "" && referenceText[i].indexOf(query) < 0;
    });
    var count = 0;
    findings.forEach(function (f, i) {
      f.hidden = !shown[findingSeverity[i]];
      var holder = findingHolder[i];
      if (!f.hidden && !(holder && holder.hidden)) { count += 1; }
    });
    document.getElementById("shown-count").textContent =
      count + " findings shown; " + visibleRows + " of " + rows.length + " statements";
  }

  function sortBy(header) {
    var column = headers.indexOf(header);
    var numeric = header.getAttribute("data-type") === "number";
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var keyed = rows.map(function (row, i) {
      var cell = row.children[column];
      var value = cell.getAttribute("data-value");
      if (value === null) { value = cell.textContent; }
      return { row: row, key: numeric ? Number(value) : value, order: i };
    });
    var direction = ascending ? 1 : -1;
    var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
    keyed.sort(function (a, b) {
      var c = numeric ? a.key - b.key : collator.compare(a.key, b.key);
      return c !== 0 ? c * direction : a.order - b.order;
    });
    var fragment = document.createDocumentFragment();
    keyed.forEach(function (k) { fragment.appendChild(k.row); });
    body.appendChild(fragment);
  }

  var pending = null;
  boxes.forEach(function (box) { box.addEventListener("change", apply); });
  onlyWithFindings.addEventListener("change", apply);
  search.addEventListener("input", function () {
    if (pending !== null) { clearTimeout(pending); }
    pending = setTimeout(function () { pending = null; apply(); }, 80);
  });
  headers.forEach(function (header) {
    header.querySelector("button").addEventListener("click", function () { sortBy(header); });
  });
  apply();
  document.body.setAttribute("data-ready", "1");
})();
"""


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


CSP = f"default-src 'none'; style-src {_hash(CSS)}; script-src {_hash(JS)}"
"""The page's Content-Security-Policy: its own style sheet and script, by hash, and nothing else."""
