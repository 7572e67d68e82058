"""The page rebuilt from the knowledge base: headings, statements, renumbered markers, references.

:func:`page_blocks` groups a document's statements into headings, paragraphs and bulleted
lists (the knowledge base keeps statements, not layout, so the grouping follows rules):

- a new section opens the headings that changed (title level 1, sections from level 2);
- a short statement without a closing full stop ("Active infection") is a bullet;
- a statement that opens with a short label and a colon ("Neuromodulatory effects: ...")
  opens a bullet of its own; a numbered step ("2. Local anesthesia ...") a paragraph;
- any other statement joins the open paragraph or bullet, or opens a paragraph;
- a statement that cites a source, or ends in a colon, closes its paragraph or bullet.

:func:`render_page` writes the blocks as Markdown, HTML or reST with every statement
verbatim, each marker renumbered from the knowledge base and collapsed in the style's form,
and the reference list at the end; ``annotate`` adds each statement's evidence and the
verification status of its sources, for editors.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..auditing.annotations import annotation, evidence_state, verification_state
from ..errors import StyleError, UnknownIdError
from ..kb.knowledge_base import KnowledgeBase
from ..model import Claim
from ..text.markers import format_marker
from ..text.markup import (
    escape_attribute,
    escape_html,
    escape_markdown,
    escape_rst,
    markdown_paragraph,
    rst_paragraph,
)
from ..verification import Verification
from ..verifying.outdated import current
from .choices import DEFAULT_STYLE, PAGE_FORMATS, PageFormat
from .numbering import document_claims
from .reference_list import ReferenceList, reference_list
from .styles import Style, resolve_style

_STEP = re.compile(r"^\d+[.)]\s")
_LABEL = re.compile(r"^[A-Z][^.:;!?]{1,60}:\s+\S")
_SHORT = 120
_RST_UNDERLINES = {2: "=", 3: "-", 4: "~", 5: "^", 6: '"'}


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    claims: tuple[Claim, ...]
    step: bool = False


@dataclass(frozen=True)
class BulletList:
    items: tuple[tuple[Claim, ...], ...]


Block = Heading | Paragraph | BulletList


@dataclass(frozen=True)
class RenderedPage:
    """The page as text in its format, and the reference list it ends with (with its notes)."""

    output: str
    references: ReferenceList


def page_blocks(claims: Sequence[Claim]) -> list[Block]:
    """Group statements (in page order) into headings, paragraphs and bulleted lists."""
    blocks: list[Block] = []
    section: tuple[str, ...] = ()
    group: list[Claim] | None = None  # the open paragraph or bullet, still taking statements
    step = False
    bullets: list[list[Claim]] | None = None

    def close_paragraph() -> None:
        nonlocal group
        if group is not None and bullets is None:
            blocks.append(Paragraph(tuple(group), step))
        group = None

    def close_all() -> None:
        nonlocal bullets, group
        close_paragraph()
        if bullets is not None:
            blocks.append(BulletList(tuple(tuple(item) for item in bullets)))
        bullets = None
        group = None

    for claim in claims:
        text = claim.text.strip()
        if claim.section != section:
            close_all()
            common = _common_prefix(section, claim.section)
            for depth in range(common, len(claim.section)):
                blocks.append(Heading(depth + 2, claim.section[depth]))
            section = claim.section
        if _is_item(text) or (_LABEL.match(text) and not _STEP.match(text)):
            close_paragraph()
            bullets = bullets if bullets is not None else []
            item = [claim]
            bullets.append(item)
            group = item if not _is_item(text) else None
        elif _STEP.match(text):
            close_all()
            group, step = [claim], True
        elif group is not None:
            group.append(claim)
        else:
            close_all()
            group, step = [claim], False
        if claim.refs or text.endswith(":"):
            close_paragraph()
    close_all()
    return blocks


@dataclass(frozen=True)
class PageParts:
    """What a page is made of: title, blocks, a writer for its format, its reference list."""

    title: str
    blocks: tuple[Block, ...]
    writer: PageWriter
    references: ReferenceList


def page_parts(
    kb: KnowledgeBase,
    *,
    fmt: PageFormat = "markdown",
    style: str | Style = DEFAULT_STYLE,
    annotate: bool = False,
    verification: Verification | None = None,
    document: str | None = None,
    cited_only: bool = False,
) -> PageParts:
    """Group the document, render its reference list, and number every marker from it."""
    if fmt not in PAGE_FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(PAGE_FORMATS)}, not {fmt!r}")
    doc_id = _document_id(kb, document)
    claims = document_claims(kb, doc_id)
    # A result for a reference changed since it was verified says nothing of it now.
    verification, _changed = current(kb.references, verification)
    resolved = style if isinstance(style, Style) else resolve_style(style)
    if not resolved.numeric and resolved.citation_format != "author-date":
        raise StyleError(
            f"{resolved.name!r} is a {resolved.citation_format} style: pages render with "
            "numeric or author-date styles only"
        )
    cited = [c for c in claims if c.refs]
    references = reference_list(
        kb,
        style=resolved,
        fmt=fmt,
        cited_only=cited_only,
        verification=verification,
        document=doc_id,
        clusters=[list(dict.fromkeys(c.refs)) for c in cited] if not resolved.numeric else (),
    )
    writer = PageWriter(fmt, _markers(cited, references, resolved, fmt), kb, verification, annotate)
    title = kb.documents[doc_id].title or doc_id
    return PageParts(title, tuple(page_blocks(claims)), writer, references)


def render_page(
    kb: KnowledgeBase,
    *,
    fmt: PageFormat = "markdown",
    style: str | Style = DEFAULT_STYLE,
    annotate: bool = False,
    verification: Verification | None = None,
    document: str | None = None,
    cited_only: bool = False,
) -> RenderedPage:
    """The document rebuilt as Markdown, HTML or reST (see the module docstring).

    ``verification`` (the lock) feeds the annotations and the journal abbreviations.
    Raises StyleError for an unusable style, UnknownIdError for an unknown document, and
    ValueError when the knowledge base holds several documents and none is named.
    """
    parts = page_parts(
        kb,
        fmt=fmt,
        style=style,
        annotate=annotate,
        verification=verification,
        document=document,
        cited_only=cited_only,
    )
    writer = parts.writer
    body = writer.blocks([Heading(1, parts.title), *parts.blocks])
    heading = writer.heading(Heading(2, "References"))
    output = body + "\n" + heading + "\n" + parts.references.output
    if fmt == "html":
        output = _html_document(parts.title, output, annotate)
    return RenderedPage(output, parts.references)


def _document_id(kb: KnowledgeBase, document: str | None) -> str:
    if document is not None:
        if document not in kb.documents:
            raise UnknownIdError("document", document, kb.documents)
        return document
    if len(kb.documents) != 1:
        raise ValueError(
            f"the knowledge base holds {len(kb.documents)} documents "
            f"({', '.join(kb.documents)}): name one"
        )
    return next(iter(kb.documents))


def _markers(
    cited: Sequence[Claim], references: ReferenceList, style: Style, fmt: PageFormat
) -> dict[int, str]:
    """Each citing statement's marker, ready to append to its text, by ``id(claim)``."""
    if not style.numeric:
        return {id(c): " " + text for c, text in zip(cited, references.citations, strict=True)}
    markers: dict[int, str] = {}
    for claim in cited:
        numbers = references.numbering.numbers_of(claim)
        if not numbers:
            continue
        if style.marker == "superscript":
            plain = format_marker(numbers, "plain")
            if fmt == "html":
                markers[id(claim)] = f"<sup>{plain}</sup>"
            elif fmt == "rst":
                markers[id(claim)] = f"\\ :sup:`{plain}`"
            else:
                markers[id(claim)] = format_marker(numbers, "superscript")
        else:
            text = format_marker(numbers, style.marker)
            escaped = {"html": escape_html, "markdown": escape_markdown, "rst": escape_rst}[fmt]
            markers[id(claim)] = " " + escaped(text)
    return markers


class PageWriter:
    """Writes headings, paragraphs and bullets of statements in one format."""

    def __init__(
        self,
        fmt: PageFormat,
        markers: dict[int, str],
        kb: KnowledgeBase,
        verification: Verification | None,
        annotate: bool,
    ) -> None:
        self.fmt = fmt
        self.markers = markers
        self.kb = kb
        self.verification = verification
        self.annotate = annotate

    def blocks(self, blocks: Sequence[Block]) -> str:
        parts = []
        for block in blocks:
            if isinstance(block, Heading):
                parts.append(self.heading(block))
            elif isinstance(block, Paragraph):
                parts.append(self.paragraph(block))
            else:
                parts.append(self.bullets(block))
        return "\n".join(parts)

    def heading(self, heading: Heading) -> str:
        title = _one_line(heading.text)
        if self.fmt == "html":
            level = min(heading.level, 6)
            return f"<h{level}>{escape_html(title)}</h{level}>\n"
        if self.fmt == "markdown":
            # A trailing "#" would be read as the heading's closing sequence and dropped.
            text = escape_markdown(title).replace("#", "\\#")
            return f"{'#' * heading.level} {text}\n"
        # A title that starts like a comment or directive ("..") would vanish into one.
        text = rst_paragraph(title)
        line = _RST_UNDERLINES.get(heading.level, "=") * len(text)
        if heading.level == 1:
            line = "=" * len(text)
            return f"{line}\n{text}\n{line}\n"
        return f"{text}\n{line}\n"

    def statement(self, claim: Claim, first: bool) -> str:
        # One line: a line break inside a statement would let it open a heading, a list or
        # a directive of its own in Markdown and reST.
        text = _one_line(claim.text)
        marker = self.markers.get(id(claim), "")
        note = self._note(claim)
        if self.fmt == "html":
            return (
                f'<span class="claim" id="claim-{escape_attribute(claim.id)}">'
                f"{escape_html(text)}{marker}{note}</span>"
            )
        if self.fmt == "markdown":
            escaped = markdown_paragraph(text) if first else escape_markdown(text)
        else:
            escaped = rst_paragraph(text) if first else escape_rst(text)
        return escaped + marker + note

    def sentences(self, claims: Sequence[Claim], guard: bool = False) -> str:
        """Statements joined by spaces, each with its marker (and note); ``guard`` escapes a
        start that would read as a list or heading."""
        return " ".join(self.statement(c, guard and i == 0) for i, c in enumerate(claims))

    def paragraph(self, paragraph: Paragraph) -> str:
        # A numbered step keeps its "1. " so Markdown and reST show it as a numbered list.
        text = self.sentences(paragraph.claims, guard=not paragraph.step)
        if self.fmt == "html":
            css = ' class="step"' if paragraph.step else ""
            return f"<p{css}>{text}</p>\n"
        return text + "\n"

    def bullets(self, bullets: BulletList) -> str:
        items = [self.sentences(item, guard=False) for item in bullets.items]
        if self.fmt == "html":
            return "<ul>\n" + "".join(f"<li>{item}</li>\n" for item in items) + "</ul>\n"
        return "".join(f"- {item}\n" for item in items)

    def _note(self, claim: Claim) -> str:
        if not self.annotate:
            return ""
        text = annotation(self.kb, claim, self.verification)
        if self.fmt == "html":
            return (
                f' <span class="proloevidence-annotation" '
                f'data-evidence="{evidence_state(claim)}" '
                f'data-verification="{verification_state(claim, self.verification)}">'
                f"[{escape_html(text)}]</span>"
            )
        if self.fmt == "markdown":
            return f" *{escape_markdown('[' + text + ']')}*"
        return f" *{escape_rst('[' + text + ']')}*"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _common_prefix(a: Sequence[str], b: Sequence[str]) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _is_item(text: str) -> bool:
    return len(text) <= _SHORT and not text.endswith((".", "!", "?", ":", "…"))


_CSS = (
    ".proloevidence-annotation{font-size:.8em;color:#444}"
    '[data-evidence="unsupported"]{background:#fde2e2}'
    '[data-verification="questionable"]{outline:1px solid #c00}'
)


def _html_document(title: str, body: str, annotate: bool) -> str:
    style = f"<style>{_CSS}</style>\n" if annotate else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape_html(title)}</title>\n{style}</head>\n<body>\n"
        f'<article class="proloevidence-page">\n{body}</article>\n</body>\n</html>\n'
    )
