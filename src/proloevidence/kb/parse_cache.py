"""The compiled cache of a knowledge base's files: each file parsed once per content.

Under ``$PROLOEVIDENCE_CACHE_DIR/kb/`` (else ``proloevidence/kb/`` in the user cache
directory) one pack per knowledge base folder, named by the folder and a digest of this
library's version and its loaders' code, holds one entry per file, keyed by a hash of the
file's bytes and path: a file whose bytes did not change is not parsed again; a changed
file is, and the pack is written again with the entries of the folder's current files only.
One pack, not one file per entry: 500 small writes cost more than the parse they save.

Entries are msgpack (plain data only, never pickle); the pack is written through a
temporary file and a rename. A pack or an entry that cannot be read or decoded is ignored
and written anew; a cache that cannot be written is only not written: the cache never makes
a load fail. Packs not written for 30 days are removed.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from stat import S_ISREG
from typing import Any

import msgpack

from .claims_schema import ParsedClaims
from .input_limits import max_input_bytes
from .parse_cache_entries import decode_claims, decode_references, encode_claims, encode_references
from .parsed_references import ParsedReferences

FORMAT = 5
"""Bumped whenever the shape of an entry changes."""

CACHE_DIR_ENV = "PROLOEVIDENCE_CACHE_DIR"
# The modules whose code decides what a parsed file holds (the readers' and the entries'
# import closure, which tests/test_kbcache.py checks): a change to any of them must not be
# answered from entries that an older version of them wrote.
_LOADERS = (
    "errors",
    "identifiers",
    "kb.bib_entries",
    "kb.bib_fields",
    "kb.bib_inheritance",
    "kb.bib_macros",
    "kb.bib_names",
    "kb.bib_reader",
    "kb.bib_text_checks",
    "kb.claims_fast_reader",
    "kb.claims_reader",
    "kb.claims_schema",
    "kb.input_limits",
    "kb.parse_cache_entries",
    "kb.parsed_references",
    "kb.yaml_nodes",
    "model",
    "text.latex",
    "text.markers",
)


def default_cache_dir() -> Path:
    """``$PROLOEVIDENCE_CACHE_DIR/kb``, else ``proloevidence/kb`` in the user cache dir."""
    root = os.environ.get(CACHE_DIR_ENV)
    if not root:
        import platformdirs

        root = platformdirs.user_cache_dir("proloevidence")
    return Path(root) / "kb"


@functools.lru_cache(maxsize=1)
def _code_digest() -> bytes:
    digest = hashlib.blake2b(f"{FORMAT}".encode(), digest_size=16)
    # The loaders' own code, not the package's version, says what a parsed file holds (and
    # reading the version through importlib.metadata would cost a warm load 9 ms).
    package = Path(__file__).parent.parent
    for name in _LOADERS:
        with contextlib.suppress(OSError):
            digest.update((package / (name.replace(".", "/") + ".py")).read_bytes())
    return digest.digest()


def _read_claims(path: Path, default_id: str) -> ParsedClaims:
    # The readers are imported on a miss only: a warm load never needs YAML or BibTeX.
    from .claims_reader import read_claims

    return read_claims(path, default_id=default_id)


def _read_references(path: Path) -> ParsedReferences:
    from .bib_reader import read_references

    return read_references(path)


class ParseCache:
    """Parsed claims and BibTeX files by content; see the module docstring.

    :func:`kb.load` calls :meth:`open` with the folder, then :meth:`claims` and
    :meth:`references` for each file, then :meth:`close`, which writes the folder's pack.
    """

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_cache_dir()
        self.hits = 0
        self.misses = 0
        self._pack: Path | None = None
        self._old: dict[str, bytes] = {}
        self._new: dict[str, bytes] = {}
        self._old_stats: dict[str, list[Any]] = {}
        self._new_stats: dict[str, list[Any]] = {}
        self._written_ns = 0
        self._dirty = False

    def open(self, folder: Path) -> None:
        """Read the pack of entries last written for ``folder`` (none if it cannot be read)."""
        name = hashlib.blake2b(_code_digest(), digest_size=20)
        name.update(str(folder.resolve()).encode())
        self._pack = self.directory / f"{name.hexdigest()}.msgpack"
        self._reset()
        with contextlib.suppress(Exception):  # any unreadable pack: parse every file again
            with open(self._pack, "rb") as handle:
                pack = msgpack.unpackb(handle.read(), raw=False)
            entries, stats, written = pack["entries"], pack["stats"], pack["written_ns"]
            if all(type(v) is bytes for v in entries.values()) and type(written) is int:
                self._old, self._old_stats, self._written_ns = entries, stats, written

    def close(self) -> None:
        """Write the pack (the entries of this load's files only) if it changed."""
        if self._pack is not None and (
            self._dirty
            or self._new.keys() != self._old.keys()
            or self._new_stats != self._old_stats
        ):
            pack = {"entries": self._new, "stats": self._new_stats, "written_ns": time.time_ns()}
            _write(self._pack, msgpack.packb(pack, use_bin_type=True))
            _prune(self.directory, keep=self._pack)
        self._pack = None
        self._reset()

    def _reset(self) -> None:
        self._old, self._new, self._old_stats, self._new_stats = {}, {}, {}, {}
        self._dirty, self._written_ns = False, 0

    def claims(self, path: Path, default_id: str) -> ParsedClaims:
        """What :func:`claimsfile.read_claims` returns for the file, from the cache if it can."""
        return self._through(  # type: ignore[no-any-return]
            path,
            f"claims\0{default_id}",
            lambda: _read_claims(path, default_id),
            encode_claims,
            decode_claims,
        )

    def references(self, path: Path) -> ParsedReferences:
        """What :func:`bibfile.read_references` returns for the file, from the cache if it can."""
        return self._through(  # type: ignore[no-any-return]
            path,
            "bib",
            lambda: _read_references(path),
            encode_references,
            decode_references,
        )

    def _through(
        self,
        path: Path,
        kind: str,
        read: Callable[[], Any],
        encode: Callable[[Any], Any],
        decode: Callable[[Any, str], Any],
    ) -> Any:
        file = str(path)
        name = f"{kind}\0{file}"
        try:
            status = os.stat(path)
            if not S_ISREG(status.st_mode) or status.st_size > max_input_bytes():
                return read()  # the reader refuses it (a FIFO, too large), without reading
            stat = [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]
            known = self._old_stats.get(name)
            # The file's status as when its bytes were hashed: the same bytes, as git's index
            # trusts it, unless it changed within 2 s of the pack's writing ("racily clean").
            fresh = max(stat[1:3]) >= self._written_ns - RACY_NS
            if known is not None and known[:4] == stat and not fresh:
                key = known[4]
            else:
                key = _key(name, path.read_bytes())
        except (OSError, ValueError):  # ValueError: a bad $PROLOEVIDENCE_MAX_INPUT_BYTES
            return read()  # the reader reports it as a problem
        blob = self._old.get(key)
        if blob is not None:
            with contextlib.suppress(Exception):  # an unreadable entry: parse again
                found = decode(msgpack.unpackb(blob, raw=False, use_list=False), file)
                self.hits += 1
                self._new[key] = blob
                self._new_stats[name] = [*stat, key]
                return found
        self.misses += 1
        self._dirty = True
        # The reader itself (its bounds, BOM and line ends): the entry is what it returns. A
        # file changed since it was hashed is stored under the old hash, and its status
        # differs next time, so it is read again then.
        parsed = read()
        self._new[key] = msgpack.packb(encode(parsed), use_bin_type=True)
        self._new_stats[name] = [*stat, key]
        return parsed


def _key(name: str, data: bytes) -> str:
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{name}\0".encode())
    digest.update(data)
    return digest.hexdigest()


PRUNE_AFTER_DAYS = 30
RACY_NS = 2_000_000_000
"""A file changed this close to the pack's writing is read again whatever its status."""


def _prune(directory: Path, keep: Path) -> None:
    # Packs of folders not loaded for a month, or written by another version, go.
    limit = time.time() - PRUNE_AFTER_DAYS * 86400
    with contextlib.suppress(OSError):
        for pack in directory.glob("*.msgpack"):
            with contextlib.suppress(OSError):
                if pack != keep and pack.stat().st_mtime < limit:
                    pack.unlink()


def _write(entry: Path, payload: bytes) -> None:
    # A rename, so no reader sees half a pack; no fsync: a pack lost in a crash only
    # means parsing again.
    tmp = ""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".pack.", suffix=".tmp", dir=entry.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, entry)
        tmp = ""
    except OSError:
        pass  # an unwritable cache is no cache
    finally:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
