"""The import corpus (tests/corpus/import/): the goals of issue 15 on real pages.

Each page is an open-access article rendered from its JATS XML; the truth comes from the XML's
citation tags (benchmarks/jats_corpus.py), so it does not depend on our parser. Scoring is
benchmarks/import_corpus.py's; nothing here touches the network.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
CORPUS = ROOT / "tests" / "corpus" / "import"


def _benchmark():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "import_corpus", ROOT / "benchmarks" / "import_corpus.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("import_corpus", module)
    spec.loader.exec_module(module)
    return module


def test_corpus_has_eight_pages_in_three_formats_and_styles() -> None:
    import json

    truths = [json.loads(p.read_text(encoding="utf-8")) for p in CORPUS.glob("*.truth.json")]
    assert len(truths) >= 8
    assert {t["format"] for t in truths} == {"html", "markdown", "text"}
    assert len({t["reference_style"] for t in truths}) >= 3
    assert sum(p.stat().st_size for p in CORPUS.iterdir()) < 2_000_000
    for t in truths:
        assert (CORPUS / t["page"]).exists()
        assert t["origin"]["repository"] and len(t["origin"]["commit"]) == 40


def test_every_page_meets_the_issue_goals() -> None:
    failures = []
    for score in _benchmark().score_corpus(CORPUS):
        problems = []
        if score.precision < 0.95:
            problems.append(f"precision {score.precision:.2f}")
        if score.recall < 0.95:
            problems.append(f"recall {score.recall:.2f}")
        for name in ("first_author", "year"):
            value = score.accuracy(name)
            if value is not None and value < 0.90:
                problems.append(f"{name} {value:.2f}")
        if score.values_lost or score.text_lost:
            problems.append(f"{score.values_lost} values lost, {score.text_lost} texts lost")
        if problems:
            failures.append(f"{score.page}: {', '.join(problems)}")
    assert not failures, "\n".join(failures)


def test_an_identifier_the_page_does_not_print_is_not_scored() -> None:
    # microbial-heterogeneity's XML tags give each reference its PMID, but the page prints
    # none: the importer reads identifiers from the page, so no PMID can be right or wrong.
    import json

    module = _benchmark()
    page = CORPUS / "microbial-heterogeneity.html"
    truth = json.loads((CORPUS / "microbial-heterogeneity.truth.json").read_text("utf-8"))
    score = module.score_page(page, truth)
    assert score.accuracy("pmid") is None
    assert score.accuracy("doi") == 1.0  # the DOIs it prints are all read
