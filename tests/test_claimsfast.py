"""The fast reader returns exactly what the exact reader returns, or nothing."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proloevidence.kb.claims_fast_reader import read_fast
from proloevidence.kb.claims_reader import parse_claims
from proloevidence.kb.knowledge_base import bundled_path

BUNDLED = (bundled_path() / "claims.yaml").read_text(encoding="utf-8")

# Every shape the schema allows: flow and block links, an assessment, a note, a heading
# given as one text, a mapping that starts on the line after its dash, a comment there.
SMALL = """\
schema: 1
document:
  id: page
  title: A page
  references:
    1: a
    2: b
    3: c
claims:
  # --- first section
  - id: s1
    section: [Overview, Detail]
    kind: efficacy
    text: "It works, they say."
    marker: "(1-3)"
    citations:
      - {ref: a}
      - {ref: b, relation: qualifies}
      - ref: c
        relation: disputes
        assessment: {status: partly, date: 2026-01-05, locator: "p. 3", quote: some}
  -
    kind: logistics
    id: s2
    section: Booking
    text: Call us.
    requires_support: false
    support_note: 'Clinic logistics.'
  - # a comment after the dash
    id: s3
    section: [Overview]
    kind: safety
    text: It is safe.
    marker: "[2]"
    citations: [{ref: b, assessment: unreviewed}]
"""

SNIPPETS = [
    "yes",
    "no",
    "on",
    "010",
    "0o7",
    "1e3",
    "1_0",
    "1:30",
    "~",
    "null",
    "true",
    "''",
    '""',
    "!!str ",
    "!!python/object:os.system ",
    "&a ",
    "*a",
    "<<: *a\n",
    "\t",
    " ",
    "  ",
    "\n",
    "- ",
    "-",
    ": ",
    ":",
    "'",
    '"',
    "#",
    " #",
    "{",
    "}",
    "[",
    "]",
    ",",
    "ref: a",
    "ref: b",
    "2026-02-30",
    "2026-01-05",
    "\r\n",
    "\r",
    "\u2028",
    "\x85",
    "\ufeff",
    "...",
    "---",
    "%YAML 1.1\n",
    "id: x\n",
    "id: s1\n",
    "    - {ref: c}\n",
    '    marker: "(1)"\n',
    "  - id: s9\n    section: S\n    kind: scope\n    text: T\n",
    "document: {id: d}\n",
    "claims: []\n",
    "schema: 1\n",
    "|\n  block\n",
    ">-\n  folded\n",
    "\\",
    "\\n",
    "é",
    "–",
    "relation: supports",
    "status: supported",
    "requires_support: no",
    "x: y\n",
]


def full(parsed):
    """Everything a reader returns, locations included (dataclass equality skips them)."""
    document = parsed.document
    return (
        document,
        document.location if document else None,
        [(c, c.location, [x.location for x in c.citations]) for c in parsed.claims],
        parsed.problems,
    )


def check(text: str, default_id: str = "") -> bool:
    """Assert the fast reader agrees or declines; True when it read the file."""
    fast = read_fast(text, "c.yaml", default_id)
    if fast is None:
        return False
    exact = parse_claims(text, "c.yaml", default_id, fast=False)
    assert exact.problems == []
    assert full(fast) == full(exact)
    return True


def test_plain_files_are_read_fast_and_the_same() -> None:
    assert check(BUNDLED)
    assert check(SMALL)
    assert check(SMALL.replace("\n", "\r\n"))
    # The document given after the statements, or not at all (named by the file).
    head, claims = SMALL.split("claims:\n")
    assert check("schema: 1\nclaims:\n" + claims + head.replace("schema: 1\n", ""))
    assert check(BUNDLED.split("document:")[0] + "claims: []\n", default_id="page")


def test_files_the_two_parsers_may_read_differently_are_declined() -> None:
    for old, new in [
        ("text: It is safe.", "text: yes"),  # YAML 1.1 boolean
        ("text: It is safe.", "text: 0o17"),  # YAML 1.2 octal
        ("text: It is safe.", "text: !!str safe"),  # a tag
        ("text: It is safe.", "text: !!python/object/apply:os.system ['true']"),
        ("    1: a", "    01: a"),  # octal in YAML 1.1
        ("text: Call us.", "text: 1e3"),  # a float in YAML 1.2 only
        ("  - id: s1", "  - id: s1\n    id: s1"),  # a key given twice
    ]:
        text = SMALL.replace(old, new, 1)
        assert text != SMALL
        assert read_fast(text, "c.yaml") is None, new


def test_files_with_problems_are_left_to_the_exact_reader() -> None:
    broken = SMALL.replace("kind: safety", "kind: wishful").replace(
        "{ref: b, relation", "{ref: x, rel"
    )
    assert read_fast(broken, "c.yaml") is None
    problems = parse_claims(broken, "c.yaml").problems
    assert sorted(p.code for p in problems) == ["marker-mismatch", "unknown-key", "unknown-kind"]
    assert all(p.location.line > 0 and p.location.column > 0 for p in problems)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=st.sampled_from([SMALL, BUNDLED[:3000] + "\n"]),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.sampled_from(SNIPPETS), st.integers(0, 3)),
        min_size=1,
        max_size=3,
    ),
)
def test_mutated_files_agree_or_are_declined(base: str, edits) -> None:
    text = base
    for where, snippet, cut in edits:
        at = int(where * len(text))
        text = text[:at] + snippet + text[at + cut :]
    check(text)
    check(text, default_id="page")


BENIGN_LINES = ["\n", "# c\n", "   # indented comment\n", "  # - ref: a\n", "\n\n"]
BENIGN_ENDS = [" # c", "  ", " ", " #ref: a"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=st.sampled_from([SMALL, BUNDLED]),
    edits=st.lists(
        st.tuples(st.booleans(), st.floats(0, 1), st.integers(0, len(BENIGN_LINES) - 1)),
        min_size=1,
        max_size=6,
    ),
)
def test_harmless_edits_keep_both_readers_equal(base: str, edits) -> None:
    # Comments, blank lines and trailing spaces change positions, not content: the fast
    # reader must follow every shifted line and column, or decline.
    lines = base.splitlines(keepends=True)
    for whole_line, where, which in edits:
        at = int(where * (len(lines) - 1))
        if whole_line:
            lines.insert(at, BENIGN_LINES[which])
        elif lines[at].strip() and not lines[at].rstrip().endswith(("|", ">")):
            lines[at] = lines[at].rstrip("\n") + BENIGN_ENDS[which % len(BENIGN_ENDS)] + "\n"
    check("".join(lines))
