"""How long importing a page takes as it grows, beside loading the same knowledge base.

Run: .venv/bin/python benchmarks/import_page.py [--repeat 3]

The page is the seed page (tests/fixtures/prolotherapy-page.txt) with its body repeated N
times (headings numbered) and its reference list repeated N times (identifiers numbered), so
every size has the same shape. For each size it times, best of --repeat runs:
import_page (text -> Draft), writing the two files, and, as the baseline measured in the same
run, proloevidence.load() of the written folder (the cost of reading what was imported).
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import proloevidence

SEED = Path(__file__).parent.parent / "tests" / "fixtures" / "prolotherapy-page.txt"


def make_page(copies: int) -> str:
    text = SEED.read_text(encoding="utf-8")
    body, references = text.split("\nReferences\n")
    title, rest = body.split("\n", 1)
    parts = [title]
    for n in range(copies):
        offset = 5 * n
        chunk = re.sub(
            r"\((\d)([-,])(\d)\)",
            lambda m, o=offset: f"({int(m.group(1)) + o}{m.group(2)}{int(m.group(3)) + o})",
            rest,
        )
        # Number the top-level headings so that every copy has its own sections.
        chunk = chunk.replace("Overview\n", f"Overview {n}\n", 1)
        parts.append(chunk)
    parts.append("References")
    for n in range(copies):
        for line in references.strip().splitlines():
            number, entry = line.split(". ", 1)
            entry = re.sub(r"(doi:\S+?|PMID: \d+)\.$", lambda m, k=n: f"{m.group(1)}{k}.", entry)
            parts.append(f"{int(number) + 5 * n}. {entry}")
    return "\n".join(parts) + "\n"


def best(func: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="1,10,100")
    args = parser.parse_args()
    rows = []
    for copies in (int(s) for s in args.sizes.split(",")):
        page = make_page(copies)
        draft = proloevidence.import_page(page)
        with tempfile.TemporaryDirectory() as folder:
            t_import = best(lambda page=page: proloevidence.import_page(page), args.repeat)
            t_write = best(
                lambda d=draft, f=folder: proloevidence.write_draft(d, f, force=True), args.repeat
            )
            t_load = best(lambda f=folder: proloevidence.load(f), args.repeat)
        rows.append(
            (
                len(draft.claims),
                len(draft.references),
                len(page) // 1024,
                t_import,
                t_write,
                t_load,
                t_import / t_load,
            )
        )
    header = (
        "statements",
        "refs",
        "page KiB",
        "import s",
        "write s",
        "load s (baseline)",
        "import/load",
    )
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for row in rows:
        print(
            f"{row[0]} | {row[1]} | {row[2]} | {row[3]:.3f} | {row[4]:.3f} | {row[5]:.3f} | "
            f"{row[6]:.2f}x"
        )


if __name__ == "__main__":
    main()
