"""A synthetic page for the audit and doc-build benchmarks, and their timing and table.

``build`` writes one document of STATEMENTS statements citing REFERENCES references, three
consecutive ones each (markers collapse to "(1-3)"), every reference with authors (some
"and others"), journal, year, volume, issue, pages and a DOI.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from proloevidence.verification import Record, Status, Verification, VerificationResult


def build(folder: Path, statements: int, references: int, *, wording: str = "reported") -> None:
    """Write references.bib and claims.yaml; each statement reads "Statement N is WORDING."."""
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
            f'text: "Statement {i} is {wording}.", marker: "{marker}", citations: [{cites}]}}\n'
        )
    (folder / "references.bib").write_text("".join(bib), encoding="utf-8")
    (folder / "claims.yaml").write_text(
        "schema: 1\ndocument:\n  id: page\n  title: Page\n  references:\n"
        + numbering
        + "claims:\n"
        + "".join(claims),
        encoding="utf-8",
    )


def verification(keys: Sequence[str]) -> Verification:
    """A verification of the page's references as loopback services would give it: one in ten
    a mismatch, the rest verified, each with a PubMed record of one of three study types."""
    types = ("Review",), ("Randomized Controlled Trial",), ("Journal Article",)
    return Verification(
        {
            key: VerificationResult(
                key,
                Status.VERIFIED if i % 10 else Status.MISMATCH,
                record=Record("pubmed", title=f"Paper {i}", publication_types=types[i % 3]),
            )
            for i, key in enumerate(keys)
        }
    )


def best(func: Callable[[], object], repeat: int = 3) -> float:
    """The best of ``repeat`` wall-clock timings, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def print_table(rows: Sequence[tuple[str, float]]) -> None:
    """One row per step: seconds and the ratio to the first row (the baseline)."""
    width = max(len(name) for name, _ in rows) + 2
    base = rows[0][1]
    print(f"{'step':<{width}}{'seconds':>10}{'x load':>10}")
    for name, seconds in rows:
        print(f"{name:<{width}}{seconds:>10.4f}{seconds / base:>10.1f}")
