from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from pytest_httpserver import HTTPServer

from proloevidence.kb.knowledge_base import bundled_path, load
from proloevidence.verification import Verification
from proloevidence.verifying.lock import write_lock
from proloevidence.verifying.verdicts import verify

from .loopback import bundled_services

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


CHECKED = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="session")
def bundled_lock(tmp_path_factory: pytest.TempPathFactory) -> Verification:
    """The bundled references as the real verify judges them (resolver, cache, comparison)
    against records like the public ones: tests/loopback.py's bundled_services(), whose facts
    tests/fixtures/README.md sources. Nothing in it is written by hand: rabago2010 and
    hauser2016 verified (with PubMed's NLM journal abbreviations), kim2010 mismatched (its PMID
    names another article; the trial is suggested), duman2012 mismatched, wu2017 not found.
    """
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        services = bundled_services().install(server)
        with services.resolver(tmp_path_factory.mktemp("bundled-cache")) as resolver:
            return verify(load(), resolver, now=CHECKED)
    finally:
        server.clear()
        server.stop()


@pytest.fixture
def locked_kb(kb_copy: Path, bundled_lock: Verification) -> Path:
    """A copy of the bundled knowledge base with :func:`bundled_lock` beside it."""
    write_lock(kb_copy, bundled_lock)
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


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A temporary folder every user may enter (for tests acting as ``nobody``: tmp_path sits
    in a 0o700 folder), made writable again and removed afterwards."""
    parent = Path(tempfile.mkdtemp(prefix="proloevidence-shared-"))
    os.chmod(parent, 0o755)
    yield parent
    for path in parent.rglob("*"):
        os.chmod(path, 0o755)
    shutil.rmtree(parent)
