from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

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
