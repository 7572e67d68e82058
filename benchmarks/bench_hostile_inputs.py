"""Time and memory of loading hostile knowledge bases, against the bundled one as baseline.

    .venv/bin/python benchmarks/bench_hostile_inputs.py

Each row loads a folder (``proloevidence.load``) a few times and prints the median time,
the peak of traced memory and what came of it. The figures in docs/reliability.md come
from this script.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from proloevidence.errors import KnowledgeBaseError
from proloevidence.kb.input_limits import DEFAULT_MAX_INPUT_BYTES
from proloevidence.kb.knowledge_base import bundled_path, load

CLAIMS = (bundled_path() / "claims.yaml").read_bytes()
BIB = (bundled_path() / "references.bib").read_bytes()
BOMB = b'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + b"".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n".encode()
    for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)
FIRST_TEXT = b'    text: "Prolotherapy (proliferative'
FIRST_CITE = b"      - {ref: rabago2010, relation: supports}\n"
FIRST_PRINTED = b"  printed   = {Rabago D"


def amplified(claims: int, cites: int) -> bytes:
    text = CLAIMS.replace(
        b"  - id: overview-stimulus\n", b"  - &claim\n    id: overview-stimulus\n", 1
    )
    text = text.replace(
        FIRST_CITE, b"      - &cite {ref: rabago2010}\n" + b"      - *cite\n" * cites, 1
    )
    return text + b"  - *claim\n" * claims


def huge_file(folder: Path) -> None:
    with open(folder / "references.bib", "wb") as handle:  # sparse
        handle.truncate(DEFAULT_MAX_INPUT_BYTES + 1)


ROWS: list[tuple[str, bytes, bytes, Callable[[Path], None] | None]] = [
    ("baseline: the bundled knowledge base", CLAIMS, BIB, None),
    ("billion laughs (9 levels of 9 aliases)", BOMB + CLAIMS, BIB, None),
    ("alias amplification, 3,000 x 3,000", amplified(3000, 3000), BIB, None),
    (
        "8 MB text value in claims.yaml",
        CLAIMS.replace(FIRST_TEXT, b'    text: "' + b"x" * 8_000_000, 1),
        BIB,
        None,
    ),
    (
        "200 kB field in references.bib",
        CLAIMS,
        BIB.replace(FIRST_PRINTED, b"  printed   = {" + b"x" * 200_000, 1),
        None,
    ),
    (
        "marker naming 1,000,000 references",
        CLAIMS.replace(b'marker: "(1-3)"', b'marker: "(' + b"1-1000," * 1000 + b'1)"', 1),
        BIB,
        None,
    ),
    ("references.bib of 64 MiB + 1 byte (sparse)", CLAIMS, b"", huge_file),
]


def measure(claims: bytes, bib: bytes, prepare: Callable[[Path], None] | None) -> list[str]:
    times: list[float] = []
    peak = 0
    outcome = ""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "claims.yaml").write_bytes(claims)
        (folder / "references.bib").write_bytes(bib)
        if prepare:
            prepare(folder)
        for run in range(5):
            if run == 0:
                tracemalloc.start()
            started = time.perf_counter()
            try:
                kb = load(folder)
                outcome = f"loaded, {len(kb.claims)} statements"
            except KnowledgeBaseError as exc:
                codes = sorted({p.code for p in exc.problems})
                outcome = f"refused: {len(exc.problems)} problems ({', '.join(codes)[:40]})"
            times.append(time.perf_counter() - started)
            if run == 0:
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
    size = len(claims) + (DEFAULT_MAX_INPUT_BYTES + 1 if prepare else len(bib))
    return [
        f"{size / 1e6:.2f} MB",
        f"{statistics.median(times[1:]) * 1000:.1f} ms",
        f"{peak / 1e6:.1f} MB",
        outcome,
    ]


def main() -> None:
    headers = ["input", "size", "median load", "peak memory", "outcome"]
    rows = [[name, *measure(claims, bib, prepare)] for name, claims, bib, prepare in ROWS]
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    for row in [headers, ["-" * w for w in widths], *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    print(f"\nPython {sys.version.split()[0]}; time: median of 4 runs after one traced run")


if __name__ == "__main__":
    main()
