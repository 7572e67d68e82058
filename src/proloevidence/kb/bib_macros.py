"""``@string`` macros and ``#`` concatenation, resolved as BibTeX and biber resolve them.

bibtexparser v2 replaces a value that is exactly one ``@string`` name, keeps the first of
two definitions, and leaves ``dtv # { and Walter de Gruyter}`` as raw text.
:func:`resolve_macros` runs instead, on the library as split (values still enclosed):
every value that is not one braced or quoted text is read as pieces joined by ``#``
(``{text}``, ``"text"``, a number, a macro name), and becomes the braced concatenation.
A redefined ``@string`` takes its last definition, as biber does (with a warning); the
month macros ``jan`` ... ``dec`` are the English month names, as BibTeX's standard styles
define them; an undefined name is kept as written (with a warning).
"""

from __future__ import annotations

from bibtexparser.library import Library
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, String

from ..errors import Problem
from ..model import Severity, SourceLocation

MONTHS = {
    name[:3]: name
    for name in (
        "january february march april may june july august september october november december"
    ).split()
}
"""The month macros BibTeX's standard styles define (``jan`` -> ``january``, capitalised)."""


def resolve_macros(library: Library, file: str) -> list[Problem]:
    """Resolve every entry's ``@string`` names and ``#`` in place; the problems met."""
    problems: list[Problem] = []
    definitions: dict[str, str] = {}
    where: dict[str, int] = {}
    for block in library.blocks:
        string = block.ignore_error_block if isinstance(block, DuplicateBlockKeyBlock) else block
        if not isinstance(string, String):
            continue
        name = string.key.lower()
        line = (string.start_line or 0) + 1
        value, undefined = _resolved(string.value, definitions)
        problems += [_undefined(file, line, f"@string {string.key!r}", u) for u in undefined]
        if name in definitions:
            problems.append(
                Problem(
                    SourceLocation(file, line),
                    f"@string {string.key!r} is defined again (first at line {where[name]}): "
                    "this definition is used, as biber uses the last one",
                    "keep one definition",
                    code="redefined-string",
                    severity=Severity.WARNING,
                )
            )
        definitions[name] = value
        where.setdefault(name, line)
    for entry in library.entries:
        _resolve_entry(entry, definitions, file, problems)
    return problems


def _resolve_entry(
    entry: Entry, definitions: dict[str, str], file: str, problems: list[Problem]
) -> None:
    for field in entry.fields:
        value = field.value
        if not isinstance(value, str) or not _needs_resolving(value):
            continue
        text, undefined = _resolved(value, definitions)
        line = (field.start_line or entry.start_line or 0) + 1
        for name in undefined:
            what = f"field {field.key!r} of {entry.key!r}"
            problems.append(_undefined(file, line, what, name))
        field.value = "{" + text + "}"  # enclosed: RemoveEnclosingMiddleware takes the braces


def _needs_resolving(value: str) -> bool:
    # The common case, one braced value without '#', needs no reading.
    if value.startswith("{") and "#" not in value:
        return False
    return not value.isdigit()


def _undefined(file: str, line: int, what: str, name: str) -> Problem:
    return Problem(
        SourceLocation(file, line),
        f"{what} uses {name!r}, which no @string defines: kept as written",
        f"define it with @string{{{name} = {{...}}}} or put the value in braces",
        code="undefined-string",
        severity=Severity.WARNING,
    )


def _resolved(value: str, definitions: dict[str, str]) -> tuple[str, list[str]]:
    """The text of a value expression, and the macro names no definition gives."""
    pieces = _pieces(value)
    if pieces is None:  # not an expression (unbalanced): kept as it is
        return _unenclosed(value), []
    out: list[str] = []
    undefined: list[str] = []
    for piece in pieces:
        if piece[:1] in ("{", '"'):
            out.append(piece[1:-1])
        elif piece.isdigit():
            out.append(piece)
        elif piece.lower() in definitions:
            out.append(definitions[piece.lower()])
        elif piece.lower() in MONTHS:
            out.append(MONTHS[piece.lower()].capitalize())
        else:
            out.append(piece)
            undefined.append(piece)
    return "".join(out), undefined


def _unenclosed(value: str) -> str:
    if len(value) >= 2 and value[0] + value[-1] in ("{}", '""'):
        return value[1:-1]
    return value


def _pieces(value: str) -> list[str] | None:
    """``a # {b} # "c"`` -> ``["a", "{b}", '"c"']``; None when braces do not balance."""
    pieces: list[str] = []
    current: list[str] = []
    depth = 0
    quoted = False
    for char in value:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return None
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            pieces.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    if depth or quoted:
        return None
    pieces.append("".join(current).strip())
    return [p for p in pieces if p]
