"""Cited or verified: journal abbreviations only where trustworthy, every difference reported."""

from __future__ import annotations

import proloevidence
from proloevidence.entries import cited_items, journal_abbreviation, verified_items
from proloevidence.model import Severity
from proloevidence.verification import (
    FieldComparison,
    Notice,
    Record,
    Status,
    Verification,
    VerificationResult,
)

from .conftest import prolotherapy_lock

RECORD = Record(source="pubmed", title="T", journal="Primary care", journal_abbrev="Prim Care")


def test_the_abbreviation_is_used_unless_the_journal_is_wrong() -> None:
    ok = VerificationResult("rabago2010", Status.VERIFIED, record=RECORD)
    assert journal_abbreviation(ok) == "Prim Care"
    wrong = VerificationResult(
        "rabago2010",
        Status.MISMATCH,
        fields=(FieldComparison("journal", "Primary Care", "Pain", "mismatch"),),
        record=RECORD,
    )
    assert journal_abbreviation(wrong) == ""
    assert journal_abbreviation(VerificationResult("x", Status.CONFLICT, record=RECORD)) == ""
    assert journal_abbreviation(VerificationResult("x", Status.NOT_FOUND)) == ""
    assert journal_abbreviation(None) == ""


def test_cited_items_stay_as_cited() -> None:
    kb = proloevidence.load()
    items = cited_items(kb, ["rabago2010", "kim2010"], prolotherapy_lock())
    assert items[0]["container-title"] == "Primary Care"
    assert items[0]["container-title-short"] == "Prim Care"
    assert items[0]["author"][0] == {"family": "Rabago", "given": "D."}


def test_verified_items_report_differences_missing_fields_and_retractions() -> None:
    kb = proloevidence.load()
    lock = Verification(
        {
            "rabago2010": VerificationResult(
                "rabago2010",
                Status.RETRACTED,
                fields=(
                    FieldComparison(
                        "title", "Prolotherapy in primary care practice", "T", "mismatch"
                    ),
                    FieldComparison("issue", None, "1", "missing"),
                    FieldComparison("year", "2010", "2010", "match"),
                ),
                notices=(Notice("retraction", doi="10.1/retraction"),),
                record=RECORD,
            ),
            "kim2010": VerificationResult("kim2010", Status.NOT_FOUND),
        }
    )
    items, notes = verified_items(kb, ["rabago2010", "kim2010", "wu2017"], lock)
    assert items[0]["title"] == "T" and items[1]["title"] == kb.reference("kim2010").title
    found = [(n.subject, n.code, n.severity) for n in notes]
    assert found == [
        ("rabago2010", "retracted", Severity.WARNING),
        ("rabago2010", "verified-differs", Severity.WARNING),
        ("rabago2010", "verified-differs", Severity.INFO),
        ("kim2010", "listed-as-cited", Severity.WARNING),
        ("wu2017", "listed-as-cited", Severity.WARNING),
    ]
    assert notes[2].message == "issue: cited nothing, verified '1'"
    assert "not_found" in notes[3].message and "unverified" in notes[4].message
