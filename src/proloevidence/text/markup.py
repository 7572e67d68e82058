"""Markup in text from elsewhere, and markup we write: stripping, escaping, reST roles.

Remote titles arrive with inline HTML, JATS and MathML tags: :func:`strip_markup` reduces them
to their text (the resolver's parsers and the title comparison use the same function).
Everything that comes from a knowledge base or a remote service is text, never markup: it is
escaped here before it meets markup of ours, and :func:`strip_control` keeps terminal escape
sequences out of what we print and write. :func:`rst_role` and :func:`finish_rst` write reST
roles that hold next to punctuation.
"""

from __future__ import annotations

import html
import re
from typing import Literal

Markup = Literal["text", "markdown", "html", "rst"]

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~$])")
_RST_SPECIAL = re.compile(r"([\\`*_|])")
# A paragraph that starts like a list item, a heading, a quote or a directive would turn
# into one; these patterns find such starts so they can be escaped.
_MARKDOWN_BLOCK_START = re.compile(r"^(\d+)([.)])(\s)|^([-+*#>=])(\s|$)")
_RST_BLOCK_START = re.compile(
    r"^(?:\(?(?:\d+|[a-zA-Z#]|[ivxlcIVXLC]+)[.)]|[-+*•‣⁃]|\.\.|>>>|:[^:\s][^:]*:)(?:\s|$)"
)


# A tag looks like <i>, </jats:italic>, <mml:mi mathvariant="bold">, <br/>. A bare "<" in
# running text ("p < 0.05", "p <0.05") is left alone: only things shaped like tags are removed.
_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>")
# MathML annotations repeat the formula as TeX or MathML source; their text would double it.
_ANNOTATION = re.compile(
    r"<(?P<tag>(?:\w+:)?annotation(?:-xml)?)\b[^>]*>.*?</(?P=tag)>", re.S | re.IGNORECASE
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_markup(text: str) -> str:
    """Remove inline HTML/JATS/MathML tags (keeping their text), decode entities, collapse
    whitespace: ``"Regulation of <i>TERT</i>"`` -> ``"Regulation of TERT"``.

    Tags that arrive entity-escaped (``&lt;i&gt;``, as in some esummary titles) are removed
    too. Missing spaces around markup in the source (``SnO<sub>2</sub>thin``) stay missing:
    they are in the record.
    """
    text = _TAG.sub("", _ANNOTATION.sub("", text or ""))
    text = html.unescape(text)
    text = _TAG.sub("", _ANNOTATION.sub("", text))
    return " ".join(text.split())


def strip_control(text: str) -> str:
    """``text`` without control characters (terminal escape sequences), newlines and tabs kept."""
    return _CONTROL.sub("", text)


def escape_html(text: str) -> str:
    """Text for HTML element content (``&``, ``<``, ``>`` escaped)."""
    return html.escape(text, quote=False)


def escape_attribute(text: str) -> str:
    """Text for a quoted HTML attribute value."""
    return html.escape(text, quote=True)


def escape_markdown(text: str) -> str:
    """Text for Markdown inline content: every character that could start markup escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def escape_rst(text: str) -> str:
    """Text for reStructuredText inline content (``::`` would announce a literal block)."""
    return _RST_SPECIAL.sub(r"\\\1", text).replace("::", ":\\:")


def markdown_paragraph(text: str) -> str:
    """Escaped inline text that also cannot start a list, heading or quote."""
    escaped = escape_markdown(text)
    match = _MARKDOWN_BLOCK_START.match(escaped)
    if match and match.group(1):
        return f"{match.group(1)}\\{match.group(2)}{escaped[match.end(2) :]}"
    if match:
        return "\\" + escaped
    return escaped


def rst_paragraph(text: str) -> str:
    """Escaped inline text that also cannot start an enumerated or bulleted list."""
    escaped = escape_rst(text)
    match = _RST_BLOCK_START.match(escaped)
    return "\\" + escaped if match else escaped


def escape(text: str, markup: Markup) -> str:
    """Inline text escaped for ``markup`` (plain text is returned as is)."""
    if markup == "html":
        return escape_html(text)
    if markup == "markdown":
        return escape_markdown(text)
    if markup == "rst":
        return escape_rst(text)
    return text


# -- reST roles ---------------------------------------------------------------------------------
# A role is written between two marker characters; finish_rst then decides, knowing what comes
# before and after it, whether reST needs an escaped space there.

_ROLE_OPEN = "\x00"
_ROLE_CLOSE = "\x01"
# Characters reST accepts right before the start of inline markup and right after its end.
_RST_BEFORE = set(" \t\n-:/'\"<([{")
_RST_AFTER = set(" \t\n-.,:;!?\\/'\")]}>")


def rst_role(name: str, text: str) -> str:
    """``:name:`text``` (text already escaped), to be finished with :func:`finish_rst`."""
    return f"{_ROLE_OPEN}:{name}:`{text}`{_ROLE_CLOSE}"


def finish_rst(text: str) -> str:
    """Put an escaped space (``\\ ``) where a role touches a character reST would not allow."""
    out: list[str] = []
    for i, char in enumerate(text):
        if char == _ROLE_OPEN:
            previous = out[-1][-1:] if out else ""
            if previous and previous not in _RST_BEFORE:
                out.append("\\ ")
        elif char == _ROLE_CLOSE:
            following = text[i + 1 : i + 2]
            if following and following != _ROLE_OPEN and following not in _RST_AFTER:
                out.append("\\ ")
        else:
            out.append(char)
    return "".join(out)
