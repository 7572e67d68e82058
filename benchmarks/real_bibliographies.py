"""Real bibliographies in (issue 12): does each of tests/fixtures/bibliographies/ load?

Run: .venv/bin/python benchmarks/real_bibliographies.py [--before REV]

For each real ``.bib`` file, a folder holds it as ``references.bib`` with a one-statement
``claims.yaml`` citing its first entry (as tests/test_real_bibliographies.py does), and the
CLI runs on it in a child process: ``check`` (its exit code, and how many warnings and infos
it prints) and ``refs --format csl-json`` (how many entries it lists, against the entries
bibtexparser v2 reads, ``@xdata`` left out). With ``--before REV`` the same runs use the
package as it was at git revision REV too (its ``src/`` exported to a temporary folder), so
that the table shows before and after from one run.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

import bibtexparser

ROOT = Path(__file__).resolve().parent.parent
BIBLIOGRAPHIES = ROOT / "tests" / "fixtures" / "bibliographies"

CLAIMS = """\
schema: 1
document:
  id: page
claims:
  - id: only
    section: [Overview]
    kind: scope
    text: "This page cites one entry of its bibliography."
    marker: "(1)"
    citations:
      - {{ref: {key}, relation: supports}}
"""


def bibtexparser_keys(text: str) -> list[str]:
    library = bibtexparser.parse_string(text)
    return [e.key for e in library.entries if e.entry_type.lower() != "xdata"]


def run(src: Path | None, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PROLOEVIDENCE_CACHE_DIR"] = str(folder.parent / "cache")
    for variable in ("CROSSREF", "DOI", "EUTILS"):  # nothing here may reach a service
        env[f"PROLOEVIDENCE_{variable}_URL"] = "http://127.0.0.1:9"
    if src is not None:
        env["PYTHONPATH"] = str(src)
    command = [sys.executable, "-m", "proloevidence", *args, "--kb", str(folder)]
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


def measure(src: Path | None, path: Path, work: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    keys = bibtexparser_keys(text)
    folder = work / path.stem / "kb"
    folder.mkdir(parents=True)
    (folder / "references.bib").write_text(text, encoding="utf-8")
    (folder / "claims.yaml").write_text(CLAIMS.format(key=json.dumps(keys[0])), encoding="utf-8")
    check = run(src, folder, "check")
    refs = run(src, folder, "refs", "--format", "csl-json")
    listed = len(json.loads(refs.stdout)) if refs.returncode == 0 else 0
    lines = check.stderr.splitlines()
    return {
        "file": path.name,
        "entries": len(keys),
        "check": check.returncode,
        "warnings": sum(": warning: " in line for line in lines),
        "infos": sum(": info: " in line for line in lines),
        "refs": refs.returncode,
        "listed": listed,
    }


def export_source(rev: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", rev, "src"],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def main() -> None:
    logging.getLogger("bibtexparser").setLevel(logging.ERROR)  # its own parse notes
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", metavar="REV", help="also measure the code at this revision")
    options = parser.parse_args()
    paths = sorted(BIBLIOGRAPHIES.glob("*.bib"))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        runs: list[tuple[str, Path | None]] = [("after", None)]
        if options.before:
            runs.insert(0, ("before", export_source(options.before, work / "before")))
        results = {
            label: [measure(src, path, work / label) for path in paths] for label, src in runs
        }
    header = ["file", "entries"]
    for label, _ in runs:
        header += [f"{label}: check", "refs", "listed", "warn", "info"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for i, path in enumerate(paths):
        row: list[object] = [path.name, results[runs[0][0]][i]["entries"]]
        for label, _ in runs:
            r = results[label][i]
            row += [r["check"], r["refs"], r["listed"], r["warnings"], r["infos"]]
        print("| " + " | ".join(str(cell) for cell in row) + " |")
    for label, _ in runs:
        loaded = sum(r["check"] in (0, 1) for r in results[label])
        complete = sum(r["listed"] == r["entries"] for r in results[label])
        print(
            f"{label}: {loaded}/{len(paths)} files load (check exits 0 or 1); "
            f"refs lists every entry bibtexparser reads for {complete}/{len(paths)}"
        )


if __name__ == "__main__":
    main()
