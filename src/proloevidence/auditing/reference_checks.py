"""Checks on each reference, on the knowledge base's own problems and on the verification's age.

Used by :func:`proloevidence.auditing.audit`; pure functions.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..identifiers import doi_key
from ..kb.knowledge_base import KnowledgeBase
from ..model import Finding, Reference, Severity, SourceLocation
from ..verification import Status, Verification, VerificationResult
from . import finding_codes as fc


def reference_findings(
    ref: Reference,
    result: VerificationResult | None,
    cited_by: Sequence[str],
    changed: Sequence[str] = (),
) -> list[Finding]:
    """The findings about one reference: its identifiers, what verification found, whether
    anything cites it. ``changed`` says what changed since a result that no longer fits
    (then ``result`` is None)."""
    key, where = ref.key, ref.location
    out: list[Finding] = []
    status = result.status if result is not None else Status.UNVERIFIED
    if not ref.identifiers:
        out.append(
            fc.make("reference-no-identifier", key, "prints no DOI, PMID or PMCID", location=where)
        )
    if result is not None and status.is_questionable:
        out.append(_questionable_finding(ref, result, cited_by))
    elif status is Status.UNREACHABLE:
        out.append(
            fc.make(
                "reference-unreachable",
                key,
                "could not be verified: " + (result.message if result else "service unreachable"),
                location=where,
            )
        )
    elif status is Status.INVALID_IDENTIFIER:
        message = result.message if result and result.message else "an identifier is malformed"
        out.append(fc.make("reference-invalid-identifier", key, message, location=where))
    elif status is Status.UNVERIFIED and changed:
        out.append(
            fc.make(
                "reference-unverified",
                key,
                f"has changed since it was verified ({'; '.join(changed)})",
                {"changed": list(changed)},
                location=where,
                fix="verify it as it is cited now: `proloevidence verify --lock` "
                "(or `proloevidence audit --online`)",
            )
        )
    elif status is Status.UNVERIFIED:
        out.append(fc.make("reference-unverified", key, "has not been verified", location=where))
    for notice in result.notices if result else ():
        if status is Status.RETRACTED and notice.type.casefold().startswith("retract"):
            continue  # Already the reference's error.
        out.append(
            fc.make(
                "reference-notice",
                key,
                f"has a notice: {notice.type.replace('_', ' ')}"
                + (f" ({notice.date})" if notice.date else "")
                + (f" {notice.doi}" if notice.doi else ""),
                notice.as_dict(),
                location=where,
            )
        )
    if not cited_by:
        out.append(fc.make("reference-uncited", key, "no statement cites it", location=where))
    return out


_QUESTIONABLE_WORDS = {
    Status.MISMATCH: "is miscited",
    Status.NOT_FOUND: "cannot be found",
    Status.CONFLICT: "has identifiers that lead to different works",
    Status.RETRACTED: "has been retracted",
}


def _questionable_finding(
    ref: Reference, result: VerificationResult, cited_by: Sequence[str]
) -> Finding:
    status = result.status
    mismatched = [f for f in result.fields if f.match == "mismatch"]
    details = [f"{f.field} printed {_short(f.cited)}, found {_short(f.found)}" for f in mismatched]
    if result.message:
        details.append(result.message)
    if result.suggestion is not None:
        rec = result.suggestion.record
        ident = rec.doi or (f"PMID {rec.pmid}" if rec.pmid else "")
        details.append(f"it probably means {_short(rec.title)}" + (f" ({ident})" if ident else ""))
    message = f"{ref.key} {_QUESTIONABLE_WORDS[status]}" + (
        ": " + "; ".join(details) if details else ""
    )
    evidence: dict[str, Any] = {
        "status": status.value,
        "fields": [f.as_dict() for f in mismatched],
        "cited_by": list(cited_by),
        "sources": list(result.sources),
    }
    if result.suggestion is not None:
        evidence["suggestion"] = result.suggestion.as_dict()
    fix = "run `proloevidence fix` to see the corrections" if status is Status.MISMATCH else ""
    if result.suggestion is not None:
        fix = "run `proloevidence fix` to see the suggested record"
    return fc.make(
        f"reference-{status.value.replace('_', '-')}",
        ref.key,
        message,
        evidence,
        location=ref.location,
        fix=fix,
    )


def _short(value: str | None, limit: int = 80) -> str:
    if value is None:
        return "nothing"
    text = " ".join(value.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def duplicate_findings(
    references: Iterable[Reference], results: Mapping[str, VerificationResult]
) -> list[Finding]:
    """One work cited twice: same DOI or PMID, printed or found by verification."""
    out: list[Finding] = []
    seen: dict[tuple[str, str], str] = {}
    for ref in references:
        found = results.get(ref.key)
        ids = dict(found.identifiers) if found and found.status is Status.VERIFIED else {}
        ids.update(ref.identifiers)
        reported = False
        for kind in ("doi", "pmid"):
            value = ids.get(kind)
            if not value:
                continue
            token = (kind, doi_key(value) if kind == "doi" else value.strip())
            first = seen.setdefault(token, ref.key)
            if first != ref.key and not reported:
                reported = True
                out.append(
                    fc.make(
                        "duplicate-reference",
                        ref.key,
                        f"has the same {kind.upper()} {value} as {first}",
                        {"same_as": first, kind: value},
                        location=ref.location,
                    )
                )
    return out


def verification_findings(
    verification: Verification | None, now: dt.datetime | None, max_age_days: int
) -> list[Finding]:
    if verification is None:
        return [
            fc.make(
                "verification-missing",
                "verification",
                "no verification: every reference is unverified",
            )
        ]
    made = created(verification)
    if made is None:
        return []
    moment = now or dt.datetime.now(dt.timezone.utc)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
    age = (moment - made).days
    if age <= max_age_days:
        return []
    return [
        fc.make(
            "verification-stale",
            "verification",
            f"the verification is {age} days old (allowed: {max_age_days})",
            {"created": made.isoformat(), "age_days": age, "max_age_days": max_age_days},
        )
    ]


def created(verification: Verification | None) -> dt.datetime | None:
    """When the verification was made: its ``created``, else its newest check."""
    if verification is None:
        return None
    stamps = [verification.created] if verification.created else []
    if not stamps:
        stamps = [r.checked_at for r in verification.results.values() if r.checked_at]
    if not stamps:
        return None
    newest = max(s if s.tzinfo else s.replace(tzinfo=dt.timezone.utc) for s in stamps)
    return newest


_PROBLEM_CODES = {
    "marker-mismatch": "marker-mismatch",
    "numbering-mismatch": "numbering-mismatch",
    "unknown-field": "unknown-field",
}


def problem_findings(kb: KnowledgeBase) -> list[Finding]:
    """The problems ``load(strict=False)`` kept, as findings about the statement or reference
    whose text holds each problem's line (the last one starting at or before it in its file).
    """
    if not kb.problems:
        return []
    starts: dict[str, list[tuple[int, str]]] = {}
    items: list[tuple[SourceLocation | None, str]] = [
        (c.location, kb.claim_id(c)) for c in kb.claims
    ]
    items += [(r.location, r.key) for r in kb.references.values()]
    for location, name in items:
        if location is not None:
            starts.setdefault(location.file, []).append((location.line, name))
    for items_in_file in starts.values():
        items_in_file.sort(key=lambda item: item[0])  # stable: the later item wins a line
    lines = {file: [line for line, _ in found] for file, found in starts.items()}
    out = []
    for problem in kb.problems:
        if problem.code == "duplicate-identifier":
            continue  # duplicate-reference reports it, with identifiers found by verification.
        if problem.severity is Severity.INFO:
            continue  # what the loader did (a DOI link read as the DOI): nothing to fix
        where = problem.location
        at = bisect.bisect_right(lines.get(where.file, []), where.line)
        subject = starts[where.file][at - 1][1] if at else where.file
        message = problem.message + (f" ({problem.hint})" if problem.hint else "")
        evidence = {"problem": problem.code, "location": str(where)}
        code = _PROBLEM_CODES.get(problem.code, "kb-problem")
        out.append(fc.make(code, subject, message, evidence, location=where))
    return out
