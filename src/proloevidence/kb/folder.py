"""A knowledge base folder: which of its files are read, and the checks across them.

:func:`folder_problem` says why a path cannot be read as a folder at all;
:func:`holds_knowledge_base` whether a folder looks like one (the CLI's default folder);
:func:`folder_files` lists the ``.bib`` files and the claims files (``claims.yaml``,
``claims/*.yaml``);
:func:`link_problems` finds, once every file is read, the links and numberings that name
a reference no ``.bib`` file holds. :func:`proloevidence.kb.knowledge_base.load` runs them in that
order.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Sequence
from pathlib import Path

from ..errors import Problem
from ..model import Claim, Document, Reference, SourceLocation

CLAIMS_FILE = "claims.yaml"
CLAIMS_DIR = "claims"


def folder_problem(folder: Path) -> Problem | None:
    """Why ``folder`` cannot be read as a knowledge base at all, or None when it can."""
    where = SourceLocation(str(folder))
    hint = "give the folder that holds references.bib and claims.yaml"
    try:
        if folder.is_dir():
            os.listdir(folder)  # a folder we may enter but not list would look empty
            return None
        exists = folder.exists()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return Problem(where, f"cannot read the folder: {reason}", hint, "unreadable")
    what = "it is a file" if exists else "it does not exist"
    return Problem(where, f"not a knowledge base folder: {what}", hint, "missing")


def holds_knowledge_base(folder: Path) -> bool:
    """Whether ``folder`` looks like a knowledge base: a ``.bib`` file and claims. Never raises."""
    try:
        has_claims = (folder / CLAIMS_FILE).is_file() or (folder / CLAIMS_DIR).is_dir()
        return has_claims and any(folder.glob("*.bib"))
    except OSError:
        return False


def folder_files(folder: Path) -> tuple[list[Path], list[Path], list[Problem]]:
    """The folder's ``.bib`` files and claims files, and a problem for each kind it lacks."""
    bib_files = sorted(folder.glob("*.bib"))
    claims = claim_files(folder)
    problems = []
    where = SourceLocation(str(folder))
    if not bib_files:
        problems.append(
            Problem(where, "no .bib file in the folder", "add references.bib", "missing")
        )
    if not claims:
        hint = "add claims.yaml (see docs/schema.md)"
        problems.append(
            Problem(where, f"no {CLAIMS_FILE} and no {CLAIMS_DIR}/ folder", hint, "missing")
        )
    return bib_files, claims, problems


def claim_files(folder: Path) -> list[Path]:
    single = folder / CLAIMS_FILE
    many = (
        sorted((folder / CLAIMS_DIR).glob("*.yaml")) + sorted((folder / CLAIMS_DIR).glob("*.yml"))
        if (folder / CLAIMS_DIR).is_dir()
        else []
    )
    # A claims.yaml that is no file (a folder, say) is read, so that it is reported as such.
    return ([single] if single.exists() else []) + many


def link_problems(
    documents: Sequence[Document],
    linked: Sequence[tuple[list[Claim], frozenset[str] | None]],
    references: dict[str, Reference],
    explained: set[str] | None,
) -> list[Problem]:
    """Links to unknown references, and numberings that disagree, file by file.

    A key in ``explained`` (an entry that could not be parsed), or any key when
    ``explained`` is None (a .bib file that could not be read), is not reported: the
    problem that made it unknown already is.
    """
    problems: list[Problem] = []
    known = sorted(references)
    for claims, keys in linked:
        if explained is None:
            break
        # A file's distinct keys (which the fast reader and the cache know) are checked
        # first: its statements are walked only when one of them is unknown.
        if keys is None:
            keys = frozenset(c.ref for claim in claims for c in claim.citations)
        if keys <= references.keys():
            continue
        for claim in claims:
            for citation in claim.citations:
                if citation.ref in references or citation.ref in explained:
                    continue
                close = difflib.get_close_matches(citation.ref, known, n=1)
                problems.append(
                    Problem(
                        citation.location or claim.location or SourceLocation("<claims>"),
                        f"claim {claim.id!r} links unknown reference {citation.ref!r}",
                        f"did you mean {close[0]!r}?" if close else "add it to a .bib file",
                        "unknown-reference",
                    )
                )
    for doc in documents:
        where = doc.location or SourceLocation("<claims>")
        for number, key in doc.numbering.items():
            if key not in references:
                if explained is None or key in explained:
                    continue
                close = difflib.get_close_matches(key, known, n=1)
                problems.append(
                    Problem(
                        where,
                        f"document {doc.id!r} numbers unknown reference {key!r} as {number}",
                        f"did you mean {close[0]!r}?" if close else "",
                        "unknown-reference",
                    )
                )
                continue
            printed = references[key].page_number
            if printed is not None and printed != number and len(documents) == 1:
                problems.append(
                    Problem(
                        references[key].location or where,
                        f"{key!r} has refnumber {printed} but document "
                        f"{doc.id!r} numbers it {number}",
                        "make the two agree",
                        "numbering-mismatch",
                    )
                )
    return problems
