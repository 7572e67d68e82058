"""The answer cache: per-entry expiry, "not found" kept, a broken file degrades to memory."""

from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path

import pytest

from proloevidence.services.lookup_cache import DAY, MISSING_TTL, RECORD_TTL, LookupCache


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
