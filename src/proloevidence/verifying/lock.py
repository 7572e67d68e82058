"""The verification lock: ``verification.json`` beside the knowledge base.

``verify --lock`` writes it; the audit, ``fix`` and the doc builds read it, so CI and
documentation builds are deterministic without a network.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..atomic import write_text_atomic
from ..errors import KnowledgeBaseError, Problem
from ..kb.input_limits import read_input_text
from ..model import SCHEMA_VERSION, SourceLocation
from ..text.bounded_parsing import loads_json
from ..verification import Verification

LOCK_NAME = "verification.json"


def lock_path(kb_dir: str | Path) -> Path:
    return Path(kb_dir) / LOCK_NAME


def read_lock(kb_dir: str | Path) -> Verification | None:
    """The locked verification of a knowledge base folder, or None when there is none.

    A lock that cannot be read raises :class:`KnowledgeBaseError` naming the file (and line
    for a JSON syntax error); it is never silently ignored.
    """
    path = lock_path(kb_dir)
    if not path.is_file():
        return None
    # Within the size bound of every input file, and nested no deeper than any lock is.
    text = read_input_text(path)
    if isinstance(text, Problem):
        raise KnowledgeBaseError([Problem(text.location, text.message, text.hint, "bad-lock")])
    try:
        data = loads_json(text)
    except json.JSONDecodeError as exc:
        raise KnowledgeBaseError(
            [
                Problem(
                    SourceLocation(str(path), exc.lineno, exc.colno),
                    f"the verification lock is not valid JSON: {exc.msg}",
                    "run `proloevidence verify --lock` again",
                    "bad-lock",
                )
            ]
        ) from exc
    if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION:
        raise KnowledgeBaseError(
            [
                Problem(
                    SourceLocation(str(path)),
                    "the verification lock has an unknown schema_version",
                    "run `proloevidence verify --lock` again",
                    "bad-lock",
                )
            ]
        )
    try:
        return Verification.from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise KnowledgeBaseError(
            [
                Problem(
                    SourceLocation(str(path)),
                    f"the verification lock is malformed: {_what_is_wrong(exc)}",
                    "run `proloevidence verify --lock` again",
                    "bad-lock",
                )
            ]
        ) from exc


def write_lock(kb_dir: str | Path, verification: Verification) -> Path:
    """Write the lock atomically (temporary file, fsync, rename)."""
    text = json.dumps(verification.as_dict(), ensure_ascii=False, indent=2, sort_keys=False)
    return write_text_atomic(lock_path(kb_dir), text + "\n")


def _what_is_wrong(exc: Exception) -> str:
    """Say in words what ``Verification.from_dict`` tripped over."""
    if isinstance(exc, KeyError):
        return f"a result has no {exc.args[0]!r}"
    if isinstance(exc, ValueError) and "is not a valid Status" in str(exc):
        return f"{exc} (statuses: see docs/verify.md)"
    return str(exc) or type(exc).__name__
