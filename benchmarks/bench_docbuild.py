"""Time reference lists and the rebuilt page on a synthetic page, against loading it (the baseline).

Run: .venv/bin/python benchmarks/bench_docbuild.py [STATEMENTS] [REFERENCES]
Prints one row per step: seconds (best of 3) and the ratio to loading the same knowledge base.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import proloevidence


def build(folder: Path, statements: int, references: int) -> None:
    bib = [
        f"@article{{ref{i},\n  author = {{Author{i}, A. and Second, B. and others}},\n"
        f"  title = {{Paper {i} on dextrose}}, journal = {{J Pain}}, year = {{{2000 + i % 25}}},\n"
        f"  volume = {{{i % 40}}}, number = {{{i % 12 + 1}}}, pages = {{{i}--{i + 9}}},\n"
        f"  doi = {{10.1000/p{i}}}, refnumber = {{{i + 1}}}}}\n"
        for i in range(references)
    ]
    numbering = "".join(f"    {i + 1}: ref{i}\n" for i in range(references))
    claims = []
    for i in range(statements):
        refs = sorted({i % references, (i + 1) % references, (i + 2) % references})
        marker = "(" + ",".join(str(r + 1) for r in refs) + ")"
        cites = ", ".join(f"{{ref: ref{r}}}" for r in refs)
        claims.append(
            f"  - {{id: s{i}, section: [S{i // 50}], kind: efficacy, "
            f'text: "Statement {i} is reported.", marker: "{marker}", citations: [{cites}]}}\n'
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
        rows = [("load (baseline)", best(lambda: proloevidence.load(folder)))]
        for style, fmt in (("ama", "text"), ("vancouver", "html"), ("apa", "markdown")):
            rows.append(
                (
                    f"refs {style} {fmt}",
                    best(lambda s=style, f=fmt: proloevidence.reference_list(kb, style=s, fmt=f)),
                )
            )
        for fmt in ("bibtex", "csl-json", "ris"):
            rows.append(
                (f"refs {fmt}", best(lambda f=fmt: proloevidence.reference_list(kb, fmt=f)))
            )
        for style, fmt in (("vancouver", "markdown"), ("ama", "html"), ("apa", "rst")):
            rows.append(
                (
                    f"render {style} {fmt}",
                    best(lambda s=style, f=fmt: proloevidence.render_page(kb, style=s, fmt=f)),
                )
            )
    base = rows[0][1]
    print(f"{statements} statements, {references} references")
    print(f"{'step':<26}{'seconds':>10}{'x load':>10}")
    for name, seconds in rows:
        print(f"{name:<26}{seconds:>10.3f}{seconds / base:>10.1f}")


if __name__ == "__main__":
    main()
