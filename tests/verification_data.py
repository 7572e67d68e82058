"""Verifications and small knowledge bases built for tests (pure data, no network).

The results follow the shapes of proloevidence.verification; the statuses, records and
publication types here are invented for the tests, not facts about the bundled references.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

from proloevidence.model import Author
from proloevidence.verification import (
    FieldComparison,
    Notice,
    Record,
    Status,
    Suggestion,
    Verification,
    VerificationResult,
)

CREATED = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.timezone.utc)
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.timezone.utc)

INJECTED_TITLE = (
    "Evil | title `code` [link](javascript:alert(1)) "
    "<script>document.title='pwned'</script>"
    "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"
    "\x1b[2J"
)
"""A record title carrying markup and a terminal escape (clear screen): every report must
show it as text, never run it, and never pass the escape on."""


def record(source: str = "pubmed", *, title: str = "A record", types: tuple[str, ...] = (), **kw):
    return Record(source=source, title=title, publication_types=types, **kw)


def result(key: str, status: Status, **kw) -> VerificationResult:
    kw.setdefault("checked_at", CREATED)
    return VerificationResult(key=key, status=status, **kw)


def verification(*results: VerificationResult, created: dt.datetime = CREATED) -> Verification:
    return Verification(results={r.key: r for r in results}, created=created)


def bundled_verification(evil: bool = False) -> Verification:
    """A verification of the bundled references: two verified, one miscited (with a suggested
    record), one not found, one verified with a correction notice."""
    miscited_title = INJECTED_TITLE if evil else "Dextrose prolotherapy for knee osteoarthritis"
    return verification(
        result(
            "rabago2010",
            Status.VERIFIED,
            identifiers={"doi": "10.1016/j.pop.2009.09.013", "pmid": "20152631"},
            record=record(title="Prolotherapy in primary care practice", types=("Review",)),
            sources=("crossref", "pubmed"),
        ),
        result(
            "kim2010",
            Status.VERIFIED,
            identifiers={"pmid": "20648206"},
            record=record(
                title="A randomized controlled trial of intra-articular prolotherapy",
                types=("Journal Article", "Randomized Controlled Trial"),
            ),
            sources=("pubmed",),
        ),
        result(
            "hauser2016",
            Status.MISMATCH,
            identifiers={"doi": "10.4137/CMAMD.S39160"},
            fields=(
                FieldComparison(
                    "title",
                    "A systematic review of dextrose prolotherapy for chronic musculoskeletal pain",
                    miscited_title,
                    "mismatch",
                ),
                FieldComparison(
                    "authors", "Hauser RA, Lackner JB", "Other A, Person B", "mismatch"
                ),
            ),
            record=record(
                "crossref",
                title=miscited_title,
                authors=(Author("Other", "Anna"), Author("Person", "Bea")),
            ),
            suggestion=Suggestion(
                record(
                    "crossref",
                    title="A systematic review of dextrose prolotherapy for chronic "
                    "musculoskeletal pain",
                    authors=(
                        Author("Hauser", "Ross A"),
                        Author("Lackner", "Johanna B"),
                        Author("Steilen-Matias", "Danielle"),
                        Author("Harris", "David K"),
                    ),
                    journal="Clinical Medicine Insights: Arthritis and Musculoskeletal Disorders",
                    year=2016,
                    volume="9",
                    pages="139-159",
                    doi="10.4137/CMAMD.S39161",
                ),
                0.97,
                "title search",
            ),
            sources=("crossref",),
            message="the DOI leads to another work",
        ),
        result("duman2012", Status.NOT_FOUND, message="doi.org does not know the DOI"),
        result(
            "wu2017",
            Status.VERIFIED,
            identifiers={"doi": "10.1155/2017/8157910", "pmid": "28000000"},
            record=record(title="Dextrose injection for chronic pain", types=("Review",)),
            notices=(Notice("correction", "10.1155/2017/9999999", "2018-01-02", "crossref"),),
            sources=("crossref", "pubmed"),
        ),
    )


def write_kb(folder: Path, bib: str, claims: str) -> Path:
    """A knowledge base folder from BibTeX and claims.yaml text (dedented)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "references.bib").write_text(textwrap.dedent(bib), encoding="utf-8")
    (folder / "claims.yaml").write_text(textwrap.dedent(claims), encoding="utf-8")
    return folder
