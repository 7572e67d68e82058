"""Time the audit and its reports on a synthetic page, against loading it (the baseline).

Run: .venv/bin/python benchmarks/bench_audit.py [STATEMENTS] [REFERENCES]
Prints one row per step: seconds (best of 3) and the ratio to loading the same knowledge base.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import proloevidence
from proloevidence.report import render
from proloevidence.verification import Record, Status, Verification, VerificationResult


def build(folder: Path, statements: int, references: int) -> None:
    bib = [
        f"@article{{ref{i}, title = {{Paper {i}}}, journal = {{J Pain}}, year = {{2020}},\n"
        f"  doi = {{10.1000/p{i}}}, refnumber = {{{i + 1}}}}}\n"
        for i in range(references)
    ]
    numbering = "".join(f"    {i + 1}: ref{i}\n" for i in range(references))
    claims = []
    for i in range(statements):
        a, b = i % references, (i * 7 + 3) % references
        refs = sorted({a, b})
        marker = "(" + ",".join(str(r + 1) for r in refs) + ")"
        cites = ", ".join(f"{{ref: ref{r}}}" for r in refs)
        claims.append(
            f"  - {{id: s{i}, section: [S{i // 50}], kind: efficacy, "
            f'text: "Statement {i} is proven.", marker: "{marker}", citations: [{cites}]}}\n'
        )
    (folder / "references.bib").write_text("".join(bib), encoding="utf-8")
    (folder / "claims.yaml").write_text(
        "schema: 1\ndocument:\n  id: page\n  title: Page\n  references:\n"
        + numbering
        + "claims:\n"
        + "".join(claims),
        encoding="utf-8",
    )


def best(func: Callable[[], object]) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    statements = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    references = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        build(folder, statements, references)
        kb = proloevidence.load(folder)
        types = ("Review",), ("Randomized Controlled Trial",), ("Journal Article",)
        verification = Verification(
            {
                key: VerificationResult(
                    key,
                    Status.VERIFIED if i % 10 else Status.MISMATCH,
                    record=Record("pubmed", title=f"Paper {i}", publication_types=types[i % 3]),
                )
                for i, key in enumerate(kb.references)
            }
        )
        report = proloevidence.audit(kb, verification)
        rows = [("load (baseline)", best(lambda: proloevidence.load(folder)))]
        rows.append(("audit", best(lambda: proloevidence.audit(kb, verification))))
        for fmt in ("text", "json", "markdown", "html"):
            rows.append((f"render {fmt}", best(lambda fmt=fmt: render(report, fmt))))
    base = rows[0][1]
    print(f"{statements} statements, {references} references, {len(report.findings)} findings")
    print(f"{'step':<18}{'seconds':>10}{'x load':>10}")
    for name, seconds in rows:
        print(f"{name:<18}{seconds:>10.4f}{seconds / base:>10.2f}")


if __name__ == "__main__":
    main()
