"""A ``crossref`` parent in another ``.bib`` file of the folder, found as biber finds it.

biber reads every data source before it resolves inheritance, so a DBLP-style
``proceedings.bib`` beside ``references.bib`` gives its children their booktitle, editors
and year. Each file is parsed (and cached) alone, so :func:`with_parents_from_other_files`
parses a file whose ``crossref`` names an entry of another file once more, lending it the
entries of those files (kb/bib_reader.py, ``parent_texts``); what the file holds and the
problems on its lines are its own. Files that need no other file keep what the parse cache
gave. ``@xdata`` containers are no references, so they are read from the entry's own file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .input_limits import read_input_text
from .parsed_references import ParsedReferences

ParsedFile = tuple[Path, ParsedReferences]


def with_parents_from_other_files(files: Sequence[ParsedFile]) -> list[ParsedFile]:
    """``files`` with each one whose ``crossref`` parent is in another file parsed again."""
    owner: dict[str, int] = {}
    for index, (_, parsed) in enumerate(files):
        for key in _keys(parsed):
            owner.setdefault(key, index)
    result = []
    for index, (bib, parsed) in enumerate(files):
        own = _keys(parsed)
        elsewhere = {
            owner[parent]
            for ref in parsed.references
            if (parent := ref.extra.get("crossref", "").strip().casefold())
            and parent not in own
            and owner.get(parent, index) != index
        }
        if elsewhere:
            parsed = _parsed_with(bib, [files[i][0] for i in sorted(elsewhere)]) or parsed
        result.append((bib, parsed))
    return result


def _keys(parsed: ParsedReferences) -> set[str]:
    """The keys and ``ids`` aliases of a file's references, case-folded (as biber finds them)."""
    keys = set()
    for ref in parsed.references:
        keys.add(ref.key.casefold())
        keys.update(a.strip().casefold() for a in ref.extra.get("ids", "").split(",") if a)
    return keys


def _parsed_with(bib: Path, others: list[Path]) -> ParsedReferences | None:
    """``bib`` parsed with the entries of ``others`` as parents; None when one is unreadable."""
    from .bib_reader import parse_references  # imported on this rare path only

    texts = [read_input_text(path) for path in (bib, *others)]
    strings = [text for text in texts if isinstance(text, str)]
    if len(strings) < len(texts):
        return None  # the unreadable file reports itself; the first parse stands
    return parse_references(strings[0], str(bib), parent_texts=strings[1:])
