"""RIS output: the tags of the RIS specification, read back by a real RIS reader (rispy)."""

from __future__ import annotations

import rispy

import proloevidence
from proloevidence.publish.csl_items import item_from_reference
from proloevidence.publish.ris_export import to_ris


def test_bundled_references_read_back_with_rispy() -> None:
    kb = proloevidence.load()
    items = [
        item_from_reference(r, journal_abbrev="Prim Care" if r.key == "rabago2010" else "")
        for r in kb.references.values()
    ]
    text = to_ris(items)
    records = rispy.loads(text)
    assert len(records) == 5
    rabago, kim = records[0], records[1]
    assert rabago["type_of_reference"] == "JOUR"
    assert rabago["authors"] == ["Rabago, D.", "Slattengren, A.", "Zgierska, A."]
    assert rabago["title"] == "Prolotherapy in primary care practice"
    assert rabago["secondary_title"] == "Primary Care"
    assert rabago["alternate_title1"] == "Prim Care"  # J2
    assert (rabago["year"], rabago["volume"], rabago["number"]) == ("2010", "37", "1")
    assert (rabago["start_page"], rabago["end_page"]) == ("65", "80")
    assert rabago["doi"] == "10.1016/j.pop.2009.09.013"
    assert kim["accession_number"] == "20648206"
    assert kim["notes"] == ["The cited author list ends in et al."]


def test_record_layout_follows_the_spec() -> None:
    text = to_ris(
        [item_from_reference(proloevidence.load().reference("wu2017"))], {"wu2017": ["a\nnote"]}
    )
    lines = text.split("\r\n")
    assert lines[0] == "TY  - JOUR" and lines[-2] == "ER  - " and lines[-1] == ""
    assert all(len(line) >= 6 and line[2:6] == "  - " for line in lines[:-1])
    assert "N1  - a note" in lines
    assert "SP  - 8157910" in lines and not any(line.startswith("EP") for line in lines)


def test_name_parts_editors_and_markup_read_back_with_rispy() -> None:
    from .csl_references import VARIED

    records = rispy.loads(to_ris([item_from_reference(r) for r in VARIED]))
    by_key = {ref.key: record for ref, record in zip(VARIED, records, strict=True)}
    assert by_key["berg2019"]["authors"] == [
        "van der Berg, Jan, Jr.",
        "Smith, John, Jr.",
        "Lee, Min-jun",
    ]
    assert by_key["rabago2013"]["secondary_authors"] == ["Rakel, David", "van Gogh, Vincent"]
    # CSL rich text is markup of ours, not text: RIS has none, so the tags go.
    assert by_key["ortiz2021"]["title"] == "Serum α-synuclein and H2O2 at p<0.05"
