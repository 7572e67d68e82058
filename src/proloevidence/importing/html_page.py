"""Read a simple HTML page into blocks with the standard library's ``html.parser``.

``<h1>``-``<h6>`` are headings; ``<p>``, ``<div>``, ``<td>``, ``<blockquote>`` ... are
paragraphs; ``<li>`` in ``<ul>`` is a list item, in ``<ol>`` a numbered step (its number
written in front, as a reader sees it, counting from ``start``); ``<br>`` ends a block.
``<sup>1-3</sup>`` becomes ``¹⁻³``. Scripts, styles, ``<nav>``, forms and the ``<head>``
are skipped (``<title>`` is kept as the page's title when no heading comes first).
Entities are decoded. Nothing is fetched and no script runs: the text is only read.
"""

from __future__ import annotations

from html.parser import HTMLParser

from .markdown_page import is_marker_numbers, superscript
from .page_structure import RawBlock, Role

_SKIP = frozenset(
    "script style noscript template svg nav head iframe object form button select".split()
)
_BLOCK = frozenset(
    "p div section article main header footer aside blockquote td th dt dd figcaption pre "
    "address caption summary details table tr body html ul ol dl".split()
)


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[RawBlock] = []
        self.title = ""
        self.parts: list[str] = []
        self.line = 1
        self.role: Role = "paragraph"
        self.level = 0
        self.skipping = 0
        self.in_title = False
        self.sup: list[str] | None = None
        self.lists: list[list[int | str]] = []  # [kind, next number] per open list

    # -- blocks --------------------------------------------------------------------------
    def flush(self) -> None:
        text = " ".join("".join(self.parts).split())
        if text:
            self.blocks.append(RawBlock(text, self.line, self.role, self.level))
        self.parts = []
        self.role, self.level = "paragraph", 0

    def begin(self, role: Role, level: int = 0, prefix: str = "") -> None:
        self.flush()
        self.line = self.getpos()[0]
        self.role, self.level = role, level
        if prefix:
            self.parts.append(prefix)

    # -- parser callbacks ------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
            return
        if tag == "title":
            self.in_title = True
            return
        if self.skipping:
            return
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.begin("heading", int(tag[1]))
        elif tag in ("ul", "ol"):
            self.flush()
            start = dict(attrs).get("start") or "1"
            self.lists.append([tag, int(start) if start.isdigit() else 1])
        elif tag == "li":
            if self.lists and self.lists[-1][0] == "ol":
                number = int(self.lists[-1][1])
                self.lists[-1][1] = number + 1
                self.begin("step", prefix=f"{number}. ")
            else:
                self.begin("item")
        elif tag == "br":
            self.begin(self.role if self.role in ("item", "step") else "paragraph")
        elif tag in _BLOCK:
            self.begin("paragraph")
        elif tag == "sup":
            self.sup = []

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
            return
        if tag == "title":
            self.in_title = False
            return
        if self.skipping:
            return
        if tag == "sup" and self.sup is not None:
            inner = "".join(self.sup)
            self.sup = None
            self.parts.append(superscript(inner) if is_marker_numbers(inner) else inner)
        elif tag in ("ul", "ol"):
            self.flush()
            if self.lists:
                self.lists.pop()
        elif (
            tag == "li" or tag in _BLOCK or (len(tag) == 2 and tag[0] == "h" and tag[1] in "123456")
        ):
            self.flush()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        elif self.skipping:
            return
        elif self.sup is not None:
            self.sup.append(data)
        else:
            self.parts.append(data)


def html_blocks(text: str) -> tuple[list[RawBlock], str]:
    """Read HTML into blocks, and the ``<title>`` text ("" when there is none)."""
    parser = _PageParser()
    parser.feed(text)
    parser.close()
    parser.flush()
    return parser.blocks, " ".join(parser.title.split())
