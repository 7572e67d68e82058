"""The compiled cache of a knowledge base's files: each file parsed once per content.

One entry per file, under ``$PROLOEVIDENCE_CACHE_DIR/kb/`` (else the user cache directory's
``proloevidence/kb/``), named by a hash of the file's bytes, its path, this library's
version and its loaders' code: a file whose bytes did not change is not parsed again, a
changed file (or a new release) gets a new entry. Entries are msgpack (plain data only,
never pickle), written through a temporary file and a rename. An entry that cannot be read
or decoded is ignored and written anew; a cache that cannot be written is only not written:
the cache never makes a load fail.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import os
import tempfile
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
    """Parsed claims and BibTeX files by content; see the module docstring."""

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_cache_dir()
        self.hits = 0
        self.misses = 0

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
        try:
            data = path.read_bytes()
        except OSError:
            return read()  # the reader reports it as a problem
        digest = hashlib.blake2b(_code_digest(), digest_size=20)
        digest.update(f"{kind}\0{path}\0".encode())
        digest.update(data)
        entry = self.directory / f"{digest.hexdigest()}.msgpack"
        file = str(path)
        with contextlib.suppress(Exception):  # any unreadable entry: parse again
            with open(entry, "rb") as handle:
                found = decode(msgpack.unpackb(handle.read(), raw=False, use_list=False), file)
            self.hits += 1
            return found
        self.misses += 1
        try:
            # As Path.read_text reads it: universal newlines.
            text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            return read()
        parsed = parse(text)
        _write(entry, msgpack.packb(encode(parsed), use_bin_type=True))
        return parsed


def _write(entry: Path, payload: bytes) -> None:
    # A rename, so no reader sees half an entry; no fsync: an entry lost in a crash is
    # parsed again, and 500 fsyncs would cost more than the parse.
    tmp = ""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".entry.", suffix=".tmp", dir=entry.parent)
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
    }


def _decode_claims(data: dict[str, Any], file: str) -> ParsedClaims:
    doc = data["document"]
    document = (
        None
        if doc is None
        else Document(doc[0], doc[1], doc[2], dict(doc[3]), _unloc(doc[4], file))
    )
    doc_id = document.id if document else ""
    # Locals: this loop builds every statement of a warm load.
    relations, statuses, kinds, unreviewed = _RELATIONS, _assessment, _KINDS, _UNREVIEWED
    location, citation, claim = SourceLocation, Citation, Claim
    claims = [
        claim(
            r[0],
            r[1],
            r[2],
            kinds.get(r[3], r[3]),
            doc_id,
            r[4],
            tuple(
                citation(
                    x[0],
                    relations[x[1]],
                    unreviewed if x[2] is None else statuses(x[2]),
                    location(file, x[3], x[4]),
                )
                for x in r[5]
            ),
            r[6],
            r[7],
            r[8],
            location(file, r[9], r[10]),
        )
        for r in data["claims"]
    ]
    return ParsedClaims(document, claims, _decode_problems(data["problems"]))


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
    references = [
        Reference(
            **dict(zip(_REFERENCE_FIELDS, values, strict=True)),
            authors=tuple(Author(*a) for a in authors),
            extra=dict(extra),
            location=_unloc(location, file),
        )
        for values, authors, extra, location in data["references"]
    ]
    return ParsedReferences(references, _decode_problems(data["problems"]))
