"""The review page's style and script, inline, and the Content-Security-Policy that admits
exactly these two (by hash) and nothing else: no remote resource, no other script, no frame."""

from __future__ import annotations

import base64
import hashlib

CSS = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1d1d1f; background: #f6f6f4; }
header { background: #23395d; color: #fff; padding: .6em 1.2em; display: flex; gap: 1.5em;
  align-items: baseline; }
header h1 { font-size: 1.1em; margin: 0; }
.layout { display: grid; grid-template-columns: 17em 1fr; min-height: calc(100vh - 2.6em); }
nav { background: #ecece8; padding: .6em; overflow-y: auto; font-size: .9em; }
nav ol { padding-left: 1.6em; margin: 0; }
nav li { margin: .2em 0; }
nav a { color: #23395d; text-decoration: none; }
nav .current { font-weight: 700; }
main { padding: 1em 1.6em; max-width: 70em; }
section { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: .7em 1em;
  margin-bottom: 1em; }
h2 { font-size: 1em; margin: 0 0 .4em; color: #555; text-transform: uppercase;
  letter-spacing: .04em; }
.statement { font-size: 1.15em; }
.neighbour { color: #777; font-size: .9em; }
.muted { color: #666; }
mark { background: #ffe58a; padding: 0 .1em; }
.abstract { white-space: pre-line; }
.badge { display: inline-block; padding: 0 .5em; border-radius: 3px; font-size: .85em;
  background: #ddd; }
.badge.verified { background: #cdeccd; } .badge.questionable { background: #f6c4c4; }
.badge.changed, .badge.off-topic { background: #f9dfb0; }
.notice { color: #a40000; font-weight: 600; }
table { border-collapse: collapse; } td, th { border: 1px solid #ddd; padding: .2em .5em;
  text-align: left; vertical-align: top; }
form label { display: block; margin: .4em 0 .1em; font-weight: 600; }
form input[type=text], form textarea { width: 100%; box-sizing: border-box; font: inherit; }
.judge { margin-top: .8em; display: flex; gap: .6em; }
.judge button { font: inherit; padding: .4em 1em; border-radius: 4px; border: 1px solid #888;
  cursor: pointer; }
.judge .supported { background: #cdeccd; } .judge .partly { background: #f9eab0; }
.judge .not-supported { background: #f6c4c4; }
kbd { border: 1px solid #999; border-radius: 3px; padding: 0 .3em; font-size: .8em;
  background: #fafafa; color: #1d1d1f; }
.saved { background: #e3f4e3; border-color: #9c9; }
.error { background: #fbe3e3; border-color: #c99; }
"""

JS = """
(function () {
  "use strict";
  var keys = {"s": "supported", "p": "partly", "n": "not-supported"};
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var tag = event.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA") {
      if (event.key === "Escape") { event.target.blur(); }
      return;
    }
    var status = keys[event.key];
    if (status) {
      var button = document.querySelector('button[value="' + status + '"]');
      if (button) { event.preventDefault(); button.click(); }
      return;
    }
    var go = {"j": "next-link", "k": "previous-link"}[event.key];
    if (go) {
      var link = document.getElementById(go);
      if (link) { event.preventDefault(); link.click(); }
      return;
    }
    if (event.key === "l") {
      var field = document.getElementById("locator");
      if (field) { event.preventDefault(); field.focus(); }
    }
  });
  document.body.setAttribute("data-ready", "1");
})();
"""


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


META_CSP = (
    f"default-src 'none'; style-src {_hash(CSS)}; script-src {_hash(JS)}; "
    "form-action 'self'; base-uri 'none'"
)
"""The policy in the page's ``<meta>``: it holds even if the page is saved and opened as a file."""

CSP = META_CSP + "; frame-ancestors 'none'"
"""The policy sent as a header with every response (``frame-ancestors`` works only there)."""
