"""Numbered reference lists in real citation styles, and the data formats other tools read.

:func:`reference_list` numbers the references by first citation (or alphabetically), takes
each as cited or as verified, and writes it as text, Markdown, HTML or reST through a CSL
style (pandoc 3's citeproc), or as BibTeX, CSL-JSON or RIS. A style that sorts its own bibliography
(APA) keeps its order, and a numeric style's numbers always follow the printed list.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..kb.knowledge_base import KnowledgeBase
from ..model import Finding, Severity
from ..text.markup import Markup, escape_attribute
from ..verification import Verification
from .choices import DEFAULT_STYLE, FORMATS, ORDERS, SOURCES, Format, Order, SourceKind
from .csl_items import CslItem
from .csl_render import render
from .list_entries import cited_items, verified_items
from .numbering import Numbering, number_references
from .styles import Style, resolve_style

DATA_FORMATS = frozenset({"bibtex", "csl-json", "ris"})


@dataclass(frozen=True)
class ListedReference:
    """One entry: its key, its number (None in author-date styles), its text, its CSL item."""

    key: str
    number: int | None
    text: str
    item: Mapping[str, object]


@dataclass(frozen=True)
class ReferenceList:
    """A rendered reference list.

    ``output`` is the whole file in the asked format; ``numbering`` gives every statement's
    marker numbers (it follows the printed list); ``notes`` are findings for the caller to
    show: where a verified record differs from the citation, what the style renderer warned.
    ``citations`` holds the in-text citations asked for with ``clusters`` (author-date).
    """

    fmt: Format
    output: str
    entries: tuple[ListedReference, ...]
    numbering: Numbering
    style: Style | None = None
    notes: tuple[Finding, ...] = ()
    citations: tuple[str, ...] = field(default=())


def reference_list(
    kb: KnowledgeBase,
    *,
    style: str | Style = DEFAULT_STYLE,
    fmt: Format = "text",
    order: Order = "document",
    cited_only: bool = False,
    source: SourceKind = "cited",
    verification: Verification | None = None,
    document: str | None = None,
    clusters: Sequence[Sequence[str]] = (),
) -> ReferenceList:
    """The reference list of a knowledge base (or of one document) in ``style`` and ``fmt``.

    ``verification`` (usually ``read_lock(kb.path)``) supplies NLM journal abbreviations for
    cited references, and the records themselves with ``source="verified"``; results for
    references changed since they were verified are not used
    (:mod:`proloevidence.verifying.outdated`).
    ``clusters`` are groups of keys to render as in-text citations too (for author-date
    styles). Raises StyleError for an unusable style, ValueError for an unknown option value.
    """
    _check("fmt", fmt, FORMATS)
    _check("order", order, ORDERS)
    _check("source", source, SOURCES)
    numbering = number_references(kb, order=order, cited_only=cited_only, document=document)
    notes: list[Finding] = []
    fitting: Verification | None = None
    changed: dict[str, list[str]] = {}
    if verification is not None:
        # Loaded only when there is a verification: the comparisons import rapidfuzz.
        from ..verifying.outdated import current

        fitting, changed = current(kb.references, verification)
    if source == "verified":
        if fitting is None:
            raise ValueError("source='verified' needs the verification (see lock.read_lock)")
        items, notes = verified_items(kb, numbering.keys, fitting, changed)
    else:
        items = cited_items(kb, numbering.keys, fitting)
    by_key: dict[str, list[str]] = {}
    for note in notes:
        by_key.setdefault(note.subject, []).append(note.message)
    if fmt in DATA_FORMATS:
        output = _data(items, fmt, by_key)
        entries = tuple(
            ListedReference(str(item["id"]), n, "", item) for n, item in enumerate(items, start=1)
        )
        return ReferenceList(fmt, output, entries, numbering, None, tuple(notes))
    resolved = style if isinstance(style, Style) else resolve_style(style)
    markup: Markup = fmt  # type: ignore[assignment]  # the rendered formats are the markups
    rendered = render(items, resolved, markup, clusters)
    notes.extend(
        Finding("style-warning", Severity.INFO, resolved.name, message)
        for message in rendered.warnings
    )
    keys = tuple(key for key, _ in rendered.entries)
    if resolved.numeric:
        numbering = Numbering(keys)
    items_by_key = {str(item["id"]): item for item in items}
    entries = tuple(
        ListedReference(key, i if resolved.numeric else None, text, items_by_key[key])
        for i, (key, text) in enumerate(rendered.entries, start=1)
    )
    output = _assemble(entries, markup, by_key)
    return ReferenceList(
        fmt, output, entries, numbering, resolved, tuple(notes), rendered.citations
    )


def _check(name: str, value: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")


def _data(items: list[CslItem], fmt: str, notes: Mapping[str, list[str]]) -> str:
    if fmt == "bibtex":
        from .bibtex_export import to_bibtex

        return to_bibtex(items, notes)
    if fmt == "ris":
        from .ris_export import to_ris

        return to_ris(items, notes)
    annotated = []
    for item in items:
        said = notes.get(str(item["id"]))
        annotated.append({**item, "note": "; ".join(said)} if said else item)
    return json.dumps(annotated, ensure_ascii=False, indent=2) + "\n"


def _assemble(
    entries: Sequence[ListedReference], markup: Markup, notes: Mapping[str, list[str]]
) -> str:
    numbered = bool(entries) and entries[0].number is not None
    lines = _comments(markup, notes)
    if markup == "html":
        tag = "ol" if numbered else "ul"
        lines.append(f'<{tag} class="proloevidence-references">')
        for entry in entries:
            value = f' value="{entry.number}"' if entry.number is not None else ""
            lines.append(f'<li id="ref-{escape_attribute(entry.key)}"{value}>{entry.text}</li>')
        lines.append(f"</{tag}>")
        return "\n".join(lines) + "\n"
    for entry in entries:
        if entry.number is not None:
            lines.append(f"{entry.number}. {entry.text}")
        else:
            lines.append(entry.text if markup == "text" else f"- {entry.text}")
    return "\n".join(lines) + "\n" if lines else ""


def _comments(markup: Markup, notes: Mapping[str, list[str]]) -> list[str]:
    said = [f"{key}: {message}" for key, messages in notes.items() for message in messages]
    if not said or markup == "text":
        return []
    if markup == "rst":
        body = [f"   {' '.join(line.split())}" for line in said]
        return [".. proloevidence notes:", *body, ""]
    # HTML and Markdown: one HTML comment; "--" may not appear inside one.
    body = [" ".join(line.split()).replace("--", "- -") for line in said]
    return ["<!-- proloevidence notes:", *body, "-->", ""]
