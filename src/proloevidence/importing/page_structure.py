"""The structure of a page: its title, its headings, its blocks of text and its reference list.

Readers turn a page into :class:`RawBlock` values: the plain-text reader here,
:mod:`proloevidence.importing.markdown_page` and :mod:`proloevidence.importing.html_page`.
:func:`structure`
then gives every block its section path and takes the reference list apart.

Plain text has no markup, so its structure is guessed (docs/import.md lists the limits):

- the first line is the title when it is short;
- a *short line* (at most 12 words and 120 characters, no marker, not ending in ``.``,
  ``!``, ``:``, ``;`` or ``,`` nor in lost superscripts, ``weeks.1,2``; a line ending in
  ``?`` counts) is a heading or a one-line list item; a longer line is a paragraph; a line
  starting in lower case continues the line above;
- after a line ending in ``:`` (it introduces a list), two or more short lines are list
  items, one short line is a sub-heading;
- otherwise in a run of short lines the first is a heading; a second one alone is its
  sub-heading; three or more lines after it are its list items;
- plain text has two heading levels. A heading after a sub-heading stays a sub-heading,
  unless its capitalisation (Title Case or Sentence case) differs from the sub-headings'
  and matches the top-level headings', or it heads a sub-heading of its own;
- a heading named "References" (or "Bibliography", "Sources", "Works cited", ...) starts
  the reference list: numbered entries (``1.``, ``1)``, ``[1]``, ``(1)``), lines that
  continue them, until a line that neither is an entry nor continues one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..text.markers import find_markers
from .page_formats import PageFormat

Role = Literal["line", "heading", "paragraph", "item", "step"]
BodyRole = Literal["paragraph", "item", "step"]

MAX_HEADING_WORDS = 12
REFERENCES_HEADING = re.compile(
    r"^(?:references?|bibliography|sources|works cited|literature(?: cited)?|citations|"
    r"cited (?:works|literature)|notes and references|references and notes)\s*:?$",
    re.IGNORECASE,
)
ATX_HEADING = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
"""A Markdown ``#`` heading (also read in plain text): its hashes and its text."""
_BULLET = re.compile(r"^[-*+•‣◦▪●·–]\s+(?=\S)")
_STEP = re.compile(r"^\d{1,3}[.)]\s+(?=\S)")
_ENTRY_NUMBER = re.compile(r"^\s*(?:\[(\d{1,4})\]|\((\d{1,4})\)|(\d{1,4})[.)])\s*(?=\S)")
_LETTER = re.compile(r"[^\W\d_]")
# A sentence's end and the numbers a copied page lost its superscripts to ("weeks.1,2",
# "pain.1-3"); two letters first, so "Appendix A.1" or "Version 2.1" stay headings.
_LOST_SUPERSCRIPTS_AT_END = re.compile(
    r"[^\W\d_]{2}[)\]\"”’]?[.!?]\d{1,4}(?:\s*[,–—-]\s*\d{1,4})*$"
)
_SMALL_WORDS = frozenset(
    "a an the and or but nor for of in on at to by with from as vs via per into over up off "
    "than is are be".split()
)


@dataclass(frozen=True)
class RawBlock:
    """A block as a reader found it: ``line`` role means "plain text, role to be guessed".

    ``level`` is an explicit heading level (Markdown ``#``, HTML ``<h2>``), 0 otherwise;
    ``line`` is the 1-based line in the page's source.
    """

    text: str
    line: int
    role: Role
    level: int = 0


@dataclass(frozen=True)
class Block:
    """A block of the page's body with its section path (the headings above it).

    ``intro`` is the index (in :attr:`Page.blocks`) of the block ending in ``:`` that
    introduces this list item, or None.
    """

    text: str
    section: tuple[str, ...]
    line: int
    role: BodyRole
    intro: int | None = None


@dataclass(frozen=True)
class ReferenceEntry:
    """One entry of the reference list: its number on the page and its printed text."""

    number: int
    text: str
    line: int


@dataclass(frozen=True)
class Page:
    """A page taken apart. ``renumbered`` is True when the list's printed numbers were not
    unique (or missing), so entries are numbered by their position instead."""

    title: str
    blocks: tuple[Block, ...]
    references: tuple[ReferenceEntry, ...]
    references_line: int = 0
    renumbered: bool = False


def detect_format(text: str, filename: str = "") -> PageFormat:
    """Guess a page's format from its file name, else from its first lines."""
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if suffix in {"md", "markdown", "mdown", "mkd"}:
        return "markdown"
    if suffix in {"html", "htm", "xhtml"}:
        return "html"
    if suffix == "txt":
        return "text"
    head = text.lstrip()[:2000].lower()
    if head.startswith(("<!doctype html", "<html")) or re.search(
        r"<(?:p|h[1-6]|ol|ul|li|div|body|article)\b[^>]*>", head
    ):
        return "html"
    if re.search(r"^#{1,6}\s+\S", text, re.MULTILINE):
        return "markdown"
    return "text"


def text_blocks(text: str) -> list[RawBlock]:
    """Read plain text: one block per line; ``#`` headings, bullets and steps recognised."""
    blocks: list[RawBlock] = []
    joinable = False
    for number, raw in enumerate(text.split("\n"), start=1):
        line = " ".join(raw.split())
        if not line:
            joinable = False
            continue
        atx = ATX_HEADING.match(line)
        if atx:
            blocks.append(RawBlock(atx.group(2), number, "heading", len(atx.group(1))))
            joinable = False
            continue
        if joinable and line[0].islower():
            last = blocks[-1]
            blocks[-1] = RawBlock(f"{last.text} {line}", last.line, last.role, last.level)
            continue
        bullet = _BULLET.match(line)
        if bullet:
            blocks.append(RawBlock(line[bullet.end() :], number, "item"))
        elif _STEP.match(line):
            blocks.append(RawBlock(line, number, "step"))
        else:
            blocks.append(RawBlock(line, number, "line"))
        joinable = True
    return blocks


def is_short_line(text: str) -> bool:
    """Whether a plain-text line can be a heading or a one-line list item."""
    stripped = text.strip().rstrip("\"'”’)»]").rstrip()
    if not stripped or not _LETTER.search(stripped) or stripped[-1] in ".!:;,…":
        return False
    if find_markers(text) or _LOST_SUPERSCRIPTS_AT_END.search(stripped):
        return False
    return len(text.split()) <= MAX_HEADING_WORDS and len(text) <= 120


def capitalisation(text: str) -> Literal["title", "sentence", "either"]:
    """Title Case, Sentence case, or "either" when the words cannot tell (one word)."""
    words = re.findall(r"[^\W\d_][\w'’\-]*", text)
    significant = [w for w in words[1:] if w.lower() not in _SMALL_WORDS]
    if not significant:
        return "either"
    return "title" if all(w[0].isupper() for w in significant) else "sentence"


def structure(raw: list[RawBlock], title_hint: str = "") -> Page:
    """Give every block its section path; take the title and the reference list apart."""
    blocks = [b for b in raw if b.text.strip()]
    title = ""
    if blocks and (
        blocks[0].role == "heading" or (blocks[0].role == "line" and is_short_line(blocks[0].text))
    ):
        title = blocks.pop(0).text.strip()
    title = title or title_hint.strip()
    return _Builder(blocks).run(title)


class _Builder:
    """Walks the blocks once, keeping the heading path and the guessing state."""

    def __init__(self, blocks: list[RawBlock]) -> None:
        self.blocks = blocks
        levels = [b.level for b in blocks if b.role == "heading" and b.level]
        self.base = min(levels) if levels else 1
        self.path: list[tuple[int, str]] = []
        self.out: list[Block] = []
        self.entries: list[tuple[int | None, str, int]] = []
        self.references_line = 0
        self.in_references = False
        self.intro: int | None = None  # index of the block ending in ":" before a list
        self.after_colon = False
        self.in_sub = False
        self.top_style: str | None = None
        self.sub_style: str | None = None

    def run(self, title: str) -> Page:
        i = 0
        blocks = self.blocks
        while i < len(blocks):
            block = blocks[i]
            if self.in_references and self.take_reference(block):
                i += 1
                continue
            if block.role == "heading":
                self.explicit_heading(block)
                i += 1
            elif block.role == "line" and REFERENCES_HEADING.match(block.text.strip()):
                self.start_references(block)
                i += 1
            elif block.role == "line" and is_short_line(block.text):
                j = i + 1
                while (
                    j < len(blocks)
                    and blocks[j].role == "line"
                    and is_short_line(blocks[j].text)
                    and not REFERENCES_HEADING.match(blocks[j].text.strip())
                ):
                    j += 1
                self.guess_run(blocks[i:j])
                i = j
            else:
                self.body(block, "paragraph" if block.role == "line" else block.role)
                i += 1
        references, renumbered = self.numbered_entries()
        return Page(title, tuple(self.out), references, self.references_line, renumbered)

    # -- headings ----------------------------------------------------------------------
    def set_heading(self, text: str, level: int) -> None:
        self.path = [(lv, h) for lv, h in self.path if lv < level] + [(level, text.strip())]
        self.after_colon = False
        self.intro = None

    def explicit_heading(self, block: RawBlock) -> None:
        if REFERENCES_HEADING.match(block.text.strip()):
            self.start_references(block)
            return
        self.in_sub = False
        self.set_heading(block.text, max(1, block.level - self.base + 1))

    def guessed_heading(self, block: RawBlock, level: int) -> None:
        style = capitalisation(block.text)
        if level == 1:
            self.in_sub = False
            if self.top_style is None and style != "either":
                self.top_style = style
        else:
            if not self.in_sub:
                self.in_sub, self.sub_style = True, None
            if self.sub_style is None and style != "either":
                self.sub_style = style
        self.set_heading(block.text, level)

    def guess_level(self, block: RawBlock) -> int:
        if not self.in_sub:
            return 1
        style = capitalisation(block.text)
        if (
            style != "either"
            and self.sub_style is not None
            and style != self.sub_style
            and (self.top_style is None or style == self.top_style)
        ):
            return 1
        return 2

    def guess_run(self, run: list[RawBlock]) -> None:
        if self.after_colon:
            if len(run) == 1:
                self.guessed_heading(run[0], 2)
            else:
                for block in run:
                    self.body(block, "item")
            return
        head, rest = run[0], run[1:]
        if len(rest) == 1:
            self.guessed_heading(head, 1)
            self.guessed_heading(rest[0], 2)
            return
        self.guessed_heading(head, self.guess_level(head))
        for block in rest:
            self.body(block, "item")

    # -- body ------------------------------------------------------------------------------
    def body(self, block: RawBlock, role: BodyRole) -> None:
        text = block.text.strip()
        in_list = role in ("item", "step") and self.intro is not None
        self.out.append(
            Block(
                text,
                tuple(h for _, h in self.path),
                block.line,
                role,
                self.intro if in_list else None,
            )
        )
        self.after_colon = _bare(text).endswith(":")
        if self.after_colon:
            self.intro = len(self.out) - 1
        elif role == "paragraph":
            self.intro = None

    # -- the reference list -----------------------------------------------------------------
    def start_references(self, block: RawBlock) -> None:
        self.in_references = True
        self.references_line = self.references_line or block.line
        self.in_sub = False
        self.set_heading(block.text.rstrip(":"), 1)

    def take_reference(self, block: RawBlock) -> bool:
        """Take ``block`` into the reference list; False when the list has ended."""
        if block.role == "heading":
            self.in_references = False
            return False
        text = block.text.strip()
        numbered = _ENTRY_NUMBER.match(text)
        if numbered:
            number = next(int(g) for g in numbered.groups() if g)
            self.entries.append((number, text[numbered.end() :].strip(), block.line))
            return True
        if self.entries and block.role == "line" and _continues(self.entries[-1][1], text):
            printed_number, previous, line = self.entries[-1]
            self.entries[-1] = (printed_number, f"{previous} {text}", line)
            return True
        if block.role in ("item", "paragraph") or (block.role == "line" and not self.entries):
            self.entries.append((None, text, block.line))  # unnumbered: numbered by position
            return True
        self.in_references = False
        return False

    def numbered_entries(self) -> tuple[tuple[ReferenceEntry, ...], bool]:
        printed = [n for n, _, _ in self.entries]
        renumber = None in printed or len(set(printed)) != len(printed)
        entries = tuple(
            ReferenceEntry(position if renumber or n is None else n, text, line)
            for position, (n, text, line) in enumerate(self.entries, start=1)
        )
        return entries, renumber and bool(self.entries)


def _bare(text: str) -> str:
    """``text`` without trailing markers, to see how it really ends."""
    for match in reversed(find_markers(text)):
        if not text[match.end() :].strip(" ."):
            text = text[: match.start()]
    return text.rstrip()


def _continues(previous: str, line: str) -> bool:
    """Whether a plain-text line continues the reference entry above it."""
    if line[0].islower() or not previous.rstrip().endswith("."):
        return True
    return bool(re.match(r"(?:doi|pmid|pmcid|https?://|available|accessed|\[|\()", line, re.I))
