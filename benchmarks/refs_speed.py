"""`refs --style ama` on 40 references against pandoc rendering the same list, side by side.

Run: .venv/bin/python benchmarks/refs_speed.py [REFERENCES] [RUNS]

The references are the first 40 of the conformance set (benchmarks/conformance). The baseline
is pandoc 3 itself (the binary `refs` renders with) making the same plain-text AMA list from
the same references.bib: `pandoc --citeproc --bibliography references.bib` over a document
that cites them all, as a pandoc user would. A second row gives pandoc from our CSL-JSON
(no BibTeX to read: the floor of any run that starts pandoc). All are whole commands, started
fresh each run; each figure is the best of RUNS after one run to warm up. Python runs as
installed code does: with its compiled bytecode (PYTHONDONTWRITEBYTECODE is left out of the
commands' environment; pip writes the bytecode when it installs the package). The goal
(issue 12): `refs` within 2x of pandoc's time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from csl_conformance import kb_folder

from proloevidence.publish.pandoc_citeproc import pandoc_binary
from proloevidence.publish.styles import resolve_style

GOAL = 2.0


def best(run: Callable[[], None], runs: int) -> float:
    run()  # warm up: bytecode, the parse cache, the file system's cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


# Without compiled bytecode every run compiles the package again (about 50 ms).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def command(args: list[str]) -> Callable[[], None]:
    def run() -> None:
        done = subprocess.run(
            args, capture_output=True, text=True, timeout=120, check=False, env=ENV
        )
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(args[:3])} ... failed: {done.stderr.strip()}")

    return run


def main() -> int:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    from csl_conformance import expected_items

    keys = [str(item["id"]) for item in expected_items()[:size]]
    with tempfile.TemporaryDirectory() as tmp:
        folder = kb_folder(Path(tmp) / "kb", keys)
        cli = [sys.executable, "-m", "proloevidence"]
        data = Path(tmp) / "refs.json"
        subprocess.run(
            [*cli, "refs", "--kb", str(folder), "--format", "csl-json", "--output", str(data)],
            check=True,
            timeout=120,
        )
        page = Path(tmp) / "page.md"
        page.write_text("---\nnocite: '@*'\n---\n", encoding="utf-8")
        style = str(resolve_style("ama").path)
        pandoc = [pandoc_binary(), "--citeproc", f"--csl={style}", f"--bibliography={data}"]
        bib = str(folder / "references.bib")
        baseline = best(
            command([*pandoc[:-1], f"--bibliography={bib}", "--to=plain", str(page)]), runs
        )
        from_json = best(command([*pandoc, "--to=plain", str(page)]), runs)
        refs = [*cli, "refs", "--kb", str(folder), "--style", "ama"]
        rows = [
            ("pandoc --citeproc from references.bib (baseline)", baseline),
            ("pandoc --citeproc from CSL-JSON", from_json),
            ("proloevidence refs --style ama (parse cache warm)", best(command(refs), runs)),
            (
                "proloevidence refs --style ama --no-cache",
                best(command([*refs[:-2], "--no-cache", *refs[-2:]]), runs),
            ),
            (
                "proloevidence --help (the command line's start alone)",
                best(command([*cli, "--help"]), runs),
            ),
        ]
    print(f"| run ({size} references, best of {runs}) | seconds | x pandoc |")
    print("|---|---|---|")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.3f} | {seconds / baseline:.2f}x |")
    worst = max(seconds for _, seconds in rows[2:4]) / baseline
    print(f"\ngoal: within {GOAL:g}x of pandoc; worst here {worst:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
