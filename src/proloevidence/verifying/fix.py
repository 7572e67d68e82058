"""Corrections to ``references.bib`` from the verification: proposed as a diff, applied on request.

:func:`propose` (pure) turns verification results into :class:`Proposal` values: the
fields verification found mismatched (set to the values found), identifiers found but
not printed (a PMID found from the DOI), or, for a miscited or unfindable reference,
the record verification suggests. :func:`plan_fixes` reads the .bib files and computes
the new texts; :func:`write_fixes` writes them atomically with a ``.bak`` backup.

Only the changed field values are edited in the original text (:mod:`proloevidence.kb.bib_editor`);
every other entry, comment and byte stays as it was. ``printed`` and ``refnumber`` record
what the page said and are never changed. A proposal that would replace both the title
and the authors replaces the work itself: it is applied only when the caller accepts it.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import write_text_atomic
from ..identifiers import doi_key
from ..kb.bib_editor import BibEditError, braced, edit_entries
from ..kb.bib_reader import parse_references
from ..kb.bib_writer import bibtex_name, latex_escape
from ..kb.knowledge_base import KnowledgeBase
from ..model import Author, Reference
from ..text.markup import strip_control
from ..text.names import family_key
from ..verification import FieldComparison, Record, Status, Verification, VerificationResult
from .compare import FIELDS
from .outdated import current

IDENTIFIERS = ("doi", "pmid", "pmcid")

FIELD_NAMES = {
    **{name: name for name in FIELDS},
    "authors": "author",
    "issue": "number",
    **{kind: kind for kind in IDENTIFIERS},
}
"""Verification field name (:data:`proloevidence.verifying.compare.FIELDS`, and an identifier) ->
BibTeX
field name."""

PROTECTED = frozenset({"printed", "refnumber"})
_VERBATIM = frozenset({"doi", "pmid", "pmcid", "url"})


@dataclass(frozen=True)
class Change:
    """One field: its value now (None when absent) and the proposed plain-text value.

    An ``author`` change also holds the names it writes (``new`` shows them as text).
    """

    field: str
    old: str | None
    new: str
    reason: str
    authors: tuple[Author, ...] = ()


@dataclass(frozen=True)
class Proposal:
    """The changes proposed for one reference, and what they rest on.

    ``basis`` is ``mismatch`` (fields found to differ), ``suggestion`` (the record
    verification suggests instead) or ``identifiers`` (only identifiers to add).
    ``replaces_work`` is True when title and authors both change: apply only if accepted.
    """

    key: str
    file: str
    basis: str
    changes: tuple[Change, ...]

    @property
    def replaces_work(self) -> bool:
        names = {c.field for c in self.changes}
        return {"title", "author"} <= names


@dataclass(frozen=True)
class FixPlan:
    """What ``fix`` would do: the proposals it applies, those it refuses, the new texts."""

    applied: tuple[Proposal, ...]
    refused: tuple[Proposal, ...]
    texts: Mapping[Path, tuple[str, str]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def diff(self, root: Path | None = None) -> str:
        """A unified diff of every changed file (paths relative to ``root`` when given)."""
        chunks: list[str] = []
        for path, (old, new) in self.texts.items():
            name = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
            chunks.extend(
                difflib.unified_diff(
                    old.splitlines(keepends=True),
                    new.splitlines(keepends=True),
                    fromfile=f"a/{name}",
                    tofile=f"b/{name}",
                )
            )
        return "".join(chunks)


def propose(kb: KnowledgeBase, verification: Verification) -> tuple[list[Proposal], list[str]]:
    """The proposals for every reference with a result, and notes on what cannot be fixed.

    A reference changed since it was verified (:mod:`proloevidence.verifying.outdated`) gets a note,
    not a proposal: its result may describe a citation the editor has already corrected.
    """
    proposals: list[Proposal] = []
    notes: list[str] = []
    fitting, changed = current(kb.references, verification)
    for key, ref in kb.references.items():
        if key in changed:
            notes.append(
                f"{key}: changed since it was verified ({'; '.join(changed[key])}); "
                "run `proloevidence verify --lock` before fixing it"
            )
            continue
        result = fitting.get(key) if fitting else None
        if result is None:
            continue
        changes, basis, why = _changes(ref, result)
        notes.extend(f"{key}: {n}" for n in why)
        if changes:
            file = ref.location.file if ref.location else ""
            proposals.append(Proposal(key, file, basis, tuple(changes)))
    return proposals, notes


def _changes(ref: Reference, result: VerificationResult) -> tuple[list[Change], str, list[str]]:
    notes: list[str] = []
    changes: dict[str, Change] = {}
    questionable = (Status.MISMATCH, Status.NOT_FOUND, Status.CONFLICT)
    if result.suggestion is not None and result.status in questionable:
        record = result.suggestion.record
        why = f"suggested record ({result.suggestion.reason})"
        for name, value in _record_values(record):
            _offer(changes, ref, name, value, why, record.authors if name == "author" else ())
        return list(changes.values()), "suggestion", notes
    if result.status is Status.MISMATCH:
        for comparison in result.fields:
            if comparison.match != "mismatch":
                continue
            target = FIELD_NAMES.get(comparison.field)
            corrected = _found_value(target, comparison, result.record)
            if target is None or corrected is None:
                notes.append(f"cannot correct {comparison.field!r} automatically")
                continue
            source = result.sources[0] if result.sources else "verification"
            names = result.record.authors if target == "author" and result.record else ()
            _offer(changes, ref, target, corrected, f"found by {source}", names)
    elif result.status in questionable:
        notes.append(f"{result.status.value} and no suggested record: check it by hand")
        return [], "mismatch", notes
    basis = "mismatch" if changes else "identifiers"
    if result.status in (Status.VERIFIED, Status.MISMATCH, Status.RETRACTED):
        found = {k: v for k, v in result.identifiers.items() if k in IDENTIFIERS and v}
        for comparison in result.fields:
            if comparison.match == "missing" and comparison.cited is None and comparison.found:
                kind = FIELD_NAMES.get(comparison.field)
                if kind in IDENTIFIERS:
                    found.setdefault(str(kind), comparison.found)
        for kind, value in found.items():
            if not getattr(ref, kind):
                _offer(changes, ref, kind, value, "found by verification")
    return list(changes.values()), basis, notes


def _record_values(record: Record) -> list[tuple[str, str]]:
    values = [
        ("title", record.title),
        ("author", _authors(record.authors) if record.authors else ""),
        ("journal", record.journal),
        ("year", str(record.year) if record.year else ""),
        ("volume", record.volume),
        ("number", record.issue),
        ("pages", record.pages),
        ("doi", record.doi or ""),
        ("pmid", record.pmid or ""),
    ]
    return [(name, value) for name, value in values if value]


def _found_value(
    name: str | None, comparison: FieldComparison, record: Record | None
) -> str | None:
    if name == "author":
        # A name list cannot be rebuilt from a display string; take the record's.
        return _authors(record.authors) if record and record.authors else None
    return comparison.found or None


def _offer(
    changes: dict[str, Change],
    ref: Reference,
    name: str,
    value: str,
    why: str,
    authors: Iterable[Author] = (),
) -> None:
    if name in PROTECTED:
        return
    # Remote text: no control characters (they would reach the terminal in the diff).
    value = " ".join(strip_control(value).split())
    new = _pages(value) if name == "pages" else value
    old = _current(ref, name)
    if old is not None and _same(name, old, new):
        return
    names = tuple(
        Author(strip_control(a.family), strip_control(a.given), a.literal) for a in authors
    )
    changes[name] = Change(name, old, new, why, names)


def _current(ref: Reference, name: str) -> str | None:
    if name == "author":
        return _authors(ref.authors, et_al=ref.et_al) if ref.authors else None
    value = {
        "title": ref.title,
        "journal": ref.journal,
        "year": str(ref.year) if ref.year else "",
        "volume": ref.volume,
        "number": ref.number,
        "pages": ref.pages,
        "doi": ref.doi or "",
        "pmid": ref.pmid or "",
        "pmcid": ref.pmcid or "",
    }.get(name, ref.extra.get(name, ""))
    return value or None


def _authors(authors: Iterable[Author], *, et_al: bool = False) -> str:
    names = [
        "{" + a.family + "}" if a.literal or not a.given else f"{a.family}, {a.given}"
        for a in authors
    ]
    return " and ".join([*names, *(["others"] if et_al else [])])


def _pages(value: str) -> str:
    """``363-70`` / ``363–370`` -> ``363--370`` (NLM abbreviates the last page)."""
    match = re.fullmatch(r"\s*(\w*?)(\d+)\s*[-–—]+\s*(\w*?)(\d+)\s*", value)
    if not match:
        return value.strip()
    prefix, first, prefix2, last = match.groups()
    if len(last) < len(first) and not prefix2:
        last = first[: len(first) - len(last)] + last
    return f"{prefix}{first}--{prefix2 or prefix}{last}"


def _same(name: str, old: str, new: str) -> bool:
    if name == "doi":
        return doi_key(old) == doi_key(new)
    if name == "author":
        # "Kim, W. M. and Lee, H. G. and others" matches a record listing Kim, Lee, Jeong...
        # (and a record that lists only the first few of them).
        before, after = _families(old), _families(new)
        et_al = old.rstrip().endswith(" and others")
        shorter = min(len(before), len(after))
        return before == after or (et_al and shorter > 0 and before[:shorter] == after[:shorter])
    return _norm(old) == _norm(new)


def _families(authors: str) -> list[str]:
    """The family names of a BibTeX author list, folded as verification compares them."""
    names = [n.strip() for n in authors.split(" and ") if n.strip() and n.strip() != "others"]
    return [family_key(Author(n.split(",")[0].strip("{} "), literal=True)) for n in names]


def _norm(value: str) -> str:
    text = unicodedata.normalize("NFKC", value).replace("{", "").replace("}", "")
    text = re.sub(r"[-–—]+", "-", text)
    return " ".join(text.casefold().rstrip(". ").split())


# -- files ------------------------------------------------------------------------------


def fix_text(text: str, proposals: Iterable[Proposal]) -> str:
    """Apply proposals to one .bib file's text; other bytes stay as they were.

    Raises :class:`BibEditError` when the edited text would not read back as intended
    (nothing is written then).
    """
    proposals = list(proposals)
    edits = {p.key: {c.field: _written(c) for c in p.changes} for p in proposals}
    new = edit_entries(text, edits)
    before = {(p.code, p.message) for p in parse_references(text).problems}
    parsed = parse_references(new)
    added = [p for p in parsed.problems if (p.code, p.message) not in before]
    if added:
        raise BibEditError(f"the corrected file would not be valid: {added[0]}")
    by_key = {r.key: r for r in parsed.references}
    for proposal in proposals:
        ref = by_key[proposal.key]
        for change in proposal.changes:
            now = _current(ref, change.field)
            if now is None or not _same(change.field, now, change.new):
                raise BibEditError(
                    f"{proposal.key}: {change.field} would read back as {now!r}, "
                    f"not {change.new!r}; correct it by hand"
                )
    return new


def _written(change: Change) -> str:
    """The braced BibTeX value a change writes, escaped as every .bib file we write is."""
    if change.field == "author" and change.authors:
        return "{" + " and ".join(bibtex_name(a) for a in change.authors) + "}"
    if change.field == "pages":  # "--" is BibTeX's en dash here, not text to escape
        return "{" + "--".join(latex_escape(part) for part in change.new.split("--")) + "}"
    return braced(change.new, verbatim=change.field in _VERBATIM)


def plan_fixes(
    kb: KnowledgeBase, verification: Verification, accept: Collection[str] = ()
) -> FixPlan:
    """Read the .bib files and compute what ``fix`` would write.

    Proposals that replace title and authors at once are refused unless their key is in
    ``accept``. Files are read with their line endings as they are.
    """
    proposals, notes = propose(kb, verification)
    applied = tuple(p for p in proposals if not p.replaces_work or p.key in accept)
    refused = tuple(p for p in proposals if p.replaces_work and p.key not in accept)
    texts: dict[Path, tuple[str, str]] = {}
    for file in dict.fromkeys(p.file for p in applied):
        path = Path(file)
        with path.open(encoding="utf-8", newline="") as handle:
            old = handle.read()
        new = fix_text(old, [p for p in applied if p.file == file])
        if new != old:
            texts[path] = (old, new)
    return FixPlan(applied, refused, texts, tuple(notes))


def write_fixes(plan: FixPlan) -> list[Path]:
    """Write every changed file atomically, each old file kept as ``<name>.bak``."""
    return [write_text_atomic(path, new, backup=True) for path, (_old, new) in plan.texts.items()]
