from __future__ import annotations

from pathlib import Path

import pytest

import proloevidence
from proloevidence.kb.bib_editor import BibEditError
from proloevidence.kb.bib_reader import parse_references
from proloevidence.model import Author
from proloevidence.verification import FieldComparison, Status, Suggestion
from proloevidence.verifying.fix import fix_text, plan_fixes, propose, write_fixes

from .verification_data import bundled_verification, record, result, verification


def test_proposals_from_the_bundled_verification() -> None:
    kb = proloevidence.load()
    proposals, notes = propose(kb, bundled_verification())
    by_key = {p.key: p for p in proposals}
    # Miscited with a suggested record: the suggestion's fields that differ, DOI included.
    hauser = by_key["hauser2016"]
    assert hauser.basis == "suggestion"
    assert {c.field: c.new for c in hauser.changes} == {"doi": "10.4137/CMAMD.S39161"}
    assert not hauser.replaces_work  # title and authors already agree with the suggestion
    # Verified, PMID found from the DOI but not printed: add it.
    assert {c.field: c.new for c in by_key["rabago2010"].changes} == {"pmid": "20152631"}
    assert by_key["rabago2010"].basis == "identifiers"
    assert "kim2010" not in by_key  # nothing to add
    assert any(n.startswith("duman2012: not_found and no suggested record") for n in notes)


def test_mismatched_fields_take_the_found_values() -> None:
    kb = proloevidence.load()
    mismatch = result(
        "kim2010",
        Status.MISMATCH,
        fields=(
            FieldComparison("year", "2010", "2011", "mismatch"),
            FieldComparison("pages", "363-370", "363-71", "mismatch"),
            FieldComparison("volume", "13", "13", "match"),
            FieldComparison("pmcid", None, "PMC123", "missing"),
        ),
        sources=("pubmed",),
    )
    [proposal], _ = propose(kb, verification(mismatch))
    assert {c.field: (c.old, c.new) for c in proposal.changes} == {
        "year": ("2010", "2011"),
        "pages": ("363–370", "363--371"),  # NLM's abbreviated last page, expanded
        "pmcid": (None, "PMC123"),
    }
    assert proposal.basis == "mismatch" and "pubmed" in proposal.changes[0].reason


def test_authors_come_from_the_record_and_both_title_and_authors_means_another_work() -> None:
    kb = proloevidence.load()
    wrong = result(
        "wu2017",
        Status.MISMATCH,
        fields=(
            FieldComparison("title", "Dextrose injection ...", "Another paper", "mismatch"),
            FieldComparison("authors", "Wu YT, Ke MJ", "Smith J", "mismatch"),
        ),
        record=record(title="Another paper", authors=(Author("Smith", "John"),)),
    )
    [proposal], _ = propose(kb, verification(wrong))
    changes = {c.field: c.new for c in proposal.changes}
    assert changes == {"title": "Another paper", "author": "Smith, John"}
    assert proposal.replaces_work
    plan = plan_fixes(kb, verification(wrong))
    assert plan.refused == (proposal,) and plan.texts == {}
    accepted = plan_fixes(kb, verification(wrong), accept={"wu2017"})
    assert accepted.applied == (proposal,) and len(accepted.texts) == 1


def test_an_author_list_cut_by_et_al_is_not_a_change() -> None:
    kb = proloevidence.load()
    full = (
        Author("Kim", "Won Mo"),
        Author("Lee", "Hyung Gon"),
        Author("Jeong", "Chang Won"),
        Author("Choi", "In Young"),
    )
    suggested = result(
        "kim2010",
        Status.NOT_FOUND,
        suggestion=Suggestion(
            record(title=kb.reference("kim2010").title, authors=full, pmid="20648206"), 0.9
        ),
    )
    assert propose(kb, verification(suggested)) == ([], [])


def test_fix_text_keeps_printed_and_everything_else(kb_copy: Path) -> None:
    kb = proloevidence.load(kb_copy)
    bib = kb_copy / "references.bib"
    before = bib.read_bytes()
    plan = plan_fixes(kb, bundled_verification())
    [(path, (old, new))] = plan.texts.items()
    assert path == bib and old.encode() == before
    assert "+  pmid      = {20152631},\n" in plan.diff(kb_copy)
    assert "+  doi       = {10.4137/CMAMD.S39161},\n" in plan.diff(kb_copy)
    assert plan.diff(kb_copy).startswith("--- a/references.bib\n+++ b/references.bib\n")
    write_fixes(plan)
    assert bib.read_text(encoding="utf-8") == new
    assert (kb_copy / "references.bib.bak").read_bytes() == before
    fixed = proloevidence.load(kb_copy)
    assert fixed.reference("hauser2016").doi == "10.4137/CMAMD.S39161"
    assert fixed.reference("hauser2016").printed == kb.reference("hauser2016").printed
    # Only added or changed lines differ.
    removed = [line for line in old.splitlines() if line not in new.splitlines()]
    assert removed == ["  doi       = {10.4137/CMAMD.S39160},"]


def test_fix_text_refuses_a_value_that_would_not_read_back() -> None:
    kb = proloevidence.load()
    text = (proloevidence.bundled_path() / "references.bib").read_text(encoding="utf-8")
    bad = result(
        "kim2010", Status.MISMATCH, fields=(FieldComparison("doi", None, "not a doi", "mismatch"),)
    )
    proposals, _ = propose(kb, verification(bad))
    with pytest.raises(BibEditError, match="would not be valid"):
        fix_text(text, proposals)


def test_control_characters_from_a_record_never_reach_the_file_or_the_terminal() -> None:
    kb = proloevidence.load()
    evil = result(
        "kim2010",
        Status.MISMATCH,
        fields=(
            FieldComparison("journal", "Pain Physician", "Pain\x1b[2J Physician!", "mismatch"),
        ),
    )
    [proposal], _ = propose(kb, verification(evil))
    assert proposal.changes[0].new == "Pain[2J Physician!"


def test_names_that_differ_only_in_diacritics_are_not_a_change() -> None:
    """fix folds family names as verification does: Taşkaynatan is the printed Taskaynatan."""
    kb = proloevidence.load()
    printed = kb.reference("duman2012")
    people = (
        Author("Duman", "Iltekin"),
        Author("Taşkaynatan", "Mehmet Ali"),
        Author("Tan", "Arif Kenan"),
        Author("Özçakar", "Levent"),
    )
    suggested = result(
        "duman2012",
        Status.NOT_FOUND,
        suggestion=Suggestion(record(title=printed.title, authors=people, doi=printed.doi), 0.9),
    )
    assert propose(kb, verification(suggested)) == ([], [])


def test_a_record_with_latex_specials_and_odd_names_is_written_so_it_reads_back() -> None:
    """Titles and names from a service are text: "~", "--", "``", braces and backslashes
    included. The file gets them escaped as every .bib we write, and reads them back."""
    kb = proloevidence.load()
    title = "Effects of x~y on T--cells: a 50% \\textbf{bold} {B} & ``quoted'' study"
    people = (Author("O'Brien}, title={pwn", "J."), Author("Smith & Sons", "", literal=True))
    suggested = result(
        "kim2010",
        Status.MISMATCH,
        suggestion=Suggestion(
            record(title=title, authors=people, journal="J_Pain #1", pages="12-8"), 0.9
        ),
    )
    plan = plan_fixes(kb, verification(suggested), accept={"kim2010"})
    [(_path, (_old, new))] = plan.texts.items()
    fixed = {r.key: r for r in parse_references(new).references}
    kim = fixed["kim2010"]
    assert kim.title == title and kim.journal == "J_Pain #1" and kim.pages == "12–18"
    assert [(a.family, a.given, a.literal) for a in kim.authors] == [
        ("O'Brien}, title={pwn", "J.", False),
        ("Smith & Sons", "", True),
    ]
    assert {k: r.title for k, r in fixed.items() if k != "kim2010"} == {
        k: r.title for k, r in kb.references.items() if k != "kim2010"
    }
