"""Render CSL items with citeproc-py: reference-list entries and author-date citations.

citeproc-py's gaps are handled here, so callers need not know them: it does not escape the
data (we escape it first), it prints the entry number glued to the entry (we strip it and
number the list ourselves), it lower-cases item ids (we give it ids of our own), and it
reports problems as Python warnings (we collect them as messages instead of letting them out).
"""

from __future__ import annotations

import copy
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import StyleError
from ..text.markup import MarkdownFormatter, Markup, RstFormatter, escape, finish_rst
from ..text.rich_text import strip_rich_text
from .csl_items import ET_AL, CslItem, has_et_al
from .styles import Style

_NOT_ESCAPED = frozenset({"id", "type", "issued"})
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
    """Render ``items`` (registered in the given order) and each cluster of item ids.

    For numeric styles the registration order is the numbering; a style that sorts its
    bibliography (APA) keeps its own order. Raises StyleError when citeproc-py cannot use
    the style.
    """
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
    from citeproc.source.json import CiteProcJSON

    internal = {str(item["id"]): f"item{i}" for i, item in enumerate(items)}
    external = {v: k for k, v in internal.items()}
    data = [_escaped(item, internal[str(item["id"])], markup) for item in items]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            csl_style = CitationStylesStyle(str(style.path), validate=False)
            bibliography = CitationStylesBibliography(
                csl_style, CiteProcJSON(data), _formatter(markup)
            )
            for item in data:
                bibliography.register(Citation([CitationItem(item["id"])]))
            # Pages cite the same groups again and again ("(1-3)"); citeproc-py is slow per
            # citation, so each distinct group is rendered once.
            groups = list(dict.fromkeys(tuple(k for k in c if k in internal) for c in clusters))
            cited = []
            for group in groups:
                citation = Citation([CitationItem(internal[k]) for k in group])
                bibliography.register(citation)
                cited.append(citation)
            bibliography.sort()
            texts = [str(entry) for entry in bibliography.bibliography()]
            keys = list(bibliography.keys)
            rendered = {
                group: _finish(str(bibliography.cite(c, _ignore_missing)), markup)
                for group, c in zip(groups, cited, strict=True)
            }
            citations = tuple(
                rendered[tuple(k for k in cluster if k in internal)] for cluster in clusters
            )
        # citeproc-py validates nothing: a style it cannot follow fails inside it with
        # whatever the missing piece raised (a macro not found, an empty layout...).
        except (ValueError, TypeError, LookupError, AttributeError) as exc:
            raise StyleError(
                f"citeproc-py cannot render with the style {style.name!r} ({style.path}): "
                f"{type(exc).__name__}: {exc} (the style is incomplete, or uses CSL that "
                "citeproc-py does not support: try another style)"
            ) from exc
    registered = {item["id"]: i for i, item in enumerate(data, start=1)}
    entries = []
    for position, (key, text) in enumerate(zip(keys, texts, strict=True), start=1):
        body = _finish(text.strip(), markup)
        if style.numeric:
            body = _strip_number(body, {position, registered[key]})
        if has_et_al(items[registered[key] - 1]):
            body = _ET_AL_AFTER_CONNECTOR.sub(", " + ET_AL, body)
        entries.append((external[key], body))
    messages = tuple(dict.fromkeys(str(w.message) for w in caught))
    return Rendered(tuple(entries), citations, messages)


def _formatter(markup: Markup) -> Any:
    from citeproc import formatter

    if markup == "html":
        return formatter.html
    if markup == "markdown":
        return MarkdownFormatter
    if markup == "rst":
        return RstFormatter
    return formatter.plain


def _finish(text: str, markup: Markup) -> str:
    return finish_rst(text) if markup == "rst" else text


def _escaped(item: CslItem, item_id: str, markup: Markup) -> CslItem:
    data = copy.deepcopy(item)
    data.pop("custom", None)
    if "event-title" in data:  # citeproc-py knows CSL 1.0.1's name for it
        data.setdefault("event", data.pop("event-title"))
    if has_et_al(item) and isinstance(data.get("author"), list):
        # citeproc-py has no "et al." of its own for a list the page cut short: it prints
        # a final name, which render() then joins without a connector.
        data["author"].append({"literal": ET_AL})
    for variable, value in data.items():
        if variable in _NOT_ESCAPED:
            continue
        if isinstance(value, str):
            # citeproc-py reads no rich text: its tags would print as text.
            data[variable] = escape(strip_rich_text(value), markup)
        elif isinstance(value, list):
            data[variable] = [
                {k: escape(v, markup) if isinstance(v, str) else v for k, v in name.items()}
                if isinstance(name, dict)
                else name
                for name in value
            ]
    data["id"] = item_id
    return data


def _strip_number(text: str, numbers: set[int]) -> str:
    # citeproc-py prints the left-margin number glued to the entry ("1.Rabago D, ..."); the
    # caller numbers the list itself, in the style's order.
    match = _NUMBER.match(text)
    return text[match.end() :] if match and int(match.group(1)) in numbers else text


def _ignore_missing(item: object) -> None:
    """citeproc-py calls this for a cited id it does not know; we only cite known ids."""
