"""Render CSL items with pandoc 3's citeproc: reference-list entries and author-date citations.

One pandoc run renders a whole list: the items go in as a CSL-JSON file, and a document
that cites each item once, in the given order (so a numeric style numbers them in that
order), then each cluster. What comes back is pandoc's AST; each entry's inlines are written
in the markup asked for by :mod:`.citeproc_inlines`, which escapes all data. The number a
numeric style prints in the margin is dropped: the caller numbers the list itself, in the
style's order. Items get ids of our own, so no key can upset pandoc. Why pandoc and not
citeproc-py: docs/refs.md (the conformance table against citeproc-js).
"""

from __future__ import annotations

import json
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import StyleError
from ..text.markup import Markup, escape
from .citeproc_inlines import Inline, write_inlines
from .csl_items import ET_AL, CslItem, has_et_al
from .pandoc_citeproc import TIMEOUT, TIMEOUT_PER_ITEM, run_citeproc
from .styles import CSL_NS, Style

# pandoc-types 1.23, the AST of every pandoc 3 release.
_API_VERSION = [1, 23]
_NS = f"{{{CSL_NS}}}"
_ITEM_ID = re.compile(r"\bitem\d+\b")
_HYPHEN_PART = re.compile(r"-\w")
_NOTE_ID = re.compile(r"^[ \t]*id[ \t]*:.*$|\{:id:[^}]*\}", re.IGNORECASE | re.MULTILINE)
_NUMBER = re.compile(r"\s*[\[(]?(\d+)[\])]?\.?\s*")
# A style that joins the last name with "&" or "and" prints "Jeong, C. W., & et al.": the
# "et al." that stands for the names left out takes no connector.
_ET_AL_AFTER_CONNECTOR = re.compile(r",?\s+(?:&amp;|\\&|&|and)\s+" + re.escape(ET_AL))


@dataclass(frozen=True)
class Rendered:
    """Entries in the style's order as ``(item id, text)``, cluster citations, warnings."""

    entries: tuple[tuple[str, str], ...]
    citations: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def render(
    items: Sequence[CslItem],
    style: Style,
    markup: Markup,
    clusters: Sequence[Sequence[str]] = (),
) -> Rendered:
    """Render ``items`` (cited in the given order) and each cluster of item ids.

    For numeric styles the citation order is the numbering; a style that sorts its
    bibliography (APA) keeps its own order. An entry the style prints nothing for stands as
    ``[key]`` with a note in ``Rendered``; StyleError when it prints nothing for any entry or
    drops one, and CiteprocError (a StyleError) when pandoc is missing, fails, or does not
    finish in time.
    """
    internal = {str(item["id"]): f"item{i}" for i, item in enumerate(items)}
    external = {v: k for k, v in internal.items()}
    data = [_mended_item(item, internal[str(item["id"])], style) for item in items]
    groups = list(dict.fromkeys(tuple(k for k in c if k in internal) for c in clusters))
    blocks = [_para([_cite([internal[k]]) for k in internal])]
    blocks += [_para([_cite([internal[k] for k in group])]) for group in groups]
    document = {"pandoc-api-version": _API_VERSION, "meta": {}, "blocks": blocks}
    with tempfile.TemporaryDirectory(prefix="proloevidence-") as tmp:
        bibliography = Path(tmp) / "references.json"
        bibliography.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        csl = Path(tmp) / "style.csl"
        csl.write_bytes(_mended_style(str(style.path), style.path.stat().st_mtime_ns))
        what = f"the style {style.name!r} ({style.path})"
        labels = {str(csl): str(style.path), str(bibliography): "(the CSL-JSON items)"}
        timeout = TIMEOUT + TIMEOUT_PER_ITEM * len(items)
        result, warnings = run_citeproc(
            document, bibliography, csl, what=what, labels=labels, timeout=timeout
        )
    paragraphs = [b for b in result.get("blocks", []) if b.get("t") == "Para"]
    cluster_text = {
        group: write_inlines(_cite_inlines(paragraph), markup)
        for group, paragraph in zip(groups, paragraphs[1:], strict=False)
    }
    citations = tuple(
        cluster_text.get(tuple(k for k in cluster if k in internal), "") for cluster in clusters
    )
    entries: list[tuple[str, str]] = []
    for item_id, inlines in _entries(result):
        key = external.get(item_id)
        if key is None:
            continue
        body = write_inlines(inlines, markup)
        if style.numeric:
            body = _strip_number(body, len(entries) + 1)
        if has_et_al(items[int(item_id[4:])]):
            body = _ET_AL_AFTER_CONNECTOR.sub(", " + ET_AL, body)
        entries.append((key, body))
    said = [_ITEM_ID.sub(lambda m: external.get(m.group(0), m.group(0)), w) for w in warnings]
    empty = [key for key, body in entries if not body]
    if len(entries) != len(items) or (empty and len(empty) == len(entries)):
        why = f" ({'; '.join(said)})" if said else ""
        raise StyleError(
            f"the style {style.name!r} ({style.path}) printed {len(entries) - len(empty)} of "
            f"{len(items)} references{why}"
        )
    if empty:
        # An entry with nothing the style prints (a bare @misc): its key stands in, so the
        # list keeps its numbering and the reader sees which one it is.
        entries = [(key, body or escape(f"[{key}]", markup)) for key, body in entries]
        said += [f"the style printed nothing for {key}; its key stands in" for key in empty]
    return Rendered(tuple(entries), citations, tuple(dict.fromkeys(said)))


def _mended_item(item: CslItem, item_id: str, style: Style) -> CslItem:
    """The item under our id, its cut author list ended by an "et al." name, and, for a style
    that prints initials, ``Min-jun`` as ``Min-Jun``.

    A note loses any line that would set the id. CSL has no "et al." for a list the page cut
    short (the item's ``custom`` flag): a final literal name prints it, and :func:`render`
    takes the connector away.
    CSL 1.0.2 (Name, ``initialize-with-hyphen``) initializes each part of a compound given
    name; pandoc drops a part that starts in lower case ("Kim M" for "Kim MJ").
    """
    mended: CslItem = {**item, "id": item_id}
    mended.pop("custom", None)
    note = item.get("note")
    if isinstance(note, str) and _NOTE_ID.search(note):
        # pandoc, like Zotero, reads "ID: ..." lines of a note as the item's id (Mendeley
        # exports write them): the item would no longer be the one we cite.
        kept = " ".join(_NOTE_ID.sub("", note).split())
        if kept:
            mended["note"] = kept
        else:
            del mended["note"]
    if has_et_al(item) and isinstance(item.get("author"), list):
        mended["author"] = [*item["author"], {"literal": ET_AL}]
    if not style.initializes:
        return mended
    for variable, value in list(mended.items()):
        if isinstance(value, list) and any(isinstance(n, dict) and "given" in n for n in value):
            mended[variable] = [
                {**n, "given": _HYPHEN_PART.sub(_upper, n["given"])}
                if isinstance(n, dict) and isinstance(n.get("given"), str)
                else n
                for n in value
            ]
    return mended


def _upper(match: re.Match[str]) -> str:
    return match.group(0).upper()


@lru_cache(maxsize=32)
def _mended_style(path: str, mtime_ns: int) -> bytes:
    """The CSL file as pandoc renders it right: a ``<names>`` with a ``<label>`` and no
    ``<name>`` gets an explicit ``<name/>`` first.

    CSL 1.0.2 (Label in cs:names) puts the label after the names; pandoc prints it before
    them when the name element is implied (AMA's editors: ", ed.Waldman SD").
    ``mtime_ns`` keys the cache, so an edited file is read again.
    """
    ET.register_namespace("", CSL_NS)
    root = ET.parse(path).getroot()
    for names in root.iter(f"{_NS}names"):
        tags = [child.tag for child in names]
        if f"{_NS}label" in tags and f"{_NS}name" not in tags:
            names.insert(0, ET.Element(f"{_NS}name"))
    mended: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return mended


def _cite(ids: Sequence[str]) -> dict[str, Any]:
    citations = [
        {
            "citationId": item_id,
            "citationPrefix": [],
            "citationSuffix": [],
            "citationMode": {"t": "NormalCitation"},
            "citationNoteNum": 0,
            "citationHash": 0,
        }
        for item_id in ids
    ]
    return {"t": "Cite", "c": [citations, []]}


def _para(inlines: list[dict[str, Any]]) -> dict[str, Any]:
    return {"t": "Para", "c": inlines}


def _cite_inlines(paragraph: dict[str, Any]) -> list[Inline]:
    """The rendered text of the one Cite in a cluster's paragraph."""
    for inline in paragraph.get("c", []):
        if inline.get("t") == "Cite":
            return list(inline["c"][1])
    return []


def _entries(result: dict[str, Any]) -> list[tuple[str, list[Inline]]]:
    """``(item id, inlines)`` for each entry of the ``refs`` Div, in its order."""
    found: list[tuple[str, list[Inline]]] = []
    for block in result.get("blocks", []):
        if block.get("t") != "Div" or block["c"][0][0] != "refs":
            continue
        for entry in block["c"][1]:
            if entry.get("t") == "Div" and entry["c"][0][0].startswith("ref-"):
                found.append((entry["c"][0][0][4:], _entry_inlines(entry["c"][1])))
    return found


def _entry_inlines(blocks: Sequence[dict[str, Any]]) -> list[Inline]:
    """An entry's inlines, its blocks joined by spaces, the left-margin number left out."""
    inlines: list[Inline] = []
    for block in blocks:
        kind = block.get("t")
        content: Any = block.get("c")
        if kind in ("Para", "Plain"):
            part = [i for i in content if not _is_left_margin(i)]
        elif kind == "Div":
            if "csl-left-margin" in content[0][1]:
                continue
            part = _entry_inlines(content[1])
        else:
            continue
        if inlines and part:
            inlines.append({"t": "Space"})
        inlines.extend(part)
    return inlines


def _is_left_margin(inline: Inline) -> bool:
    return inline.get("t") == "Span" and "csl-left-margin" in inline["c"][0][1]


def _strip_number(text: str, number: int) -> str:
    # A numeric style without a left margin prints the number glued to the entry
    # ("1. Rabago D, ..."); the caller numbers the list itself, in the style's order.
    match = _NUMBER.match(text)
    return text[match.end() :] if match and int(match.group(1)) == number else text
