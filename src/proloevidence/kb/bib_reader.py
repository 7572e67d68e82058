"""Read ``references.bib`` (bibtexparser v2) into :class:`Reference` values, with every problem.

``parse_references`` works on a string and never raises for bad content: each problem
(an entry that fails to parse, a value that runs on into the next field, a duplicate key,
an unknown field, a malformed DOI, two entries sharing a DOI or PMID) becomes a
:class:`Problem` naming the file and line.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bibtexparser import middlewares
from bibtexparser.entrypoint import parse_string
from bibtexparser.library import Library
from bibtexparser.middlewares.names import (
    InvalidNameError,
    NameParts,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import (
    Block,
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    MiddlewareErrorBlock,
)
from pylatexenc.latex2text import LatexNodes2Text

from ..errors import Problem
from ..identifiers import IDENTIFIER_KINDS, IDENTIFIER_SHAPES, canonical_identifier
from ..model import Author, Reference, SourceLocation
from ..text.latex import decode_latex
from .bib_text_checks import control_character_problems, outside_entries_problems
from .input_limits import read_input_text

KNOWN_FIELDS = frozenset(
    (
        "author editor title journal journaltitle shortjournal booktitle year date month volume "
        "number issue pages eid doi pmid pmcid url urldate issn isbn publisher address note "
        "abstract keywords language edition series chapter institution organization school "
        "howpublished type eprint eprinttype file annote refnumber printed"
    ).split()
)
"""Fields a reference may carry. Anything else is reported, so a typo such as ``dio`` is seen."""

# A field name and '=' at the start of a line inside a value: the comma before it is missing.
_RUNS_ON = re.compile(r"\n\s*(" + "|".join(sorted(KNOWN_FIELDS)) + r")\s*=", re.IGNORECASE)

_CORE = {
    "author",
    "title",
    "journal",
    "journaltitle",
    "year",
    "volume",
    "number",
    "issue",
    "pages",
    "doi",
    "pmid",
    "pmcid",
    "url",
    "refnumber",
    "printed",
    "date",
}


@dataclass
class ParsedReferences:
    """The references read from one file, and the problems met on the way."""

    references: list[Reference] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)
    """Keys of the entries that could not be parsed (each has its problem): links to them
    are not reported again as links to unknown references."""


def read_references(path: str | Path) -> ParsedReferences:
    """Read a ``.bib`` file; an unreadable file is a problem, not an exception."""
    text = read_input_text(path)
    if isinstance(text, Problem):
        return ParsedReferences(problems=[text])
    return parse_references(text, str(path))


class _SplitNamesThenDecode(middlewares.LatexDecodingMiddleware):
    """bibtexparser's ``SeparateCoAuthors``, ``SplitNameParts`` and ``LatexDecodingMiddleware``,
    in that order, in one pass, with the same results, faster.

    Names are split before LaTeX is decoded: decoding drops the braces that keep "{World
    Health Organization}" one name and "{Kim, Jr}" one family name; the decoding skips the
    lists of names, so _authors decodes each part. A name is split once however many entries
    carry it; values that need no pylatexenc run are kept out of it (text/latex.py). A name or a
    value that cannot be read makes the entry a failed block, as the three middlewares do.
    """

    def _transform_python_value_string(self, python_string: str) -> tuple[str, str]:
        try:
            return decode_latex(python_string, self._decoder.latex_to_text), ""
        except Exception as exc:  # what the middleware itself catches
            return python_string, str(exc)

    def transform_entry(self, entry: Entry, library: Library) -> Block:
        names = [f for f in entry.fields if f.key in _NAME_FIELDS]
        try:
            for step in (split_multiple_persons_names, _split_names):
                for name_field in names:
                    enclosing = name_field.enclosing  # the value setter resets it
                    name_field.value = step(name_field.value)
                    name_field.enclosing = enclosing
        except InvalidNameError as exc:
            return MiddlewareErrorBlock(entry, exc)
        block: Block = super().transform_entry(entry, library)
        return block


_NAME_FIELDS = ("author", "editor", "translator")  # bibtexparser's name middlewares' fields


def _split_names(names: list[str]) -> list[NameParts]:
    return [_name_parts(name) for name in names]


@functools.lru_cache(maxsize=65536)
def _name_parts(name: str) -> NameParts:
    # Shared between entries: nothing downstream changes a NameParts.
    return parse_single_name_into_parts(name)


# One instance: its pylatexenc decoder is costly to build and keys decode_latex's memo.
_MIDDLEWARE = _SplitNamesThenDecode()


def parse_references(text: str, file: str = "<string>") -> ParsedReferences:
    """Parse BibTeX text into references; LaTeX in fields is decoded to Unicode."""
    library = parse_string(text, append_middleware=[_MIDDLEWARE])
    result = ParsedReferences()
    for block in library.failed_blocks:
        key = _block_key(block)
        if key and not isinstance(block, DuplicateBlockKeyBlock):
            result.unparsed.append(key)
        result.problems.append(_failed_block_problem(block, text, file, key))
    for entry in library.entries:
        reference, problems = _reference_from_entry(entry, file)
        result.problems.extend(problems)
        if reference is not None:
            result.references.append(reference)
    result.problems.extend(shared_identifier_problems(result.references))
    result.problems.extend(control_character_problems(text, file))
    result.problems.extend(outside_entries_problems(library.blocks, file))
    return result


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
    if isinstance(block, DuplicateBlockKeyBlock):
        return Problem(
            location,
            f"duplicate reference key {block.key!r}",
            "give each entry its own key",
            code="duplicate-key",
        )
    if isinstance(block, DuplicateFieldKeyBlock):
        return Problem(
            location,
            f"entry {key or '?'!r} sets a field twice ({', '.join(sorted(block.duplicate_keys))})",
            "keep one value per field",
            code="duplicate-field",
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
    )


def _first_line(block: Block) -> str:
    raw = (getattr(block, "raw", "") or "").strip().splitlines()
    return raw[0][:60] if raw else ""


def _sentence(reason: str) -> str:
    # "Expected a `=` after entry key, but found `{`." -> as a clause of our message.
    text = " ".join(reason.split()).replace("`", "'").rstrip(". ")
    # bibtexparser calls a field's name an "entry key" when the '=' after it is missing.
    text = text.replace("Expected a '=' after entry key", "Expected a '=' after a field name")
    return text[:1].lower() + text[1:]


def _reference_from_entry(entry: Entry, file: str) -> tuple[Reference | None, list[Problem]]:
    problems: list[Problem] = []
    entry_line = (entry.start_line or 0) + 1
    fields = {f.key.lower(): f for f in entry.fields}

    def where(name: str | None = None) -> SourceLocation:
        f = fields.get(name) if name else None
        return SourceLocation(file, f.start_line + 1 if f is not None else entry_line)

    def text(name: str) -> str:
        f = fields.get(name)
        return str(f.value).strip() if f is not None and not isinstance(f.value, list) else ""

    for name, value_field in fields.items():
        runs_on = _RUNS_ON.search(value_field.value) if isinstance(value_field.value, str) else None
        if runs_on:
            # bibtexparser reads "volume = {37}<newline> number = {1}," as one value.
            problems.append(
                Problem(
                    where(name),
                    f"field {name!r} of {entry.key!r} runs on into "
                    f"'{runs_on.group(1)} = ...': a comma is missing after its value",
                    f"end the line with a comma: {name} = {{...}},",
                    code="bibtex-syntax",
                )
            )
        if name not in KNOWN_FIELDS:
            # Prefer the fields every reference has: "dio" is "doi", not "editor".
            close = difflib.get_close_matches(name, sorted(_CORE), n=1) or (
                difflib.get_close_matches(name, sorted(KNOWN_FIELDS), n=1)
            )
            hint = f"did you mean {close[0]!r}?" if close else "remove it or rename it"
            problems.append(
                Problem(
                    where(name),
                    f"unknown field {name!r} in {entry.key!r}",
                    hint,
                    code="unknown-field",
                )
            )

    authors, et_al = _authors(fields["author"].value if "author" in fields else [])
    year_text = text("year") or text("date")[:4]
    year: int | None = None
    if year_text:
        year = _whole_number(year_text)
        if year is None:
            problems.append(
                Problem(
                    where("year"),
                    f"year {year_text!r} of {entry.key!r} is not a year",
                    "write four digits",
                    code="bad-year",
                )
            )

    ids: dict[str, str | None] = {}
    for kind in IDENTIFIER_KINDS:
        printed = text(kind)
        if not printed:
            ids[kind] = None
            continue
        canonical = canonical_identifier(kind, printed)
        if canonical is None:
            problems.append(
                Problem(
                    where(kind),
                    f"malformed {kind.upper()} {printed!r} in {entry.key!r}",
                    IDENTIFIER_SHAPES[kind],
                    code=f"bad-{kind}",
                )
            )
        ids[kind] = canonical or printed  # a malformed one is kept as printed

    page_number: int | None = None
    if text("refnumber"):
        page_number = _whole_number(text("refnumber")) or None
        if page_number is None:
            problems.append(
                Problem(
                    where("refnumber"),
                    f"refnumber {text('refnumber')!r} of {entry.key!r} "
                    "is not a positive whole number",
                    code="bad-refnumber",
                )
            )

    extra = {
        name: str(f.value)
        for name, f in fields.items()
        if name not in _CORE and name in KNOWN_FIELDS and isinstance(f.value, str)
    }
    reference = Reference(
        key=entry.key,
        entry_type=entry.entry_type.lower(),
        authors=authors,
        et_al=et_al,
        title=text("title"),
        journal=text("journal") or text("journaltitle"),
        year=year,
        volume=text("volume"),
        number=text("number") or text("issue"),
        pages=text("pages"),
        doi=ids["doi"],
        pmid=ids["pmid"],
        pmcid=ids["pmcid"],
        url=text("url") or None,
        page_number=page_number,
        printed=text("printed"),
        extra=extra,
        location=SourceLocation(file, entry_line),
    )
    return reference, problems


_NAME_DECODER = LatexNodes2Text()


def _decoded(parts: list[str]) -> str:
    return " ".join(_decoded_part(part) for part in parts).strip()


@functools.lru_cache(maxsize=65536)
def _decoded_part(part: str) -> str:
    # Family and given names repeat across entries: each is decoded once (text/latex.py).
    return decode_latex(part, _NAME_DECODER.latex_to_text)


def _whole_number(text: str) -> int | None:
    # str.isdigit() accepts "²" and int() refuses more than 4300 digits: both would raise.
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def _authors(value: object) -> tuple[tuple[Author, ...], bool]:
    if not isinstance(value, list):
        return (), False
    authors: list[Author] = []
    et_al = False
    for name in value:
        last = _decoded(getattr(name, "von", []) + getattr(name, "last", []))
        first = _decoded(getattr(name, "first", []))
        jr = _decoded(getattr(name, "jr", []))
        if last == "others" and not first:
            et_al = True
            continue
        family = f"{last}, {jr}" if jr else last
        authors.append(Author(family=family, given=first, literal=not first))
    return tuple(authors), et_al


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
                    )
                )
    return problems
