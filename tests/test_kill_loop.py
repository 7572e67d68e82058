"""kill -9 at random moments over ``fix --write``, ``verify --lock`` and the cache's writes:
every file is the old one or a new one, whole. benchmarks/kill_loop.py runs 40 kills per
operation (docs/reliability.md); the suite runs a few, so CI stays quick."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_killed_writers_leave_old_or_new_files_never_torn(tmp_path: Path) -> None:
    tallies = tmp_path / "tallies.json"
    done = subprocess.run(
        [sys.executable, "kill_loop.py", "--kills", "3", "--dois", "12", "--json", str(tallies)],
        cwd=ROOT / "benchmarks",
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    outcomes = json.loads(tallies.read_text(encoding="utf-8"))
    assert set(outcomes) == {"verify --refresh (cache writes)", "verify --lock", "fix --write"}
    for operation, counts in outcomes.items():
        assert not any(o.startswith("TORN") for o in counts), (operation, counts)
        whole = sum(n for o, n in counts.items() if o.startswith(("old", "new", "whole")))
        assert whole == 3, (operation, counts)
    assert "| fix --write |" in done.stdout
