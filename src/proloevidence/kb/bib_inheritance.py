"""``xdata`` and ``crossref`` inheritance, resolved as biber resolves them by default.

An entry inherits every field it lacks from the ``@xdata`` entries its ``xdata`` field
names (nested ones first), then from its ``crossref`` parent (whose own ``xdata`` and
``crossref`` are resolved first). A parent's title becomes the child's ``booktitle``,
``maintitle`` or ``journaltitle`` by the pair of entry types, as in biblatex's default
inheritance rules (the biblatex manual, appendix B, "Default Crossref Setup"); fields that
name the parent itself (``ids``, ``crossref``, ``xdata``, ``related``, ...) are not
inherited; a child's own ``date`` keeps the parent's ``year`` out, and its own ``year`` the
parent's ``date``. A field's LaTeX kept for the CSL-JSON export (kb/bib_names.py,
``LATEX``) goes with it, under its new name. Keys are looked up as written, then
case-folded, then among the ``ids`` aliases, in the entry's own file (a ``crossref``
parent in another file of the folder: kb/bib_cross_file.py). A missing parent or a loop is
a warning and the entry keeps what it has. Granular xdata references inside a value
(``xdata=gxd2-author-1``) are kept as written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bibtexparser.model import Entry, Field

from ..errors import Problem
from ..model import Severity, SourceLocation
from .bib_names import LATEX

_NEVER = frozenset(
    (
        "ids crossref xref xdata entryset entrysubtype execute label options presort related "
        "relatedoptions relatedstring relatedtype shorthand shorthandintro sortkey"
    ).split()
)
"""Fields that name or sort the parent itself: never inherited (appendix B, ``* -> *``)."""

_TITLES_AS = {
    # title, subtitle, titleaddon -> these names; shorttitle, sorttitle, indextitle and
    # indexsorttitle are not inherited.
    "main": ("maintitle", "mainsubtitle", "maintitleaddon"),
    "book": ("booktitle", "booksubtitle", "booktitleaddon"),
    "journal": ("journaltitle", "journalsubtitle", None),
}
_NOT_INHERITED_TITLES = ("shorttitle", "sorttitle", "indextitle", "indexsorttitle")
_MULTIVOLUME = {"mvbook", "mvcollection", "mvreference", "mvproceedings"}
_RULES: tuple[tuple[frozenset[str], frozenset[str], str], ...] = tuple(
    (frozenset(source.split()), frozenset(target.split()), titles)
    for source, target, titles in (
        (
            "mvbook mvcollection mvreference",
            "book collection reference inbook incollection inreference bookinbook suppbook "
            "suppcollection",
            "main",
        ),
        ("mvproceedings", "proceedings inproceedings", "main"),
        ("book", "inbook bookinbook suppbook", "book"),
        ("collection reference", "incollection inreference suppcollection", "book"),
        ("proceedings", "inproceedings", "book"),
        ("periodical", "article suppperiodical", "journal"),
    )
)


def resolve_inheritance(
    entries: Sequence[Entry], file: str, parents: Sequence[Entry] = ()
) -> list[Problem]:
    """Give each entry the fields it inherits (in place); the problems met on the way.

    ``parents`` (entries of other files of the folder) are found as ``crossref`` parents
    when ``entries`` has no entry of that key; they are never ``@xdata`` sources.
    """
    index: dict[str, Entry] = {}
    inheriting: list[Entry] = []
    aliased: list[Entry] = []
    others = [e for e in parents if e.entry_type.lower() != "xdata"]
    for entry in (*entries, *others):
        index.setdefault(entry.key, entry)
        index.setdefault(entry.key.casefold(), entry)
        names = {field.key.lower() for field in entry.fields}
        if "xdata" in names or "crossref" in names:
            inheriting.append(entry)
        if "ids" in names:
            aliased.append(entry)
    # The other files' entries come resolved in their own file: they inherit nothing here.
    done: set[int] = {id(entry) for entry in others}
    inheriting = [entry for entry in inheriting if id(entry) not in done]
    if not inheriting:
        return []
    for entry in aliased:
        for alias in _keys(entry, "ids"):
            index.setdefault(alias, entry)
            index.setdefault(alias.casefold(), entry)
    problems: list[Problem] = []

    def find(key: str) -> Entry | None:
        return index.get(key) or index.get(key.casefold())

    def resolve(entry: Entry, path: tuple[str, ...]) -> None:
        if id(entry) in done:
            return
        if entry.key in path:
            chain = " -> ".join((*path, entry.key))
            problems.append(_warning(file, entry, f"inheritance loop {chain}: not followed"))
            return
        inner = (*path, entry.key)
        for name in _keys(entry, "xdata"):
            parent = _parent(entry, name, find, file, problems, "xdata")
            if parent is not None:
                resolve(parent, inner)
                _inherit(entry, parent, plain=True)
        crossref = _keys(entry, "crossref")
        if crossref:
            parent = _parent(entry, crossref[0], find, file, problems, "crossref")
            if parent is not None:
                resolve(parent, inner)
                _inherit(entry, parent, plain=False)
        done.add(id(entry))

    for entry in inheriting:
        resolve(entry, ())
    return problems


def _keys(entry: Entry, name: str) -> list[str]:
    field = _field(entry, name)
    if field is None or not isinstance(field.value, str):
        return []
    return [key.strip() for key in field.value.split(",") if key.strip()]


def _field(entry: Entry, name: str) -> Field | None:
    for field in entry.fields:
        if field.key.lower() == name:
            return field
    return None


def _parent(
    entry: Entry,
    key: str,
    find: Callable[[str], Entry | None],
    file: str,
    problems: list[Problem],
    how: str,
) -> Entry | None:
    parent = find(key)
    if parent is None:
        # A crossref parent in another file of the folder is found by kb/bib_cross_file.py;
        # @xdata entries are no references, so they are looked up in this file only.
        hint = "inherited fields are missing from this entry"
        if how == "xdata":
            hint += f"; @xdata entries are read from the same .bib file: move {key!r} here"
        message = f"{how} of {entry.key!r} names {key!r}, which no entry has"
        problems.append(_warning(file, entry, message, hint))
    return parent


def _warning(
    file: str,
    entry: Entry,
    message: str,
    hint: str = "inherited fields are missing from this entry",
) -> Problem:
    return Problem(
        SourceLocation(file, (entry.start_line or 0) + 1),
        message,
        hint,
        code="bad-inheritance",
        severity=Severity.WARNING,
    )


def _inherit(child: Entry, parent: Entry, *, plain: bool) -> None:
    """Copy the parent's fields the child lacks; ``plain`` (xdata) maps no title."""
    have = {field.key.lower() for field in child.fields}
    # biber splits a date into year, month and day before inheriting: a child's own date
    # keeps its parent's year out, and a child's own year its parent's date.
    if "date" in have:
        have |= {"year", "month", "day"}
    elif "year" in have:
        have.add("date")
    line = child.start_line
    renames: dict[str, str | None] = {}
    if not plain:
        renames = dict.fromkeys(_NOT_INHERITED_TITLES)
        source, target = parent.entry_type.lower(), child.entry_type.lower()
        for sources, targets, titles in _RULES:
            if source in sources and target in targets:
                renames.update(
                    zip(("title", "subtitle", "titleaddon"), _TITLES_AS[titles], strict=True)
                )
                break
        if source in _MULTIVOLUME | {"book"} and target in {"inbook", "bookinbook", "suppbook"}:
            _add(child, have, "bookauthor", _field(parent, "author"), line)
    latex: dict[str, str] = parent.parser_metadata.get(LATEX, {})
    parent_fields = sorted(parent.fields, key=lambda f: f.key.lower() not in renames)
    for field in parent_fields:
        name = field.key.lower()
        if name in _NEVER:
            continue
        target_name = renames.get(name, name) if name in renames else name
        if target_name is None:
            continue
        if _add(child, have, target_name, field, line) and name in latex:
            child.parser_metadata.setdefault(LATEX, {})[target_name] = latex[name]


def _add(child: Entry, have: set[str], name: str, field: Field | None, line: int | None) -> bool:
    """Give ``child`` the field under ``name`` unless it has one; True when it did."""
    if field is None or name in have:
        return False
    child.set_field(Field(name, field.value, line))
    have.add(name)
    return True
