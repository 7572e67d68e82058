"""Cited or verified: journal abbreviations only where trustworthy, every difference reported."""

from __future__ import annotations

import proloevidence
from proloevidence.model import Severity
from proloevidence.publish.list_entries import cited_items, journal_abbreviation, verified_items
from proloevidence.verification import (
    FieldComparison,
    Notice,
    Record,
    Status,
    Verification,
    VerificationResult,
)

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


def test_only_pubmeds_abbreviation_of_the_cited_work_is_used() -> None:
    crossref = Record(
        source="crossref",
        title="T",
        journal="Primary Care: Clinics in Office Practice",
        journal_abbrev="Primary Care: Clinics in Office Practice",
    )
    assert journal_abbreviation(VerificationResult("r", Status.VERIFIED, record=crossref)) == ""
    both = Record(source="crossref+pubmed", title="T", journal_abbrev="Prim Care")
    assert (
        journal_abbreviation(VerificationResult("r", Status.VERIFIED, record=both)) == "Prim Care"
    )
    another = VerificationResult(
        "r",
        Status.MISMATCH,
        fields=(
            FieldComparison("title", "Cited", "Other", "mismatch"),
            FieldComparison("authors", "Kim WM", "Standin B", "mismatch"),
        ),
        record=RECORD,
    )
    assert journal_abbreviation(another) == ""


def test_cited_items_stay_as_cited(bundled_lock: Verification) -> None:
    kb = proloevidence.load()
    items = cited_items(kb, ["rabago2010", "kim2010"], bundled_lock)
    assert items[0]["container-title"] == "Primary Care"
    assert items[0]["container-title-short"] == "Prim Care"
    assert items[0]["author"][0] == {"family": "Rabago", "given": "D."}
    assert "container-title-short" not in items[1]  # its PMID names another article


def test_a_record_of_another_work_is_listed_as_cited(bundled_lock: Verification) -> None:
    kb = proloevidence.load()
    items, notes = verified_items(kb, ["kim2010", "hauser2016"], bundled_lock)
    assert items[0]["title"] == kb.reference("kim2010").title
    assert items[1]["container-title-short"] == "Clin Med Insights Arthritis Musculoskelet Disord"
    [note] = notes
    assert (note.subject, note.code, note.severity) == (
        "kim2010",
        "listed-as-cited",
        Severity.WARNING,
    )
    assert note.message == (
        "its identifiers lead to another work (title, authors, journal differ) (mismatch); "
        "listed as cited"
    )


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
