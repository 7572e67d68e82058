"""An assessment written into claims.yaml in place: one link changes, every other byte stays."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import proloevidence
from proloevidence.kb.claims_editor import ClaimsEditError, set_assessment
from proloevidence.kb.claims_reader import parse_claims
from proloevidence.model import Assessment, AssessmentStatus

DAY = dt.date(2026, 12, 6)
SUPPORTED = Assessment(AssessmentStatus.SUPPORTED, DAY, "A. Editor", "p. 3", "It did.", None)

BLOCK = """\
schema: 1  # the version
document: {id: d, references: {1: a, 2: b}}
claims:
  # a comment that must stay
  - id: s1
    section: [S]
    kind: efficacy
    text: "It works."
    marker: "(1,2)"
    citations:
      - ref: a   # first
        relation: qualifies

      - ref: b
        relation: supports
        assessment:
          status: partly
          date: 2026-01-02
          note: old   # stays? no: replaced
  # trailing comment
  - id: s2
    section: [S]
    kind: efficacy
    text: "Other."
    marker: "(1)"
    citations:
      - {ref: a, relation: supports, assessment: unreviewed}  # keep me
"""


def _assessment(text: str, claim_id: str, ref: str) -> Assessment:
    parsed = parse_claims(text, "t.yaml", fast=False)
    assert parsed.problems == []
    claim = next(c for c in parsed.claims if c.id == claim_id)
    return next(c for c in claim.citations if c.ref == ref).assessment


def _changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    old, new = before.splitlines(), after.splitlines()
    return [(a, b) for a, b in zip(old, new, strict=False) if a != b]


def test_a_flow_link_gains_an_assessment_and_nothing_else_changes() -> None:
    text = (proloevidence.bundled_path() / "claims.yaml").read_text(encoding="utf-8")
    after = set_assessment(text, "claims.yaml", "si-joint-trials", "kim2010", SUPPORTED)
    assert _changed_lines(text, after) == [
        (
            "      - {ref: kim2010, relation: supports}",
            "      - {ref: kim2010, relation: supports, assessment: {status: supported, "
            'date: 2026-12-06, reviewer: "A. Editor", locator: "p. 3", quote: "It did."}}',
        )
    ]
    assert len(after.splitlines()) == len(text.splitlines())
    assert _assessment(after, "si-joint-trials", "kim2010") == SUPPORTED


def test_a_block_link_without_assessment_gets_a_line_at_its_indent() -> None:
    after = set_assessment(BLOCK, "t.yaml", "s1", "a", SUPPORTED)
    assert "        relation: qualifies\n        assessment: {status: supported," in after
    lines = after.split("\n")
    added = [i for i, line in enumerate(lines) if line.startswith("        assessment: {")]
    assert len(added) == 1
    assert "\n".join(lines[: added[0]] + lines[added[0] + 1 :]) == BLOCK
    assert _assessment(after, "s1", "a") == SUPPORTED


def test_a_block_assessment_is_replaced_by_the_one_line_form_keeping_what_follows() -> None:
    after = set_assessment(BLOCK, "t.yaml", "s1", "b", SUPPORTED)
    assert "        assessment: {status: supported, date: 2026-12-06" in after
    assert "note: old" not in after
    assert "  # trailing comment\n" in after and "# a comment that must stay" in after
    assert after.startswith(BLOCK[: BLOCK.index("        assessment:")])
    assert _assessment(after, "s1", "b") == SUPPORTED


def test_a_bare_status_in_a_flow_link_is_replaced_and_the_comment_after_it_kept() -> None:
    after = set_assessment(BLOCK, "t.yaml", "s2", "a", SUPPORTED)
    assert after.endswith('quote: "It did."}}  # keep me\n')
    assert _assessment(after, "s2", "a") == SUPPORTED


def test_crlf_line_ends_stay_crlf() -> None:
    text = BLOCK.replace("\n", "\r\n")
    after = set_assessment(text, "t.yaml", "s1", "a", SUPPORTED)
    assert "\n" not in after.replace("\r\n", "")
    assert _assessment(after, "s1", "a") == SUPPORTED


def test_texts_with_quotes_newlines_and_colons_survive() -> None:
    tricky = Assessment(
        AssessmentStatus.NOT_SUPPORTED, DAY, "O'Brien", 'Table 2: "rates"', "a\nb: c #d", "}{"
    )
    after = set_assessment(BLOCK, "t.yaml", "s2", "a", tricky)
    assert _assessment(after, "s2", "a") == tricky


@pytest.mark.parametrize(
    ("claim_id", "ref", "message"),
    [("nope", "a", "no statement 'nope'"), ("s2", "b", "statement 's2' has no link to 'b'")],
)
def test_an_unknown_statement_or_link_is_refused(claim_id: str, ref: str, message: str) -> None:
    with pytest.raises(ClaimsEditError, match=message):
        set_assessment(BLOCK, "t.yaml", claim_id, ref, SUPPORTED)


def test_assess_writes_the_bundled_copy_and_the_audit_reads_it(kb_copy: Path) -> None:
    before = (kb_copy / "claims.yaml").read_bytes()
    link = proloevidence.assess(
        "si-joint-trials",
        "hauser2016",
        "not-supported",
        locator="Table 3",
        note="a review of other joints",
        by="Dr Editor",
        date=DAY,
        kb=kb_copy,
    )
    assert link.assessment.status is AssessmentStatus.NOT_SUPPORTED
    after = (kb_copy / "claims.yaml").read_bytes()
    assert _changed_lines(before.decode(), after.decode()) == [
        (
            "      - {ref: hauser2016, relation: supports}",
            "      - {ref: hauser2016, relation: supports, assessment: {status: not-supported, "
            'date: 2026-12-06, reviewer: "Dr Editor", locator: "Table 3", '
            'note: "a review of other joints"}}',
        )
    ]
    report = proloevidence.audit(proloevidence.load(kb_copy))
    found = [f for f in report.findings if f.code == "assessed-not-supported"]
    assert [(f.subject, f.evidence["ref"]) for f in found] == [("si-joint-trials", "hauser2016")]
    row = next(r for r in report.statements if r.id == "si-joint-trials")
    assert [(c.key, c.assessment) for c in row.cells] == [
        ("kim2010", "unreviewed"),
        ("hauser2016", "not-supported"),
    ]


def test_assess_refuses_an_unknown_link_and_unreviewed(kb_copy: Path) -> None:
    with pytest.raises(proloevidence.UnknownIdError, match="did you mean kim2010"):
        proloevidence.assess("si-joint-trials", "kim2011", "supported", kb=kb_copy)
    with pytest.raises(ValueError, match="one of supported, partly, not-supported"):
        proloevidence.assess("si-joint-trials", "kim2010", "unreviewed", kb=kb_copy)
    with pytest.raises(proloevidence.UnknownIdError, match="si-joint-trials"):
        proloevidence.assess("si-joint-trial", "kim2010", "supported", kb=kb_copy)


def test_assess_in_a_claims_folder_edits_that_page_only_and_keeps_bare_ids_apart(
    tmp_path: Path,
) -> None:
    # Two pages with one statement id each: the address is document/id.
    (tmp_path / "references.bib").write_text(
        "@article{a, title = {A}, year = {2020}}\n@article{b, title = {B}, year = {2021}}\n",
        encoding="utf-8",
    )
    (tmp_path / "claims").mkdir()
    page = """\
schema: 1
claims:
  - id: same
    section: [S]
    kind: efficacy
    text: "It works on {name}."
    marker: "(1)"
    citations:
      - {{ref: {ref}, relation: supports}}
"""
    (tmp_path / "claims" / "one.yaml").write_text(
        "schema: 1\ndocument: {references: {1: a}}\n" + page.format(name="one", ref="a")[10:],
        encoding="utf-8",
    )
    (tmp_path / "claims" / "two.yaml").write_text(
        "schema: 1\ndocument: {references: {1: b}}\n" + page.format(name="two", ref="b")[10:],
        encoding="utf-8",
    )
    two = (tmp_path / "claims" / "two.yaml").read_bytes()
    with pytest.raises(proloevidence.UnknownIdError, match="document/id"):
        proloevidence.assess("same", "a", "supported", kb=tmp_path)
    proloevidence.assess("one/same", "a", "partly", date=DAY, kb=tmp_path)
    assert (tmp_path / "claims" / "two.yaml").read_bytes() == two
    kb = proloevidence.load(tmp_path, cache=False)
    assert kb.claim("one/same").citations[0].assessment.status is AssessmentStatus.PARTLY
    assert kb.claim("two/same").citations[0].assessment.status is AssessmentStatus.UNREVIEWED
