"""JSON and XML parsed with a bound on their nesting depth: an error, never a RecursionError.

``json.loads`` recurses once per level of nesting and raises :class:`RecursionError` on a
document nested some thousand levels deep (a hostile service answer, a tampered lock or
cache file); ElementTree parses any depth, but everything that walks the tree afterwards
(``ET.tostring``, a recursive reader) recurses. Real documents are shallow (a Crossref
answer nests about 7 levels, a PubMed efetch record about 10), so a document deeper than
:data:`MAX_DEPTH` is refused before anything recurses over it.

Both parsers take ``str`` or ``bytes``. Too deep is :class:`TooDeepError` (a ValueError);
bad syntax is ``json.JSONDecodeError`` (a ValueError) or ``ET.ParseError`` (a SyntaxError),
as from the standard parsers. Callers turn these into a service failure or a problem naming
the file; the size bound is the caller's (checked while reading, before a byte is parsed).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

MAX_DEPTH = 100
"""Nesting levels allowed by default: ten times what the deepest real document needs."""


class TooDeepError(ValueError):
    """A document nested deeper than the bound; ``limit`` is the bound."""

    def __init__(self, kind: str, limit: int) -> None:
        self.kind = kind
        self.limit = limit
        super().__init__(f"{kind} nested more than {limit} levels deep")


_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_OPENING = frozenset(b"[{")


def json_too_deep(data: str | bytes, limit: int = MAX_DEPTH) -> bool:
    """True when the JSON text opens more than ``limit`` arrays/objects inside each other.

    At C speed: escaped backslashes and quotes are dropped, so that every remaining quote
    opens or closes a string; the text between quotes (strings, whose brackets are text)
    is dropped, then everything but ``[]{}``; then empty pairs are removed, one level a
    pass. Only a document with something left after ``limit`` passes (one too deep, or
    one cut off) is counted bracket by bracket.
    """
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    outside = raw.replace(b"\\\\", b"").replace(b'\\"', b"").split(b'"')[::2]
    brackets = b"".join(outside).translate(None, _NOT_BRACKETS)
    left = brackets
    for _ in range(limit):
        shorter = left.replace(b"[]", b"").replace(b"{}", b"")
        if not shorter:
            return False
        if shorter == left:
            break
        left = shorter
    depth = 0
    for byte in brackets:
        if byte in _OPENING:
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def parse_json(data: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads(data)``, refusing a document nested deeper than ``max_depth``.

    Raises :class:`TooDeepError` or ``json.JSONDecodeError`` (both ValueErrors).
    """
    if json_too_deep(data, max_depth):
        raise TooDeepError("JSON", max_depth)
    return json.loads(data)


class _DepthBoundBuilder(ET.TreeBuilder):
    """ElementTree's tree builder, counting open elements as expat reports them."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self._limit = limit
        self._depth = 0

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        self._depth += 1
        if self._depth > self._limit:
            raise TooDeepError("XML", self._limit)
        return super().start(tag, attrs)

    def end(self, tag: str) -> ET.Element:
        self._depth -= 1
        return super().end(tag)


def parse_xml(data: str | bytes, *, max_depth: int = MAX_DEPTH) -> ET.Element:
    """``ET.fromstring(data)``, refusing a document nested deeper than ``max_depth``.

    Raises :class:`TooDeepError` (a ValueError) or ``ET.ParseError``. Parsing stops at the
    first element too deep: the rest is never read.
    """
    parser = ET.XMLParser(target=_DepthBoundBuilder(max_depth))
    parser.feed(data)
    root: ET.Element = parser.close()
    return root
