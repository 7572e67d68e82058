from __future__ import annotations

import json

import pytest
from markdown_it import MarkdownIt

import proloevidence
from proloevidence.auditing.report import clean, md, render, to_json, to_markdown, to_text

from .verification_data import INJECTED_TITLE, NOW, bundled_verification


@pytest.fixture(scope="module")
def offline() -> proloevidence.AuditReport:
    return proloevidence.audit(proloevidence.load(), now=NOW)


@pytest.fixture(scope="module")
def verified() -> proloevidence.AuditReport:
    return proloevidence.audit(proloevidence.load(), bundled_verification(evil=True), now=NOW)


def test_markdown_golden_offline(offline, golden) -> None:
    golden("audit-offline.md", to_markdown(offline, title="Audit: Prolotherapy"))


def test_markdown_golden_with_verification(verified, golden) -> None:
    golden("audit-verified.md", to_markdown(verified, title="Audit: Prolotherapy"))


def test_markdown_escapes_remote_text(verified) -> None:
    text = to_markdown(verified)
    assert "<script>" not in text and "<img" not in text and "\x1b" not in text
    assert "Evil \\| title \\`code\\` \\[link\\]" in text
    # Every table row keeps its column count: no pipe from remote text splits a cell.
    for line in text.splitlines():
        if line.startswith("| 🔴 error | reference-mismatch"):
            assert line.replace("\\|", "").count("|") == 5
    # As GitHub renders it: the injected title is text, not a tag or a link.
    page = MarkdownIt("commonmark").enable("table").render(text)
    assert "&lt;script&gt;document.title" in page
    assert "<script" not in page and "<a href" not in page and "<code>" not in page


def test_a_table_cell_is_one_line_of_escaped_text_without_control_characters() -> None:
    cell = md("a|b`c<d>&e\nf\x1b[31m*g*")
    assert cell == "a\\|b\\`c\\<d\\>\\&e f\\[31m\\*g\\*"
    table = f"| x |\n|---|\n| {cell} |\n"
    html = MarkdownIt("commonmark").enable("table").render(table)
    assert "<td>a|b`c&lt;d&gt;&amp;e f[31m*g*</td>" in html


def test_text_report_summary_first_and_colour_only_when_asked(offline, verified) -> None:
    plain = to_text(offline)
    first = plain.splitlines()[0]
    s = offline.summary
    assert first.startswith(f"{s['statements']} statements: {s['backed']} backed by verified")
    assert f"{s['unsupported']} unsupported" in first
    assert "resting on questionable references" in first
    assert "\x1b[" not in plain
    assert "\x1b[31m" in to_text(offline, color=True)
    assert "overview-definition" in plain and "reference-unverified" in plain
    shown = to_text(verified)
    assert "hauser2016 is miscited" in shown and "6 resting on questionable references" in shown


def test_text_report_says_each_fix_once_info_included(offline) -> None:
    fixes = [line.strip() for line in to_text(offline).splitlines() if "fix: " in line]
    assert len(fixes) == len(set(fixes))
    assert "fix: read each source and record an assessment in claims.yaml" in fixes
    assert "fix: run `proloevidence audit --online` or `proloevidence verify --lock`" in fixes


def test_text_report_drops_control_characters() -> None:
    assert clean("evil\x1b[2Jtitle\nnext") == "evil[2Jtitle next"


def test_json_report(verified) -> None:
    data = json.loads(to_json(verified))
    assert list(data)[:3] == ["schema_version", "summary", "findings"]
    assert data["schema_version"] == 1
    assert data["summary"]["questionable"] == verified.summary["questionable"]
    finding = data["findings"][0]
    assert set(finding) == {"code", "severity", "subject", "message", "evidence", "fix", "location"}
    assert len(data["statements"]) == 42 and data["grades"]["kim2010"]["level"] == 2
    assert data["caveats"] and data["references"][2]["verification"]["status"] == "mismatch"
    mismatch = next(f for f in data["findings"] if f["code"] == "reference-mismatch")
    assert mismatch["evidence"]["fields"][0]["found"] == INJECTED_TITLE


def test_render_dispatches_every_format(offline) -> None:
    assert render(offline, "text").startswith("42 statements")
    assert render(offline, "json").startswith("{")
    assert render(offline, "markdown").startswith("### ")
    assert render(offline, "html").startswith("<!DOCTYPE html>")
    with pytest.raises(ValueError, match="fmt must be one of html, json, markdown, text"):
        render(offline, "pdf")
