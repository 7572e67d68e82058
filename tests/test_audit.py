from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import proloevidence
from proloevidence.auditing.audit_report import STATEMENT_STATUSES
from proloevidence.auditing.finding_codes import CODES
from proloevidence.model import Severity
from proloevidence.verification import Notice, Status

from .verification_data import (
    CREATED,
    NOW,
    bundled_verification,
    record,
    result,
    verification,
    write_kb,
)


@pytest.fixture(scope="module")
def kb() -> proloevidence.KnowledgeBase:
    return proloevidence.load()


def codes(report, subject: str | None = None) -> list[str]:
    return [f.code for f in report.findings if subject is None or f.subject == subject]


def test_offline_audit_of_the_bundled_page(kb) -> None:
    report = proloevidence.audit(kb, now=NOW)
    unsupported = {kb.claim_id(c) for c in kb.unsupported_claims()}
    assert unsupported and {f.subject for f in report.findings if f.code == "unsupported"} == (
        unsupported
    )
    assert all(f.severity is Severity.ERROR for f in report.findings if f.code == "unsupported")
    # Offline it says which references are unverified: all of them.
    assert {f.subject for f in report.findings if f.code == "reference-unverified"} == set(
        kb.references
    )
    assert "verification-missing" in codes(report)
    s = report.summary
    assert s["statements"] == len(kb.claims) and s["unsupported"] == len(unsupported)
    assert s["backed"] == 0 and s["questionable"] == 0
    assert sum(s[k.replace("-", "_")] for k in STATEMENT_STATUSES) == len(kb.claims)
    assert [r.id for r in report.statements] == [kb.claim_id(c) for c in kb.claims]
    # The bundled disclaimer ("No claims are made regarding guaranteed outcomes, permanent
    # structural repair ...") is not a strong claim.
    assert "strong-wording" not in codes(report)


def test_with_verification_it_names_statements_on_miscited_or_unfindable_references(kb) -> None:
    report = proloevidence.audit(kb, bundled_verification(), now=NOW)
    assert codes(report, "hauser2016") == ["reference-mismatch"]
    assert codes(report, "duman2012") == ["reference-not-found"]
    assert codes(report, "wu2017") == ["reference-notice"]
    partly = {f.subject for f in report.findings if f.code == "partly-questionable-support"}
    resting = {kb.claim_id(c) for c in kb.claims_citing("hauser2016")} | {
        kb.claim_id(c) for c in kb.claims_citing("duman2012")
    }
    assert partly == resting
    mismatch = next(f for f in report.findings if f.code == "reference-mismatch")
    assert "title printed" in mismatch.message and "probably means" in mismatch.message
    assert mismatch.evidence["suggestion"]["record"]["doi"] == "10.4137/CMAMD.S39161"
    assert "proloevidence fix" in mismatch.fix
    rows = {r.id: r for r in report.statements}
    fully_verified = [
        kb.claim_id(c)
        for c in kb.claims
        if c.is_supported and all(r in ("rabago2010", "kim2010", "wu2017") for r in c.refs)
    ]
    assert fully_verified and all(rows[i].status == "backed" for i in fully_verified)
    assert report.summary["questionable"] == len(resting)
    assert report.grades["kim2010"].level == 2 and report.grades["duman2012"].hypothesis_journal
    assert "verification-missing" not in codes(report)


BIB = """\
@article{review1, title = {A narrative review}, journal = {J Pain}, year = {2020},
  doi = {10.1000/review1}}
@article{hypo1, title = {A hypothesis}, journal = {Medical Hypotheses}, year = {2012},
  doi = {10.1000/hypo1}}
@article{trial1, title = {A trial}, journal = {J Pain}, year = {2019}, pmid = {111}}
@article{gone1, title = {Gone}, journal = {J Pain}, year = {2019}, doi = {10.1000/gone}}
@article{twin1, title = {Twin}, journal = {J Pain}, year = {2019}, doi = {10.1000/REVIEW1}}
@article{bare1, title = {No identifier}, journal = {J Pain}, year = {2001}}
"""

CLAIMS = """\
schema: 1
document: {id: page, title: Page}
claims:
  - {id: weak, section: [A], kind: efficacy, text: "It relieves pain.",
     marker: "(1)", citations: [{ref: review1}, {ref: hypo1}]}
  - {id: randomised, section: [A], kind: efficacy,
     text: "Randomized studies show it relieves pain.", marker: "(1)",
     citations: [{ref: review1}]}
  - {id: strong, section: [A], kind: mechanism, text: "It cures ligament laxity for good.",
     marker: "(1)",
     citations: [{ref: review1}]}
  - {id: strong-backed, section: [A], kind: efficacy, text: "Its benefit is proven.",
     marker: "(1)", citations: [{ref: trial1}]}
  - {id: negated, section: [A], kind: scope,
     text: "No claims are made regarding guaranteed outcomes or permanent repair.",
     marker: "(1)", citations: [{ref: review1}]}
  - {id: all-bad, section: [A], kind: safety, text: "It is safe.",
     marker: "(1)", citations: [{ref: gone1}]}
  - {id: read, section: [A], kind: safety, text: "Soreness is common.",
     marker: "(1)", citations: [{ref: trial1, assessment: {status: not-supported, date: 2026-10-01,
                  reviewer: ed, note: "says nothing of soreness"}}]}
  - {id: background-only, section: [A], kind: history, text: "It is old.",
     marker: "(1)", citations: [{ref: bare1, relation: background}]}
  - {id: logistics, section: [A], kind: logistics, text: "Book a visit.",
     requires_support: false, support_note: "clinic logistics"}
"""


@pytest.fixture
def small(tmp_path: Path) -> proloevidence.KnowledgeBase:
    return proloevidence.load(write_kb(tmp_path / "kb", BIB, CLAIMS), strict=False)


def small_verification(**overrides):
    results = {
        "review1": result("review1", Status.VERIFIED, record=record(types=("Review",))),
        "hypo1": result("hypo1", Status.VERIFIED, record=record(types=("Journal Article",))),
        "trial1": result(
            "trial1", Status.VERIFIED, record=record(types=("Randomized Controlled Trial",))
        ),
        "gone1": result("gone1", Status.NOT_FOUND),
        "twin1": result("twin1", Status.VERIFIED, record=record()),
        "bare1": result("bare1", Status.NO_IDENTIFIER),
    }
    results.update(overrides)
    return verification(*results.values())


def test_statement_checks_on_a_small_page(small) -> None:
    report = proloevidence.audit(small, small_verification(), now=NOW)
    assert codes(report, "weak") == ["support-unreviewed", "weak-evidence-only"]
    assert "randomised-without-rct" in codes(report, "randomised")
    assert "strong-wording" in codes(report, "strong")
    assert "strong-wording" not in codes(report, "strong-backed")
    assert codes(report, "negated") == ["support-unreviewed"]
    assert "questionable-support" in codes(report, "all-bad")
    bad = next(f for f in report.findings if f.code == "questionable-support")
    assert bad.evidence["refs"] == {"gone1": "not_found"} and "gone1 (not found)" in bad.message
    not_supported = next(f for f in report.findings if f.code == "assessed-not-supported")
    assert not_supported.subject == "read" and not_supported.evidence["reviewer"] == "ed"
    assert codes(report, "background-only") == ["unsupported"]
    assert codes(report, "logistics") == []
    rows = {r.id: r for r in report.statements}
    assert rows["read"].status == "unsupported"  # its only link was read and does not support
    assert rows["all-bad"].status == "questionable"
    assert rows["logistics"].status == "not-required"
    assert rows["strong-backed"].status == "backed" and rows["strong-backed"].level == 2
    assert report.summary["unreviewed_links"] == 7


def test_reference_checks_on_a_small_page(small) -> None:
    report = proloevidence.audit(small, small_verification(), now=NOW)
    assert codes(report, "twin1") == ["reference-uncited", "duplicate-reference"]
    twin = next(f for f in report.findings if f.code == "duplicate-reference")
    assert twin.evidence["same_as"] == "review1"
    assert codes(report, "bare1") == ["reference-no-identifier"]
    assert codes(report, "gone1") == ["reference-not-found"]
    # A duplicate found only through verification: a PMID found from the DOI.
    found = small_verification(
        review1=result(
            "review1",
            Status.VERIFIED,
            identifiers={"pmid": "111"},
            record=record(types=("Review",)),
        )
    )
    again = proloevidence.audit(small, found, now=NOW)
    assert "duplicate-reference" in codes(again, "trial1")


def test_without_verification_evidence_rules_stay_silent_except_the_journal_rule(small) -> None:
    report = proloevidence.audit(small, None, now=NOW)
    assert "weak-evidence-only" not in codes(report)  # review1 is ungraded offline
    assert report.grades["hypo1"].level == 5  # the journal rule needs no network
    assert "strong-wording" not in codes(report, "strong")


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (Status.MISMATCH, "reference-mismatch"),
        (Status.CONFLICT, "reference-conflict"),
        (Status.RETRACTED, "reference-retracted"),
        (Status.UNREACHABLE, "reference-unreachable"),
        (Status.INVALID_IDENTIFIER, "reference-invalid-identifier"),
        (Status.UNVERIFIED, "reference-unverified"),
    ],
)
def test_each_status_has_its_code(small, status, code) -> None:
    report = proloevidence.audit(
        small, small_verification(trial1=result("trial1", status, message="why")), now=NOW
    )
    assert code in codes(report, "trial1")
    assert next(f for f in report.findings if f.code == code).severity is CODES[code].severity


def test_notices_warn_and_a_retraction_is_not_reported_twice(small) -> None:
    notices = (
        Notice("retraction", "10.1/r", "2020-01-01", "retraction-watch"),
        Notice("expression_of_concern", "10.1/e", "2019-01-01", "publisher"),
    )
    retracted = result("trial1", Status.RETRACTED, notices=notices)
    report = proloevidence.audit(small, small_verification(trial1=retracted), now=NOW)
    trial = [f for f in report.findings if f.subject == "trial1"]
    assert [f.code for f in trial] == ["reference-retracted", "reference-notice"]
    assert trial[1].severity is Severity.WARNING and "expression of concern" in trial[1].message
    statuses = {f.subject: f.code for f in report.findings if "questionable" in f.code}
    assert statuses["strong-backed"] == "questionable-support"


def test_a_stale_verification_is_reported(small) -> None:
    fresh = proloevidence.audit(small, small_verification(), now=CREATED + dt.timedelta(days=90))
    assert "verification-stale" not in codes(fresh)
    old = proloevidence.audit(small, small_verification(), now=CREATED + dt.timedelta(days=91))
    stale = next(f for f in old.findings if f.code == "verification-stale")
    assert stale.severity is Severity.INFO and stale.evidence["age_days"] == 91
    strict = proloevidence.audit(
        small, small_verification(), now=CREATED + dt.timedelta(days=8), max_age_days=7
    )
    assert "verification-stale" in codes(strict)


def test_knowledge_base_problems_become_findings_about_their_subject(kb_copy: Path) -> None:
    claims = kb_copy / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace('marker: "(2,3)"', 'marker: "(2,4)"', 1), encoding="utf-8")
    bib = kb_copy / "references.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8").replace("pmid      = {20648206}", "pmdi = {20648206}"),
        encoding="utf-8",
    )
    report = proloevidence.audit(proloevidence.load(kb_copy, strict=False), now=NOW)
    marker = next(f for f in report.findings if f.code == "marker-mismatch")
    assert marker.subject == "si-joint-trials" and marker.severity is Severity.ERROR
    assert marker.location is not None and marker.location.line > 0
    field = next(f for f in report.findings if f.code == "unknown-field")
    assert field.subject == "kim2010" and "pmid" in field.message


def test_at_or_above_and_json_shape(small) -> None:
    report = proloevidence.audit(small, small_verification(), now=NOW)
    assert {f.severity for f in report.at_or_above("warning")} <= {
        Severity.ERROR,
        Severity.WARNING,
    }
    assert len(report.at_or_above(Severity.INFO)) == len(report.findings)
    data = report.as_dict()
    assert list(data)[:2] == ["summary", "findings"]
    assert data["statements"][0]["citations"][0] == {
        "ref": "review1",
        "relation": "supports",
        "assessment": "unreviewed",
        "verification": "verified",
        "level": 5,
    }
