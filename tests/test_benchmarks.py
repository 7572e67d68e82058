"""The benchmark command runs (small mode): correctness only, no timing asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_small_benchmark_prints_every_row(tmp_path: Path) -> None:
    raw = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--small", "--json", str(raw)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for row in (
        "naive parse (baseline)",
        "cold load (no cache)",
        "first load (fills the cache)",
        "warm load (cache)",
        "sources(): p50 / p99 us",
        "claims_citing(): p50 / p99 us",
        "unsupported_claims(): p50 / p99 us",
        "GraphML text",
        "Neo4j CSV files (streamed)",
        "peak RSS, cold load",
        "memory per 10,000 statements",
    ):
        assert f"| {row}" in done.stdout, row
    figures = json.loads(raw.read_text(encoding="utf-8"))
    assert [f["claims"] for f in figures] == [300, 1000]
    for size in figures:
        assert size["references"] == size["claims"] // 5
        assert size["documents"] == size["claims"] // 100
        nodes, edges = size["queries"]["graph_size"]
        assert nodes > size["claims"] + size["references"] and edges > size["claims"]


def test_generated_knowledge_bases_pass_check(tmp_path: Path) -> None:
    from proloevidence.cli import main

    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "generate.py"),
            "--refs",
            "60",
            "--claims",
            "300",
            "--docs",
            "3",
            "--out",
            str(tmp_path / "kb"),
        ],
        check=True,
        capture_output=True,
    )
    assert main(["check", "--kb", str(tmp_path / "kb")]) == 0
    again = tmp_path / "again"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "generate.py"),
            "--refs",
            "60",
            "--claims",
            "300",
            "--docs",
            "3",
            "--out",
            str(again),
        ],
        check=True,
        capture_output=True,
    )
    for file in (tmp_path / "kb").rglob("*.*"):  # deterministic: the same bytes again
        assert (again / file.relative_to(tmp_path / "kb")).read_bytes() == file.read_bytes()
