"""Read ``references.bib`` (bibtexparser v2) into :class:`Reference` values, with every problem.

``parse_references`` works on a string and never raises for bad content: each problem
(an entry that fails to parse, a value that runs on into the next field, a duplicate key,
a misspelt field name, a malformed DOI, two entries sharing a DOI or PMID) becomes a
:class:`Problem` naming the file and line, with its severity (docs/schema.md, "What the
.bib loader reports"): what a well-kept library (biber) would only warn about is a warning,
and the entry is kept as biber keeps it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from bibtexparser.entrypoint import parse_string
from bibtexparser.middlewares import RemoveEnclosingMiddleware
from bibtexparser.model import (
    Block,
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    String,
)

from ..errors import Problem
from ..model import Reference, Severity, SourceLocation
from .bib_entries import reference_from_entry
from .bib_inheritance import resolve_inheritance
from .bib_macros import resolve_macros
from .bib_names import SplitNamesThenDecode
from .bib_text_checks import control_character_problems, outside_entries_problems
from .input_limits import read_input_text
from .parsed_references import ParsedReferences


def read_references(path: str | Path) -> ParsedReferences:
    """Read a ``.bib`` file; an unreadable file is a problem, not an exception."""
    text = read_input_text(path)
    if isinstance(text, Problem):
        return ParsedReferences(problems=[text])
    return parse_references(text, str(path))


# One instance each: the decoder's pylatexenc parser is costly to build and keys
# decode_latex's memo.
_REMOVE_ENCLOSING = RemoveEnclosingMiddleware()
_MIDDLEWARE = SplitNamesThenDecode()


def parse_references(
    text: str, file: str = "<string>", parent_texts: Sequence[str] = ()
) -> ParsedReferences:
    """Parse BibTeX text into references; LaTeX in fields is decoded to Unicode.

    The pipeline: bibtexparser splits the text; ``@string`` macros and ``#`` are resolved
    (kb/bib_macros.py); the enclosing braces go; names are split and values decoded
    (kb/bib_names.py); ``xdata`` and ``crossref`` are inherited (kb/bib_inheritance.py);
    each entry becomes a :class:`Reference` (kb/bib_entries.py). ``parent_texts`` (other
    ``.bib`` files of the folder, kb/bib_cross_file.py) only lend ``crossref`` parents that
    ``text`` lacks: nothing else of theirs is read or reported.
    """
    library = parse_string(text, parse_stack=[])
    _drop_comment_lines(library.entries)
    problems = resolve_macros(library, file)
    library = _MIDDLEWARE.transform(_REMOVE_ENCLOSING.transform(library))
    parents = [entry for parent in parent_texts for entry in _entries(parent)]
    problems += resolve_inheritance(library.entries, file, parents)
    result = ParsedReferences()
    for block in library.failed_blocks:
        if isinstance(block, DuplicateBlockKeyBlock) and isinstance(
            block.ignore_error_block, String
        ):
            continue  # a redefined @string: resolve_macros reported it
        key = _block_key(block)
        problem = _failed_block_problem(block, text, file, key)
        if key and not isinstance(block, DuplicateBlockKeyBlock):
            result.unparsed.append(key)
            result.unparsed_lines.append(problem.line)
        result.problems.append(problem)
    result.problems += problems
    for entry in library.entries:
        if entry.entry_type.lower() == "xdata":
            continue  # a data container: biblatex never prints it nor lets it be cited
        reference, entry_problems = reference_from_entry(entry, file)
        result.problems.extend(entry_problems)
        result.references.append(reference)
    result.problems.extend(shared_identifier_problems(result.references))
    result.problems.extend(control_character_problems(text, file))
    result.problems.extend(outside_entries_problems(library.blocks, file))
    result.problems.sort(key=lambda problem: problem.line)  # in the file's order
    return result


def _entries(text: str) -> list[Entry]:
    """The entries of another file, through the same stages, its problems left to it."""
    library = parse_string(text, parse_stack=[])
    _drop_comment_lines(library.entries)
    resolve_macros(library, "<parent>")
    library = _MIDDLEWARE.transform(_REMOVE_ENCLOSING.transform(library))
    resolve_inheritance(library.entries, "<parent>")
    return list(library.entries)


def _drop_comment_lines(entries: list[Entry]) -> None:
    # "title = {T}, % a comment" then "note = ...": bibtexparser reads the comment into the
    # next field's name; biber (btparse) reads a '%' line inside an entry as a comment.
    for entry in entries:
        for value_field in entry.fields:
            if "%" in value_field.key:
                value_field.key = value_field.key.rsplit("\n", 1)[-1].strip()


def _block_key(block: Block) -> str:
    # A duplicate key knows its key; a failed block may hold the entry it could not finish.
    key = getattr(block, "key", None) or getattr(
        getattr(block, "ignore_error_block", None), "key", None
    )
    if isinstance(key, str):
        return key
    head = _ENTRY_HEAD.match(getattr(block, "raw", "") or "")
    return head.group(1) if head else ""


_ENTRY_HEAD = re.compile(r"\s*@\s*\w+\s*[{(]\s*([^\s,{}()=\"#%']+)(?=[\s,])")


def _failed_block_problem(block: Block, text: str, file: str, key: str) -> Problem:
    line = (getattr(block, "start_line", None) or 0) + 1
    location = SourceLocation(file, line)
    # Each costs one entry, not the file: a warning, as biber warns and carries on. A
    # statement that links a skipped entry is an error (kb/knowledge_base.py).
    if isinstance(block, DuplicateBlockKeyBlock):
        first = getattr(getattr(block, "_previous_block", None), "start_line", None)
        at = f" at line {first + 1}" if isinstance(first, int) else ""
        return Problem(
            location,
            f"{_duplicate(block.key)}: the first entry{at} is kept, this one ignored",
            "give each entry its own key",
            code="duplicate-key",
            severity=Severity.WARNING,
        )
    if isinstance(block, DuplicateFieldKeyBlock):
        return Problem(
            location,
            f"entry {key or '?'!r} sets a field twice ({', '.join(sorted(block.duplicate_keys))})"
            ": the entry is skipped",
            "keep one value per field",
            code="duplicate-field",
            severity=Severity.WARNING,
        )
    what = f"entry {key!r}" if key else "BibTeX block " + repr(_first_line(block))
    # bibtexparser says where and why it stopped: the line to look at for a missing '='.
    error = getattr(block, "error", None)
    reason = getattr(error, "abort_reason", "")
    stop = getattr(error, "end_index", None)
    if reason and isinstance(stop, int) and 0 <= stop <= len(text):
        detail = f": at line {text.count(chr(10), 0, stop) + 1}, {_sentence(reason)}"
    elif reason:
        detail = f": {_sentence(reason)}"
    else:
        detail = f": {error}" if error else ""
    return Problem(
        location,
        f"{what} cannot be parsed{detail}",
        "check for an unclosed brace, a missing comma or a missing '=' in this entry",
        code="bibtex-syntax",
        severity=Severity.WARNING,
    )


def _duplicate(key: str) -> str:
    # Mendeley writes "@article{," for an entry it has no key for.
    return f"duplicate reference key {key!r}" if key else "another entry without a key"


def _first_line(block: Block) -> str:
    raw = (getattr(block, "raw", "") or "").strip().splitlines()
    return raw[0][:60] if raw else ""


def _sentence(reason: str) -> str:
    # "Expected a `=` after entry key, but found `{`." -> as a clause of our message.
    text = " ".join(reason.split()).replace("`", "'").rstrip(". ")
    # bibtexparser calls a field's name an "entry key" when the '=' after it is missing.
    text = text.replace("Expected a '=' after entry key", "Expected a '=' after a field name")
    return text[:1].lower() + text[1:]


def shared_identifier_problems(references: Iterable[Reference]) -> list[Problem]:
    """Two entries with one DOI or one PMID are one work cited twice: report the later one."""
    problems: list[Problem] = []
    seen: dict[tuple[str, str], Reference] = {}
    for ref in references:
        for kind, value in (("DOI", ref.doi), ("PMID", ref.pmid)):
            if not value:
                continue
            first = seen.setdefault((kind, value.lower()), ref)
            if first is not ref:
                problems.append(
                    Problem(
                        ref.location or SourceLocation("<string>"),
                        f"{ref.key!r} has the same {kind} {value} as {first.key!r}",
                        "merge the two entries and cite one key",
                        code="duplicate-identifier",
                        severity=Severity.WARNING,
                    )
                )
    return problems
