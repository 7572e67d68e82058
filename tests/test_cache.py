"""The answer cache: per-entry expiry, "not found" kept, a broken file degrades to memory."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from proloevidence.services.lookup_cache import DAY, MISSING_TTL, RECORD_TTL, LookupCache

from .fault_cli import run_cli
from .fault_records import PAPERS, Records, write_kb
from .faults import loopback_services
from .privileges import unprivileged


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_values_and_not_found_answers_survive_reopening(tmp_path: Path) -> None:
    cache = LookupCache(tmp_path / "c.sqlite")
    cache.put_many({"work|10.1000/a": {"title": ["T"]}}, RECORD_TTL)
    cache.put_many({"work|10.1000/b": None}, MISSING_TTL)
    cache.close()
    again = LookupCache(tmp_path / "c.sqlite")
    assert again.get_many(["work|10.1000/a", "work|10.1000/b", "work|10.1000/c"]) == {
        "work|10.1000/a": {"title": ["T"]},
        "work|10.1000/b": None,  # "known not found" is an answer, unlike a miss
    }
    assert len(again) == 2


def test_entries_expire_on_their_own_clock(tmp_path: Path) -> None:
    clock = Clock()
    cache = LookupCache(tmp_path / "c.sqlite", clock=clock)
    cache.put_many({"record": 1}, RECORD_TTL)
    cache.put_many({"missing": None}, MISSING_TTL)
    clock.now += 2 * DAY
    assert cache.get_many(["record", "missing"]) == {"record": 1}
    clock.now += 29 * DAY
    assert cache.get_many(["record", "missing"]) == {}


def test_ttls_are_thirty_days_and_one_day() -> None:
    assert (RECORD_TTL, MISSING_TTL) == (30 * DAY, DAY)


def test_many_keys_at_once(tmp_path: Path) -> None:
    cache = LookupCache(tmp_path / "c.sqlite")
    cache.put_many({f"k{i}": i for i in range(1200)}, RECORD_TTL)
    assert len(cache.get_many(f"k{i}" for i in range(1200))) == 1200


def test_keys_with_quotes_are_data_not_sql(tmp_path: Path) -> None:
    cache = LookupCache(tmp_path / "c.sqlite")
    key = "work|10.1000/o'brien\"); DROP TABLE answers; --"
    cache.put_many({key: 1}, RECORD_TTL)
    assert cache.get_many([key]) == {key: 1}


def test_an_unusable_folder_falls_back_to_memory(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = LookupCache(blocker / "c.sqlite")
    cache.put_many({"k": 1}, RECORD_TTL)
    assert cache.get_many(["k"]) == {"k": 1}
    assert cache.path is None
    assert "using memory only" in caplog.text


def _open_at(path: Path, start: float) -> bool:
    """In a worker process: open the cache at wall-clock ``start``; True if it is on disk."""
    time.sleep(max(0.0, start - time.time()))
    cache = LookupCache(path)
    cache.put_many({f"k{os.getpid()}": 1}, RECORD_TTL)
    on_disk = cache.path is not None
    cache.close()
    return on_disk


def test_processes_opening_a_new_cache_at_once_all_get_the_file(tmp_path: Path) -> None:
    # Switching a new file to WAL needs it alone, and SQLite answers "database is locked" at
    # once (no busy wait) while another process does the same: each used to fall back to
    # memory about one time in eight.
    rounds, workers = 25, 3
    context = multiprocessing.get_context("spawn")  # no fork of a threaded test process
    with context.Pool(workers) as pool:
        pool.map(time.sleep, [0] * workers)  # started before the clock matters
        opened = []
        for i in range(rounds):
            start = time.time() + 0.05
            path = tmp_path / f"r{i}" / "lookups.sqlite"
            opened += pool.starmap(_open_at, [(path, start)] * workers)
    assert opened.count(False) == 0
    for i in range(rounds):
        cache = LookupCache(tmp_path / f"r{i}" / "lookups.sqlite")
        assert len(cache) == workers
        cache.close()


def _read_only(folder: Path) -> None:
    for path in folder.iterdir():
        os.chmod(path, 0o644)
    os.chmod(folder, 0o555)


def test_a_read_only_cache_is_still_read_and_says_it_will_not_be_updated(
    shared_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = shared_dir / "cache"
    cache = LookupCache(folder / "c.sqlite")
    cache.put_many({"found": {"title": "T"}, "absent": None}, RECORD_TTL)
    cache.close()
    _read_only(folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    with unprivileged():
        cache = LookupCache(folder / "c.sqlite")
        assert cache.read_only
        assert cache.get_many(["found", "absent", "other"]) == {
            "found": {"title": "T"},
            "absent": None,
        }
        cache.put_many({"other": 1}, RECORD_TTL)  # kept for this run, in memory
        assert cache.get_many(["other"]) == {"other": 1}
        assert len(cache) == 3
        cache.close()
    assert "cannot be written" in caplog.text and "will not be saved" in caplog.text
    assert "using memory only" not in caplog.text
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_damaged_or_too_deep_entry_is_ignored_not_raised(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = LookupCache(tmp_path / "c.sqlite")
    cache.put_many({"good": [1], "deep": None, "bad": None}, RECORD_TTL)
    with sqlite3.connect(tmp_path / "c.sqlite") as db:
        db.execute(
            "UPDATE answers SET value = ? WHERE key = 'deep'", ("[" * 100_000 + "]" * 100_000,)
        )
        db.execute("UPDATE answers SET value = '{\"cut' WHERE key = 'bad'")
    assert cache.get_many(["good", "deep", "bad"]) == {"good": [1]}
    assert "entry deep ignored (nested deeper than" in caplog.text
    assert "entry bad ignored" in caplog.text


def test_verify_offline_with_a_read_only_cache_uses_its_answers(
    httpserver: HTTPServer, shared_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # The services on 127.0.0.1 answer in the documented shapes (tests/fault_records.py).
    with loopback_services(httpserver, Records.built(PAPERS)) as services:
        kb = write_kb(shared_dir / "kb")
        env = {**services.env(), "PROLOEVIDENCE_CACHE_DIR": str(shared_dir / "cache")}
        online = run_cli(env, "verify", "--kb", str(kb), "--format", "json")
        assert online.code == 0, online.err
        asked = len(services.seen())
        _read_only(shared_dir / "cache")
        with unprivileged():
            offline = run_cli(env, "verify", "--kb", str(kb), "--format", "json", "--offline")
        assert len(services.seen()) == asked
    assert offline.code == 0, offline.err
    assert {r["status"] for r in offline.results.values()} == {"verified"}
    assert "will not be saved" in caplog.text
