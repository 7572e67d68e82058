"""Edit field values of a BibTeX file in place, keeping every other byte as it was.

The file is never re-serialised: :func:`entry_spans` finds where each entry's fields
and values sit in the original text, and :func:`edit_entries` replaces only those value
spans (or inserts a new field line, aligned like its neighbours). Comments, blank lines,
field order, alignment and the other entries stay byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..errors import ProloevidenceError
from .bib_writer import latex_escape


class BibEditError(ProloevidenceError):
    """The BibTeX text cannot be edited safely (an entry's fields could not be located)."""


@dataclass(frozen=True)
class FieldSpan:
    """One ``name = value`` of an entry: offsets into the whole text.

    ``value_start``/``value_end`` cover the value with its delimiters (``{...}``,
    ``"..."`` or a bare word); ``line_start`` is the start of the line the field is on.
    """

    name: str
    name_start: int
    equals: int
    value_start: int
    value_end: int
    line_start: int
    has_comma: bool


@dataclass(frozen=True)
class EntrySpan:
    key: str
    start: int
    end: int
    fields: tuple[FieldSpan, ...]

    def field(self, name: str) -> FieldSpan | None:
        for f in self.fields:
            if f.name == name.lower():
                return f
        return None


Fail = Callable[[str], "BibEditError"]

_ENTRY = re.compile(r"@\s*([A-Za-z]+)\s*([{(])\s*([^\s,{}()]+)\s*,")
_NAME = re.compile(r"[A-Za-z_][\w\-:.+]*")


def entry_spans(text: str) -> dict[str, EntrySpan]:
    """Every entry's field spans, by key. ``@comment``, ``@string`` and ``@preamble`` are skipped.

    Raises :class:`BibEditError` when an entry's body cannot be scanned (an unclosed brace),
    naming the entry and its line.
    """
    spans: dict[str, EntrySpan] = {}
    position = 0
    while True:
        match = _ENTRY.search(text, position)
        if match is None:
            return spans
        kind = match.group(1).lower()
        if kind in ("comment", "string", "preamble") or _in_comment_line(text, match.start()):
            position = match.end()
            continue
        closer = "}" if match.group(2) == "{" else ")"
        entry = _scan_entry(text, match.group(3), match.start(), match.end(), closer)
        spans[entry.key] = entry
        position = entry.end


def _in_comment_line(text: str, offset: int) -> bool:
    line_start = text.rfind("\n", 0, offset) + 1
    return text[line_start:offset].lstrip().startswith("%")


def _scan_entry(text: str, key: str, start: int, body: int, closer: str) -> EntrySpan:
    fields: list[FieldSpan] = []
    i = body
    n = len(text)

    def fail(why: str) -> BibEditError:
        line = text.count("\n", 0, start) + 1
        return BibEditError(f"entry {key!r} at line {line}: {why}")

    while True:
        i = _skip_space(text, i)
        if i >= n:
            raise fail("the entry is not closed")
        if text[i] == closer:
            return EntrySpan(key, start, i + 1, tuple(fields))
        name = _NAME.match(text, i)
        if name is None:
            raise fail(f"cannot read a field name at {text[i : i + 20]!r}")
        j = _skip_space(text, name.end())
        if j >= n or text[j] != "=":
            raise fail(f"field {name.group(0)!r} has no '='")
        equals = j
        value_start = _skip_space(text, j + 1)
        value_end = _scan_value(text, value_start, closer, fail)
        k = _skip_space(text, value_end)
        has_comma = k < n and text[k] == ","
        fields.append(
            FieldSpan(
                name.group(0).lower(),
                name.start(),
                equals,
                value_start,
                value_end,
                text.rfind("\n", 0, name.start()) + 1,
                has_comma,
            )
        )
        i = k + 1 if has_comma else k


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def _scan_value(text: str, i: int, closer: str, fail: Fail) -> int:
    """End offset of a value: pieces (``{..}``, ``"..."``, bare words) joined by ``#``."""
    end = i
    while True:
        if i >= len(text):
            raise fail("a value is not closed")
        if text[i] == "{":
            end = _balanced(text, i, fail)
        elif text[i] == '"':
            end = _quoted(text, i, fail)
        else:
            bare = re.compile(r"[^\s,#" + re.escape(closer) + r"]+").match(text, i)
            if bare is None:
                raise fail(f"cannot read a value at {text[i : i + 20]!r}")
            end = bare.end()
        i = _skip_space(text, end)
        if i < len(text) and text[i] == "#":
            i = _skip_space(text, i + 1)
            continue
        return end


def _balanced(text: str, i: int, fail: Fail) -> int:
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "{" and (j == 0 or text[j - 1] != "\\"):
            depth += 1
        elif text[j] == "}" and text[j - 1] != "\\":
            depth -= 1
            if depth == 0:
                return j + 1
    raise fail("a brace is not closed")


def _quoted(text: str, i: int, fail: Fail) -> int:
    depth = 0
    for j in range(i + 1, len(text)):
        ch = text[j]
        if ch == "{" and text[j - 1] != "\\":
            depth += 1
        elif ch == "}" and text[j - 1] != "\\":
            depth -= 1
        elif ch == '"' and depth == 0 and text[j - 1] != "\\":
            return j + 1
    raise fail("a quoted value is not closed")


# -- writing ----------------------------------------------------------------------------


def braced(value: str, *, verbatim: bool = False) -> str:
    """A plain-text value as a braced BibTeX value on one line, that reads back as ``value``.

    Text is LaTeX-escaped as every .bib file we write is (:func:`bibwriter.latex_escape`:
    ``&``, ``~``, ``--``, braces, backslashes...). ``verbatim`` values (DOIs, URLs: biblatex
    reads them literally) are not escaped; their backslashes, and braces that would not
    balance (they could close the entry), are dropped.
    """
    flat = " ".join(value.split())
    if not verbatim:
        return "{" + latex_escape(flat) + "}"
    flat = flat.replace("\\", "")
    if flat.count("{") != flat.count("}") or _closes_early(flat):
        flat = " ".join(flat.replace("{", "").replace("}", "").split())
    return "{" + flat + "}"


def _closes_early(value: str) -> bool:
    depth = 0
    for ch in value:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return True
    return False


INSERT_BEFORE = ("refnumber", "printed")
"""New fields go before these (the page's own data stays last), else after the last field."""


def edit_entries(text: str, edits: Mapping[str, Mapping[str, str]]) -> str:
    """Set fields of entries: ``{key: {field: braced BibTeX value}}``; other bytes unchanged.

    An existing field gets the new value in its place; a missing one is inserted on its own
    line, indented and aligned like the entry's other fields. Raises :class:`BibEditError`
    for a key that is not in the text.
    """
    spans = entry_spans(text)
    # (offset_start, offset_end, replacement), applied from the end so offsets stay valid.
    patches: list[tuple[int, int, str]] = []
    for key, changes in edits.items():
        entry = spans.get(key)
        if entry is None:
            raise BibEditError(f"no entry {key!r} in the file")
        for name, value in changes.items():
            existing = entry.field(name)
            if existing is not None:
                patches.append((existing.value_start, existing.value_end, value))
            else:
                patches.extend(_insertion(text, entry, name, value))
    out = text
    for start, end, replacement in sorted(patches, key=lambda p: (p[0], p[1]), reverse=True):
        out = out[:start] + replacement + out[end:]
    return out


def _insertion(text: str, entry: EntrySpan, name: str, value: str) -> list[tuple[int, int, str]]:
    anchor = next((f for f in entry.fields if f.name in INSERT_BEFORE), None)
    model = anchor or (entry.fields[-1] if entry.fields else None)
    if model is None:
        return [(entry.end - 1, entry.end - 1, f" {name} = {value}")]
    indent = text[model.line_start : model.name_start]
    pad = model.equals - model.name_start
    label = name.ljust(pad) if len(name) < pad else name + " "
    newline = "\r\n" if "\r\n" in text else "\n"
    line = f"{indent}{label}= {value},{newline}"
    if anchor is not None and indent.strip() == "":
        return [(anchor.line_start, anchor.line_start, line)]
    last = entry.fields[-1]
    newline_at = text.find("\n", last.value_end, entry.end)
    if newline_at == -1:  # a one-line entry: stay on its line
        if last.has_comma:
            comma_at = text.index(",", last.value_end)
            return [(comma_at + 1, comma_at + 1, f" {name} = {value},")]
        return [(last.value_end, last.value_end, f", {name} = {value}")]
    comma = [] if last.has_comma else [(last.value_end, last.value_end, ",")]
    return [*comma, (newline_at + 1, newline_at + 1, line)]
