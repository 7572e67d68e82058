"""Import a page: a draft knowledge base from its text, and what needs an editor's eye.

:func:`import_page` is pure: text in, :class:`Draft` out. :func:`import_file` reads a
file first; :func:`write_draft` writes ``claims.yaml`` and ``references.bib``. The draft
is right wherever the page is unambiguous and says, in :attr:`Draft.notes`, where it is
not (codes in :data:`NOTE_CODES`). Every link the page's markers yield has relation
``supports`` (what the page asserts) and assessment ``unreviewed`` (nobody has read the
source yet); a statement without a marker needs a source until an editor says otherwise.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import write_text_atomic
from ..errors import DraftExistsError, OutputError, PageError
from ..kb.bib_writer import format_references
from ..kb.claims_writer import format_claims
from ..kb.folder import CLAIMS_FILE
from ..model import Claim, Document, Finding, Reference, SourceLocation
from .drafting import NOTE_CODES, DraftBuilder
from .furniture import without_furniture
from .html_page import html_blocks
from .ids import document_id
from .markdown_page import markdown_blocks
from .page_formats import PAGE_FORMATS, PageFormat
from .page_structure import Page, detect_format, structure, text_blocks

REFERENCES_FILE = "references.bib"
MAX_PAGE_CHARACTERS = 10_000_000
"""A longer text is not a page; refusing it bounds the import's time and memory."""

_DOCUMENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ue000\ue001]")


@dataclass(frozen=True)
class Draft:
    """A draft knowledge base made from one page, and the notes for its editor.

    ``claim_comments`` (by statement id) and ``reference_comments`` (by key) hold the
    lines the writers put above a statement or an entry: what the editor must look at there.
    """

    document: Document
    claims: tuple[Claim, ...]
    references: tuple[Reference, ...]
    notes: tuple[Finding, ...] = ()
    format: PageFormat = "text"
    claim_comments: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    reference_comments: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def notes_with(self, code: str) -> list[Finding]:
        """The notes with one code (see :data:`NOTE_CODES`)."""
        return [n for n in self.notes if n.code == code]


def import_page(
    text: str,
    *,
    doc_id: str | None = None,
    fmt: PageFormat | None = None,
    source: str | None = None,
    name: str = "<page>",
) -> Draft:
    """Read a page's text into a :class:`Draft`.

    ``fmt`` is ``text``, ``markdown`` or ``html`` (None: guessed from ``name`` and the
    text). ``doc_id`` defaults to a slug of the title. ``name`` is used in locations.
    Raises :class:`PageError` for an empty or oversized page (more than
    :data:`MAX_PAGE_CHARACTERS`), an unknown format or a bad ``doc_id``;
    everything else the page gets wrong is a note.
    """
    if len(text) > MAX_PAGE_CHARACTERS:
        raise PageError(
            f"{name}: the page has {len(text):,} characters; pages up to "
            f"{MAX_PAGE_CHARACTERS:,} are imported (split it into several pages)"
        )
    cleaned = _UNSAFE.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff"))
    if not cleaned.strip():
        raise PageError(f"{name}: the page is empty")
    if fmt is not None and fmt not in PAGE_FORMATS:
        raise PageError(f"unknown page format {fmt!r}: use one of {', '.join(PAGE_FORMATS)}")
    if doc_id is not None and not _DOCUMENT_ID.match(doc_id):
        raise PageError(
            f"document id {doc_id!r} is not usable: letters, digits, '.', '_' and '-' only"
        )
    chosen: PageFormat = fmt or detect_format(cleaned, name)
    page = read_page(cleaned, chosen)
    builder = DraftBuilder(name)
    references = builder.references(page)
    numbering = {r.page_number: r.key for r in references if r.page_number is not None}
    the_id = doc_id or document_id(page.title, Path(name).stem)
    claims = builder.claims(page, the_id, numbering)
    builder.uncited(references, claims)
    if not page.references and any(n.code == "unknown-reference-number" for n in builder.notes):
        builder.note(
            "no-reference-list",
            the_id,
            "the page prints markers but no reference list was found",
            1,
            'put the list under a heading "References", one numbered entry per line',
        )
    document = Document(
        id=the_id,
        title=page.title,
        source=source,
        numbering=numbering,
        location=SourceLocation(name, 1),
    )
    return Draft(
        document,
        claims,
        references,
        tuple(builder.notes),
        chosen,
        builder.claim_comments,
        builder.reference_comments,
    )


def read_page(text: str, fmt: PageFormat) -> Page:
    """Take a page in ``fmt`` apart into title, blocks and reference list."""
    if fmt == "markdown":
        return structure(without_furniture(markdown_blocks(text)))
    if fmt == "html":
        blocks, title = html_blocks(text)
        return structure(without_furniture(blocks), title_hint=title)
    return structure(without_furniture(text_blocks(text)))


def import_file(
    path: str | os.PathLike[str],
    *,
    doc_id: str | None = None,
    fmt: PageFormat | None = None,
    source: str | None = None,
) -> Draft:
    """Read a page file (UTF-8) and import it; :class:`PageError` names an unreadable file."""
    file = Path(path)
    try:
        if file.stat().st_size > 4 * MAX_PAGE_CHARACTERS:  # UTF-8: at most 4 bytes a character
            raise PageError(f"{file}: the file is too large to be a page")
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PageError(f"{file}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from exc
    except OSError as exc:
        raise PageError(f"{file}: cannot read the page: {exc.strerror or exc}") from exc
    return import_page(
        text,
        doc_id=doc_id,
        fmt=fmt,
        source=source if source is not None else str(file),
        name=str(file),
    )


def write_draft(
    draft: Draft, directory: str | os.PathLike[str], *, force: bool = False
) -> tuple[Path, Path]:
    """Write ``claims.yaml`` and ``references.bib`` into ``directory``, each atomically.

    Refuses (:class:`DraftExistsError`, an :class:`OutputError`; nothing written) when
    either file exists, unless ``force``; then the replaced files are kept as
    ``claims.yaml.bak`` and ``references.bib.bak``. Any other failure to write is an
    :class:`OutputError` too. Returns the two paths (claims, references).
    """
    folder = Path(directory)
    claims_path, references_path = folder / CLAIMS_FILE, folder / REFERENCES_FILE
    try:
        existing = [p for p in (claims_path, references_path) if p.exists()]
    except OSError as exc:  # a folder we may not look into
        raise OutputError(f"cannot write into {folder}: {exc.strerror or exc}") from exc
    if existing and not force:
        raise DraftExistsError(
            f"refusing to overwrite {' and '.join(map(str, existing))}: "
            "the draft would replace an editor's work"
        )
    # With force, a replaced file is kept as NAME.bak: it may hold an editor's work.
    write_text_atomic(
        references_path, format_references(draft.references, draft.reference_comments), backup=force
    )
    write_text_atomic(
        claims_path, format_claims(draft.document, draft.claims, draft.claim_comments), backup=force
    )
    return claims_path, references_path


__all__ = [
    "MAX_PAGE_CHARACTERS",
    "NOTE_CODES",
    "REFERENCES_FILE",
    "Draft",
    "import_file",
    "import_page",
    "read_page",
    "write_draft",
]
