"""Open the HTML audit report of a large page in headless Chromium and time what a reader does.

Run: .venv/bin/python benchmarks/bench_report_browser.py [STATEMENTS] [REFERENCES]
(defaults 5000 and 1000; needs Debian's chromium and chromium-driver, and selenium from the
``test`` extra). The baseline row is the bundled page's report (42 statements) opened in the
same browser in the same run; every other row is a ratio against it. Each step is the best
of three, timed inside the page from the user's action to the next painted frame, so the
script's own work and the browser's layout are both counted. The goal (issue 14) is that the
5,000-statement report opens and responds within 2 s.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from synthetic_page import build, verification

import proloevidence
from proloevidence.auditing.report import render

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from browser import chromium_driver

# Runs in the page: perform one action, then resolve after the frame that shows its result
# (two animation frames: the first is scheduled before the action's layout, the second after).
_TIMED_ACTION = """
const [action, done] = [arguments[0], arguments[arguments.length - 1]];
const start = performance.now();
const count = document.getElementById("shown-count");
const before = count.textContent;
const settle = () => requestAnimationFrame(() => requestAnimationFrame(
  () => done(performance.now() - start)));
if (action === "sort") {
  document.querySelector(".mhead .c-error button").click();
  settle();
} else {
  if (action === "search") {
    const box = document.getElementById("search");
    box.value = "statement 4242";
    box.dispatchEvent(new Event("input"));
  } else {
    document.getElementById("only-with-findings").click();
  }
  // The search is debounced: wait for the count to change, then for the frame.
  const poll = () => count.textContent !== before ? settle() : setTimeout(poll, 5);
  poll();
}
"""


def report_file(folder: Path, statements: int, references: int) -> Path:
    build(folder, statements, references, wording="proven")
    kb = proloevidence.load(folder)
    report = proloevidence.audit(kb, verification(list(kb.references)))
    page = folder / "report.html"
    page.write_text(render(report, "html"), encoding="utf-8")
    return page


def bundled_file(folder: Path) -> Path:
    page = folder / "bundled.html"
    page.write_text(render(proloevidence.audit(proloevidence.load()), "html"), encoding="utf-8")
    return page


def measure(driver: object, page: Path) -> dict[str, float]:
    """Seconds to open the page (navigation start to the script's ready mark, painted) and
    for each action, best of three (the page reopened before each try)."""
    times: dict[str, list[float]] = {"open": [], "sort": [], "search": [], "filter": []}
    for _ in range(3):
        for action in ("sort", "search", "filter"):
            start = time.perf_counter()
            driver.get(page.as_uri())  # type: ignore[attr-defined]
            ready = driver.execute_async_script(  # type: ignore[attr-defined]
                "const done = arguments[0];"
                "requestAnimationFrame(() => requestAnimationFrame(() => done("
                "document.body.dataset.ready === '1' ? performance.now() : -1)));"
            )
            if ready < 0:
                raise SystemExit(f"{page.name}: the page's script did not run")
            times["open"].append(max(ready / 1000, 0.0) or time.perf_counter() - start)
            took = driver.execute_async_script(_TIMED_ACTION, action)  # type: ignore[attr-defined]
            times[action].append(took / 1000)
    return {name: min(values) for name, values in times.items()}


def main() -> None:
    statements = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    references = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    with tempfile.TemporaryDirectory() as tmp, chromium_driver(Path(tmp) / "profile") as driver:
        folder = Path(tmp)
        big = report_file(folder, statements, references)
        baseline = measure(driver, bundled_file(folder))
        large = measure(driver, big)
        size = big.stat().st_size / 1e6
    print(f"{statements} statements, {references} references: report of {size:.1f} MB")
    print(f"{'step':<10}{'bundled (s)':>13}{'large (s)':>12}{'x bundled':>11}{'goal':>8}")
    for step in ("open", "sort", "search", "filter"):
        ratio = large[step] / baseline[step] if baseline[step] else float("inf")
        verdict = "met" if large[step] <= 2.0 else "MISSED"
        print(f"{step:<10}{baseline[step]:>13.3f}{large[step]:>12.3f}{ratio:>11.1f}{verdict:>8}")


if __name__ == "__main__":
    main()
