from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from proloevidence.kb import bundled_path

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


@pytest.fixture(autouse=True)
def _private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Loads cache parsed files; the suite keeps its cache to itself, never the user's.
    monkeypatch.setenv("PROLOEVIDENCE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
