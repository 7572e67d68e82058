"""Which verification results no longer describe their reference as it is cited now.

The verification lock records what verification found for each reference as it was cited
when the lock was made. After an editor corrects ``references.bib`` (by hand or with
``proloevidence fix --write``), a result can describe a citation that is gone: its findings
would name errors already corrected, its suggestion would undo an editor's choice, its
record could lend a journal abbreviation to another work. :func:`current` keeps the results
that still fit, so the audit, ``fix`` and the doc builds treat the others as unverified
until the reference is verified again. :func:`changes_since` says what changed.

A result no longer fits when the reference now prints:

- a DOI, PMID or PMCID other than the one the result holds for it (a result holds every
  identifier printed when it was made, and those verification found);
- a DOI or PMID, where verification found none printed;
- in a field verification found wrong (title, journal, year, volume, issue, pages), the
  value verification found: the correction has been made.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from ..identifiers import doi_key, normalize_pmcid, normalize_pmid
from ..model import Reference
from ..text.titles import fold
from ..verification import Status, Verification, VerificationResult
from .compare import parse_pages

_KEYS = {"doi": doi_key, "pmid": normalize_pmid, "pmcid": normalize_pmcid}


def changes_since(reference: Reference, result: VerificationResult) -> list[str]:
    """What ``reference`` prints now that ``result`` did not verify; [] when it still fits."""
    changes = []
    for kind, now in reference.identifiers.items():
        then = result.identifiers.get(kind)
        if then and _KEYS[kind](then) != _KEYS[kind](now):
            changes.append(f"{kind.upper()} now {now}, verified {then}")
    if result.status is Status.NO_IDENTIFIER:
        changes.extend(
            f"{kind.upper()} {value} added"
            for kind, value in reference.identifiers.items()
            if kind in ("doi", "pmid")
        )
    for comparison in result.fields:
        if comparison.match != "mismatch" or not comparison.found:
            continue
        now = _printed(reference, comparison.field)
        if now and _same(comparison.field, now, comparison.found):
            changes.append(f"{comparison.field} corrected to {now!r}")
    return changes


def current(
    references: Mapping[str, Reference], verification: Verification | None
) -> tuple[Verification | None, dict[str, list[str]]]:
    """``verification`` without the results that no longer fit, and what changed for those."""
    if verification is None:
        return None, {}
    changed = {
        key: found
        for key, result in verification.results.items()
        if key in references and (found := changes_since(references[key], result))
    }
    if not changed:
        return verification, {}
    kept = {k: r for k, r in verification.results.items() if k not in changed}
    return dataclasses.replace(verification, results=kept), changed


def _printed(reference: Reference, name: str) -> str:
    values = {
        "title": reference.title,
        "journal": reference.journal,
        "year": str(reference.year) if reference.year is not None else "",
        "volume": reference.volume,
        "issue": reference.number,
        "pages": reference.pages,
    }
    return values.get(name, "")


def _same(name: str, printed: str, found: str) -> bool:
    if name == "pages":
        return parse_pages(printed) == parse_pages(found)
    return fold(printed) == fold(found)
