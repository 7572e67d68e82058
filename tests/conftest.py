from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from pytest_httpserver import HTTPServer

from proloevidence.kb import bundled_path
from proloevidence.lock import write_lock
from proloevidence.model import Author
from proloevidence.verification import (
    FieldComparison,
    Record,
    Status,
    Verification,
    VerificationResult,
)

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled knowledge base folder."""
    target = tmp_path / "kb"
    shutil.copytree(bundled_path(), target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.fixture(autouse=True)
def _no_kb_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's own $PROLOEVIDENCE_KB must not change what the tests load.
    monkeypatch.delenv("PROLOEVIDENCE_KB", raising=False)


GOLDEN = Path(__file__).parent / "golden"
UPDATE_GOLDEN = "PROLOEVIDENCE_UPDATE_GOLDEN"


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    """Compare text with ``tests/golden/NAME``; rewrite it when $PROLOEVIDENCE_UPDATE_GOLDEN is set.

    Bytes are compared, so line endings (RIS uses CR LF) are part of the golden file.
    """

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if os.environ.get(UPDATE_GOLDEN):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(actual.encode("utf-8"))
        assert path.is_file(), f"no golden file {path}; run with {UPDATE_GOLDEN}=1 once"
        assert actual == path.read_bytes().decode("utf-8"), f"{name} differs from its golden file"

    return check


def prolotherapy_lock() -> Verification:
    """A verification lock for the bundled references, built in verification.py's shapes.

    Only rabago2010 and kim2010 were "checked": rabago2010 as PubMed records Primary Care
    (NLM abbreviation "Prim Care"), kim2010 with the full author list the page cut
    short with "et al." (a difference the verified list reports). The rest stay unverified.
    """
    rabago = Record(
        source="pubmed",
        title="Prolotherapy in primary care practice.",
        authors=(
            Author("Rabago", "David"),
            Author("Slattengren", "Andrew"),
            Author("Zgierska", "Aleksandra"),
        ),
        journal="Primary care",
        journal_abbrev="Prim Care",
        issn=("0095-4543",),
        year=2010,
        volume="37",
        issue="1",
        pages="65-80",
        doi="10.1016/j.pop.2009.09.013",
        pmid="20188998",
    )
    kim = Record(
        source="pubmed",
        title="A randomized controlled trial of intra-articular prolotherapy versus steroid "
        "injection for sacroiliac joint pain.",
        authors=(
            Author("Kim", "Won Min"),
            Author("Lee", "Hyung Gon"),
            Author("Jeong", "Chang Won"),
            Author("Kim", "Chee Mahn"),
            Author("Yoon", "Myung Ha"),
        ),
        journal="Pain physician",
        journal_abbrev="Pain Physician",
        year=2010,
        volume="13",
        issue="4",
        pages="363-70",
        pmid="20648206",
    )
    checked = dt.datetime(2025, 1, 6, 12, 0, tzinfo=dt.timezone.utc)
    return Verification(
        {
            "rabago2010": VerificationResult(
                "rabago2010",
                Status.VERIFIED,
                {"doi": rabago.doi or ""},
                fields=(FieldComparison("journal", "Primary Care", "Primary care", "match"),),
                sources=("pubmed",),
                record=rabago,
                checked_at=checked,
            ),
            "kim2010": VerificationResult(
                "kim2010",
                Status.MISMATCH,
                {"pmid": "20648206"},
                fields=(
                    FieldComparison("pages", "363–370", "363-70", "match"),
                    FieldComparison(
                        "authors",
                        "Kim WM, Lee HG, Jeong CW, et al.",
                        "Kim WM, Lee HG, Jeong CW, Kim CM, Yoon MH",
                        "mismatch",
                    ),
                ),
                sources=("pubmed",),
                record=kim,
                checked_at=checked,
            ),
        },
        created=checked,
    )


@pytest.fixture
def locked_kb(kb_copy: Path) -> Path:
    """A copy of the bundled knowledge base with :func:`prolotherapy_lock` beside it."""
    write_lock(kb_copy, prolotherapy_lock())
    return kb_copy


@pytest.fixture(scope="session")
def make_httpserver() -> Iterator[HTTPServer]:
    # Threaded, unlike the plugin's default: the resolver talks to several services at
    # once, and the limiter tests need concurrent requests to arrive concurrently.
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


# Hypothesis profiles (issue 8). "ci", the default, is small and derandomized so every CI run
# tries the same examples; "thorough" is for a long run by hand:
#   HYPOTHESIS_PROFILE=thorough .venv/bin/python -m pytest tests/test_fuzz_loaders.py
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "thorough",
    max_examples=3000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Loads cache parsed files; the suite keeps its cache to itself, never the user's.
    monkeypatch.setenv("PROLOEVIDENCE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
