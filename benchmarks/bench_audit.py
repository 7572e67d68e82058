"""Time the audit and its reports on a synthetic page, against loading it (the baseline).

Run: .venv/bin/python benchmarks/bench_audit.py [STATEMENTS] [REFERENCES]
Prints one row per step: seconds (best of 3) and the ratio to loading the same knowledge base;
"audit, records with abstracts" adds what the relevance signal (source-off-topic) costs.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from synthetic_page import best, build, print_table
from synthetic_page import verification as synthetic_verification

import proloevidence
from proloevidence.auditing.report import render
from proloevidence.verification import Verification

# A PubMed abstract's length (about 250 words) and a record's MeSH headings.
ABSTRACT = " ".join(
    f"Dextrose prolotherapy injections in {i} patients with chronic ligament pain improved "
    "function and reduced pain scores at follow-up compared with saline."
    for i in range(12)
)
MESH = ("Prolotherapy", "Glucose / administration & dosage", "Chronic Pain / therapy", "Humans")


def main() -> None:
    statements = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    references = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        build(folder, statements, references, wording="proven")
        kb = proloevidence.load(folder)
        verification = synthetic_verification(list(kb.references))
        report = proloevidence.audit(kb, verification)
        rows = [("load (baseline)", best(lambda: proloevidence.load(folder)))]
        rows.append(("audit", best(lambda: proloevidence.audit(kb, verification))))
        # The relevance signal reads each record's abstract: the same audit with abstracts.
        with_abstracts = Verification(
            {
                key: replace(
                    result,
                    record=replace(result.record, abstract=ABSTRACT, mesh_headings=MESH),
                )
                for key, result in verification.results.items()
                if result.record is not None
            }
        )
        rows.append(
            ("audit, records with abstracts", best(lambda: proloevidence.audit(kb, with_abstracts)))
        )
        for fmt in ("text", "json", "markdown", "html"):
            rows.append((f"render {fmt}", best(lambda fmt=fmt: render(report, fmt))))
    print(f"{statements} statements, {references} references, {len(report.findings)} findings")
    print_table(rows)


if __name__ == "__main__":
    main()
