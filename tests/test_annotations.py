"""Editor annotations: evidence state and the verification state of a statement's sources."""

from __future__ import annotations

import proloevidence
from proloevidence.auditing.annotations import annotation, evidence_state, verification_state
from proloevidence.model import Citation, Relation
from proloevidence.verification import Verification


def test_states(bundled_lock: Verification) -> None:
    kb = proloevidence.load()
    lock = bundled_lock
    assert evidence_state(kb.claim("overview-stimulus")) == "supported"
    assert evidence_state(kb.claim("overview-definition")) == "unsupported"
    assert evidence_state(kb.claim("candidate-contact")) == "not-required"
    assert verification_state(kb.claim("overview-definition"), lock) == "none"
    assert verification_state(kb.claim("si-joint-trials"), None) == "unverified"
    assert (
        verification_state(kb.claim("si-joint-trials"), lock) == "questionable"
    )  # kim2010 mismatch
    assert verification_state(kb.claim("mechanism-neuromodulatory"), lock) == "questionable"
    # A source the lock does not hold was never checked.
    partial = Verification({"rabago2010": lock.results["rabago2010"]})
    assert verification_state(kb.claim("mechanism-fibroblast"), partial) == "unverified"


def test_annotation_text_names_relations_and_disputes(bundled_lock: Verification) -> None:
    kb = proloevidence.load()
    claim = kb.claim("overview-definition")
    background = type(claim)(
        **{**claim.__dict__, "citations": (Citation("wu2017", Relation.BACKGROUND),)}
    )
    assert annotation(kb, background, None) == (
        "overview-definition · UNSUPPORTED: needs a source; cited only as background · "
        "sources not verified (no verification lock)"
    )
    trials = kb.claim("si-joint-trials")
    disputed = type(trials)(
        **{
            **trials.__dict__,
            "citations": (*trials.citations, Citation("wu2017", Relation.DISPUTES)),
        }
    )
    assert "supported by 2 sources (2 unreviewed); disputed by wu2017" in annotation(
        kb, disputed, bundled_lock
    )
