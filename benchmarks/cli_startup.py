"""What ``proloevidence --help`` and ``import proloevidence`` cost beside a bare interpreter.

    python benchmarks/cli_startup.py            # median of 5 runs each, a table
    python benchmarks/cli_startup.py --importtime   # and the slowest imports of --help

Each command runs in a fresh process (``proloevidence`` is the console script pip installed
beside the interpreter); the baseline,
``python -c pass``, runs in the same rounds, interleaved, so a busy machine slows both alike.
Goal (docs/architecture.md): ``--help`` at most 0.15 s more than the baseline.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

# The console script pip installed beside this interpreter: what a user runs.
SCRIPT = str(Path(sys.executable).with_name("proloevidence"))
COMMANDS = {
    "python -c pass (baseline)": [sys.executable, "-c", "pass"],
    "import proloevidence": [sys.executable, "-c", "import proloevidence"],
    "proloevidence --help": [SCRIPT, "--help"],
    "proloevidence audit --help": [SCRIPT, "audit", "--help"],
    "python -m proloevidence --help": [sys.executable, "-m", "proloevidence", "--help"],
}
GOAL_S = 0.15


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure(rounds: int) -> dict[str, float]:
    samples: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(rounds):
        for name, command in COMMANDS.items():
            samples[name].append(timed(command))
    return {name: statistics.median(times) for name, times in samples.items()}


def slowest_imports(limit: int = 12) -> list[tuple[int, str]]:
    """``-X importtime`` of ``--help``: the cumulative microseconds of the slowest imports."""
    err = subprocess.run(
        [sys.executable, "-X", "importtime", SCRIPT, "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    rows = []
    for line in err.splitlines():
        if line.startswith("import time:") and "|" in line and "cumulative" not in line:
            _, cumulative, name = (part.strip() for part in line[12:].split("|"))
            rows.append((int(cumulative), name.strip()))
    return sorted(rows, reverse=True)[:limit]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--importtime", action="store_true")
    args = parser.parse_args()
    medians = measure(args.rounds)
    base = medians["python -c pass (baseline)"]
    print(f"| command | median of {args.rounds} | over baseline | ratio |")
    print("|---|---|---|---|")
    for name, value in medians.items():
        print(
            f"| {name} | {value * 1000:.0f} ms | {(value - base) * 1000:+.0f} ms "
            f"| {value / base:.2f}x |"
        )
    over = medians["proloevidence --help"] - base
    print(
        f"\n--help over baseline: {over:.3f} s (goal <= {GOAL_S} s): "
        f"{'met' if over <= GOAL_S else 'NOT met'}"
    )
    if args.importtime:
        print("\nslowest imports of --help (cumulative):")
        for micros, name in slowest_imports():
            print(f"  {micros / 1000:7.1f} ms  {name}")
    return 0 if over <= GOAL_S else 1


if __name__ == "__main__":
    sys.exit(main())
