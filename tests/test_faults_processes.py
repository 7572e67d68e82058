"""Two processes verifying at once share one cache without corrupting it.

Two ``python -m proloevidence verify`` processes start together on the same
PROLOEVIDENCE_CACHE_DIR against the loopback services (tests/faults.py), with the published
limits and the default retry policy: both must finish, in bounded time, with every
reference verified and nothing on stderr (a cache that cannot be opened or written says so
there). A third run, offline, must then find every answer in the cache, the same as both
processes found. cache.py opens SQLite in WAL mode (readers never wait for the writer)
with a 10 s busy timeout (writers queue instead of failing).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from .fault_cli import run_cli
from .fault_records import PAPERS, Records, bibtex, many_papers, write_kb
from .faults import Loopback, loopback_services

PAPERS_HERE = PAPERS + many_papers(45)
BOUND = 60.0
"""Seconds both processes may take: startup and ~12 requests at the published limits."""


@pytest.fixture
def services(httpserver: HTTPServer) -> Iterator[Loopback]:
    with loopback_services(httpserver, Records.built(PAPERS_HERE)) as loopback:
        yield loopback


def without_times(results: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {k: {f: v for f, v in r.items() if f != "checked_at"} for k, r in results.items()}


def test_two_processes_at_once_then_offline_from_their_cache(
    services: Loopback, tmp_path: Path
) -> None:
    kb = write_kb(tmp_path / "kb", bibtex(PAPERS_HERE))
    settings = {
        **services.env(),
        "PROLOEVIDENCE_CACHE_DIR": str(tmp_path / "cache"),
        "PROLOEVIDENCE_MAILTO": "processes@example.org",
    }
    env = {k: v for k, v in os.environ.items() if k not in ("NCBI_API_KEY", "PROLOEVIDENCE_KB")}
    command = [sys.executable, "-m", "proloevidence", "verify", "--kb", str(kb), "--format", "json"]
    started = time.monotonic()
    processes = [
        subprocess.Popen(
            command,
            # Each with its own address, so the server can tell their requests apart.
            env={**env, **settings, "PROLOEVIDENCE_MAILTO": f"process{i}@example.org"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(2)
    ]
    try:
        outputs = [p.communicate(timeout=BOUND) for p in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    assert time.monotonic() - started < BOUND
    found = []
    for process, (out, err) in zip(processes, outputs, strict=True):
        assert (process.returncode, err) == (0, "")
        results = {r["key"]: r for r in json.loads(out)["results"]}
        assert len(results) == len(PAPERS_HERE)
        assert {r["status"] for r in results.values()} == {"verified"}
        found.append(without_times(results))
    assert found[0] == found[1]
    # They did run at once: each sent requests while the other was sending.
    spans = [
        [e.at for e in services.seen() if f"process{i}@" in e.headers["user-agent"]]
        for i in range(2)
    ]
    assert all(spans) and max(min(s) for s in spans) < min(max(s) for s in spans)

    asked = len(services.seen())
    offline = run_cli(settings, "verify", "--kb", str(kb), "--format", "json", "--offline")
    assert (offline.code, offline.err) == (0, "")
    assert without_times(offline.results) == found[0]
    assert len(services.seen()) == asked  # offline: not one request
    with sqlite3.connect(tmp_path / "cache" / "lookups.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_damaged_cache_file_is_worked_around_not_fatal(
    services: Loopback, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "lookups.sqlite").write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 20)
    kb = write_kb(tmp_path / "kb")
    settings = {**services.env(), "PROLOEVIDENCE_CACHE_DIR": str(cache)}
    run = run_cli(settings, "verify", "--kb", str(kb), "--format", "json")
    assert (run.code, "Traceback" in run.err) == (0, False)
    assert {r["status"] for r in run.results.values()} == {"verified"}
    assert "unusable (file is not a database); using memory only" in caplog.text
