"""Time reference lists and the rebuilt page on a synthetic page, against loading it (the baseline).

Run: .venv/bin/python benchmarks/bench_docbuild.py [STATEMENTS] [REFERENCES]
Prints one row per step: seconds (best of 3) and the ratio to loading the same knowledge base.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from synthetic_page import best, build, print_table

import proloevidence


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
    print(f"{statements} statements, {references} references")
    print_table(rows)


if __name__ == "__main__":
    main()
