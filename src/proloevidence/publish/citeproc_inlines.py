"""pandoc AST inlines (an entry as its citeproc renders it) as text, Markdown, HTML or reST.

pandoc's JSON AST (https://hackage.haskell.org/package/pandoc-types, ``Text.Pandoc.Definition``)
gives each entry as inline elements: ``Str``, ``Space``, ``Emph``, ``Strong``, ``SmallCaps``,
``Superscript``, ``Span``... Every ``Str`` is data or a style's term, never markup, so it is
escaped here for the markup asked for, and the markup is ours: HTML as citeproc-js writes it
(``<i>``, ``<b>``, ``<sup>``, small caps as a styled span), Markdown ``*``/``**``, reST roles.
Links, ``nocase`` spans and other wrappers keep only their text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..text.markup import Markup, escape, finish_rst, rst_role

Inline = dict[str, Any]

_HTML = {
    "Emph": ("<i>", "</i>"),
    "Strong": ("<b>", "</b>"),
    "Superscript": ("<sup>", "</sup>"),
    "Subscript": ("<sub>", "</sub>"),
    "SmallCaps": ('<span style="font-variant:small-caps;">', "</span>"),
    "Underline": ('<span style="text-decoration:underline;">', "</span>"),
}
_MARKDOWN = {
    "Emph": ("*", "*"),
    "Strong": ("**", "**"),
    "Superscript": ("<sup>", "</sup>"),
    "Subscript": ("<sub>", "</sub>"),
}
_RST_ROLES = {
    "Emph": "emphasis",
    "Strong": "strong",
    "Superscript": "sup",
    "Subscript": "sub",
}
_QUOTES = {"DoubleQuote": ("“", "”"), "SingleQuote": ("‘", "’")}
# Elements whose last child is the list of inlines they wrap: Span and Link hold
# [attributes, inlines(, target)], Quoted [quote type, inlines], Cite [citations, inlines].
_WRAPPERS = {"Span": 1, "Link": 1, "Cite": 1, "Strikeout": None}


def write_inlines(inlines: Sequence[Inline], markup: Markup) -> str:
    """The inlines in ``markup``, whitespace collapsed."""
    text = _write(inlines, markup, in_role=False)
    text = " ".join(text.split())
    return finish_rst(text) if markup == "rst" else text


def _write(inlines: Sequence[Inline], markup: Markup, *, in_role: bool) -> str:
    return "".join(_one(inline, markup, in_role) for inline in inlines)


def _one(inline: Inline, markup: Markup, in_role: bool) -> str:
    kind = inline.get("t")
    content: Any = inline.get("c")
    if kind == "Str":
        return escape(str(content), markup)
    if kind in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if kind in ("Code", "Math"):
        return escape(str(content[-1]), markup)
    if kind == "Quoted":
        start, end = _QUOTES.get(content[0].get("t", ""), ("“", "”"))
        inner = _write(content[1], markup, in_role=in_role)
        return escape(start, markup) + inner + escape(end, markup)
    if kind in _WRAPPERS:
        index = _WRAPPERS[kind]
        children = content if index is None else content[index]
        return _write(children, markup, in_role=in_role)
    if kind in _HTML:
        return _styled(kind, content, markup, in_role)
    return ""  # RawInline, Note, Image: nothing a reference entry should print


def _styled(kind: str, children: Sequence[Inline], markup: Markup, in_role: bool) -> str:
    if markup == "html":
        start, end = _HTML[kind]
        return start + _write(children, markup, in_role=False) + end
    if markup == "markdown" and kind in _MARKDOWN:
        start, end = _MARKDOWN[kind]
        return start + _write(children, markup, in_role=False) + end
    if markup == "rst" and kind in _RST_ROLES and not in_role:
        # reST roles do not nest: what is inside one is written plain.
        return rst_role(_RST_ROLES[kind], _write(children, markup, in_role=True))
    return _write(children, markup, in_role=in_role)
