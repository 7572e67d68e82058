"""Load and queries grow linearly with the knowledge base (counted steps, not seconds)."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import proloevidence
from proloevidence.kb import claims_reader as claimsfile

ROOT = Path(__file__).parent.parent


def _generator() -> Callable[..., Path]:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate  # type: ignore[no-any-return]


def steps(call: Callable[[], object]) -> int:
    """Python lines executed (ours and the libraries') by ``call``: a clock that cannot be
    disturbed by other processes and that counts a nested loop's every turn."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        count += 1
        return tracer

    sys.settrace(tracer)
    try:
        call()
    finally:
        sys.settrace(None)
    return count


@pytest.fixture(scope="module")
def sizes(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    generate = _generator()
    root = tmp_path_factory.mktemp("scaling")
    return {n: generate(root / f"kb{n}", refs=n // 5, claims=n, docs=n // 100) for n in (200, 800)}


def ratio(sizes: dict[int, Path], measure: Callable[[Path], int]) -> float:
    small, large = (measure(sizes[n]) for n in sorted(sizes))
    return large / small


def test_cold_load_is_linear(sizes, tmp_path: Path) -> None:
    # 4x the statements: about 4x the steps (3.5 measured); a quadratic step grows toward 16x.
    assert ratio(sizes, lambda kb: steps(lambda: proloevidence.load(kb, cache=False))) < 4.8


def test_exact_reader_is_linear(sizes, monkeypatch: pytest.MonkeyPatch) -> None:
    # These files take the fast path; the exact one is what a file with a problem takes.
    monkeypatch.setattr(claimsfile, "read_fast", lambda *args: None)

    def exact(kb: Path) -> int:
        files = sorted((kb / "claims").glob("*.yaml"))
        return steps(lambda: [claimsfile.read_claims(f, f.stem) for f in files])

    assert ratio(sizes, exact) < 4.8


def test_warm_load_is_linear(sizes, tmp_path: Path) -> None:
    def warm(kb: Path) -> int:
        proloevidence.load(kb, cache=tmp_path / kb.name)
        return steps(lambda: proloevidence.load(kb, cache=tmp_path / kb.name))

    assert ratio(sizes, warm) < 4.8


def test_queries_do_not_grow_with_the_knowledge_base(sizes) -> None:
    def loaded(kb_path: Path) -> tuple[proloevidence.KnowledgeBase, Callable[[], None]]:
        kb = proloevidence.load(kb_path, cache=False)
        ids = [kb.claim_id(c) for c in kb.claims[:100]]
        keys = sorted(kb.references)[:100]

        def run() -> None:
            for claim_id in ids:
                kb.sources(claim_id)
            for key in keys:
                kb.claims_citing(key)
            kb.unsupported_claims()

        return kb, run

    def first(kb_path: Path) -> int:
        return steps(loaded(kb_path)[1])  # builds each index once: one pass, linear

    def later(kb_path: Path) -> int:
        run = loaded(kb_path)[1]
        run()
        return steps(run)

    assert ratio(sizes, first) < 4.8
    # Index lookups: the same steps for 4x the statements (a scan would take 4x).
    assert ratio(sizes, later) < 1.3
