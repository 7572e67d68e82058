from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

import proloevidence
from proloevidence.kb.claims_reader import parse_claims
from proloevidence.kb.claims_writer import format_claims, quote
from proloevidence.model import Assessment, AssessmentStatus, Citation, Claim, Document, Relation

DOCUMENT = Document(
    id="page", title="A: Page", source="x.txt", numbering={1: "kim2010", 2: "lee2011"}
)


def claim(**fields: object) -> Claim:
    base: dict[str, object] = {
        "id": "overview-it-works",
        "text": "It works.",
        "section": ("Overview",),
        "kind": "efficacy",
        "document": "page",
    }
    base.update(fields)
    return Claim(**base)  # type: ignore[arg-type]


def test_written_claims_read_back_unchanged() -> None:
    claims = [
        claim(marker="(1,2)", citations=(Citation("kim2010"), Citation("lee2011"))),
        claim(
            id="visit",
            text='He said "yes": 30–60 min # not a comment',
            section=("The Procedure", "Visit: duration"),
            kind="logistics",
            requires_support=False,
            support_note="Clinic logistics.",
            order=1,
        ),
    ]
    text = format_claims(DOCUMENT, claims, {"visit": ["editor: look\nhere"]})
    parsed = parse_claims(text)
    assert parsed.problems == []
    assert parsed.document == DOCUMENT
    assert parsed.claims == claims
    assert "      - {ref: kim2010, relation: supports, assessment: unreviewed}" in text
    assert "  # editor: look here\n  - id: visit" in text
    assert "  # --- The Procedure ---" in text


def test_reviewed_assessments_are_written_in_full() -> None:
    assessment = Assessment(AssessmentStatus.PARTLY, dt.date(2026, 1, 2), "Ann", "p. 3", "q", "n")
    written = claim(marker="(1)", citations=(Citation("kim2010", Relation.QUALIFIES, assessment),))
    parsed = parse_claims(format_claims(DOCUMENT, [written]))
    assert parsed.problems == [] and parsed.claims == [written]


def test_the_bundled_claims_survive_a_rewrite() -> None:
    kb = proloevidence.load()
    document = kb.documents["prolotherapy"]
    parsed = parse_claims(format_claims(document, kb.claims))
    assert parsed.problems == []
    assert parsed.claims == kb.claims


def test_an_empty_draft_is_valid() -> None:
    parsed = parse_claims(format_claims(Document(id="x"), []))
    assert parsed.problems == [] and parsed.claims == []


def test_names_that_yaml_would_misread_are_quoted() -> None:
    text = format_claims(Document(id="yes"), [claim(id="no", kind="efficacy")])
    assert 'id: "yes"' in text and 'id: "no"' in text
    assert parse_claims(text).document.id == "yes"  # type: ignore[union-attr]


any_text = st.text(min_size=1).filter(lambda s: s.strip() != "")


@settings(max_examples=300, deadline=None)
@given(any_text, st.lists(any_text, min_size=1, max_size=3), any_text)
def test_any_text_round_trips(text: str, section: list[str], title: str) -> None:
    written = claim(text=text, section=tuple(section))
    document = Document(id="page", title=title)
    parsed = parse_claims(format_claims(document, [written], {written.id: [text]}))
    assert parsed.problems == []
    assert parsed.claims[0].text == text and parsed.claims[0].section == tuple(section)
    assert parsed.document is not None and parsed.document.title == title


def test_quote_is_one_line() -> None:
    assert quote("a\nb\u2028c") == '"a\\nb\\Lc"'
