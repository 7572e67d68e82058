from __future__ import annotations

import datetime as dt
import textwrap

from proloevidence.kb.claims_reader import parse_claims
from proloevidence.model import AssessmentStatus, Relation

HEAD = """\
schema: 1
document:
  id: page
  references: {1: a, 2: b, 3: c}
claims:
"""


def parse(body: str):
    return parse_claims(HEAD + textwrap.dedent(body), "claims.yaml")


def codes(parsed) -> list[str]:
    return [p.code for p in parsed.problems]


def test_a_valid_claim_with_typed_links() -> None:
    parsed = parse("""\
      - id: s1
        section: [Overview, Detail]
        kind: efficacy
        text: "It works."
        marker: "(1-3)"
        citations:
          - {ref: a}
          - {ref: b, relation: qualifies}
          - ref: c
            relation: disputes
            assessment: {status: partly, date: 2026-01-05, locator: "p. 3", quote: "some"}
    """)
    assert parsed.problems == []
    (claim,) = parsed.claims
    assert claim.section == ("Overview", "Detail") and claim.marker == "(1-3)"
    assert [c.relation for c in claim.citations] == [
        Relation.SUPPORTS,
        Relation.QUALIFIES,
        Relation.DISPUTES,
    ]
    last = claim.citations[2].assessment
    assert last.status is AssessmentStatus.PARTLY and last.date == dt.date(2026, 1, 5)
    assert last.locator == "p. 3"
    assert claim.citations[0].assessment.status is AssessmentStatus.UNREVIEWED
    assert claim.requires_support


def test_yaml_syntax_error_has_line_and_column() -> None:
    parsed = parse_claims("schema: 1\nclaims:\n  - id: [unclosed\n", "c.yaml")
    (problem,) = parsed.problems
    assert problem.code == "yaml-syntax"
    assert problem.location.file == "c.yaml" and problem.location.line >= 3


def test_unknown_key_is_an_error_with_a_suggestion() -> None:
    parsed = parse("""\
      - id: s1
        section: S
        kind: efficacy
        text: T
        marker: "(1)"
        citatons: [{ref: a}]
    """)
    assert "unknown-key" in codes(parsed)
    problem = next(p for p in parsed.problems if p.code == "unknown-key")
    assert problem.location.line == 11 and "'citations'" in problem.hint


def test_missing_fields_duplicate_ids_bad_values() -> None:
    parsed = parse("""\
      - id: s1
        section: S
        kind: efficacy
        text: T
      - id: s1
        section: S
        kind: efficacy
        text: U
      - id: s2
        kind: wishful
        text: V
        requires_support: maybe
      - id: s3
        section: S
        kind: safety
        text: W
        marker: "(1)"
        citations: [{ref: a, relation: proves, assessment: {status: supported, date: 2026-02-30}}]
    """)
    assert sorted(codes(parsed)) == sorted(
        [
            "duplicate-id",
            "missing",
            "unknown-kind",
            "wrong-type",
            "unknown-relation",
            "bad-date",
        ]
    )
    assert [c.id for c in parsed.claims] == ["s1", "s3"]


def test_marker_that_disagrees_with_links() -> None:
    parsed = parse("""\
      - id: s1
        section: S
        kind: efficacy
        text: T
        marker: "(1,2)"
        citations: [{ref: a}, {ref: c}]
      - id: s2
        section: S
        kind: efficacy
        text: U
        citations: [{ref: a}]
      - id: s3
        section: S
        kind: efficacy
        text: V
        marker: "(9)"
    """)
    assert codes(parsed) == ["marker-mismatch"] * 3
    assert "no link to b" in parsed.problems[0].message
    assert "links c" in parsed.problems[0].message


def test_python_tags_are_rejected_without_running() -> None:
    parsed = parse_claims(
        "schema: 1\ndocument: {id: d}\nclaims:\n"
        "  - id: !!python/object/apply:os.system ['echo pwned']\n",
        "c.yaml",
    )
    assert "yaml-tag" in codes(parsed)
    assert parsed.problems[0].location.line == 4


def test_no_support_needed_requires_a_reason() -> None:
    parsed = parse("""\
      - id: s1
        section: S
        kind: logistics
        text: T
        requires_support: false
    """)
    assert codes(parsed) == ["missing"]
    assert "support_note" in parsed.problems[0].message


def test_unsupported_schema_version() -> None:
    parsed = parse_claims("schema: 7\ndocument: {id: d}\nclaims: []\n", "c.yaml")
    assert codes(parsed) == ["schema"]
