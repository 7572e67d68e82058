"""Kill -9 at random moments: ``fix --write``, ``verify --lock`` and the lookup cache's writes.

    python benchmarks/kill_loop.py              # 40 kills per operation (about 3 minutes)
    python benchmarks/kill_loop.py --kills 3 --dois 12    # what the test suite runs

Each operation runs as the real command line (``python -m proloevidence ...``), in a process
of its own, against Crossref, doi.org and E-utilities played on 127.0.0.1 by the resolver
benchmark's server (benchmarks/verify_bench.py: the documented answer shapes). A first,
uninterrupted run of each measures how long it takes and when it wrote its file; then each
kill comes after a delay drawn uniformly (seeded) from the whole run for the cache, which is
written all along, and, for the lock and the fix, which are written once at the end, from a
little before the earliest moment three runs wrote the file to a little after the latest
(from the whole run, nearly every kill would land in the interpreter's start-up). What is
on disk is then checked:

- ``fix --write``: ``references.bib`` is byte for byte the old file or the fixed one, and
  loads; its ``.bak``, when there is one, is the old file whole;
- ``verify --lock``: ``verification.json`` is the old lock byte for byte, or a new one that
  ``read_lock`` reads whole (it holds every reference);
- ``verify --refresh`` (the cache rewrites every answer): SQLite's ``integrity_check`` is
  ``ok`` and every stored answer parses as JSON.

It prints a Markdown table (docs/reliability.md holds one) and exits 1 if any file was torn.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from verify_bench import Data, generate, serve
from verify_bench import Services as BenchServices

from proloevidence.errors import KnowledgeBaseError
from proloevidence.kb.knowledge_base import load
from proloevidence.services.lookup_cache import FILE_NAME
from proloevidence.services.rate_limit import RateLimit
from proloevidence.text.bounded_parsing import loads_json
from proloevidence.verifying.lock import LOCK_NAME, read_lock

CLAIMS = """\
schema: 1
document:
  id: kill-loop
  title: Kill loop
claims:
  - id: only-statement
    section: [Tests]
    kind: scope
    text: "A statement that needs no source."
    requires_support: false
    support_note: "The kill loop checks files only."
"""


def bibtex(data: Data) -> str:
    """The references as printed: every third Crossref work with its year one off (so that
    ``fix`` has corrections to write)."""
    entries = []
    for ref in data.refs:
        fields = {"title": ref.title}
        if ref.doi:
            fields["doi"] = ref.doi
            work = data.works.get(ref.doi.lower())
            if work is not None:
                year = work["issued"]["date-parts"][0][0]
                fields["year"] = str(year + 1 if int(ref.key[1:]) % 3 == 0 else year)
        if ref.pmid:
            fields["pmid"] = ref.pmid
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items() if v)
        entries.append(f"@article{{{ref.key},\n{body}\n}}\n")
    return "\n".join(entries)


class Services(BenchServices):
    """The resolver benchmark's services, which also answer a search (``verify`` asks one
    for a suggestion when a reference is miscited or unknown): no hits, in the shapes of
    Crossref's empty work list and esearch's empty id list."""

    def _crossref(self, rest: str, params: dict[str, str]) -> tuple[int, str, bytes]:
        if rest == "/works" and "filter" not in params:
            message = {"items": [], "total-results": 0}
            envelope = {"status": "ok", "message-type": "work-list", "message": message}
            return 200, "application/json", json.dumps(envelope).encode()
        return super()._crossref(rest, params)

    def _eutils(self, rest: str, params: dict[str, str]) -> tuple[int, str, bytes]:
        if rest == "/esearch.fcgi" and "[doi]" not in params.get("term", ""):
            answer = {"esearchresult": {"count": "0", "idlist": []}}
            return 200, "application/json", json.dumps(answer).encode()
        return super()._eutils(rest, params)


@dataclass
class Tally:
    operation: str
    outcomes: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    full_run: float = 0.0
    window: tuple[float, float] = (0.0, 0.0)
    """Kills come after a delay drawn uniformly from this range (seconds)."""


def command(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "proloevidence", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    return info.st_mtime_ns, info.st_ino


def timed_run(env: dict[str, str], watched: Path | None, *args: str) -> tuple[float, float]:
    """Run the command to its end: (seconds it took, seconds until ``watched`` changed)."""
    before = _signature(watched) if watched is not None else None
    process = command(env, *args)
    started = time.perf_counter()
    written = 0.0
    while process.poll() is None:
        if watched is not None and not written and _signature(watched) != before:
            written = time.perf_counter() - started
        time.sleep(0.001)
    took = time.perf_counter() - started
    if process.returncode not in (0, 1):
        raise SystemExit(f"proloevidence {' '.join(args)} exited {process.returncode}")
    return took, written or took


def killed_after(env: dict[str, str], delay: float, *args: str) -> bool:
    """Run the command, SIGKILL it after ``delay`` seconds; False if it had finished."""
    process = command(env, *args)
    try:
        process.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        return True


def temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]


WINDOW = 0.1


def around(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """From a little before the earliest write of three runs to a little after the latest."""
    written = [moment for _, moment in runs]
    return max(0.0, min(written) - WINDOW), max(written) + 0.2 * WINDOW


def loop(
    tally: Tally,
    kills: int,
    rng: random.Random,
    prepare: Callable[[], None],
    run: Callable[[float], bool],
    judge: Callable[[], str],
    folder: Path,
) -> None:
    started = time.perf_counter()
    landed = 0
    while landed < kills:
        prepare()
        if not run(rng.uniform(*tally.window)):
            tally.outcomes["finished before the kill"] += 1
            continue
        landed += 1
        left = temporaries(folder)
        if left:
            tally.outcomes["left a temporary file (killed mid-write)"] += 1
            for path in left:
                path.unlink()
        tally.outcomes[judge()] += 1
    tally.seconds = time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=40, help="kills per operation")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--dois", type=int, default=60, help="references by DOI (half as many by PMID)"
    )
    parser.add_argument("--json", type=Path, help="also write the tallies here")
    options = parser.parse_args(argv)
    rng = random.Random(options.seed)

    data = generate(options.dois, options.dois // 2)
    fast = RateLimit(1000, 1.0, 50)  # the server never says 429: the client paces itself
    names = ("crossref-list-polite", "crossref-single-polite", "doi", "eutils")
    services = Services(data, dict.fromkeys(names, fast), (0.0, 0.0))
    server = serve(services)
    # A client killed mid-request resets its connection: expected here, not worth a traceback.
    server.handle_error = lambda request, address: None  # type: ignore[method-assign]
    base = f"http://127.0.0.1:{server.server_address[1]}"
    work = Path(tempfile.mkdtemp(prefix="proloevidence-kill-"))
    try:
        kb = work / "kb"
        kb.mkdir()
        (kb / "references.bib").write_text(bibtex(data), encoding="utf-8")
        (kb / "claims.yaml").write_text(CLAIMS, encoding="utf-8")
        cache = work / "cache"
        unset = ("NCBI_API_KEY", "PROLOEVIDENCE_KB")
        env = {
            **{k: v for k, v in os.environ.items() if k not in unset},
            "PROLOEVIDENCE_CROSSREF_URL": f"{base}/crossref",
            "PROLOEVIDENCE_DOI_URL": f"{base}/doi",
            "PROLOEVIDENCE_EUTILS_URL": f"{base}/eutils",
            "PROLOEVIDENCE_CACHE_DIR": str(cache),
            "PROLOEVIDENCE_MAILTO": "kill-loop@example.org",
            "PROLOEVIDENCE_NO_CACHE": "1",  # the knowledge base's parse cache is not the subject
        }
        kb_args = ("--kb", str(kb))
        tallies = [
            Tally("verify --refresh (cache writes)"),
            Tally("verify --lock"),
            Tally("fix --write"),
        ]

        # Uninterrupted runs: how long each takes, and the files they leave.
        # The cache is written all along the run: kills anywhere in it. The lock and the fix
        # are written once, near the end: kills around the moments they were written.
        took, _ = timed_run(env, None, "verify", *kb_args, "--refresh", "--format", "json")
        tallies[0].full_run, tallies[0].window = took, (0.0, took)
        runs = [
            timed_run(env, kb / LOCK_NAME, "verify", *kb_args, "--offline", "--lock")
            for _ in range(3)
        ]
        tallies[1].full_run, tallies[1].window = max(runs)[0], around(runs)
        old_lock = (kb / LOCK_NAME).read_bytes()
        old_bib = (kb / "references.bib").read_bytes()
        runs = []
        for _ in range(3):
            (kb / "references.bib").write_bytes(old_bib)
            runs.append(timed_run(env, kb / "references.bib", "fix", *kb_args, "--write"))
        tallies[2].full_run, tallies[2].window = max(runs)[0], around(runs)
        new_bib = (kb / "references.bib").read_bytes()
        if new_bib == old_bib:
            raise SystemExit("fix --write changed nothing: the loop would test nothing")
        whole_references = len(data.refs)
        db = cache / FILE_NAME

        def cache_state() -> str:
            with sqlite3.connect(db) as connection:
                ok = connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                values = [v for (v,) in connection.execute("SELECT value FROM answers")]
            connection.close()
            try:
                for value in values:
                    loads_json(value)
            except ValueError:
                return "TORN (an answer does not parse)"
            return "whole (integrity_check ok, every answer parses)" if ok else "TORN (integrity)"

        def lock_state() -> str:
            text = (kb / LOCK_NAME).read_bytes()
            if text == old_lock:
                return "old file, byte for byte"
            try:
                verification = read_lock(kb)
            except KnowledgeBaseError:
                return "TORN"
            whole = verification is not None and len(verification.results) == whole_references
            return "new file, read whole" if whole else "TORN (results missing)"

        def restore_bib() -> None:
            (kb / "references.bib").write_bytes(old_bib)
            (kb / "references.bib.bak").unlink(missing_ok=True)

        def bib_state() -> str:
            text = (kb / "references.bib").read_bytes()
            backup = kb / "references.bib.bak"
            if backup.exists() and backup.read_bytes() != old_bib:
                return "TORN (.bak)"
            try:
                load(kb, cache=False)
            except KnowledgeBaseError:
                return "TORN (does not load)"
            return {old_bib: "old file, byte for byte", new_bib: "new file, byte for byte"}.get(
                text, "TORN"
            )

        def restore_lock() -> None:
            (kb / LOCK_NAME).write_bytes(old_lock)

        def nothing() -> None:
            pass

        loop(
            tallies[0],
            options.kills,
            rng,
            nothing,
            lambda d: killed_after(env, d, "verify", *kb_args, "--refresh", "--format", "json"),
            cache_state,
            cache,
        )
        restore_bib()
        loop(
            tallies[1],
            options.kills,
            rng,
            restore_lock,
            lambda d: killed_after(env, d, "verify", *kb_args, "--offline", "--lock"),
            lock_state,
            kb,
        )
        restore_lock()
        loop(
            tallies[2],
            options.kills,
            rng,
            restore_bib,
            lambda d: killed_after(env, d, "fix", *kb_args, "--write"),
            bib_state,
            kb,
        )
    finally:
        server.shutdown()
        shutil.rmtree(work, ignore_errors=True)

    print(f"{options.kills} kills per operation, seed {options.seed}, {len(data.refs)} references")
    print()
    print("| operation | uninterrupted run | kills, after | outcome after each kill | loop time |")
    print("|---|---|---|---|---|")
    torn = 0
    for tally in tallies:
        landed = sum(n for o, n in tally.outcomes.items() if not o.startswith(("finished", "left")))
        outcomes = "; ".join(f"{o}: {n}" for o, n in sorted(tally.outcomes.items()))
        torn += sum(n for o, n in tally.outcomes.items() if o.startswith("TORN"))
        print(
            f"| {tally.operation} | {tally.full_run:.2f} s | {landed}, "
            f"{tally.window[0]:.2f}-{tally.window[1]:.2f} s | {outcomes} "
            f"| {tally.seconds:.1f} s |"
        )
    if options.json is not None:
        options.json.write_text(
            json.dumps({t.operation: dict(t.outcomes) for t in tallies}, indent=2),
            encoding="utf-8",
        )
    return 1 if torn else 0


if __name__ == "__main__":
    sys.exit(main())
