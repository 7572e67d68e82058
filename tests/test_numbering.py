"""Numbers by first citation, and markers that always agree with them."""

from __future__ import annotations

from pathlib import Path

import pytest

import proloevidence
from proloevidence.errors import UnknownIdError
from proloevidence.publish.numbering import Numbering, citation_order, number_references


def test_bundled_page_numbers_match_the_printed_numbers() -> None:
    kb = proloevidence.load()
    numbering = number_references(kb)
    assert numbering.numbers == {key: kb.number_of(key) for key in kb.references}
    for claim in kb.claims:
        assert numbering.marker(claim) == (claim.marker or ""), claim.id


def test_markers_collapse_in_each_form() -> None:
    kb = proloevidence.load()
    numbering = number_references(kb)
    stimulus = kb.claim("overview-stimulus")
    assert numbering.marker(stimulus, "brackets") == "[1-3]"
    assert numbering.marker(stimulus, "superscript") == "¹⁻³"
    assert numbering.marker(kb.claim("mechanism-neuromodulatory"), "superscript") == "⁴,⁵"
    assert numbering.marker(kb.claim("overview-definition")) == ""


def test_a_claim_citing_a_reference_twice_counts_it_once() -> None:
    kb = proloevidence.load()
    claim = kb.claim("si-joint-trials")
    doubled = type(claim)(**{**claim.__dict__, "citations": claim.citations * 2})
    assert Numbering(("kim2010", "hauser2016")).numbers_of(doubled) == [1, 2]


def test_order_of_first_citation_ignores_unknown_keys() -> None:
    kb = proloevidence.load()
    assert citation_order(kb.claims, {"wu2017": kb.reference("wu2017")}) == ["wu2017"]


def test_unknown_document_and_order(kb_copy: Path) -> None:
    kb = proloevidence.load(kb_copy)
    with pytest.raises(UnknownIdError, match="prolotherapy"):
        number_references(kb, document="prolotheraphy")
    with pytest.raises(ValueError):
        number_references(kb, order="random")  # type: ignore[arg-type]
