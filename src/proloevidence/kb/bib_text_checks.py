"""What BibTeX would skip in silence: text outside every entry, and control characters.

BibTeX reads anything between entries as a comment, so a ``}`` too many in a value closes the
entry early and its remaining fields vanish without a word, and a file that is no BibTeX at
all (a symlink to a system file) reads as one long comment: zero references, no problem.
A NUL or another control character in a value is printed away by the reference list.
:mod:`proloevidence.kb.bib_reader` adds these problems to the parser's own.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from bibtexparser.model import Block, Entry, ImplicitComment

from ..errors import Problem
from ..model import SourceLocation

# A line that reads like a field (after the comma that ended the previous one).
_FIELD_LINE = re.compile(r"^[ \t,]*([A-Za-z][\w-]*)[ \t]*=", re.MULTILINE)

# C0 controls but tab and line ends, and DEL: never text, and invisible when printed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def control_character_problems(text: str, file: str) -> list[Problem]:
    """A problem, with its line and column, for the first control character of ``text``."""
    found = _CONTROL.search(text)
    if found is None:
        return []
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - text.rfind("\n", 0, found.start())
    return [
        Problem(
            SourceLocation(file, line, column),
            f"control character U+{ord(found.group()):04X} in the file",
            "delete it: a reference holds printable text only",
            "control-character",
        )
    ]


def outside_entries_problems(blocks: Sequence[Block], file: str) -> list[Problem]:
    """Fields after an entry closed too early, or a file of text without any BibTeX."""
    text_blocks = [b for b in blocks if isinstance(b, ImplicitComment)]
    if len(text_blocks) == len(blocks):
        return _not_bibtex(text_blocks, file)
    problems = []
    # Only right after an entry read whole: after one that failed, its problem says it all.
    for previous, block in itertools.pairwise(blocks):
        if not isinstance(previous, Entry) or not isinstance(block, ImplicitComment):
            continue
        last_key = previous.key
        raw = block.raw or ""
        stray = _FIELD_LINE.search(raw)
        if stray:
            line = (block.start_line or 0) + raw.count("\n", 0, stray.start(1)) + 1
            problems.append(
                Problem(
                    SourceLocation(file, line),
                    f"'{stray.group(1)} = ...' is outside any entry: entry {last_key!r} ends "
                    "before it, at a '}' too many in one of its values",
                    f"balance the braces in the values of {last_key!r}",
                    "bibtex-syntax",
                )
            )
    return problems


def _not_bibtex(text_blocks: Sequence[ImplicitComment], file: str) -> list[Problem]:
    for block in text_blocks:
        for number, line in enumerate((block.raw or "").splitlines()):
            if line.strip() and not line.lstrip().startswith("%"):
                return [
                    Problem(
                        SourceLocation(file, (block.start_line or 0) + number + 1),
                        "no BibTeX entry in the file, only text",
                        "is it a BibTeX file? each reference is written @article{key, ...}",
                        "bibtex-syntax",
                    )
                ]
    return []
