"""What an import notes for its editor (drafting builds statements, links and notes)."""

from __future__ import annotations

from proloevidence.importing.drafting import NOTE_CODES, UNTITLED_SECTION
from proloevidence.importing.page_import import import_page

REFS = (
    "References\n"
    "1. Kim WM. A trial. Pain Physician. 2010;13(4):363–370. PMID: 20648206.\n"
    "2. Lee HG. Another trial. Pain Physician. 2011;14:1-2. PMID: 20648206. doi:10.1000/.\n"
)


def codes(text: str) -> list[str]:
    return [n.code for n in import_page(text).notes if n.code != "no-source"]


def test_bad_and_duplicate_identifiers_are_left_out_and_noted() -> None:
    draft = import_page("Title\nOverview\nIt works (1,2).\n" + REFS)
    lee = draft.references[1]
    assert (lee.pmid, lee.doi) == (None, None)
    assert [n.code for n in draft.notes if n.subject == "lee2011"] == [
        "bad-identifier",  # doi:10.1000/. is not a DOI
        "duplicate-identifier",  # kim2010 prints the same PMID
    ]
    assert "is also printed by 'kim2010'" in draft.notes_with("duplicate-identifier")[0].message
    assert "PMID: 20648206" in lee.printed


def test_a_malformed_doi_is_noted() -> None:
    draft = import_page("T\nX (1).\nReferences\n1. Kim WM. T. J. 2010;1:1. doi:10.12/abc\n")
    assert draft.references[0].doi is None
    assert draft.notes_with("bad-identifier")[0].evidence == {"doi": "10.12/abc"}
    draft = import_page("T\nX (1).\nReferences\n1. Kim WM. T. J. 2010;1:1. PMID: 0123\n")
    assert draft.references[0].pmid is None
    assert draft.notes_with("bad-identifier")[0].evidence == {"pmid": "0123"}


def test_list_items_take_the_kind_of_their_intro() -> None:
    draft = import_page(
        "T\nSafety\nIt may not be appropriate for patients with:\nInfection\nBleeding\n"
    )
    assert [c.kind for c in draft.claims] == ["contraindication"] * 3


def test_statements_above_the_first_heading_take_the_title_as_section() -> None:
    assert import_page("My Page\nA first paragraph that is long enough.\n").claims[0].section == (
        "My Page",
    )
    untitled = import_page("A first paragraph that is long enough to be no title.\n")
    assert untitled.claims[0].section == (UNTITLED_SECTION,)


def test_a_marker_on_its_own_line_closes_the_statement_before() -> None:
    draft = import_page("T\nOverview\nIt works.\n(1)\n" + REFS)
    assert draft.claims[0].marker == "(1)" and draft.claims[0].refs == ("kim2010",)


def test_a_marker_before_any_statement() -> None:
    assert "marker-without-statement" in codes("T\n(1) It works.\n" + REFS)


def test_renumbered_reference_list() -> None:
    draft = import_page(
        "T\nIt works (2).\nReferences\n1. Kim WM. A. J. 2010;1:1.\n1. Lee HG. B. J. 2011;1:1.\n"
    )
    assert "renumbered-references" in [n.code for n in draft.notes]
    assert draft.claims[0].refs == ("lee2011",)


def test_every_note_code_is_documented() -> None:
    from pathlib import Path

    guide = (Path(__file__).parent.parent / "docs" / "import.md").read_text(encoding="utf-8")
    for code in NOTE_CODES:
        assert f"`{code}`" in guide, code
