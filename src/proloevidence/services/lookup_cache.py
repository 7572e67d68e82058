"""What the services answered, per identifier, in SQLite, with an expiry on every entry.

The cache stores *answers about one identifier* (a Crossref work, a PubMed summary, "no
such DOI"), never HTTP requests or responses. That keeps three promises at once:

- a record's lifetime does not depend on its batch: one DOI Crossref lacks (kept 1 day)
  does not shorten the life of the 49 records fetched with it (kept 30 days), and adding
  a reference to the page does not invalidate the batches the others were fetched in;
- only successful, parsed answers are written, so an error (429, 5xx, an HTML page or
  cut-off JSON on a 200) can never be cached;
- no URL, header or request body is stored, so an API key or an e-mail address cannot
  reach the file. Keys are the service's base URL plus the identifier.
"""

from __future__ import annotations

import json
import logging
import random
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..text.bounded_parsing import loads_json

log = logging.getLogger(__name__)

DAY = 24 * 3600.0
RECORD_TTL = 30 * DAY
"""A record found; long enough to be useful, short enough that a later retraction shows."""
MISSING_TTL = 1 * DAY
"""A "not found" answer: a DOI registered yesterday must not stay unknown for a month."""
FILE_NAME = "lookups.sqlite"
BUSY_TIMEOUT = 10.0
"""Seconds a process waits for another one's write (WAL: readers never wait)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    stored REAL NOT NULL,
    expires REAL NOT NULL
)
"""


def _enter_wal(db: sqlite3.Connection) -> None:
    """Switch to WAL mode, waiting for other processes doing the same.

    Switching a new file to WAL needs it alone, and SQLite answers "database is locked" at
    once, without the busy timeout, while another process is switching or creating it: two
    ``verify`` runs started together would leave one of them without a cache. Retried
    here for as long as the busy timeout.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(random.uniform(0.005, 0.05))


class LookupCache:
    """A thread-safe key -> JSON value store with per-entry expiry.

    ``path=None`` keeps it in memory (nothing survives the process). A file that can be
    read but not written (a read-only folder) is still read: its answers are used, this
    run's new answers are kept in memory only (``read_only`` is True), with a warning. A
    file that cannot be opened at all degrades to memory with a warning: verification
    still works, it is only slower the next time. An entry that is not JSON, or is nested
    deeper than any answer, is ignored as if it were not there.
    """

    def __init__(self, path: str | Path | None, *, clock: Any = time.time) -> None:
        self.path = Path(path) if path is not None else None
        self._clock = clock
        self._lock = threading.Lock()
        self.read_only = False
        self._disk: sqlite3.Connection | None = None  # the file, when it is read-only
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        if self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, check_same_thread=False, timeout=BUSY_TIMEOUT)
                _enter_wal(db)
                # A cache may lose its last writes in a power cut, but must not spend an
                # fsync per batch of answers: NORMAL syncs at checkpoints only.
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute(_SCHEMA)
                db.execute("DELETE FROM answers WHERE expires < ?", (self._clock(),))
                db.commit()
                return db
            except (OSError, sqlite3.Error) as exc:
                self._disk = _open_read_only(self.path)
                if self._disk is not None:
                    self.read_only = True
                    log.warning(
                        "cache %s cannot be written (%s); its answers are used, "
                        "but this run's answers will not be saved",
                        self.path,
                        exc,
                    )
                else:
                    log.warning("cache %s unusable (%s); using memory only", self.path, exc)
                    self.path = None
        db = sqlite3.connect(":memory:", check_same_thread=False)
        db.execute(_SCHEMA)
        return db

    def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        """The unexpired values among ``keys`` (a value may be None: "known not found")."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, Any] = {}
        with self._lock:
            for db in (self._db, self._disk):
                if db is not None:
                    found.update(self._select(db, [k for k in wanted if k not in found]))
        return found

    def _select(self, db: sqlite3.Connection, wanted: list[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        now = self._clock()
        for start in range(0, len(wanted), 500):  # SQLite's bound-parameter limit
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = db.execute(
                f"SELECT key, value FROM answers WHERE expires > ? AND key IN ({marks})",
                (now, *chunk),
            ).fetchall()
            for key, value in rows:
                try:
                    found[key] = loads_json(value)
                except (ValueError, TypeError) as exc:  # damaged by hand or by a disk
                    log.warning("cache %s: entry %s ignored (%s)", self.path, key, exc)
        return found

    def put_many(
        self, items: Mapping[str, Any], ttl: float, *, ttl_if_none: float | None = None
    ) -> None:
        """Store JSON-serialisable ``items``, each expiring ``ttl`` seconds from now.

        ``ttl_if_none`` gives None values ("not found") their own, shorter lifetime.
        """
        if not items:
            return
        now = self._clock()
        rows = [
            (
                k,
                json.dumps(v, ensure_ascii=False),
                now,
                now + (ttl_if_none if v is None and ttl_if_none is not None else ttl),
            )
            for k, v in items.items()
        ]
        with self._lock:
            try:
                self._db.executemany(
                    "INSERT OR REPLACE INTO answers (key, value, stored, expires)"
                    " VALUES (?, ?, ?, ?)",
                    rows,
                )
                self._db.commit()
            except sqlite3.Error as exc:  # a full disk must not stop verification
                log.warning("cache write failed (%s)", exc)

    def __len__(self) -> int:
        with self._lock:
            keys: set[str] = set()
            for db in (self._db, self._disk):
                if db is not None:
                    rows = db.execute("SELECT key FROM answers WHERE expires > ?", (self._clock(),))
                    keys.update(key for (key,) in rows)
        return len(keys)

    def close(self) -> None:
        with self._lock:
            self._db.close()
            if self._disk is not None:
                self._disk.close()


def _open_read_only(path: Path) -> sqlite3.Connection | None:
    """The cache file opened for reading only, or None when it cannot be read either.

    A WAL database opened read-only still wants to create its ``-shm`` file beside it;
    in a folder we may not write, ``immutable=1`` reads the file as it is, without locks.
    """
    if not path.is_file():
        return None
    for query in ("mode=ro", "mode=ro&immutable=1"):
        try:
            db = sqlite3.connect(
                f"{path.resolve().as_uri()}?{query}", uri=True, check_same_thread=False
            )
        except sqlite3.Error:
            continue
        try:
            db.execute("SELECT key FROM answers LIMIT 1").fetchall()
            return db
        except sqlite3.Error:
            db.close()
    return None
