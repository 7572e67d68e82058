"""Load, query and export knowledge bases of growing size; print a table beside a baseline.

    python benchmarks/run.py            # 1k / 10k / 50k statements (about 3 minutes)
    python benchmarks/run.py --small    # 300 / 1,000 statements, one round (CI, seconds)

For each size a knowledge base is generated (benchmarks/generate.py: references = statements
/ 5, documents = statements / 100) and every figure is measured in a fresh subprocess:

- **naive parse** (the baseline): every claims file through ``yaml.load`` with PyYAML's C
  loader and every .bib file through ``bibtexparser.parse_string`` with its default stack;
- **cold load**: ``proloevidence.load(cache=False)``: parse, check, index; **first load**:
  the same with an empty cache, which it fills; **warm load**: with the cache that run wrote;
- **queries**: ``sources``, ``claims_citing`` and ``unsupported_claims`` on 2,000 random
  ids each, p50 and p99 of single calls, beside a linear scan of the statements for the
  same answer (what a query costs without the indexes);
- **graph**: building the networkx graph, then its GraphML text; the Neo4j CSV files
  written from the knowledge base (streamed, no graph needed), as ``graph --format csv`` does;
- **peak RSS** of the loading process (ru_maxrss), and of the naive parse.

Times are the best of ``--repeat`` rounds (the least disturbed by other processes; a
round runs the naive parse, the cold, the first and the warm load one after another). Goals
(docs/scaling.md): cold <= 1.0x naive, warm <= 0.1x cold, query p50 <= 50 us, peak <= 1 GB.

Rows for later features are one function each in ``EXTRA``: each returns its figures, or
None when the feature is not there (the offline audit, the ``refs`` command).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

FULL_SIZES = (1_000, 10_000, 50_000)
SMALL_SIZES = (300, 1_000)
QUERIES = 2_000


# -- measurements, each run in its own process -----------------------------------------------
def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure_naive(kb: Path, cache: Path) -> dict[str, Any]:
    import bibtexparser
    import yaml

    start = time.perf_counter()
    for file in sorted((kb / "claims").glob("*.yaml")):
        yaml.load(file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    for file in sorted(kb.glob("*.bib")):
        bibtexparser.parse_string(file.read_text(encoding="utf-8"))
    return {"seconds": time.perf_counter() - start, "rss_mb": _rss_mb()}


def _load(kb: Path, cache: Path | None) -> tuple[Any, dict[str, Any]]:
    import proloevidence
    from proloevidence.kb.parse_cache import ParseCache

    before = _rss_mb()
    parse_cache = ParseCache(cache) if cache else None
    start = time.perf_counter()
    loaded = proloevidence.load(kb, cache=parse_cache or False)
    seconds = time.perf_counter() - start
    figures = {
        "seconds": seconds,
        "rss_mb": _rss_mb(),
        "rss_before_mb": before,
        "hits": parse_cache.hits if parse_cache else 0,
        "misses": parse_cache.misses if parse_cache else 0,
        "claims": len(loaded.claims),
        "references": len(loaded.references),
        "documents": len(loaded.documents),
        "fingerprint": hash(
            tuple(
                (c.document, c.id, c.refs, c.location.line if c.location else 0)
                for c in loaded.claims
            )
        ),
    }
    return loaded, figures


def measure_cold(kb: Path, cache: Path) -> dict[str, Any]:
    return _load(kb, None)[1]


def measure_first(kb: Path, cache: Path) -> dict[str, Any]:
    shutil.rmtree(cache, ignore_errors=True)
    return _load(kb, cache)[1]


def measure_warm(kb: Path, cache: Path) -> dict[str, Any]:
    return _load(kb, cache)[1]


def _percentiles(samples: list[int]) -> tuple[float, float]:
    ordered = sorted(samples)
    return (ordered[len(ordered) // 2] / 1000, ordered[int(len(ordered) * 0.99)] / 1000)


def _timed(calls: list[Callable[[], Any]]) -> tuple[float, float]:
    samples = []
    clock = time.perf_counter_ns
    for call in calls:
        start = clock()
        call()
        samples.append(clock() - start)
    return _percentiles(samples)


def measure_queries(kb_path: Path, cache: Path) -> dict[str, Any]:
    """Query latencies, graph export, and the EXTRA rows, after one (warm) load."""
    from proloevidence.kb.graph import to_graphml
    from proloevidence.kb.graph_csv import write_csv

    kb, figures = _load(kb_path, cache)
    rng = random.Random(1)
    ids = [kb.claim_id(c) for c in rng.choices(kb.claims, k=QUERIES)]
    keys = rng.choices(sorted(kb.references), k=QUERIES)
    claims = kb.claims
    out: dict[str, Any] = {"load": figures}
    # The first call of each query builds its index (one pass over the statements).
    first = {}
    for name, call in (
        ("sources", lambda: kb.sources(ids[0])),
        ("citing", lambda: kb.claims_citing(keys[0])),
        ("unsupported", kb.unsupported_claims),
    ):
        start = time.perf_counter()
        call()
        first[name] = time.perf_counter() - start
    out["first_query"] = first
    out["sources"] = _timed([lambda i=i: kb.sources(i) for i in ids])
    out["citing"] = _timed([lambda k=k: kb.claims_citing(k) for k in keys])
    out["unsupported"] = _timed([kb.unsupported_claims] * QUERIES)
    # Without indexes: the same answers by scanning the statements (fewer calls: slow).
    scan_ids = ids[:50]
    out["sources_scan"] = _timed(
        [lambda i=i: next(c for c in claims if kb.claim_id(c) == i).citations for i in scan_ids]
    )
    out["citing_scan"] = _timed([lambda k=k: [c for c in claims if k in c.refs] for k in keys[:50]])
    out["unsupported_scan"] = _timed(
        [lambda: [c for c in claims if c.requires_support and not c.is_supported]] * 50
    )
    start = time.perf_counter()
    graph = kb.graph
    out["graph_build"] = time.perf_counter() - start
    start = time.perf_counter()
    to_graphml(graph)
    out["graphml"] = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        write_csv(kb, folder)  # streamed from the knowledge base, as the CLI does
        out["csv"] = time.perf_counter() - start
    out["graph_size"] = [graph.number_of_nodes(), graph.number_of_edges()]
    out["extra"] = {}
    for name, function in EXTRA.items():
        found = function(kb, kb_path)
        if found is not None:
            out["extra"][name] = found
    out["rss_mb"] = _rss_mb()
    return out


# -- rows for features that land later: one function each, None when absent ------------------
def extra_audit(kb: Any, kb_path: Path) -> dict[str, Any] | None:
    """The offline audit (issue 4): ``proloevidence.audit(kb, verification=None)``."""
    import proloevidence

    audit = getattr(proloevidence, "audit", None)
    if audit is None:
        return None
    start = time.perf_counter()
    audit(kb, verification=None)
    return {"seconds": time.perf_counter() - start, "goal": "<= 3 s"}


def extra_refs(kb: Any, kb_path: Path) -> dict[str, Any] | None:
    """The ``refs`` command (issue 5) over every reference, output discarded: the command
    as a user runs it, its (warm) load included."""
    import contextlib
    import io

    from proloevidence.cli import cli, main

    if "refs" not in cli.commands:
        return None
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        main(["refs", "--kb", str(kb_path)])
    return {"seconds": time.perf_counter() - start, "references": len(kb.references)}


EXTRA: dict[str, Callable[[Any, Path], dict[str, Any] | None]] = {
    "offline audit (proloevidence.auditing.audit_report)": extra_audit,
    "refs command, every reference (load included)": extra_refs,
}
MEASURES = {
    "naive": measure_naive,
    "cold": measure_cold,
    "first": measure_first,
    "warm": measure_warm,
    "queries": measure_queries,
}


# -- the driver --------------------------------------------------------------------------------
def run_measure(what: str, kb: Path, cache: Path) -> dict[str, Any]:
    # Commands run inside a measure (the EXTRA rows) use the same cache, not the user's.
    env = {**os.environ, "PYTHONHASHSEED": "0", "PROLOEVIDENCE_CACHE_DIR": str(cache.parent)}
    done = subprocess.run(
        [sys.executable, __file__, "--measure", what, "--kb", str(kb), "--cache", str(cache)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"measuring {what} on {kb} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def bench_size(claims: int, workdir: Path, repeat: int) -> dict[str, Any]:
    kb = workdir / f"kb-{claims}"
    cache = workdir / f"cache-{claims}" / "kb"  # as $PROLOEVIDENCE_CACHE_DIR/kb
    generate(kb, refs=max(40, claims // 5), claims=claims, docs=max(1, claims // 100))
    rounds = []
    for _ in range(repeat):
        naive = run_measure("naive", kb, cache)
        cold = run_measure("cold", kb, cache)
        first = run_measure("first", kb, cache)
        warm = run_measure("warm", kb, cache)
        if first["misses"] == 0 or warm["misses"] != 0 or warm["hits"] != first["misses"]:
            raise SystemExit(f"cache did not behave: first load {first}, warm {warm}")
        for key in ("claims", "references", "documents", "fingerprint"):
            if not cold[key] == first[key] == warm[key]:
                raise SystemExit(f"cold, first and warm loads differ in {key}")
        if cold["claims"] != claims:
            raise SystemExit(f"generated {cold['claims']} statements, wanted {claims}")
        rounds.append((naive, cold, warm, first))
    queries = run_measure("queries", kb, cache)
    return {
        "claims": claims,
        "references": rounds[0][1]["references"],
        "documents": rounds[0][1]["documents"],
        "naive": min(r[0]["seconds"] for r in rounds),
        "cold": min(r[1]["seconds"] for r in rounds),
        "warm": min(r[2]["seconds"] for r in rounds),
        "first": min(r[3]["seconds"] for r in rounds),
        "naive_rss": max(r[0]["rss_mb"] for r in rounds),
        "cold_rss": max(r[1]["rss_mb"] for r in rounds),
        "rss_before": min(r[1]["rss_before_mb"] for r in rounds),
        "queries": queries,
    }


def _us(pair: list[float]) -> str:
    return f"{pair[0]:.1f} / {pair[1]:.1f}"


def table(results: list[dict[str, Any]]) -> str:
    """The results as a Markdown table, one column per size."""
    head = ["", *(f"{r['claims']:,} statements / {r['references']:,} refs" for r in results)]
    rows: list[list[str]] = []

    def row(name: str, cell: Callable[[dict[str, Any]], str]) -> None:
        rows.append([name, *(cell(r) for r in results)])

    row("naive parse (baseline)", lambda r: f"{r['naive']:.2f} s")
    row(
        "cold load (no cache)",
        lambda r: f"{r['cold']:.2f} s = {r['cold'] / r['naive']:.2f}x naive",
    )
    row(
        "first load (fills the cache)",
        lambda r: f"{r['first']:.2f} s = {r['first'] / r['naive']:.2f}x naive",
    )
    row("warm load (cache)", lambda r: f"{r['warm']:.3f} s = {r['warm'] / r['cold']:.2f}x cold")
    for name, key in (
        ("sources(): p50 / p99 us", "sources"),
        ("claims_citing(): p50 / p99 us", "citing"),
        ("unsupported_claims(): p50 / p99 us", "unsupported"),
    ):
        row(
            name,
            lambda r, key=key: (
                f"{_us(r['queries'][key])} (scan {_us(r['queries'][key + '_scan'])})"
            ),
        )
    row(
        "first call after a load (builds the index): sources / cited-by / unsupported",
        lambda r: (
            " / ".join(
                f"{r['queries']['first_query'][k] * 1000:.1f}"
                for k in ("sources", "citing", "unsupported")
            )
            + " ms"
        ),
    )
    row("graph build (networkx)", lambda r: f"{r['queries']['graph_build']:.2f} s")
    row("GraphML text", lambda r: f"{r['queries']['graphml']:.2f} s")
    row("Neo4j CSV files (streamed)", lambda r: f"{r['queries']['csv']:.2f} s")
    row(
        "graph nodes / edges",
        lambda r: f"{r['queries']['graph_size'][0]:,} / {r['queries']['graph_size'][1]:,}",
    )
    row(
        "peak RSS, cold load",
        lambda r: f"{r['cold_rss']:.0f} MB (naive parse {r['naive_rss']:.0f} MB)",
    )
    row("peak RSS, load + graph + exports", lambda r: f"{r['queries']['rss_mb']:.0f} MB")
    row(
        "memory per 10,000 statements",
        lambda r: f"{(r['cold_rss'] - r['rss_before']) / r['claims'] * 10_000:.0f} MB",
    )
    for name in EXTRA:
        if any(name in r["queries"]["extra"] for r in results):
            row(
                name,
                lambda r, name=name: (
                    f"{r['queries']['extra'].get(name, {}).get('seconds', float('nan')):.2f} s"
                ),
            )
    widths = [max(len(line[i]) for line in [head, *rows]) for i in range(len(head))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) + " |"
        for line in [head, *rows]
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines) + "\n"


def machine() -> str:
    cpus = os.cpu_count()
    try:
        meminfo = Path("/proc/meminfo").read_text().split("\n", 1)[0].split()
        memory = f", {int(meminfo[1]) / 1024 / 1024:.0f} GiB memory"
    except (OSError, IndexError, ValueError):
        memory = ""
    return f"{platform.machine()}, {cpus} cores{memory}, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="300 and 1,000 statements, 1 round")
    parser.add_argument("--sizes", help="comma-separated statement counts")
    parser.add_argument("--repeat", type=int, help="rounds per size (default 3; 1 with --small)")
    parser.add_argument("--workdir", type=Path, help="keep generated files here")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--measure", choices=sorted(MEASURES), help=argparse.SUPPRESS)
    parser.add_argument("--kb", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(MEASURES[args.measure](args.kb, args.cache)))
        return 0
    sizes = (
        [int(s) for s in args.sizes.split(",")]
        if args.sizes
        else list(SMALL_SIZES if args.small else FULL_SIZES)
    )
    repeat = args.repeat or (1 if args.small else 3)
    with tempfile.TemporaryDirectory(prefix="proloevidence-bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        results = []
        for size in sizes:
            print(f"measuring {size:,} statements ...", file=sys.stderr, flush=True)
            results.append(bench_size(size, workdir, repeat))
    print(f"Machine: {machine()}; best of {repeat} round(s).\n")
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
