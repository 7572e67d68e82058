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
import dataclasses
import datetime as dt
import functools
import hashlib
import os
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import msgpack

from .bibfile import ParsedReferences, parse_references, read_references
from .claimschema import ParsedClaims
from .claimsfile import parse_claims, read_claims
from .errors import Problem
from .model import (
    CLAIM_KINDS,
    Assessment,
    AssessmentStatus,
    Author,
    Citation,
    Claim,
    Document,
    Reference,
    Relation,
    SourceLocation,
)

FORMAT = 1
"""Bumped whenever the shape of an entry changes."""

CACHE_DIR_ENV = "PROLOEVIDENCE_CACHE_DIR"
_RELATIONS = {r.value: r for r in Relation}
_STATUSES = {s.value: s for s in AssessmentStatus}
_UNREVIEWED = Assessment()
_KINDS = {kind: kind for kind in CLAIM_KINDS}  # one string object per kind, not per statement
# The modules whose code decides what a parsed file holds: a change to any of them must
# not be answered from entries that an older version of them wrote.
_LOADERS = ("bibfile", "claimsfile", "claimsfast", "claimschema", "latex", "markers", "model")


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
    with contextlib.suppress(PackageNotFoundError):  # a source tree: the code tells
        digest.update(version("proloevidence").encode())
    here = Path(__file__).parent
    for name in _LOADERS:
        with contextlib.suppress(OSError):
            digest.update((here / f"{name}.py").read_bytes())
    return digest.digest()


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

        def parse(text: str) -> ParsedClaims:
            return parse_claims(text, str(path), default_id=default_id)

        return self._through(  # type: ignore[no-any-return]
            path,
            f"claims\0{default_id}",
            parse,
            lambda: read_claims(path, default_id=default_id),
            _encode_claims,
            _decode_claims,
        )

    def references(self, path: Path) -> ParsedReferences:
        """What :func:`bibfile.read_references` returns for the file, from the cache if it can."""
        return self._through(  # type: ignore[no-any-return]
            path,
            "bib",
            lambda text: parse_references(text, str(path)),
            lambda: read_references(path),
            _encode_references,
            _decode_references,
        )

    def _through(
        self,
        path: Path,
        kind: str,
        parse: Callable[[str], Any],
        read: Callable[[], Any],
        encode: Callable[[Any], Any],
        decode: Callable[[Any, str], Any],
    ) -> Any:
        file = str(path)
        name = f"{kind}\0{file}"
        data: bytes | None = None
        try:
            status = os.stat(path)
            stat = [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]
            known = self._old_stats.get(name)
            # The file's status as when its bytes were hashed: the same bytes, as git's index
            # trusts it, unless it changed within 2 s of the pack's writing ("racily clean").
            fresh = max(stat[1:3]) >= self._written_ns - RACY_NS
            if known is not None and known[:4] == stat and not fresh:
                key = known[4]
            else:
                data = path.read_bytes()
                key = _key(name, data)
        except OSError:
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
        if data is None:
            try:
                data = path.read_bytes()
            except OSError:
                return read()
            key = _key(name, data)
        try:
            # As Path.read_text reads it: universal newlines.
            text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            return read()
        parsed = parse(text)
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


# -- the entries: lists rather than maps (smaller, faster); the file name is the caller's ----
def _loc(location: SourceLocation | None) -> list[int] | None:
    return None if location is None else [location.line, location.column]


def _unloc(value: list[int] | None, file: str) -> SourceLocation | None:
    return None if value is None else SourceLocation(file, value[0], value[1])


def _encode_problems(problems: list[Problem]) -> list[Any]:
    return [
        [p.location.file, p.location.line, p.location.column, p.message, p.hint, p.code]
        for p in problems
    ]


def _decode_problems(rows: list[Any]) -> list[Problem]:
    return [Problem(SourceLocation(r[0], r[1], r[2]), r[3], r[4], r[5]) for r in rows]


def _encode_assessment(a: Assessment) -> list[Any] | None:
    if a == _UNREVIEWED:
        return None
    date = a.date.isoformat() if a.date else None
    return [a.status.value, date, a.reviewer, a.locator, a.quote, a.note]


def _assessment(row: list[Any]) -> Assessment:
    date = dt.date.fromisoformat(row[1]) if row[1] else None
    return Assessment(_STATUSES[row[0]], date, row[2], row[3], row[4], row[5])


def _encode_claims(parsed: ParsedClaims) -> dict[str, Any]:
    doc = parsed.document
    claims = []
    for c in parsed.claims:
        # Positional, in Claim's field order; the document id is the file's document's.
        line, column = (c.location.line, c.location.column) if c.location else (0, 0)
        citations = [
            [
                x.ref,
                x.relation.value,
                _encode_assessment(x.assessment),
                *((x.location.line, x.location.column) if x.location else (0, 0)),
            ]
            for x in c.citations
        ]
        claims.append(
            [
                *(c.id, c.text, c.section, c.kind, c.marker, citations, c.requires_support),
                *(c.support_note, c.order, line, column),
            ]
        )
    return {
        "document": None
        if doc is None
        else [doc.id, doc.title, doc.source, list(doc.numbering.items()), _loc(doc.location)],
        "claims": claims,
        "problems": _encode_problems(parsed.problems),
        "linked": None if parsed.linked is None else sorted(parsed.linked),
    }


def _decode_claims(data: dict[str, Any], file: str) -> ParsedClaims:
    if not _BY_DICT:  # pragma: no cover - the model changed: parse instead
        raise LookupError("kbcache does not know this model")
    doc = data["document"]
    document = (
        None
        if doc is None
        else Document(doc[0], doc[1], doc[2], dict(doc[3]), _unloc(doc[4], file))
    )
    doc_id = document.id if document else ""
    # This loop builds every statement of a warm load. Each object gets its __dict__ in
    # one step, where the generated __init__ sets one field at a time (40% slower); no
    # call per object; locals.
    new, set_dict = object.__new__, object.__setattr__
    relations, assessment, kinds, unreviewed = _RELATIONS, _assessment, _KINDS, _UNREVIEWED
    location_type, citation_type, claim_type = SourceLocation, Citation, Claim
    claims = []
    for r in data["claims"]:
        citations = []
        for x in r[5]:
            location = new(location_type)
            set_dict(location, "__dict__", {"file": file, "line": x[3], "column": x[4]})
            citation = new(citation_type)
            set_dict(
                citation,
                "__dict__",
                {
                    "ref": x[0],
                    "relation": relations[x[1]],
                    "assessment": unreviewed if x[2] is None else assessment(x[2]),
                    "location": location,
                },
            )
            citations.append(citation)
        location = new(location_type)
        set_dict(location, "__dict__", {"file": file, "line": r[9], "column": r[10]})
        claim = new(claim_type)
        set_dict(
            claim,
            "__dict__",
            {
                "id": r[0],
                "text": r[1],
                "section": r[2],
                "kind": kinds.get(r[3], r[3]),
                "document": doc_id,
                "marker": r[4],
                "citations": tuple(citations),
                "requires_support": r[6],
                "support_note": r[7],
                "order": r[8],
                "location": location,
            },
        )
        claims.append(claim)
    linked = data["linked"]
    return ParsedClaims(
        document,
        claims,
        _decode_problems(data["problems"]),
        None if linked is None else frozenset(linked),
    )


_REFERENCE_FIELDS = (
    "key entry_type et_al title journal year volume number pages doi pmid pmcid url "
    "page_number printed"
).split()


def _encode_references(parsed: ParsedReferences) -> dict[str, Any]:
    return {
        "references": [
            [
                [getattr(r, name) for name in _REFERENCE_FIELDS],
                [[a.family, a.given, a.literal] for a in r.authors],
                dict(r.extra),
                _loc(r.location),
            ]
            for r in parsed.references
        ],
        "problems": _encode_problems(parsed.problems),
    }


def _decode_references(data: dict[str, Any], file: str) -> ParsedReferences:
    if not _BY_DICT:  # pragma: no cover - the model changed: parse instead
        raise LookupError("kbcache does not know this model")
    new, set_dict, names = object.__new__, object.__setattr__, _REFERENCE_FIELDS
    references = []
    for values, authors, extra, location in data["references"]:
        people = []
        for family, given, literal in authors:
            author = new(Author)
            set_dict(author, "__dict__", {"family": family, "given": given, "literal": literal})
            people.append(author)
        fields = dict(zip(names, values, strict=True))
        fields["authors"] = tuple(people)
        fields["extra"] = extra
        fields["location"] = _unloc(location, file)
        reference = new(Reference)
        set_dict(reference, "__dict__", fields)
        references.append(reference)
    return ParsedReferences(references, _decode_problems(data["problems"]))


def _plain_dataclass(kind: type, names: set[str]) -> bool:
    return (
        dataclasses.is_dataclass(kind)
        and {f.name for f in dataclasses.fields(kind)} == names
        and not hasattr(kind, "__post_init__")
        and "__slots__" not in vars(kind)
    )


# Objects are built from their __dict__ only while the model's classes are what this
# module was written for (those fields, no __post_init__, no slots); after a change to the
# model, entries are not decoded (every file is parsed) until this module follows it.
_BY_DICT = all(
    _plain_dataclass(kind, names)
    for kind, names in (
        (SourceLocation, {"file", "line", "column"}),
        (Citation, {"ref", "relation", "assessment", "location"}),
        (Author, {"family", "given", "literal"}),
        (Reference, {*_REFERENCE_FIELDS, "authors", "extra", "location"}),
        (
            Claim,
            {"id", "text", "section", "kind", "document", "marker", "citations"}
            | {"requires_support", "support_note", "order", "location"},
        ),
    )
)
