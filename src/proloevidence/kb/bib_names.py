"""Names in BibTeX fields: split into parts, then LaTeX decoded; never a refused entry.

A list of names (``A and B``) is split into bibtexparser's :class:`NameParts`. BibLaTeX's
extended name format (``family=Heuvel, given=Charles, prefix=van den``) is read by its keys.
Names with initials joined by commas (``Molins A, Garcia B`` as PubMed prints them, which
BibTeX would misread or refuse) are kept as printed, one name per piece; any other name that
does not split the BibTeX way is kept whole as printed. The entry's metadata says so
(:data:`UNSPLIT`), so that the reader warns. Names are split before LaTeX is decoded:
decoding drops the braces that keep "{World Health Organization}" one name.
"""

from __future__ import annotations

import functools
import re

from bibtexparser import middlewares
from bibtexparser.library import Library
from bibtexparser.middlewares.names import (
    InvalidNameError,
    NameParts,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import Block, Entry
from pylatexenc.latex2text import LatexNodes2Text

from ..text.latex import decode_latex
from .bib_fields import NAME_FIELDS, RICH_TEXT_FIELDS

UNSPLIT = "proloevidence-unsplit-names"
"""``Entry.parser_metadata`` key: the name fields kept as printed, with what was printed."""

LATEX = "proloevidence-latex"
"""``Entry.parser_metadata`` key: the rich-text fields (``RICH_TEXT_FIELDS``) whose LaTeX
has braces or commands, as written before decoding (``@string`` macros resolved)."""

# biblatex's extended name format: "family=..., given=..., prefix=..., suffix=...".
_EXTENDED_PART = re.compile(r"^\s*([a-z-]+)\s*=\s*(.*?)\s*$", re.IGNORECASE | re.DOTALL)
# Markup that decoding drops: a brace group that is no special character ({DNA}, not
# {\"u}), a font command or switch (\emph{x}, {\it x}). (Decoding keeps math as written.)
_MARKUP = re.compile(
    r"\{(?!\\)|\\(?:emph|text[a-z]+|mkbib[a-z]+|math[a-z]+|NoCaseChange|"
    r"it|itshape|em|sl|bf|bfseries|sc|scshape)(?![A-Za-z])"
)
# A family name (LaTeX not yet decoded: "Garc{\\'\\i}a") then one to four capital initials.
_VANCOUVER = re.compile(r"^[^\W\d_{\\][^\s,]*(?: [^\s,]+)* [A-Z]{1,4}$")


class SplitNamesThenDecode(middlewares.LatexDecodingMiddleware):
    """bibtexparser's ``SeparateCoAuthors``, ``SplitNameParts`` and ``LatexDecodingMiddleware``,
    in that order, in one pass, with the same results, faster.

    The decoding skips the lists of names, so the reader decodes each part. A name is split
    once however many entries carry it; values that need no pylatexenc run are kept out of
    it (text/latex.py). A value that cannot be decoded makes the entry a failed block, as
    the middleware does; a name never does. The LaTeX of the rich-text fields that decoding
    would strip of markup is kept first, in the entry's metadata (:data:`LATEX`).
    """

    def _transform_python_value_string(self, python_string: str) -> tuple[str, str]:
        try:
            return decode_latex(python_string, self._decoder.latex_to_text), ""
        except Exception as exc:  # what the middleware itself catches
            return python_string, str(exc)

    def transform_entry(self, entry: Entry, library: Library) -> Block:
        for value_field in entry.fields:
            name = value_field.key.lower()
            value = value_field.value
            if name in RICH_TEXT_FIELDS and isinstance(value, str) and _MARKUP.search(value):
                entry.parser_metadata.setdefault(LATEX, {})[name] = value
        for name_field in entry.fields:
            if name_field.key.lower() not in NAME_FIELDS or not isinstance(name_field.value, str):
                continue
            enclosing = name_field.enclosing  # the value setter resets it
            printed = name_field.value
            names, unsplit = split_names(printed)
            name_field.value = names
            name_field.enclosing = enclosing
            if unsplit:
                entry.parser_metadata.setdefault(UNSPLIT, {})[name_field.key.lower()] = printed
        block: Block = super().transform_entry(entry, library)
        return block


def split_names(value: str) -> tuple[list[NameParts], bool]:
    """The names of a name field, and whether any was kept as printed."""
    parts: list[NameParts] = []
    unsplit = False
    for name in split_multiple_persons_names(value):
        found, as_printed = _name_parts(name)
        parts.extend(found)
        unsplit = unsplit or as_printed
    return parts, unsplit


@functools.lru_cache(maxsize=65536)
def _name_parts(name: str) -> tuple[tuple[NameParts, ...], bool]:
    """One name's parts (several for a Vancouver list), and whether kept as printed."""
    # Shared between entries: nothing downstream changes a NameParts.
    vancouver = _vancouver_list(name)
    if vancouver:
        # "Molins A, Garcia B, Lopez C" splits the BibTeX way ("von Last, Jr, First"),
        # wrongly: names and initials as PubMed prints them are kept as printed.
        return tuple(vancouver), True
    if "=" in name:
        extended = _extended(name)
        if extended is not None:
            return (extended,), False
    try:
        return (parse_single_name_into_parts(name),), False
    except InvalidNameError:
        return (_as_printed(name),), True


def _extended(name: str) -> NameParts | None:
    """A name in biblatex's extended format, or None when it is not one."""
    keys: dict[str, str] = {}
    for piece in _top_level_commas(name):
        match = _EXTENDED_PART.match(piece)
        if match is None:
            return None
        value = match.group(2)
        if len(value) >= 2 and value[0] == "{" and value[-1] == "}":
            value = value[1:-1]
        keys[match.group(1).lower()] = value
    if "family" not in keys and "given" not in keys:
        return None
    return NameParts(
        first=keys.get("given", "").split(),
        von=keys.get("prefix", "").split(),
        last=[keys["family"]] if keys.get("family") else [],
        jr=[keys["suffix"]] if keys.get("suffix") else [],
    )


def _top_level_commas(text: str) -> list[str]:
    pieces: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        depth += (char == "{") - (char == "}")
        if char == "," and depth == 0:
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    pieces.append("".join(current))
    return pieces


def _vancouver_list(name: str) -> list[NameParts]:
    """``Molins A, Garcia B``: names with initials joined by commas, one name each; else []."""
    if "," not in name:
        return []
    pieces = [" ".join(p.split()) for p in _top_level_commas(name)]
    if all(_VANCOUVER.match(p) for p in pieces):
        return [NameParts(last=[p]) for p in pieces]
    return []


def _as_printed(name: str) -> NameParts:
    return NameParts(last=[" ".join(name.split())])


_NAME_DECODER = LatexNodes2Text()


def decoded(parts: list[str]) -> str:
    """Name parts as one decoded text (``["van", "der"]`` -> ``"van der"``)."""
    return " ".join(_decoded_part(part) for part in parts).strip()


@functools.lru_cache(maxsize=65536)
def _decoded_part(part: str) -> str:
    # Family and given names repeat across entries: each is decoded once (text/latex.py).
    return decode_latex(part, _NAME_DECODER.latex_to_text)


def names_text(names: object) -> str:
    """A split name list as BibTeX text again, decoded: ``von Last, Jr, First and ...``.

    Kept in ``Reference.extra`` for the name fields that are not the authors (editor,
    translator); a name without a given name is braced so that it splits back whole.
    """
    if not isinstance(names, list):
        return str(names)
    out = []
    for name in names:
        family = decoded(getattr(name, "von", []) + getattr(name, "last", []))
        given = decoded(getattr(name, "first", []))
        jr = decoded(getattr(name, "jr", []))
        if not given and not jr:
            out.append(f"{{{family}}}" if " " in family or "," in family else family)
        else:
            out.append(", ".join([family, *([jr] if jr else []), given]))
    return " and ".join(out)
