"""The page rebuilt from the knowledge base: verbatim statements, renumbered collapsed markers."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from docutils import nodes
from docutils.core import publish_doctree
from docutils.utils import Reporter
from markdown_it import MarkdownIt

import proloevidence
from proloevidence.model import Claim
from proloevidence.publish.rebuilt_page import (
    BulletList,
    Heading,
    Paragraph,
    page_blocks,
    render_page,
)
from proloevidence.verifying.lock import read_lock

FIXTURES = Path(__file__).parent / "fixtures"
PAGE = (FIXTURES / "prolotherapy-page.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def kb() -> proloevidence.KnowledgeBase:
    return proloevidence.load()


def printed(claim: Claim) -> str:
    """The statement as the seed page prints it: text, then its marker after a space."""
    return f"{claim.text} {claim.marker}" if claim.marker else claim.text


@pytest.mark.parametrize("fmt", ["markdown", "rst", "html"])
def test_every_statement_of_the_page_comes_back_verbatim_with_its_marker(
    kb: proloevidence.KnowledgeBase, fmt: str
) -> None:
    output = render_page(kb, fmt=fmt).output  # type: ignore[arg-type]
    if fmt == "html":
        # Each statement is one span; its marker is inside it.
        output = html.unescape(re.sub(r"<[^>]+>", "", output))
    positions = []
    for claim in kb.claims:
        expected = printed(claim)
        assert expected in PAGE, claim.id  # the seed page really prints it so
        assert expected in output, claim.id
        positions.append(output.index(expected))
    assert positions == sorted(positions)  # in page order
    for marker in ("(1-3)", "(1,2)", "(4,5)", "(2,3)"):
        assert marker in output


def test_markdown_has_the_page_structure(kb: proloevidence.KnowledgeBase) -> None:
    output = render_page(kb, fmt="markdown").output
    headings = [line for line in output.splitlines() if line.startswith("#")]
    assert headings[:3] == [
        "# Prolotherapy",
        "## Overview",
        "## Mechanism of Action (Current Understanding)",
    ]
    assert "### Sacroiliac (SI) Joint Dysfunction and Hypermobility" in headings
    assert headings[-1] == "## References"
    rendered = MarkdownIt().render(output)
    # Two bulleted lists of short items, one of labelled mechanisms, numbered steps kept.
    assert "<li>Active infection</li>" in rendered
    assert "<li>Tendinopathies and enthesopathies</li>" in rendered
    assert "<li>Neuromodulatory effects: Emerging evidence" in rendered
    steps = re.search(r"<ol>\s*<li>\s*<p>Clinical evaluation(.*?)</ol>", rendered, re.S)
    assert steps is not None and steps.group(1).count("<li>") == 3  # steps 2-4 follow
    assert "<p>Injection technique: A solution" in steps.group(1)
    assert "<ol>\n<li>Rabago D, Slattengren A, Zgierska A." in rendered


def test_page_golden_files(
    kb: proloevidence.KnowledgeBase, golden: Callable[[str, str], None]
) -> None:
    golden("render/prolotherapy.md", render_page(kb, fmt="markdown").output)
    golden("render/prolotherapy.rst", render_page(kb, fmt="rst").output)
    golden("render/prolotherapy.html", render_page(kb, fmt="html").output)
    golden(
        "render/prolotherapy-ama-annotated.md", render_page(kb, style="ama", annotate=True).output
    )


@pytest.mark.parametrize("style", ["vancouver", "ama", "apa"])
def test_rst_page_parses_without_a_warning(kb: proloevidence.KnowledgeBase, style: str) -> None:
    rst = render_page(kb, fmt="rst", style=style, annotate=True).output
    doctree = publish_doctree(
        rst, settings_overrides={"report_level": Reporter.WARNING_LEVEL, "halt_level": 5}
    )
    problems = [m.astext() for m in doctree.findall(lambda n: n.tagname == "system_message")]
    assert problems == []


def test_superscript_markers_in_each_format(kb: proloevidence.KnowledgeBase) -> None:
    stimulus = kb.claim("overview-stimulus").text
    assert f"{stimulus}¹⁻³" in render_page(kb, style="ama").output
    assert f"{stimulus}<sup>1-3</sup>" in render_page(kb, style="ama", fmt="html").output
    assert f"{stimulus}\\ :sup:`1-3`" in render_page(kb, style="ama", fmt="rst").output


def test_author_date_markers_come_from_the_style(kb: proloevidence.KnowledgeBase) -> None:
    output = render_page(kb, style="apa").output
    trials = kb.claim("si-joint-trials").text
    assert f"{trials} (Hauser et al., 2016; Kim et al., 2010)" in output


def test_markers_are_renumbered_from_the_knowledge_base(kb_copy: Path) -> None:
    claims = kb_copy / "claims.yaml"
    text = claims.read_text(encoding="utf-8").replace(
        '    marker: "(1-3)"\n    citations:\n      - {ref: rabago2010, relation: supports}\n'
        "      - {ref: kim2010, relation: supports}\n"
        "      - {ref: hauser2016, relation: supports}\n",
        "    citations:\n      - {ref: wu2017, relation: supports}\n",
        1,
    )
    claims.write_text(text, encoding="utf-8")
    kb = proloevidence.load(kb_copy, strict=False)
    output = render_page(kb).output
    assert f"{kb.claim('overview-stimulus').text} (1)" in output
    assert f"{kb.claim('mechanism-fibroblast').text} (2,3)" in output
    assert f"{kb.claim('mechanism-neuromodulatory').text} (1,4)" in output
    assert f"{kb.claim('mechanism-stabilization').text} (2,3,5)" in output
    assert "\n1. Wu YT, Ke MJ, Ho TY, et al." in output


def test_html_escapes_statements_and_headings(kb_copy: Path) -> None:
    claims = kb_copy / "claims.yaml"
    claims.write_text(
        claims.read_text(encoding="utf-8")
        .replace("Serious complications are uncommon.", "Serious <b>complications</b> & risks.")
        .replace(
            "section: [Regulatory Considerations]", "section: [Regulatory <i>Considerations</i>]"
        ),
        encoding="utf-8",
    )
    kb = proloevidence.load(kb_copy)
    output = render_page(kb, fmt="html").output
    assert "Serious &lt;b&gt;complications&lt;/b&gt; &amp; risks. (1-3)" in output
    assert "<h2>Regulatory &lt;i&gt;Considerations&lt;/i&gt;</h2>" in output
    assert "<b>" not in output and "<i>Considerations" not in output


def test_markdown_and_rst_escape_what_would_become_markup(kb_copy: Path) -> None:
    claims = kb_copy / "claims.yaml"
    claims.write_text(
        claims.read_text(encoding="utf-8")
        .replace(
            '"Serious complications are uncommon."', '"*Serious* complications are `uncommon`."'
        )
        .replace(
            '"Prolotherapy may not be appropriate for patients with:"',
            '"# Prolotherapy may not be appropriate for patients with:"',
        ),
        encoding="utf-8",
    )
    kb = proloevidence.load(kb_copy, strict=False)
    markdown = MarkdownIt().render(render_page(kb).output)
    assert "*Serious* complications are `uncommon`. (1-3)" in markdown
    assert "<h1># Prolotherapy may not" not in markdown and "# Prolotherapy may not" in markdown
    rst = render_page(kb, fmt="rst").output
    doctree = publish_doctree(
        rst, settings_overrides={"report_level": Reporter.WARNING_LEVEL, "halt_level": 5}
    )
    assert "*Serious* complications are `uncommon`. (1-3)" in doctree.astext()


def test_headings_keep_their_text_in_markdown_and_rst(kb_copy: Path) -> None:
    claims = kb_copy / "claims.yaml"
    claims.write_text(
        claims.read_text(encoding="utf-8")
        .replace("section: [Regulatory Considerations]", 'section: [".. raw:: html"]')
        .replace("section: [Safety and Tolerability]", 'section: ["Safety, part #"]'),
        encoding="utf-8",
    )
    kb = proloevidence.load(kb_copy)
    markdown = MarkdownIt().render(render_page(kb).output)
    assert "<h2>.. raw:: html</h2>" in markdown and "<h2>Safety, part #</h2>" in markdown
    doctree = publish_doctree(
        render_page(kb, fmt="rst").output,
        settings_overrides={"report_level": Reporter.WARNING_LEVEL, "halt_level": 5},
    )
    titles = [node.astext() for node in doctree.findall(nodes.title)]
    assert ".. raw:: html" in titles and "Safety, part #" in titles


def test_a_line_break_in_a_statement_opens_no_block_of_its_own(kb_copy: Path) -> None:
    claims = kb_copy / "claims.yaml"
    claims.write_text(
        claims.read_text(encoding="utf-8").replace(
            '"Serious complications are uncommon."',
            '"Serious complications are uncommon.\\n\\n# Injected'
            '\\n\\n.. raw:: html\\n\\n   <b>x</b>"',
        ),
        encoding="utf-8",
    )
    kb = proloevidence.load(kb_copy)
    markdown = MarkdownIt().render(render_page(kb).output)
    assert (
        "<h1>Injected" not in markdown
        and "uncommon. # Injected .. raw:: html &lt;b&gt;" in markdown
    )
    doctree = publish_doctree(
        render_page(kb, fmt="rst").output,
        settings_overrides={"report_level": Reporter.WARNING_LEVEL, "halt_level": 5},
    )
    assert not list(doctree.findall(nodes.raw)) and not list(doctree.findall(nodes.comment))
    assert "uncommon. # Injected .. raw:: html <b>x</b>" in doctree.astext()


def test_annotations_show_evidence_and_verification(locked_kb: Path) -> None:
    kb = proloevidence.load(locked_kb)
    output = render_page(kb, annotate=True, verification=read_lock(locked_kb)).output
    assert "\\[overview-definition · UNSUPPORTED: needs a source and cites none\\]" in output
    assert "\\[mechanism-intro · no source needed\\]" in output
    assert (
        "\\[si-joint-trials · supported by 2 sources (2 unreviewed) · "
        "sources: kim2010 mismatch, hauser2016 verified\\]"
    ) in output
    page = render_page(kb, fmt="html", annotate=True, verification=read_lock(locked_kb)).output
    assert 'data-evidence="unsupported" data-verification="none"' in page
    assert 'data-evidence="supported" data-verification="questionable"' in page


def test_a_knowledge_base_of_several_documents_needs_a_document(kb_copy: Path) -> None:
    (kb_copy / "claims").mkdir()
    (kb_copy / "claims" / "leaflet.yaml").write_text(
        "schema: 1\ndocument:\n  id: leaflet\n  title: Leaflet\n"
        "  references: {1: wu2017}\nclaims:\n"
        "  - id: leaflet-one\n    section: [Intro]\n    kind: efficacy\n"
        '    text: "Dextrose helps."\n    marker: "(1)"\n'
        "    citations:\n      - {ref: wu2017, relation: supports}\n",
        encoding="utf-8",
    )
    kb = proloevidence.load(kb_copy)
    with pytest.raises(ValueError, match="2 documents"):
        render_page(kb)
    leaflet = render_page(kb, document="leaflet", cited_only=True).output
    assert "Dextrose helps. (1)" in leaflet and "\n1. Wu YT" in leaflet
    assert "Rabago" not in leaflet


def test_blocks_follow_the_grouping_rules(kb: proloevidence.KnowledgeBase) -> None:
    blocks = page_blocks(kb.claims)
    assert blocks[0] == Heading(2, "Overview")
    lists = [b for b in blocks if isinstance(b, BulletList)]
    assert [[c.id for c in item] for item in lists[0].items] == [
        ["mechanism-inflammatory", "mechanism-fibroblast"],
        ["mechanism-neuromodulatory"],
        ["mechanism-stabilization"],
    ]
    assert [len(b.items) for b in lists] == [3, 3, 3]
    steps = [b for b in blocks if isinstance(b, Paragraph) and b.step]
    assert [[c.id for c in s.claims] for s in steps][2] == [
        "procedure-injection",
        "procedure-ultrasound",
        "procedure-fluoroscopy",
    ]
    # A statement that cites a source closes its paragraph.
    overview = next(b for b in blocks if isinstance(b, Paragraph))
    assert overview.claims[-1].id == "overview-stimulus"
