"""JSON and XML parsed with a bound on how deeply they nest.

Python's ``json`` recurses once per level of nesting, so ``[[[[...]]]]`` 100,000 deep ends
in :class:`RecursionError`; a tree that deep is no real lock, cache entry or style either.
Both parsers here measure the depth without recursion, and refuse a text nested deeper
than :data:`MAX_DEPTH` with the parser's own error type, so a caller that already handles
a syntax error (with its line and column) handles this one too:

- :func:`loads_json` raises :class:`JsonTooDeep`, a :class:`json.JSONDecodeError`;
- :func:`parse_xml` raises :class:`XmlTooDeep`, an :class:`xml.etree.ElementTree.ParseError`
  whose ``position`` is the (line, column) of the first element too deep.

Sizes are the caller's bound (the file or the answer is read within it first).
"""

from __future__ import annotations

import contextlib
import json
import re
import xml.etree.ElementTree as ET
from typing import Any
from xml.parsers import expat

MAX_DEPTH = 200
"""Deepest nesting accepted. Locks, cache entries and service answers nest under 15 levels,
CSL styles under 30."""

# A JSON string (skipped whole: a bracket inside it is text) or one bracket.
_STRING_OR_BRACKET = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


class JsonTooDeep(json.JSONDecodeError):
    """A JSON text nested deeper than the bound; ``pos``/``lineno``/``colno`` point at the
    first bracket beyond it."""


class XmlTooDeep(ET.ParseError):
    """An XML document nested deeper than the bound; ``position`` is (line, column)."""


def json_depth_error(text: str, max_depth: int = MAX_DEPTH) -> JsonTooDeep | None:
    """The error for a JSON text nested deeper than ``max_depth``, else None (no parse)."""
    if text.count("[") + text.count("{") <= max_depth:  # cannot nest that deep: skip the scan
        return None
    depth = 0
    for token in _STRING_OR_BRACKET.finditer(text):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            if depth > max_depth:
                return JsonTooDeep(f"nested deeper than {max_depth} levels", text, token.start())
        elif bracket in "]}":
            depth -= 1
    return None


def loads_json(text: str | bytes, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` that refuses nesting deeper than ``max_depth`` (:class:`JsonTooDeep`).

    The text is parsed first (json stops with a RecursionError near Python's recursion
    limit, caught here) and the depth of the result measured without recursion: cheaper
    than a scan of the text, which runs only to say where a refused text is too deep.
    """
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8-sig")
    try:
        value = json.loads(text)
    except RecursionError:
        too_deep = True
    else:
        # A text with fewer brackets than the bound cannot nest deeper: most skip the walk.
        too_deep = text.count("[") + text.count("{") > max_depth and _deeper(value, max_depth)
    if too_deep:
        raise json_depth_error(text, max_depth) or JsonTooDeep(
            f"nested deeper than {max_depth} levels", text, 0
        )
    return value


def _deeper(value: Any, max_depth: int) -> bool:
    """Whether parsed JSON nests deeper than ``max_depth``, walked with a stack of its own."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = item.values()
        elif not isinstance(item, list):
            continue
        if depth > max_depth:
            return True
        stack.extend((child, depth + 1) for child in item if isinstance(child, (dict, list)))
    return False


def parse_xml(data: str | bytes, max_depth: int = MAX_DEPTH) -> ET.Element:
    """``ElementTree.fromstring`` that refuses nesting deeper than ``max_depth``.

    The depth is measured by expat's callbacks, which keep no stack of their own, before
    the tree is built; a syntax error is the usual :class:`ET.ParseError`.
    """
    depth = 0

    def start(name: str, attributes: object) -> None:
        nonlocal depth
        depth += 1
        if depth > max_depth:
            line, column = probe.CurrentLineNumber, probe.CurrentColumnNumber + 1
            error = XmlTooDeep(
                f"nested deeper than {max_depth} levels: line {line}, column {column}"
            )
            error.position = (line, column)
            error.code = 0
            raise error

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1

    probe = expat.ParserCreate()
    probe.StartElementHandler = start
    probe.EndElementHandler = end
    # A syntax error is reported, in ElementTree's words, by the real parse below.
    with contextlib.suppress(expat.ExpatError):
        probe.Parse(data, True)
    return ET.fromstring(data)
