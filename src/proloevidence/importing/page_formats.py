"""The page formats the importer reads, apart from the reader so the command line can offer
them (``import --page-format``) without compiling the importer's patterns for ``--help``."""

from __future__ import annotations

from typing import Literal

PageFormat = Literal["text", "markdown", "html"]
PAGE_FORMATS: tuple[PageFormat, ...] = ("text", "markdown", "html")
