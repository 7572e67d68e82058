"""Importing pages: the seed page against the curated data, other styles, files, fuzzing."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import proloevidence
from proloevidence.errors import OutputError, PageError
from proloevidence.importing.page_import import (
    MAX_PAGE_CHARACTERS,
    Draft,
    import_file,
    import_page,
    write_draft,
)

from .conftest import FIXTURES

PAGES = FIXTURES / "pages"
SEED = FIXTURES / "prolotherapy-page.txt"

REFERENCE_FIELDS = (
    "key",
    "authors",
    "et_al",
    "title",
    "journal",
    "year",
    "volume",
    "number",
    "pages",
    "doi",
    "pmid",
    "pmcid",
    "url",
    "printed",
)


def differences(draft: Draft, kb: proloevidence.KnowledgeBase) -> list[str]:
    """Every way the draft disagrees with the curated knowledge base, one line each.

    Compared: the title, the numbering, every statement's text, section path, order,
    marker and links (reference and relation), and every reference's fields. Not compared
    (the curated data is richer there, by design): statement ids and kinds,
    requires_support and support_note, assessments, the document's id and source.
    """
    found: list[str] = []
    document = next(iter(kb.documents.values()))
    if draft.document.title != document.title:
        found.append(f"title: {draft.document.title!r} != {document.title!r}")
    if dict(draft.document.numbering) != dict(document.numbering):
        found.append(f"numbering: {dict(draft.document.numbering)} != {dict(document.numbering)}")
    for order in range(max(len(draft.claims), len(kb.claims))):
        if order >= len(draft.claims):
            found.append(f"statement {order} missing from the draft: {kb.claims[order].text!r}")
            continue
        if order >= len(kb.claims):
            found.append(f"statement {order} only in the draft: {draft.claims[order].text!r}")
            continue
        mine, curated = draft.claims[order], kb.claims[order]
        for name in ("text", "section", "marker"):
            if getattr(mine, name) != getattr(curated, name):
                found.append(
                    f"statement {order} ({curated.id}) {name}: "
                    f"{getattr(mine, name)!r} != {getattr(curated, name)!r}"
                )
        links = [(c.ref, c.relation) for c in mine.citations]
        expected = [(c.ref, c.relation) for c in curated.citations]
        if links != expected:
            found.append(f"statement {order} ({curated.id}) links: {links} != {expected}")
    by_number = {r.page_number: r for r in draft.references}
    for reference in kb.references.values():
        mine_ref = by_number.get(reference.page_number)
        if mine_ref is None:
            found.append(f"reference {reference.page_number} ({reference.key}) missing")
            continue
        for name in REFERENCE_FIELDS:
            if getattr(mine_ref, name) != getattr(reference, name):
                found.append(
                    f"reference {reference.page_number} {name}: "
                    f"{getattr(mine_ref, name)!r} != {getattr(reference, name)!r}"
                )
    if len(draft.references) != len(kb.references):
        found.append(f"{len(draft.references)} references != {len(kb.references)}")
    return found


@pytest.fixture(scope="module")
def seed_draft() -> Draft:
    return import_file(SEED)


# Disagreements where the curated data, not the importer, is wrong; reported to the lead.
# data/references.bib writes a bare "&" in wu2017's `printed` field: BibTeX's LaTeX decoding
# reads it as an alignment tab, so the field loads as "Pain Research     Management", not
# the page's "Pain Research & Management" (its `journal` field escapes it as "\&" and
# loads right). Once data/ is fixed this list must be emptied, or the test fails.


def test_seed_page_round_trips_to_the_curated_data(seed_draft: Draft) -> None:
    assert differences(seed_draft, proloevidence.load()) == []


def test_the_comparison_would_see_a_difference(seed_draft: Draft) -> None:
    # The round trip above can fail: a changed word, marker or author is reported.
    page = SEED.read_text(encoding="utf-8")
    altered = import_page(
        page.replace("Serious complications are uncommon. (1-3)", "Serious harm is rare. (1,2)")
        .replace("Kim WM, Lee HG", "Kim WN, Lee HG")
        .replace("Visit duration\n", "")
    )
    found = differences(altered, proloevidence.load())
    assert any("(safety-serious-complications) text" in line for line in found)
    assert any("(safety-serious-complications) marker" in line for line in found)
    assert any("reference 2 authors" in line for line in found)
    assert any("(procedure-visit-duration) section" in line for line in found)


def test_seed_page_notes_name_what_needs_an_eye(seed_draft: Draft) -> None:
    assert {n.code for n in seed_draft.notes} == {"no-source"}
    assert len(seed_draft.notes) == 35
    assert seed_draft.document.id == "prolotherapy"
    assert all(c.kind in proloevidence.model.CLAIM_KINDS for c in seed_draft.claims)


def test_seed_draft_written_loads_and_passes_check(seed_draft: Draft, tmp_path: Path) -> None:
    write_draft(seed_draft, tmp_path)
    kb = proloevidence.load(tmp_path)
    assert proloevidence.validate(tmp_path) == []
    assert [c.text for c in kb.claims] == [c.text for c in seed_draft.claims]
    assert kb.sources(seed_draft.claims[3].id)[0].citation.assessment.status.value == "unreviewed"
    assert len(kb.unsupported_claims()) == 35


def test_write_refuses_to_overwrite_unless_forced(seed_draft: Draft, tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text("edited by hand\n", encoding="utf-8")
    with pytest.raises(OutputError, match=r"refusing to overwrite .*claims\.yaml"):
        write_draft(seed_draft, tmp_path)
    assert (tmp_path / "claims.yaml").read_text(encoding="utf-8") == "edited by hand\n"
    assert not (tmp_path / "references.bib").exists()  # nothing half-written
    write_draft(seed_draft, tmp_path, force=True)
    assert proloevidence.validate(tmp_path) == []
    assert (tmp_path / "claims.yaml.bak").read_text(encoding="utf-8") == "edited by hand\n"


def _statements(draft: Draft) -> list[tuple[str, str | None, tuple[str, ...]]]:
    return [(c.text, c.marker, c.refs) for c in draft.claims]


def test_bracketed_markers_before_the_full_stop_and_vancouver_pmids() -> None:
    draft = import_file(PAGES / "bracketed-vancouver.txt")
    keys = [r.key for r in draft.references]
    assert keys == ["moreau2019", "okafor2016", "fischer2013", "brennan2011"]
    assert _statements(draft)[:4] == [
        (
            "Dextrose prolotherapy for the knee uses injections of a concentrated sugar "
            "solution into and around the joint.",
            "[1]",
            ("moreau2019",),
        ),
        (
            "Trials have compared it with saline, exercise and corticosteroid injections.",
            "[2,3]",
            ("okafor2016", "fischer2013"),
        ),
        (
            "Pain scores improved more with dextrose than with saline at 52 weeks.",
            "[2]",
            ("okafor2016",),
        ),
        (
            "Function improved in most trials, although effect sizes varied.",
            "[1–3]",
            ("moreau2019", "okafor2016", "fischer2013"),
        ),
    ]
    items = [c for c in draft.claims if c.section == ("How Well Does It Work?",)]
    assert [c.text for c in items][3:] == [
        "Less pain when walking",
        "Better knee function scores",
        "Fewer painkillers taken",
        "Results beyond one year are uncertain.",
    ]
    okafor = draft.references[1]
    assert (okafor.pmid, okafor.doi, okafor.et_al, len(okafor.authors)) == (
        "27101234",
        None,
        True,
        6,
    )
    brennan = draft.references[3]
    assert (brennan.pmcid, brennan.number, brennan.pages) == ("PMC3012345", "1 Suppl", "S12-S18")
    assert draft.notes_with("unparsed-reference") == []


def test_superscript_markers() -> None:
    draft = import_file(PAGES / "superscript.txt")
    assert _statements(draft)[:2] == [
        (
            "Prolotherapy has been tried for tendon problems such as tennis elbow and "
            "Achilles tendinopathy.",
            "¹",
            ("lindahl2018",),
        ),
        ("Most studies are small.", "¹⁻³", ("lindahl2018", "hartmann2015", "nakamura2020")),
    ]
    trial = draft.claims[2]
    assert trial.text == (
        "A trial in tennis elbow found less pain at 16 weeks than with saline and grip "
        "strength improved."
    )
    assert trial.marker == "²,³" and draft.notes_with("several-markers")[0].subject == trial.id
    assert draft.claims[3].text.endswith("(Fig. 2 of the review, i.e. the summary table).")


def test_markdown_page() -> None:
    draft = import_file(PAGES / "markdown.md")
    assert draft.format == "markdown" and draft.document.title == "Prolotherapy for Low Back Pain"
    assert [(c.section, c.marker) for c in draft.claims] == [
        (("Overview",), "(1)"),
        (("Overview",), "(1, 2)"),
        (("Evidence", "Trials"), "(2-4)"),
        (("Evidence", "Trials"), "[3]"),
        (("Evidence", "Practical points"), None),
        (("Evidence", "Practical points"), "(4)"),
        (("Evidence", "Practical points"), None),
    ]
    assert draft.claims[1].text == (
        "The aim is to strengthen lax ligaments and reduce pain over several months."
    )
    assert draft.claims[4].text == "1. Usually 3 to 6 sessions, a few weeks apart."
    assert [r.key for r in draft.references] == [
        "sorensen2014",
        "adeyemi2017",
        "duboismartin2021",
        "ito2019",
    ]


def test_html_page(tmp_path: Path) -> None:
    draft = import_file(PAGES / "page.html")
    assert draft.format == "html" and draft.document.title == "Prolotherapy for Shoulder Pain"
    assert _statements(draft)[:2] == [
        (
            "Prolotherapy for the shoulder targets the rotator cuff tendons and the joint capsule.",
            "¹",
            ("petrov2016",),
        ),
        ("Small trials reported less pain at six months.", "¹⁻²", ("petrov2016", "ferreira2020")),
    ]
    assert [c.text for c in draft.claims[2:]] == [
        "Patients with:",
        "Chronic rotator cuff tendinopathy",
        "Shoulder pain that did not improve with physiotherapy",
    ]
    assert draft.references[1].title.startswith("Injection therapies for chronic shoulder pain &")
    assert draft.references[0].pages == "77–84"
    write_draft(draft, tmp_path)
    assert proloevidence.validate(tmp_path) == []


def test_unparseable_entry_unknown_number_and_uncited_reference(tmp_path: Path) -> None:
    draft = import_file(PAGES / "unparseable.txt")
    unparsed = draft.notes_with("unparsed-reference")
    assert [n.subject for n in unparsed] == ["ref2"]
    kept = draft.references[1]
    assert kept.printed == "Notes from the clinic's own audit, shared at a staff meeting"
    assert (kept.title, kept.authors, kept.page_number) == ("", (), 2)
    unknown = draft.notes_with("unknown-reference-number")
    assert [n.evidence["numbers"] for n in unknown] == [[6]]
    satisfaction = draft.claims[2]
    assert (satisfaction.marker, satisfaction.citations) == (None, ())
    assert [n.subject for n in draft.notes_with("uncited-reference")] == ["lund2018"]
    assert draft.claims[1].marker == "(1,2)" and draft.claims[1].refs == ("quintero2012", "ref2")
    write_draft(draft, tmp_path)
    assert proloevidence.validate(tmp_path) == []
    claims_text = (tmp_path / "claims.yaml").read_text(encoding="utf-8")
    assert "# editor: the page prints marker (6) here" in claims_text
    assert "% editor: this entry could not be parsed" in (tmp_path / "references.bib").read_text(
        encoding="utf-8"
    )


def test_markers_without_a_reference_list_are_noted() -> None:
    draft = import_page("Title\nDextrose helps (1). Saline helps less [2].\n")
    assert [n.code for n in draft.notes if n.code != "no-source"].count(
        "unknown-reference-number"
    ) == 2
    assert draft.notes_with("no-reference-list")


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "empty"), ("  \n\t\n", "empty"), ("\ufeff\r\n", "empty")],
)
def test_an_empty_page_is_a_page_error(text: str, message: str) -> None:
    with pytest.raises(PageError, match=message):
        import_page(text)


def test_an_oversized_page_is_a_page_error() -> None:
    with pytest.raises(PageError, match="split it into several pages"):
        import_page("x" * (MAX_PAGE_CHARACTERS + 1))


def test_bad_options_are_page_errors() -> None:
    with pytest.raises(PageError, match="document id"):
        import_page("Title\nText.", doc_id="a/b")
    with pytest.raises(PageError, match="format"):
        import_page("Title\nText.", fmt="pdf")  # type: ignore[arg-type]


def test_unreadable_files_are_page_errors(tmp_path: Path) -> None:
    with pytest.raises(PageError, match="cannot read"):
        import_file(tmp_path / "missing.txt")
    binary = tmp_path / "page.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(PageError, match="not UTF-8"):
        import_file(binary)


def test_document_id_and_source() -> None:
    draft = import_page("Title Here\nText.", doc_id="my-page", source="https://example.org/p")
    assert (draft.document.id, draft.document.source) == ("my-page", "https://example.org/p")
    assert import_page("A long first line that is a sentence.\nMore.").document.id == "page"


# -- fuzzing -------------------------------------------------------------------------------
# 250 examples keep the suite fast; PROLOEVIDENCE_FUZZ_EXAMPLES=10000 digs deeper.
FUZZ_EXAMPLES = int(os.environ.get("PROLOEVIDENCE_FUZZ_EXAMPLES", "250"))
PAGE_LINES = st.sampled_from(
    [
        "Overview",
        "Is It Safe?",
        "References",
        "Patients with:",
        "Active infection",
        "Dextrose helps (1-3).",
        "It works [2,3]. It is safe.¹⁻³",
        "1. Step one: do this. Then that. (2)",
        "- a bullet (1)",
        "# Heading",
        "## Sub",
        "1. Kim WM, Lee HG, et al. A trial. Pain Physician. 2010;13(4):363–370. PMID: 20648206.",
        "2. Rabago D. Title. J. 2010;1:1-2. doi:10.1000/x.",
        "[3] Unparseable entry",
        "(7)",
        "e.g. (e.g., knee) (2010) (SI) 10⁶ cm²",
        "<p>html<sup>1</sup></p>",
        "",
    ]
)
PAGES_TEXT = st.one_of(
    st.text(),
    st.lists(st.one_of(PAGE_LINES, st.text(max_size=40)), max_size=25).map("\n".join),
)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PAGES_TEXT, st.sampled_from([None, "text", "markdown", "html"]))
def test_any_text_imports_or_raises_a_page_error_and_the_draft_loads(
    text: str, fmt: str | None
) -> None:
    try:
        draft = import_page(text, fmt=fmt)  # type: ignore[arg-type]
    except PageError as exc:
        # Only a page with nothing to read is refused: blanks, control characters, a BOM.
        assert "empty" in str(exc)
        assert not re.sub("[\x00-\x1f\x7f-\x9f\ufeff\ue000\ue001]", "", text).strip()
        return
    with tempfile.TemporaryDirectory() as folder:
        write_draft(draft, folder)
        assert proloevidence.validate(folder) == []
        kb = proloevidence.load(folder)
    assert [c.text for c in kb.claims] == [c.text for c in draft.claims]
    assert [r.printed for r in kb.references.values()] == [r.printed for r in draft.references]
