"""What reading one ``.bib`` file gives: its references and the problems met on the way.

Apart from the reader (``bib_reader``) so that a load answered from the parse cache, which
never parses BibTeX, does not import bibtexparser and the reader's stages at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import Problem
from ..model import Reference


@dataclass
class ParsedReferences:
    """The references read from one file, and the problems met on the way."""

    references: list[Reference] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)
    """Keys of the entries that could not be parsed (each has its problem, a warning): links
    to them are not reported again as links to unknown references; instead
    :func:`proloevidence.kb.knowledge_base.load` makes the entry's problem an error."""
    unparsed_lines: list[int] = field(default_factory=list)
    """The line of each of ``unparsed``'s problems, in the same order."""
