"""Write references as BibTeX with bibtexparser v2, so that ``bibfile`` reads them back.

Values are escaped for LaTeX only where they must be (``\\ { } % & $ # _ ~`` and the
ligatures ``--``, ``````, ``''``, ``?```, ``!```), everything else is written as Unicode:
:func:`proloevidence.kb.bib_reader.parse_references` decodes each value back to the text it was.
Page ranges printed with an en dash are written ``65--80``, as BibTeX expects.
``comments`` (per key) become ``%`` lines above the entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field
from bibtexparser.writer import BibtexFormat

from ..model import Author, Reference

HEADER = (
    "% Draft made by `proloevidence import`: each reference as the page prints it (the\n"
    "% `printed` field, verbatim) and the fields read from it. Check every entry against\n"
    "% `printed`; `refnumber` is the reference's number on the page."
)

_FORMAT = BibtexFormat()  # type: ignore[no-untyped-call]  # (bibtexparser 2.x)
_FORMAT.indent = "  "
_FORMAT.value_column = "auto"
_FORMAT.trailing_comma = True

_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
}
_SPECIAL = re.compile(r"[\\{}%&$#_~]")


def latex_escape(value: str) -> str:
    """Escape ``value`` so that LaTeX decoding gives it back unchanged."""
    escaped = _SPECIAL.sub(lambda m: _ESCAPES[m.group()], value)
    # "--" would decode to an en dash, "``" to a curly quote: break every such pair.
    return re.sub(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')|(?<=[?!])(?=`)", "{}", escaped)


def format_references(
    references: Sequence[Reference], comments: Mapping[str, Sequence[str]] | None = None
) -> str:
    """The text of a ``.bib`` file holding ``references`` in order."""
    comments = comments or {}
    blocks = [HEADER]
    for ref in references:
        notes = "".join(f"% {_comment(line)}\n" for line in comments.get(ref.key, ()))
        blocks.append(notes + format_entry(ref))
    return "\n\n".join(blocks) + "\n"


def format_entry(ref: Reference) -> str:
    """One reference as a BibTeX entry, without a final newline."""
    library = Library()
    library.add(Entry(ref.entry_type or "misc", ref.key, _fields(ref)))
    entry: str = write_string(library, bibtex_format=_FORMAT)
    return entry.rstrip("\n")


def _fields(ref: Reference) -> list[Field]:
    values: list[tuple[str, str]] = []
    if ref.authors or ref.et_al:
        names = [bibtex_name(a) for a in ref.authors] + (["others"] if ref.et_al else [])
        values.append(("author", " and ".join(names)))
    values += [
        ("title", latex_escape(ref.title)),
        ("journal", latex_escape(ref.journal)),
        ("year", str(ref.year) if ref.year is not None else ""),
        ("volume", latex_escape(ref.volume)),
        ("number", latex_escape(ref.number)),
        ("pages", _pages(ref.pages)),
        ("doi", latex_escape(ref.doi or "")),
        ("pmid", latex_escape(ref.pmid or "")),
        ("pmcid", latex_escape(ref.pmcid or "")),
        ("url", latex_escape(ref.url or "")),
    ]
    values += [(name, latex_escape(value)) for name, value in ref.extra.items()]
    if ref.page_number is not None:
        values.append(("refnumber", str(ref.page_number)))
    values.append(("printed", latex_escape(ref.printed)))
    return [Field(name, value) for name, value in values if value]


def _pages(value: str) -> str:
    """``65–80`` -> ``65--80`` (BibTeX's en dash); a hyphen beside it is kept apart."""
    parts = [latex_escape(part) for part in value.split("–")]
    text = parts[0]
    for part in parts[1:]:
        before = "{}" if text.endswith("-") else ""
        after = "{}" if part.startswith("-") else ""
        text = f"{text}{before}--{after}{part}"
    return text


def bibtex_name(author: Author, escape: Callable[[str], str] = latex_escape) -> str:
    """One name of a BibTeX ``author`` list: ``Family, Given``, escaped with ``escape``; an
    organisation (or a name without a given part) in braces so that BibTeX keeps it whole."""
    if author.literal or not author.given:
        return "{" + escape(author.family) + "}"
    return f"{_name_part(author.family, escape)}, {_name_part(author.given, escape)}"


def _name_part(value: str, escape: Callable[[str], str]) -> str:
    # A comma, a word "and", a lone "others" or a LaTeX command would split the name or
    # be misread by BibTeX's name rules: braces keep the part whole.
    escaped = escape(value)
    if (
        escaped != value
        or "," in value
        or re.search(r"\band\b", value, re.IGNORECASE)
        or value == "others"
    ):
        return "{" + escaped + "}"
    return escaped


def _comment(text: str) -> str:
    # An "@" would start a BibTeX block; a line break would end the comment.
    return " ".join(text.replace("@", "(at)").split())
