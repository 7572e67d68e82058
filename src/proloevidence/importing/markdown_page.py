"""Read a Markdown page into blocks: ``#`` and underlined headings, lists, paragraphs.

Paragraph lines are joined (a line break inside a paragraph is a soft wrap); a blank line
ends a block. ``-``, ``*``, ``+`` and ``•`` start list items, ``1.`` and ``1)`` numbered
steps (the number stays in the text, as the reader sees it). Fenced code, tables, images
and horizontal rules are skipped. Inline markup is reduced to the text a reader sees:
emphasis, code spans and links (``[text](url)`` -> ``text``; a link whose text is a
reference number, ``[2](#ref-2)``, becomes the bracketed marker ``[2]``);
``<sup>1-3</sup>`` and Pandoc's ``^1-3^`` become ``¹⁻³``.
"""

from __future__ import annotations

import html
import re

from .page_structure import ATX_HEADING, RawBlock, Role

_SETEXT = re.compile(r"^(=+|-+)\s*$")
_RULE = re.compile(r"^(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
_FENCE = re.compile(r"^(```|~~~)")
_BULLET = re.compile(r"^[-*+•]\s+(?=\S)")
_STEP = re.compile(r"^\d{1,9}[.)]\s+(?=\S)")

_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|])")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_SUP = re.compile(r"<sup>(.*?)</sup>", re.IGNORECASE | re.DOTALL)
# Pandoc's superscript "^1,2^": only numbers, so "x^2^" of a formula stays as written.
_CARET = re.compile(r"\^([0-9][0-9,\s\-–‐]*)\^")
_LINK = re.compile(r"\[([^\]]+)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_CODE = re.compile(r"`([^`]*)`")
_MARKER_NUMBERS = re.compile(r"^\s*[0-9][0-9,\s\-–‐]*$")
_TO_SUPERSCRIPT = str.maketrans("0123456789-–‐", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁻⁻")
_PLACEHOLDER = "\ue001"


def is_marker_numbers(text: str) -> bool:
    """Whether ``text`` is only a marker's numbers (``1-3``, ``2, 5``): a superscript or a
    link with this text is a citation marker."""
    return bool(_MARKER_NUMBERS.match(text))


def superscript(text: str) -> str:
    """``1-3`` -> ``¹⁻³``: the digits of a superscript marker as a plain reader sees them."""
    return "".join(text.split()).translate(_TO_SUPERSCRIPT)


def inline_text(text: str) -> str:
    """The text a reader sees: inline Markdown (and a few HTML tags) taken out."""
    escaped: list[str] = []

    def hold(match: re.Match[str]) -> str:
        escaped.append(match.group(1))
        return f"{_PLACEHOLDER}{len(escaped) - 1}{_PLACEHOLDER}"

    text = _ESCAPE.sub(hold, text)
    text = _IMAGE.sub("", text)
    text = _SUP.sub(lambda m: _sup(m.group(1)), text)
    text = _CARET.sub(lambda m: _sup(m.group(1)), text)
    text = _LINK.sub(
        lambda m: f"[{m.group(1)}]" if is_marker_numbers(m.group(1)) else m.group(1), text
    )
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _CODE.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    text = _EMPHASIS.sub(r"\2", text)
    text = html.unescape(text)
    text = re.sub(rf"{_PLACEHOLDER}(\d+){_PLACEHOLDER}", lambda m: escaped[int(m.group(1))], text)
    return " ".join(text.split())


def _sup(inner: str) -> str:
    plain = _TAG.sub("", inner)
    return superscript(plain) if is_marker_numbers(plain) else plain


def markdown_blocks(text: str) -> list[RawBlock]:
    """Read Markdown into blocks (roles ``heading``, ``paragraph``, ``item``, ``step``)."""
    blocks: list[RawBlock] = []
    parts: list[str] = []
    start = 0
    role: Role = "paragraph"
    in_fence = False

    def flush() -> None:
        nonlocal parts
        if parts:
            blocks.append(RawBlock(inline_text(" ".join(parts)), start, role))
        parts = []

    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if _FENCE.match(line):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        while line.startswith(">"):
            line = line[1:].strip()
        if not line:
            flush()
            continue
        setext = _SETEXT.match(line)
        if setext and parts and role == "paragraph" and len(parts) == 1:
            level = 1 if setext.group(1)[0] == "=" else 2
            blocks.append(RawBlock(inline_text(parts[0]), start, "heading", level))
            parts = []
            continue
        if _RULE.match(line) or line.startswith("|"):
            flush()
            continue
        atx = ATX_HEADING.match(line)
        if atx:
            flush()
            blocks.append(RawBlock(inline_text(atx.group(2)), number, "heading", len(atx.group(1))))
            continue
        bullet = _BULLET.match(line)
        if bullet or _STEP.match(line):
            flush()
            start, role = number, "step" if bullet is None else "item"
            parts = [line[bullet.end() :] if bullet else line]
            continue
        if not parts:
            start, role = number, "paragraph"
        parts.append(line)
    flush()
    return [b for b in blocks if b.text]
