"""The benchmark's small mode runs and resolves every reference right (no timing asserts:
speed is measured by the benchmark itself, with its baseline, not in unit tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).parent.parent / "benchmarks" / "verify_bench.py"


def test_small_mode_resolves_everything_politely() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--small"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "All 200 references resolved to the generated truth." in out
    cold = next(line for line in out.splitlines() if line.startswith("| resolver, cold cache"))
    warm = next(line for line in out.splitlines() if line.startswith("| resolver, warm cache"))
    assert cold.split("|")[3].strip() == "0"  # no 429 from the limit-enforcing server
    assert warm.split("|")[2].strip() == "0"  # the warm run sends nothing
    assert "naive, one request per identifier" in out
